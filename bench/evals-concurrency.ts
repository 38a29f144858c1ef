import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeUpstream } from '../test/fake-upstream/server';
import { cpuSeconds } from './lib/load';
import { freePort, spawnServer } from './lib/process';
import { fakeModelServerEnv, fakeStreamRequest, json, login } from './lib/setup';

// Issue 10's figure: a real server process on SQLite with the sample corpus runs 200 cases × 1
// variant against the fake upstream answering after 200 ms, at concurrency 4, 16 and 50. Wall time
// (from the POST to the progress poll seeing `done`) next to the ideal ⌈cases ÷ concurrency⌉ ×
// 200 ms, measured in the same run; the target is within 20 % of ideal plus start-up. Start-up is
// measured per concurrency in the same run: a 1-case run's wall (median of 3) minus one upstream
// delay, which is what a run costs besides its model calls (the poll noticing it, reading the
// suite, claiming, storing, marking it done, the progress poll seeing `done`). The baseline of the
// model worker: concurrency 50 again on a server with MODEL_WORKER=false, in the same run.

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');
const UPSTREAM_DELAY_MS = 200;
const CASES = 200;
const POLL_MS = 250;
const TOPIC = 'AI Adoption';
const STARTUP_SAMPLES = 3;

export async function run() {
  const rows = [
    ...(await measure(true, [4, 16, 50])),
    ...(await measure(false, [50])),
    ...(await directFetch([4, 16, 50])),
  ];
  console.log(
    `\n${CASES} cases × 1 variant, fake upstream answering after ${UPSTREAM_DELAY_MS} ms, server process on SQLite ` +
      '(target: wall within 20 % of ideal plus start-up)',
  );
  console.table(rows);
  return rows;
}

async function measure(modelWorker: boolean, concurrencies: number[]) {
  const fake = await startFakeUpstream({
    delayMs: UPSTREAM_DELAY_MS,
    defaultScenario: { chunks: ['Companies ', 'report ', 'pilots.'] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-evals-'));
  const port = freePort();
  const server = await spawnServer(
    [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), cli, 'serve'],
    {
      ...fakeModelServerEnv(`sqlite:${join(dir, 'bench.db')}`, fake.openaiBaseURL),
      MODEL_WORKER: String(modelWorker),
    },
    port,
  );
  const rows: Record<string, string | number>[] = [];
  try {
    await server.settle();
    const cookie = await login(server.url);
    const cases = Array.from({ length: CASES }, (_, i) => ({
      query: `What do companies say about adopting AI, question ${i}?`,
      topic: TOPIC,
    }));
    const suite = await json(`${server.url}/api/evals/suites`, 'POST', cookie, {
      name: 'Concurrency',
      cases,
    });
    const single = await json(`${server.url}/api/evals/suites`, 'POST', cookie, {
      name: 'Start-up',
      cases: cases.slice(0, 1),
    });
    // Wall time runs from just before the POST to the run's own finished_at (the server's clock,
    // the same machine's), so the progress poll can be slow and cost the server next to nothing.
    const runOnce = async (concurrency: number, n = CASES) => {
      const started = Date.now();
      const created = await json(`${server.url}/api/evals/runs`, 'POST', cookie, {
        suite_id: n === 1 ? single.id : suite.id,
        variants: [{ prompt: 'auspex_default', limit: 10 }],
        concurrency,
      });
      for (;;) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        const p = await json(`${server.url}/api/evals/runs/${created.id}/progress`, 'GET', cookie);
        if (['done', 'cancelled', 'failed'].includes(p.status)) {
          if (p.counts.ok !== n) throw new Error(`run ${created.id}: ${JSON.stringify(p.counts)}`);
          const run = await json(`${server.url}/api/evals/runs/${created.id}`, 'GET', cookie);
          return Date.parse(run.finished_at) - started;
        }
      }
    };
    // Warm-up: JIT, the tokenizer and prepared statements are not what is measured.
    await runOnce(50);
    await runOnce(50, 1);
    for (const concurrency of concurrencies) {
      const singles: number[] = [];
      for (let i = 0; i < STARTUP_SAMPLES; i++) singles.push(await runOnce(concurrency, 1));
      singles.sort((a, b) => a - b);
      const startupMs = Math.max(0, singles[Math.floor(singles.length / 2)] - UPSTREAM_DELAY_MS);
      fake.reset();
      const cpuBefore = cpuSeconds(server.child.pid!);
      const wallMs = await runOnce(concurrency);
      const cpuMs = (cpuSeconds(server.child.pid!) - cpuBefore) * 1000;
      const idealMs = Math.ceil(CASES / concurrency) * UPSTREAM_DELAY_MS;
      rows.push({
        'model calls on': modelWorker ? 'model worker' : 'server thread',
        concurrency,
        cells: CASES,
        upstream_requests: fake.modelRequests().length,
        wall_ms: Math.round(wallMs),
        ideal_ms: idealMs,
        startup_ms: Math.round(startupMs),
        'wall ÷ ideal': (wallMs / idealMs).toFixed(2),
        'wall ÷ (ideal + start-up)': (wallMs / (idealMs + startupMs)).toFixed(2),
        'per-cell overhead (ms)': Math.round(((wallMs - idealMs) * concurrency) / CASES),
        // Server CPU per cell (a progress poll every 250 ms included): what load disturbs least.
        'server CPU per cell (ms)': (cpuMs / CASES).toFixed(1),
      });
    }
    return rows;
  } finally {
    await server.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor on this machine: the same number of streamed requests at the same concurrency sent
 * straight to the fake upstream by this process (which also serves it), with no server between.
 */
async function directFetch(concurrencies: number[]) {
  const fake = await startFakeUpstream({
    delayMs: UPSTREAM_DELAY_MS,
    defaultScenario: { chunks: ['Companies ', 'report ', 'pilots.'] },
  });
  const once = async (concurrency: number) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < CASES) await (await fakeStreamRequest(fake.openaiBaseURL)).text();
      }),
    );
    return performance.now() - started;
  };
  try {
    await once(50); // warm-up
    const rows: Record<string, string | number>[] = [];
    for (const concurrency of concurrencies) {
      const wallMs = await once(concurrency);
      const idealMs = Math.ceil(CASES / concurrency) * UPSTREAM_DELAY_MS;
      rows.push({
        'model calls on': 'direct fetch, no server',
        concurrency,
        cells: CASES,
        wall_ms: Math.round(wallMs),
        ideal_ms: idealMs,
        'wall ÷ ideal': (wallMs / idealMs).toFixed(2),
      });
    }
    return rows;
  } finally {
    await fake.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
