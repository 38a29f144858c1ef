import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { benchDatabaseUrl, loadConfig } from '../src/server/config';
import type { AppContext } from '../src/server/context';
import { searchTerms } from '../src/server/corpus/fts-query';
import * as repo from '../src/server/corpus/repository';
import { sampleArticles } from '../src/server/corpus/sample';
import { TOPICS } from '../src/server/corpus/sample-data';
import { type SearchInput, searchArticles } from '../src/server/corpus/service';
import { createDatabase, type DatabaseHandle, openSqlite } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { freshPgDatabase, pct } from './lib/setup';

// Issue 3's search figures: searchArticles (the service) next to the very same FTS statement run
// straight through the driver, on a generated corpus of 100,000 articles, SQLite and PostgreSQL.

const ARTICLES = 100_000;
const ROUNDS = 3;
const LIMIT = 50;
const TX_ROWS = 5_000;

const monthsAgo = (n: number) => new Date(Date.now() - n * 30 * 86_400_000).toISOString().slice(0, 10);

/** ~50 fixed searches: names, phrases and whole questions, with and without topic and date. */
function queries(): SearchInput[] {
  const plain: [string, string | undefined][] = [
    ['Northwind Bank', 'AI Adoption'],
    ['generative AI assistants', 'AI Adoption'],
    ['What are the main risks of AI adoption in banks?', 'AI Adoption'],
    ['AI coding tools productivity', 'AI Adoption'],
    ['bias audit fraud-detection models', 'AI Adoption'],
    ['unions push back against automation', 'AI Adoption'],
    ['pilot rollout employees', undefined],
    ['regulators consult', undefined],
    ['interest rates', 'Financial Markets'],
    ['Federal Reserve signals rate cuts', 'Financial Markets'],
    ['How did technology stocks react to the inflation data?', 'Financial Markets'],
    ['bond yields sell-off', 'Financial Markets'],
    ['quarterly profit estimates', 'Financial Markets'],
    ['gold prices', undefined],
    ['IPO oversubscribed listing', 'Financial Markets'],
    ['offshore wind farms', 'Climate & Energy'],
    ['battery storage grid bottlenecks', 'Climate & Energy'],
    ['Why are renewable projects delayed?', 'Climate & Energy'],
    ['carbon capture subsidy', 'Climate & Energy'],
    ['green hydrogen', undefined],
    ['emissions target', 'Climate & Energy'],
    ['ransomware attack hospitals', 'Cybersecurity'],
    ['data breach customers', 'Cybersecurity'],
    ['zero-day vulnerabilities patched', 'Cybersecurity'],
    ['Which utilities were hit by phishing campaigns?', 'Cybersecurity'],
    ['passwordless login', undefined],
    ['incident response plans exercise', 'Cybersecurity'],
    ['gene therapies trial', 'Healthcare Innovation'],
    ['remote patient monitoring readmissions', 'Healthcare Innovation'],
    ['What do insurers say about obesity drugs?', 'Healthcare Innovation'],
    ['device recall software fault', 'Healthcare Innovation'],
    ['virtual wards waiting times', undefined],
    ['container freight rates', 'Supply Chains'],
    ['port congestion Red Sea', 'Supply Chains'],
    ['chip supplies shortage', 'Supply Chains'],
    ['How is nearshoring to Mexico going?', 'Supply Chains'],
    ['warehouse automation hub', undefined],
    ['tariffs critical minerals', 'Supply Chains'],
    ['strike halts operations', undefined],
    ['analysts expect', undefined],
  ];
  const dated: [string, string | undefined, number][] = [
    ['AI customer-service agents', 'AI Adoption', 6],
    ['central bank holds rates', 'Financial Markets', 3],
    ['rooftop solar', 'Climate & Energy', 12],
    ['supply-chain compromises', 'Cybersecurity', 6],
    ['rapid diagnostic tests', 'Healthcare Innovation', 9],
    ['inventory levels', 'Supply Chains', 2],
    ['record output', undefined, 6],
    ['losses write off', undefined, 1],
    ['Ministry of Digital Services guidelines', 'AI Adoption', 12],
    ['Quantica Exchange volumes', undefined, 4],
  ];
  return [
    ...plain.map(([q, topic]) => ({ q, topic, limit: LIMIT })),
    ...dated.map(([q, topic, months]) => ({ q, topic, limit: LIMIT, since: monthsAgo(months) })),
  ];
}

interface Engine {
  name: 'sqlite' | 'postgres';
  handle: DatabaseHandle;
  /** Runs compiled SQL straight through better-sqlite3 or pg. */
  direct(sql: string, params: readonly unknown[]): Promise<unknown[]>;
  size(): Promise<number>;
  close(): Promise<void>;
}

async function sqliteEngine(dir: string): Promise<Engine> {
  const path = join(dir, 'search.db');
  const handle = createDatabase(`sqlite:${path}`);
  let raw: SqliteDatabase.Database | null = null;
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    name: 'sqlite',
    handle,
    async direct(sql, params) {
      raw ??= openSqlite(path);
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = raw.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt.all(...(params as unknown[]));
    },
    size: async () => statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0),
    async close() {
      raw?.close();
      await handle.destroy();
    },
  };
}

