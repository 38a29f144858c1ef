import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildApp } from '../src/server/app';
import { bootstrap } from '../src/server/bootstrap';
import { benchDatabaseUrl, loadConfig } from '../src/server/config';
import { createDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { insertCells } from '../src/server/evals/runs/repository';
import { ratio } from './lib/load';
import { BENCH_PASSWORD, freshPgDatabase } from './lib/setup';

// Issue 10 review point: creating the largest run (5,000 cases × 8 variants × 10 repetitions =
// 400,000 cells) inserts every cell inside the POST. Measured on both engines:
// 1. repository.insertCells (one INSERT … SELECT whose rows the database generates) next to the
//    baseline measured in the same run: multi-row INSERTs of 500 rows, five bound values a row
//    (what the first version did; statements as large as the parameter limits allow were no faster);
// 2. the whole POST /api/evals/runs of such a run, in-process (the runner off, so only the request).

const CASES = 5000;
const VARIANTS = 8;
const REPETITIONS = 10;
const TOPIC = 'AI Adoption';

const keys: { case_index: number; variant_index: number; repetition: number }[] = [];
for (let c = 0; c < CASES; c++)
  for (let v = 0; v < VARIANTS; v++)
    for (let r = 0; r < REPETITIONS; r++) keys.push({ case_index: c, variant_index: v, repetition: r });

type Row = Record<string, string | number>;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-insert-'));
  const engines: { name: string; url: string; cleanup: () => Promise<void> }[] = [
    { name: 'sqlite', url: `sqlite:${join(dir, 'bench.db')}`, cleanup: async () => {} },
  ];
  const pgBase = benchDatabaseUrl();
  if (pgBase) {
    const fresh = await freshPgDatabase(pgBase, 'insert');
    engines.push({ name: 'postgres', url: fresh.url, cleanup: fresh.drop });
  }
  const rows: Row[] = [];
  try {
    for (const engine of engines) {
      const database = createDatabase(engine.url);
      await migrateToLatest(database.db);
      const config = loadConfig({
        DATABASE_URL: engine.url,
        LOG_LEVEL: 'silent',
        WORKSHOP_ADMIN_USERNAME: 'admin',
        WORKSHOP_ADMIN_PASSWORD: BENCH_PASSWORD,
        SAMPLE_CORPUS: 'true',
        OLLAMA_DETECT: 'false',
        EVAL_WORKER: 'false',
      });
      const { app, ctx } = await buildApp({
        config,
        database,
        logger: pino({ level: 'silent' }),
        webRoot: '/x',
      });
      try {
        await bootstrap(ctx);
        await app.ready();
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'admin', password: BENCH_PASSWORD },
        });
        const cookie = `pw_session=${login.cookies.find((c) => c.name === 'pw_session')!.value}`;
        const call = async (method: 'POST' | 'GET', url: string, payload?: unknown) => {
          const res = await app.inject({ method, url, payload: payload as any, headers: { cookie } });
          if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
          return res.json();
        };
        const cases = Array.from({ length: CASES }, (_, i) => ({
          query: `What do companies say about adopting AI, question ${i}?`,
          topic: TOPIC,
        }));
        const suite = await call('POST', '/api/evals/suites', { name: 'Insert bench', cases });
        const variants = Array.from({ length: VARIANTS }, () => ({
          prompt: 'auspex_default',
          model: 'offline:demo',
        }));
        const body = { suite_id: suite.id, variants, repetitions: REPETITIONS };

        // A run row the direct inserts hang their cells on (created, then its cells replaced).
        const holder = await call('POST', '/api/evals/runs', {
          ...body,
          repetitions: 1,
          variants: variants.slice(0, 1),
        });
        const clear = () => ctx.db.deleteFrom('eval_cells').where('run_id', '=', holder.id).execute();

        await clear();
        const t0 = performance.now();
        await ctx.db.transaction().execute(async (trx) => {
          for (let i = 0; i < keys.length; i += 500) {
            await trx
              .insertInto('eval_cells')
              .values(
                keys.slice(i, i + 500).map((k) => ({ ...k, run_id: holder.id, status: 'pending' as const })),
              )
              .execute();
          }
        });
        const baselineMs = performance.now() - t0;

        await clear();
        const t1 = performance.now();
        await ctx.db
          .transaction()
          .execute((trx) =>
            insertCells(trx, holder.id, { cases: CASES, variants: VARIANTS, repetitions: REPETITIONS }),
          );
        const chunkedMs = performance.now() - t1;
        await clear();

        const t2 = performance.now();
        const created = await call('POST', '/api/evals/runs', body);
        const postMs = performance.now() - t2;
        if (created.counts.total !== keys.length) throw new Error(`run has ${created.counts.total} cells`);

        rows.push({
          engine: engine.name,
          cells: keys.length,
          'baseline: 500 rows a statement (ms)': Math.round(baselineMs),
          'insertCells, rows made in the database (ms)': Math.round(chunkedMs),
          'insertCells vs baseline': ratio(chunkedMs, baselineMs),
          'POST /api/evals/runs whole request (ms)': Math.round(postMs),
        });
      } finally {
        await app.close();
        await database.destroy();
        await engine.cleanup();
      }
    }
    console.log(
      `\nInserting a run's cells: ${CASES.toLocaleString('en')} cases × ${VARIANTS} variants × ${REPETITIONS} repetitions, one transaction`,
    );
    console.table(rows);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
