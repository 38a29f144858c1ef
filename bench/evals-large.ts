import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { max, median, min } from 'simple-statistics';
import { build } from 'vite';
import { startFakeUpstream } from '../test/fake-upstream/server';
import { launchChromium } from '../test/helpers/chromium';
import { cpuSeconds } from './lib/load';
import { freePort, type ServerProcess, spawnServer } from './lib/process';
import { fakeModelServerEnv, json, login } from './lib/setup';

// Issue 10's last figures: a real server process on SQLite with the sample corpus runs a
// 5,000-case suite × 1 variant to the end against the fake upstream answering at once, while one
// client follows the run's event stream (as the results page does). The server's RSS
// (/proc/PID/status VmRSS) is sampled every 100 ms: idle after a warm-up run, the peak during the
// run, and a few seconds after it (target: peak − idle < 100 MB). Then the results page of that run
// in Chromium: navigation to the first matrix cells in the DOM (the matrix calls
// performance.mark('matrix-first-cell') once it has drawn its first rows of cells), cold and warm
// cache, next to the same page for a 50-case run measured in the same process (target < 1 s).

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');
const gcOnSignal = join(root, 'bench/lib/gc-on-signal.mjs');
const TOPIC = 'AI Adoption';
const LARGE = 5000;
const SMALL = 50;
const CONCURRENCY = 16;
const SAMPLE_MS = 100;
const AFTER_MS = 5000;
const FIRST_CELL = 'matrix-first-cell';
// About the 600 output tokens the run estimate assumes: the page fetches answers of a real size.
const ANSWER_CHUNKS = Array.from(
  { length: 30 },
  (_, i) => `Companies report that pilot ${i} moved from a trial to daily use within a quarter. `,
);

const mb = (v: number) => `${v.toFixed(1)} MB`;
const ms = (v: number) => `${v.toFixed(0)} ms`;

/** RSS every SAMPLE_MS until stopped; the samples with their time from the start. */
function sampleRss(server: ServerProcess) {
  const samples: { at: number; mb: number }[] = [];
  const from = performance.now();
  const take = () => samples.push({ at: performance.now() - from, mb: server.rssMb() });
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** After a full garbage collection: the JS heap still in use (what the process holds) and RSS. */
async function afterFullGc(
  server: ServerProcess,
  report: string,
): Promise<{ heapMb: number; rssMb: number }> {
  rmSync(report, { force: true });
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(report); i++) await new Promise((r) => setTimeout(r, 20));
  const usage = JSON.parse(readFileSync(report, 'utf8')) as { heapUsed: number };
  // Freed pages go back to the OS a little after the collection.
  await new Promise((r) => setTimeout(r, 1000));
  return { heapMb: usage.heapUsed / 1024 / 1024, rssMb: server.rssMb() };
}

/** Follows the run's event stream to its end, as the results page does; resolves with cells seen. */
async function followEvents(url: string, cookie: string, signal: AbortSignal): Promise<number> {
  const res = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
  let cells = 0;
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      cells += decoder.decode(chunk, { stream: true }).split('data: {"cell"').length - 1;
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  }
  return cells;
}

interface Load {
  ttfb: number;
  domContentLoaded: number;
  firstCell: number;
  cellRequests: number;
  cellBytes: number;
}

/** One navigation to the run page, until the first matrix cell is in the DOM. */
async function timeLoad(page: Page, target: string): Promise<Load> {
  let cellRequests = 0;
  let cellBytes = 0;
  const onResponse = (res: import('playwright-core').Response) => {
    if (!/\/api\/evals\/runs\/\d+\/cells/.test(res.url())) return;
    cellRequests++;
    void res.body().then(
      (b) => {
        cellBytes += b.length;
      },
      () => undefined,
    );
  };
  page.on('response', onResponse);
  await page.goto(target);
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, FIRST_CELL, {
    timeout: 60_000,
  });
  const t = await page.evaluate((name) => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      ttfb: nav.responseStart,
      domContentLoaded: nav.domContentLoadedEventEnd,
      firstCell: performance.getEntriesByName(name)[0].startTime,
    };
  }, FIRST_CELL);
  // Requests the page makes after the first cell (later pages) are counted as well.
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return { ...t, cellRequests, cellBytes };
}