async function postgresEngine(base: string): Promise<Engine> {
  const fresh = await freshPgDatabase(base, 'search');
  const handle = createDatabase(fresh.url, { poolSize: 2 });
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  return {
    name: 'postgres',
    handle,
    direct: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    size: async () =>
      Number((await client.query('select pg_database_size(current_database()) as n')).rows[0].n),
    async close() {
      await client.end();
      await handle.destroy();
      await fresh.drop();
    },
  };
}

/** Generates and inserts the corpus in transactions of multi-row inserts; returns seconds taken. */
async function load(engine: Engine, total: number): Promise<number> {
  const started = performance.now();
  const db = engine.handle.db;
  await migrateToLatest(db);
  const createdAt = new Date().toISOString();
  const ids = await repo.ensureTopics(
    db,
    TOPICS.map((t) => ({ name: t.name, description: t.description, is_sample: 1, created_at: createdAt })),
  );
  let inserted = 0;
  let batch: repo.NewArticle[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    inserted += await db.transaction().execute((trx) => repo.insertArticles(trx, rows));
    process.stdout.write(`\r  ${engine.name}: loaded ${inserted.toLocaleString('en-US')} articles`);
  };
  for (const [i, spec] of TOPICS.entries()) {
    const perTopic = Math.floor((total + i) / TOPICS.length);
    for (const { topic: _topic, ...a } of sampleArticles(spec, { perTopic })) {
      batch.push({ ...a, topic_id: ids.get(spec.name)!, created_at: createdAt });
      if (batch.length === TX_ROWS) await flush();
    }
  }
  if (batch.length) await flush();
  process.stdout.write('\n');
  if (engine.name === 'postgres') await engine.direct('analyze articles', []);
  return (performance.now() - started) / 1000;
}

async function measure(engine: Engine, ctx: AppContext, cases: SearchInput[]) {
  const service: number[] = [];
  const direct: number[] = [];
  let hits = 0;
  // Round 0 warms caches and prepared statements and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const input of cases) {
      const compiled = repo
        .searchSql(engine.name, {
          terms: searchTerms(input.q),
          topic: input.topic,
          since: input.since === undefined ? undefined : new Date(input.since).toISOString(),
          limit: input.limit,
        })
        .compile(engine.handle.db);
      let t = performance.now();
      const result = await searchArticles(ctx, input);
      const serviceMs = performance.now() - t;
      t = performance.now();
      const rows = await engine.direct(compiled.sql, compiled.parameters);
      const directMs = performance.now() - t;
      if (rows.length !== result.results.length) {
        throw new Error(`"${input.q}": service found ${result.results.length}, driver ${rows.length}`);
      }
      if (round > 0) {
        service.push(serviceMs);
        direct.push(directMs);
        hits += result.results.length;
      }
    }
    process.stdout.write(`\r  ${engine.name}: round ${round}/${ROUNDS} done`);
  }
  process.stdout.write('\n');
  service.sort((a, b) => a - b);
  direct.sort((a, b) => a - b);
  return {
    samples: service.length,
    avg_hits: Math.round(hits / service.length),
    service_p50_ms: pct(service, 0.5),
    service_p95_ms: pct(service, 0.95),
    driver_p50_ms: pct(direct, 0.5),
    driver_p95_ms: pct(direct, 0.95),
    ratio_p50: Number((pct(service, 0.5) / pct(direct, 0.5)).toFixed(2)),
    ratio_p95: Number((pct(service, 0.95) / pct(direct, 0.95)).toFixed(2)),
  };
}

export async function run(opts: { articles?: number } = {}): Promise<Record<string, unknown>> {
  const total = opts.articles ?? ARTICLES;
  const cases = queries();
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-search-'));
  const pgBase = benchDatabaseUrl();
  const makers: (() => Promise<Engine>)[] = [() => sqliteEngine(dir)];
  if (pgBase) makers.push(() => postgresEngine(pgBase));
  else console.log('PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it');
  const log = pino({ level: 'silent' });
  const figures: Record<string, unknown> = {
    articles: total,
    queries: cases.length,
    rounds: ROUNDS,
    limit: LIMIT,
  };
  const rows: Record<string, string | number>[] = [];
  try {
    for (const make of makers) {
      const engine = await make();
      try {
        console.log(`${engine.name}: generating and loading ${total.toLocaleString('en-US')} articles`);
        const loadSeconds = await load(engine, total);
        const ctx = {
          config: loadConfig({ LOG_LEVEL: 'silent' }),
          db: engine.handle.db,
          dialect: engine.name,
          log,
        } as unknown as AppContext;
        const m = await measure(engine, ctx, cases);
        const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
        const dbMb = Math.round((await engine.size()) / 1024 / 1024);
        const row = {
          engine: engine.name,
          load_s: Number(loadSeconds.toFixed(1)),
          ...m,
          rss_mb: rssMb,
          db_mb: dbMb,
        };
        rows.push(row);
        figures[engine.name] = row;
      } finally {
        await engine.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\nsearchArticles vs the same FTS statement through the driver: ${cases.length} queries x ${ROUNDS} rounds, ` +
      `limit ${LIMIT}, ${total.toLocaleString('en-US')} articles (ratio = service / driver; rss = this process)`,
  );
  console.table(rows);
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2]);
  await run(Number.isFinite(n) && n > 0 ? { articles: n } : {});
}
