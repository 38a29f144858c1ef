import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { max, median } from 'simple-statistics';
import { startFakeUpstream } from '../test/fake-upstream/server';
import { freePort, type ServerProcess, spawnServer } from './lib/process';
import { fakeModelServerEnv, json, login } from './lib/setup';

// An ended run's files: a server process on SQLite runs 5,000 cases × 2 variants (10,000 cells,
// answers of about 2,500 characters) against the fake upstream answering at once, then serves
// GET …/runs/{id}/export as CSV, JSON and JUnit, read to the end by this process. The baseline in
// the same run is what the CLI did before the export existed: every cell through GET …/cells in
// pages of 1,000 with their failures, held by the client. Figures: wall time to the last byte,
// bytes, and the server's RSS peak over its RSS just before (sampled every 20 ms), median of 3.

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');
const TOPIC = 'AI Adoption';
const CASES = 5000;
const REPEATS = 3;
const ANSWER_CHUNKS = Array.from(
  { length: 30 },
  (_, i) => `Companies report that pilot ${i} moved from a trial to daily use within a quarter. `,
);

async function measured(server: ServerProcess, read: () => Promise<number>) {
  const before = server.rssMb();
  const rss: number[] = [before];
  const timer = setInterval(() => rss.push(server.rssMb()), 20);
  const started = performance.now();
  const bytes = await read();
  const wallMs = performance.now() - started;
  clearInterval(timer);
  rss.push(server.rssMb());
  return { wallMs, bytes, growthMb: max(rss) - before };
}

export async function run() {
  const fake = await startFakeUpstream({ defaultScenario: { chunks: ANSWER_CHUNKS } });
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-export-'));
  const server = await spawnServer(
    [cli, 'serve'],
    fakeModelServerEnv(`sqlite:${join(dir, 'bench.db')}`, fake.openaiBaseURL),
    freePort(),
  );
  try {
    await server.settle();
    const cookie = await login(server.url);
    const suite = await json(`${server.url}/api/evals/suites`, 'POST', cookie, {
      name: 'Export',
      cases: Array.from({ length: CASES }, (_, i) => ({
        query: `What do companies say about adopting AI, question ${i}?`,
        topic: TOPIC,
      })),
    });
    const created = await json(`${server.url}/api/evals/runs`, 'POST', cookie, {
      suite_id: suite.id,
      variants: [{ prompt: 'auspex_default' }, { prompt: 'auspex_default', limit: 5 }],
      concurrency: 32,
    });
    const runUrl = `${server.url}/api/evals/runs/${created.id}`;
    for (;;) {
      const p = await json(`${runUrl}/progress`, 'GET', cookie);
      if (p.status !== 'queued' && p.status !== 'running') {
        if (p.counts.ok !== CASES * 2) throw new Error(`run ${created.id}: ${JSON.stringify(p.counts)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await server.settle();

    const download = (format: string) => async () => {
      const res = await fetch(`${runUrl}/export?format=${format}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`export ${format}: ${res.status}`);
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      return bytes;
    };
    const cellPages = async () => {
      const cells: unknown[] = [];
      let bytes = 0;
      for (let offset = 0; ; offset += 1000) {
        const res = await fetch(`${runUrl}/cells?offset=${offset}&limit=1000&failures=true`, {
          headers: { cookie },
        });
        const text = await res.text();
        bytes += text.length;
        const page = JSON.parse(text) as { total: number; cells: unknown[] };
        cells.push(...page.cells);
        if (cells.length >= page.total || page.cells.length === 0) return bytes;
      }
    };
    const ways: [string, () => Promise<number>][] = [
      ['GET …/cells, pages of 1,000 (baseline)', cellPages],
      ['export CSV', download('csv')],
      ['export JSON', download('json')],
      ['export JUnit', download('junit')],
    ];
    await cellPages(); // warm-up
    await download('json')();
    const rows: Record<string, string>[] = [];
    let baseMs = 0;
    for (const [label, read] of ways) {
      const runs = [];
      for (let i = 0; i < REPEATS; i++) {
        await server.settle();
        runs.push(await measured(server, read));
      }
      const wall = median(runs.map((r) => r.wallMs));
      if (!baseMs) baseMs = wall;
      rows.push({
        read: label,
        'wall (median)': `${Math.round(wall)} ms`,
        'vs baseline': `${(wall / baseMs).toFixed(2)}×`,
        size: `${(runs[0].bytes / 1024 / 1024).toFixed(1)} MB`,
        'server RSS growth (median)': `${median(runs.map((r) => r.growthMb)).toFixed(1)} MB`,
      });
    }
    console.log(
      `\nAn ended run of ${CASES} cases × 2 variants (${CASES * 2} cells), server process on SQLite, ` +
        `read to the last byte by one client, ${REPEATS} times each`,
    );
    console.table(rows);
    return rows;
  } finally {
    await server.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