async function newContext(browser: Browser, url: string, token: string) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await ctx.addCookies([{ name: 'pw_session', value: token, url }]);
  return ctx;
}

function summarise(label: string, loads: Load[], baseline?: Load[]) {
  const first = loads.map((l) => l.firstCell);
  return {
    page: label,
    n: loads.length,
    'first byte (median)': ms(median(loads.map((l) => l.ttfb))),
    'DOMContentLoaded (median)': ms(median(loads.map((l) => l.domContentLoaded))),
    'first cell (median)': ms(median(first)),
    'first cell (min–max)': `${ms(min(first))}–${ms(max(first))}`,
    'vs 50 cases': baseline
      ? `${(median(first) / median(baseline.map((l) => l.firstCell))).toFixed(2)}×`
      : '1.00×',
    'cells requests': median(loads.map((l) => l.cellRequests)),
    'cells bytes': `${(median(loads.map((l) => l.cellBytes)) / 1024).toFixed(0)} kB`,
  };
}

export async function run(loads = 5) {
  console.log('Building the web app (vite build)…');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });

  const fake = await startFakeUpstream({ defaultScenario: { chunks: ANSWER_CHUNKS } });
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-large-'));
  const port = freePort();
  const gcReport = join(dir, 'gc.json');
  const server = await spawnServer(
    // BENCH_NODE_FLAGS: V8 options for the server process, to compare garbage-collector settings
    // (--heap-growing-percent=0 is V8's own heap sizing, without the server's 50 %).
    [
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--expose-gc',
      '--import',
      gcOnSignal,
      cli,
      'serve',
    ],
    {
      ...fakeModelServerEnv(`sqlite:${join(dir, 'bench.db')}`, fake.openaiBaseURL),
      BENCH_GC_REPORT: gcReport,
      // To compare the server without its model worker: MODEL_WORKER=false npx tsx bench/evals-large.ts
      ...(process.env.MODEL_WORKER ? { MODEL_WORKER: process.env.MODEL_WORKER } : {}),
    },
    port,
  );
  let browser: Browser | null = null;
  try {
    await server.settle();
    const cookie = await login(server.url);
    const suiteOf = async (n: number) =>
      json(`${server.url}/api/evals/suites`, 'POST', cookie, {
        name: `${n} cases`,
        cases: Array.from({ length: n }, (_, i) => ({
          query: `What do companies say about adopting AI, question ${i}?`,
          topic: TOPIC,
        })),
      });
    const runToEnd = async (suiteId: number, n: number, follow: boolean) => {
      const started = performance.now();
      const created = await json(`${server.url}/api/evals/runs`, 'POST', cookie, {
        suite_id: suiteId,
        variants: [{ prompt: 'auspex_default', limit: 10 }],
        concurrency: CONCURRENCY,
      });
      const abort = new AbortController();
      const events = follow
        ? followEvents(`${server.url}/api/evals/runs/${created.id}/events`, cookie, abort.signal)
        : Promise.resolve(0);
      for (;;) {
        const p = await json(`${server.url}/api/evals/runs/${created.id}/progress`, 'GET', cookie);
        if (['done', 'cancelled', 'failed'].includes(p.status)) {
          if (p.counts.ok !== n) throw new Error(`run ${created.id}: ${JSON.stringify(p.counts)}`);
          const wallMs = performance.now() - started;
          // The stream ends by itself once it has seen `done`; give it a moment, then stop it.
          const timeout = setTimeout(() => abort.abort(), 3000);
          const streamed = await events;
          clearTimeout(timeout);
          return { id: created.id as number, wallMs, streamed };
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };

    const small = await suiteOf(SMALL);
    const large = await suiteOf(LARGE);
    // Warm-up, and the page's baseline: JIT, the tokenizer and prepared statements are not measured.
    const smallRun = await runToEnd(small.id, SMALL, true);
    fake.reset();
    await server.settle();
    // Idle starts from a collected heap: the warm-up's garbage is not the run's growth.
    const idleGc = await afterFullGc(server, gcReport);
    const idleSampler = sampleRss(server);
    await new Promise((r) => setTimeout(r, 1000));
    const idle = median(idleSampler.stop().map((s) => s.mb));

    const sampler = sampleRss(server);
    const cpuBefore = cpuSeconds(server.child.pid!);
    const largeRun = await runToEnd(large.id, LARGE, true);
    const doneAt = sampler.samples.at(-1)?.at ?? 0;
    const cpuMsPerCell = ((cpuSeconds(server.child.pid!) - cpuBefore) * 1000) / LARGE;
    await new Promise((r) => setTimeout(r, AFTER_MS));
    const samples = sampler.stop();
    const during = samples.filter((s) => s.at <= doneAt).map((s) => s.mb);
    const peak = max(during);
    const after = samples.at(-1)?.mb ?? Number.NaN;
    const afterGc = await afterFullGc(server, gcReport);
    fake.reset();

    console.log(
      `\n${LARGE} cases × 1 variant at concurrency ${CONCURRENCY}${process.env.BENCH_NODE_FLAGS ? ` (server flags: ${process.env.BENCH_NODE_FLAGS})` : ''}, fake upstream answering at once ` +
        `(${ANSWER_CHUNKS.join('').length} characters), one client on the event stream; server process on SQLite. ` +
        'RSS from /proc/PID/status every 100 ms (target: peak − idle < 100 MB); "held" is after a full GC ' +
        '(SIGUSR2 → gc()) at idle and at the end',
    );
    const figures: Record<string, string | number> = {
      wall: `${(largeRun.wallMs / 1000).toFixed(1)} s (${Math.round(LARGE / (largeRun.wallMs / 1000))} cells/s)`,
      'server CPU per cell': `${cpuMsPerCell.toFixed(1)} ms`,
      'cells on the event stream': largeRun.streamed,
      'idle RSS (after warm-up and a full GC)': mb(idle),
      'peak RSS during the run': mb(peak),
      [`RSS ${AFTER_MS / 1000} s after the run`]: mb(after),
      'growth: peak − idle (target < 100 MB)': mb(peak - idle),
      'after − idle': mb(after - idle),
      'JS heap held after a full GC, idle → after': `${mb(idleGc.heapMb)} → ${mb(afterGc.heapMb)}`,
      'RSS after a full GC − idle': mb(afterGc.rssMb - idleGc.rssMb),
    };
    console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })));

    browser = await launchChromium();
    const token = cookie.split('=')[1];
    const path = (id: number) => `${server.url}/evals/runs/${id}`;
    const measure = async (id: number) => {
      const cold: Load[] = [];
      for (let i = 0; i < loads; i++) {
        const ctx = await newContext(browser!, server.url, token);
        cold.push(await timeLoad(await ctx.newPage(), path(id)));
        await ctx.close();
      }
      const ctx = await newContext(browser!, server.url, token);
      const page = await ctx.newPage();
      await timeLoad(page, path(id));
      const warm: Load[] = [];
      for (let i = 0; i < loads; i++) warm.push(await timeLoad(page, path(id)));
      await ctx.close();
      return { cold, warm };
    };
    // One unmeasured load first: the server's and the browser's first-use costs are not the figure.
    await measure(smallRun.id).then(() => undefined);
    const base = await measure(smallRun.id);
    const big = await measure(largeRun.id);
    const rssAfterPages = server.rssMb();
    console.log(
      `\nResults page: navigation to the first matrix cell in the DOM (Chromium performance timeline, ` +
        `${loads} loads each; target < 1 s). Server RSS after the page loads: ${mb(rssAfterPages)}`,
    );
    const pages = [
      summarise(`${SMALL} cases, cold cache`, base.cold),
      summarise(`${SMALL} cases, warm cache`, base.warm),
      summarise(`${LARGE} cases, cold cache`, big.cold, base.cold),
      summarise(`${LARGE} cases, warm cache`, big.warm, base.warm),
    ];
    console.table(pages);
    return { idle, peak, after, idleGc, afterGc, rssAfterPages, pages };
  } finally {
    await browser?.close();
    await server.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(Number(process.argv[2] ?? 5));
