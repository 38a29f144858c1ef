import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { freshSqlite, type TestDatabase } from './helpers/databases';

describe('serving the web app', () => {
  let built: BuiltApp;
  let database: TestDatabase;
  const webRoot = mkdtempSync(join(tmpdir(), 'pw-web-'));

  beforeAll(async () => {
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    const js = 'console.log("app");'.repeat(50);
    writeFileSync(join(webRoot, 'assets/app-abc123.js'), js);
    writeFileSync(join(webRoot, 'assets/app-abc123.js.br'), brotliCompressSync(js));
    database = freshSqlite();
    built = await buildApp({
      config: loadConfig({ DATABASE_URL: database.url, OLLAMA_DETECT: 'false' }),
      database,
      logger: pino({ level: 'silent' }),
      webRoot,
    });
  });
  afterAll(async () => {
    await built.app.close();
    await database.destroy();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('sends hashed assets precompressed and cacheable for a year', async () => {
    const res = await built.app.inject({
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect({
      status: res.statusCode,
      encoding: res.headers['content-encoding'],
      cache: res.headers['cache-control'],
    }).toEqual({
      status: 200,
      encoding: 'br',
      cache: 'public, max-age=31536000, immutable',
    });
  });

  it.each(['/', '/prompt-workshop?draft_id=3', '/drafts'])(
    'answers the client route %s with the app shell',
    async (url) => {
      const res = await built.app.inject({ url });
      expect({ status: res.statusCode, cache: res.headers['cache-control'], body: res.body }).toEqual({
        status: 200,
        cache: 'no-cache',
        body: '<!doctype html><div id="root"></div>',
      });
    },
  );

  it('keeps unknown API routes as JSON 404s', async () => {
    const res = await built.app.inject({ url: '/api/nothing-here' });
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 404,
      body: { detail: 'Route GET /api/nothing-here not found' },
    });
  });
});
