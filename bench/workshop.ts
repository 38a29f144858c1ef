import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import Fastify from 'fastify';
import { benchDatabaseUrl } from '../src/server/config';
import { startFakeUpstream } from '../test/fake-upstream/server';
import { BASE, DRAFT_TEXT, TOPIC } from '../test/helpers/workshop-fixtures';
import { load, loadRow } from './lib/load';
import { freePort, spawnServer } from './lib/process';
import { fakeModelServerEnv, fakeStreamRequest, freshPgDatabase, json, login, pct } from './lib/setup';

// Issue 4's figures, on a real server process with the sample corpus and the fake OpenAI upstream
// answering after a fixed delay:
// 1. POST …/drafts/{id}/test at limit 50, minus the upstream's delay: what the workshop adds
//    (draft and topic checks, retrieval, packing, the model layer, storing the run).
// 2. Requests/s of GET …/drafts/{id} next to a bare Fastify route reading the same SQLite row,
//    measured one after the other in the same run.

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');
const self = fileURLToPath(import.meta.url);
const UPSTREAM_DELAY_MS = 20;
const QUESTIONS = [
  'How are companies adopting AI assistants in customer service?',
  'What do regulators say about AI adoption risks?',
  'Which industries report productivity gains from automation?',
  'How much are firms spending on AI pilots this year?',
];

type Row = Record<string, string | number>;

/** `--bare PORT DB`: the baseline server, one route reading one drafts row by id. */
async function bareServer(port: number, path: string): Promise<void> {
  const db = new SqliteDatabase(path, { readonly: true });
  db.pragma('busy_timeout = 5000');
  const byId = db.prepare('select * from drafts where id = ?');
  const app = Fastify({ logger: false });
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.get<{ Params: { id: string } }>('/bare/drafts/:id', async (req, reply) => {
    const row = byId.get(Number(req.params.id));
    return row ?? reply.code(404).send({ detail: 'not found' });
  });
  await app.listen({ port, host: '127.0.0.1' });
}

export async function run(requests = 200, seconds = 5) {
  const fake = await startFakeUpstream({
    delayMs: UPSTREAM_DELAY_MS,
    defaultScenario: { chunks: ['Companies ', 'report ', 'pilots ', '[Title](https://example.com).'] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-workshop-'));
  const engines: { name: string; url: string; sqlitePath?: string; cleanup: () => Promise<void> }[] = [
    {
      name: 'sqlite',
      url: `sqlite:${join(dir, 'bench.db')}`,
      sqlitePath: join(dir, 'bench.db'),
      cleanup: async () => {},
    },
  ];
  const pgBase = benchDatabaseUrl();
  if (pgBase) {
    const fresh = await freshPgDatabase(pgBase, 'workshop');
    engines.push({ name: 'postgres', url: fresh.url, cleanup: fresh.drop });
  }
  const overhead: Row[] = [];
  const reads: Row[] = [];
  try {
    // The upstream alone, read to the end the way the test route reads it.
    const direct: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const res = await fakeStreamRequest(fake.openaiBaseURL);
      await res.text();
      direct.push(performance.now() - started - UPSTREAM_DELAY_MS);
    }
    direct.sort((a, b) => a - b);
    if (requests > 0)
      overhead.push({
        path: 'fake upstream directly (whole stream)',
        articles: '-',
        p50_ms: pct(direct, 0.5),
        p99_ms: pct(direct, 0.99),
      });

    for (const engine of engines) {
      const port = freePort();
      const server = await spawnServer(
        [cli, 'serve'],
        { ...fakeModelServerEnv(engine.url, fake.openaiBaseURL), TEST_RATE_LIMIT_PER_MINUTE: '10000' },
        port,
      );
      try {
        const cookie = await login(server.url);
        const start = await json(`${server.url}${BASE}/start`, 'POST', cookie, { draft_name: 'Bench draft' });
        const id = start.draft_id as number;
        await json(`${server.url}${BASE}/drafts/${id}`, 'PUT', cookie, { draft_content: DRAFT_TEXT });

        const test = (i: number) =>
          json(`${server.url}${BASE}/drafts/${id}/test`, 'POST', cookie, {
            test_query: QUESTIONS[i % QUESTIONS.length],
            topic: TOPIC,
            limit: 50,
          });
        // requests = 0 measures the draft reads only.
        if (requests > 0) {
          // Warm-up: tokenizer tables, prepared statements and JIT are not the steady state.
          for (let i = 0; i < 20; i++) await test(i);
          const samples: number[] = [];
          let articles = 0;
          for (let i = 0; i < requests; i++) {
            const started = performance.now();
            const r = await test(i);
            samples.push(performance.now() - started - UPSTREAM_DELAY_MS);
            articles += r.article_count;
          }
          samples.sort((a, b) => a - b);
          overhead.push({
            path: `POST ${BASE}/drafts/{id}/test (${engine.name})`,
            articles: Math.round(articles / requests),
            p50_ms: pct(samples, 0.5),
            p99_ms: pct(samples, 0.99),
          });
        }

        if (engine.sqlitePath) {
          const barePort = freePort();
          const bare = await spawnServer(
            ['--import', 'tsx', self, '--bare', String(barePort), engine.sqlitePath],
            {},
            barePort,
          );
          try {
            const baseline = await load(`${bare.url}/bare/drafts/${id}`, {}, seconds, {
              pid: bare.child.pid,
            });
            const draft = await load(`${server.url}${BASE}/drafts/${id}`, { cookie }, seconds, {
              pid: server.child.pid,
            });
            // The platform's share: the same session lookup and framework path, no draft read.
            const me = await load(`${server.url}/api/auth/me`, { cookie }, seconds, {
              pid: server.child.pid,
            });
            if (draft.non2xx || draft.errors || baseline.non2xx) throw new Error('draft reads failed');
            reads.push(loadRow('bare Fastify route reading one SQLite row', baseline));
            reads.push(loadRow(`GET ${BASE}/drafts/{id} (sqlite, cookie session)`, draft, baseline));
            reads.push(loadRow('GET /api/auth/me (same session lookup, no draft read)', me, baseline));
          } finally {
            await bare.stop();
          }
        }
      } finally {
        await server.stop();
        await engine.cleanup();
      }
    }
    console.log(
      `\nTest route time minus the upstream's ${UPSTREAM_DELAY_MS} ms delay, limit 50, sample corpus ` +
        `(${requests} sequential requests per row; target p50 < 20 ms)`,
    );
    console.table(overhead);
    console.log(
      `Draft reads (autocannon, 20 connections, 2 client threads, 1 s warm-up, ${seconds} s measured; target >= 50 % of bare)`,
    );
    console.table(reads);
    return { overhead, reads };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--bare') await bareServer(Number(process.argv[3]), process.argv[4]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
