import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabaseUrl } from '../src/server/config';
import { load, loadRow } from './lib/load';
import { freePort, spawnServer } from './lib/process';
import { BENCH_PASSWORD, freshPgDatabase, login } from './lib/setup';

// Issue 2's figures: GET /api/auth/me (cookie session lookup) next to a bare route, cold start, idle RSS.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');

type Row = Record<string, string | number>;

export async function run(seconds = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-'));
  const env = {
    WORKSHOP_ADMIN_PASSWORD: BENCH_PASSWORD,
    LOG_LEVEL: 'warn',
    OLLAMA_DETECT: 'false',
  };
  const rows: Row[] = [];
  const starts: Row[] = [];
  // The baseline runs next to each engine and is measured right before it, with the same warm-up,
  // client and connections, so a change in the machine's other load hits both sides of a ratio alike.
  const barePort = freePort();
  const bareServer = await spawnServer(
    ['--import', 'tsx', join(root, 'bench/bare-server.ts'), String(barePort)],
    {},
    barePort,
  );
  try {
    const engines: { name: string; url: string; cleanup: () => Promise<void> }[] = [
      { name: 'sqlite', url: `sqlite:${join(dir, 'bench.db')}`, cleanup: async () => {} },
    ];
    const pgBase = benchDatabaseUrl();
    if (pgBase) {
      const fresh = await freshPgDatabase(pgBase, 'me');
      engines.push({ name: 'postgres', url: fresh.url, cleanup: fresh.drop });
    }
    for (const engine of engines) {
      // First start: migrations, admin, sample corpus. Second start: an existing database.
      for (const phase of ['first start', 'restart']) {
        const port = freePort();
        const server = await spawnServer([cli, 'serve'], { ...env, DATABASE_URL: engine.url }, port);
        await new Promise((r) => setTimeout(r, 2000));
        const settledMs = 2000 + (await server.settle());
        starts.push({
          engine: engine.name,
          phase,
          cold_start_ms: Math.round(server.startMs),
          idle_after_ms: settledMs,
          idle_rss_mb: Math.round(server.rssMb()),
        });
        if (phase === 'restart') {
          const bare = await load(`${bareServer.url}/bare/me`, {}, seconds, { pid: bareServer.child.pid });
          const cookie = await login(server.url);
          const me = await load(`${server.url}/api/auth/me`, { cookie }, seconds, { pid: server.child.pid });
          for (const r of [bare, me]) {
            if (r.non2xx || r.errors) throw new Error(`load failed: ${JSON.stringify(r)}`);
          }
          rows.push(loadRow(`bare Fastify route (no database), before ${engine.name}`, bare));
          rows.push(loadRow(`GET /api/auth/me on ${engine.name}`, me, bare));
        }
        await server.stop();
      }
      await engine.cleanup();
    }
    console.log(
      '\nSession lookup throughput (autocannon, 20 connections, 2 client threads, 1 s warm-up, %d s measured)',
      seconds,
    );
    console.table(rows);
    console.log(
      'Cold start to first 200 from /api/health; idle RSS once the server has used < 5 % CPU for 1 s',
    );
    console.table(starts);
    return { throughput: rows, starts };
  } finally {
    await bareServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(Number(process.argv[2] ?? 5));
