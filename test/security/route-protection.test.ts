import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { migrateToLatest } from '../../src/server/db/migrate';
import { dialects, type TestDatabase } from '../helpers/databases';

// Every registered route, asked signed out: 401 unless it is marked public, however the path is
// spelled. Protection comes from the matched route, so `/%61pi/…` is the same route as `/api/…`.

const PUBLIC = new Set([
  'GET /api/health',
  'HEAD /api/health',
  'POST /api/auth/login',
  'GET /api/auth/session',
  'HEAD /api/auth/session',
  'GET /metrics',
  'HEAD /metrics',
]);

/** A concrete path for a route pattern: params become a plausible value. */
const concrete = (url: string) => url.replace(/:[a-z_]+/g, (p) => (p === ':name' ? 'auspex_default' : '1'));

/** The same path with its first letter percent-encoded, as a probe would send it. */
const encoded = (path: string) => `/%${path.charCodeAt(1).toString(16)}${path.slice(2)}`;

describe.each(dialects)('route protection on $dialect', ({ create }) => {
  let built: BuiltApp;
  let database: TestDatabase;
  const webRoot = mkdtempSync(join(tmpdir(), 'pw-web-'));

  beforeAll(async () => {
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(webRoot, 'assets/app-abc123.js'), 'console.log("app")');
    database = await create();
    await migrateToLatest(database.db);
    built = await buildApp({
      config: loadConfig({ DATABASE_URL: database.url, OLLAMA_DETECT: 'false', SAMPLE_CORPUS: 'false' }),
      database,
      logger: pino({ level: 'silent' }),
      webRoot,
    });
    await built.app.ready();
  });
  afterAll(async () => {
    await built.app.close();
    await database.destroy();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('knows every route and marks public only health, sign-in, the session check, metrics, docs and web files', () => {
    const routes = built.routes();
    expect(routes.length).toBeGreaterThan(40);
    const unexpected = routes
      .filter((r) => r.public)
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !PUBLIC.has(r) && !/^(GET|HEAD) \/(docs|assets\/|index\.html)/.test(r));
    expect(unexpected).toEqual([]);
  });

  it('answers 401 signed out on every protected route, spelled plainly or percent-encoded', async () => {
    const answers: string[] = [];
    for (const route of built.routes().filter((r) => !r.public)) {
      const path = concrete(route.url);
      for (const url of [path, encoded(path)]) {
        const res = await built.app.inject({
          method: route.method as 'GET',
          url,
          payload: ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined,
        });
        answers.push(`${route.method} ${url} ${res.statusCode}`);
      }
    }
    expect(answers.filter((a) => !a.endsWith(' 401'))).toEqual([]);
    // The probe's three requests among them.
    expect(answers).toEqual(
      expect.arrayContaining([
        'GET /%61pi/articles/search 401',
        'GET /%61pi/topics 401',
        'GET /%61pi/models 401',
      ]),
    );
  });

  it.each([
    '/%61pi/articles/search?q=x&limit=200',
    '/ap%69/models',
    '/api/%74opics',
    '/api//topics',
    '/api/topics/',
  ])('refuses %s signed out', async (url) => {
    const res = await built.app.inject({ url });
    expect(res.statusCode).not.toBe(200);
    expect(res.body).not.toContain('article_count');
  });

  it('serves public routes signed out', async () => {
    for (const url of [
      '/api/health',
      '/metrics',
      '/docs/json',
      '/assets/app-abc123.js',
      '/prompt-workshop',
    ]) {
      expect({ url, status: (await built.app.inject({ url })).statusCode }).toEqual({ url, status: 200 });
    }
  });
});
