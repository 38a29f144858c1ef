import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { max, median, min } from 'simple-statistics';
import { build } from 'vite';
import { launchChromium } from '../test/helpers/chromium';
import { freePort, spawnServer } from './lib/process';
import { BENCH_PASSWORD, login } from './lib/setup';

// Issue 5's figures: the weight of what /prompt-workshop ships (JavaScript and CSS, raw and gzip),
// and the time from navigation to the prompt editor being ready, read from Chromium's performance
// timeline (the editor calls performance.mark('editor-ready') when CodeMirror has mounted).

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');
const PROMPT = `You are Auspex, a research analyst. ${'Cite every claim inline as [Title](URL). '.repeat(20)}`;

interface Asset {
  type: string;
  url: string;
  raw: number;
  gzip: number;
  /** Body bytes on the wire, as Chromium received them (the server sends precompressed br/gzip). */
  sent: number;
}

interface Timing {
  ttfb: number;
  domContentLoaded: number;
  editorReady: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (v: number) => `${v.toFixed(0)} ms`;

/** The session token alone (the browser context sets it as a cookie). */
async function signIn(url: string): Promise<string> {
  return (await login(url)).split('=')[1];
}

async function newDraft(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/auspex/prompts/workshop/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `pw_session=${token}` },
    body: JSON.stringify({ draft_name: 'Bench draft', starting_prompt: PROMPT }),
  });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { draft_id: number }).draft_id;
}

async function context(browser: Browser, url: string, token: string) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await ctx.addCookies([{ name: 'pw_session', value: token, url }]);
  return ctx;
}

/** Everything the page fetches: decoded size, bytes on the wire, and gzip level 6 for comparison. */
async function weigh(browser: Browser, url: string, token: string, path: string): Promise<Asset[]> {
  const ctx = await context(browser, url, token);
  const page = await ctx.newPage();
  const pending: Promise<Asset | null>[] = [];
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (!['script', 'stylesheet', 'document', 'font', 'image'].includes(type)) return;
    pending.push(
      Promise.all([res.body(), res.request().sizes()]).then(
        ([body, sizes]) => ({
          type,
          url: new URL(res.url()).pathname,
          raw: body.length,
          gzip: gzipSync(body).length,
          sent: sizes.responseBodySize,
        }),
        () => null,
      ),
    );
  });
  await page.goto(`${url}${path}`);
  await page.waitForFunction(() => performance.getEntriesByName('editor-ready').length > 0);
  await page.waitForLoadState('networkidle');
  const assets = (await Promise.all(pending)).filter((a): a is Asset => a !== null);
  await ctx.close();
  return assets;
}

async function timeLoad(page: import('playwright-core').Page, target: string): Promise<Timing> {
  await page.goto(target);
  await page.waitForFunction(() => performance.getEntriesByName('editor-ready').length > 0);
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      ttfb: nav.responseStart,
      domContentLoaded: nav.domContentLoadedEventEnd,
      editorReady: performance.getEntriesByName('editor-ready')[0].startTime,
    };
  });
}

function summarise(label: string, runs: Timing[]) {
  const pick = (k: keyof Timing) => runs.map((r) => r[k]);
  return {
    loads: label,
    n: runs.length,
    'first byte (median)': ms(median(pick('ttfb'))),
    'DOMContentLoaded (median)': ms(median(pick('domContentLoaded'))),
    'editor ready (median)': ms(median(pick('editorReady'))),
    'editor ready (min–max)': `${ms(min(pick('editorReady')))}–${ms(max(pick('editorReady')))}`,
  };
}

export async function run(loads = 10) {
  console.log('Building the web app (vite build)…');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });

  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-web-'));
  const port = freePort();
  const server = await spawnServer(
    [cli, 'serve'],
    {
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      WORKSHOP_ADMIN_PASSWORD: BENCH_PASSWORD,
      LOG_LEVEL: 'warn',
      SAMPLE_CORPUS: 'true',
      OLLAMA_DETECT: 'false',
    },
    port,
  );
  const browser = await launchChromium();
  try {
    const token = await signIn(server.url);
    const draftId = await newDraft(server.url, token);
    const path = `/prompt-workshop?draft_id=${draftId}`;

    const assets = await weigh(browser, server.url, token, path);
    const sum = (type: string, key: 'raw' | 'gzip' | 'sent') =>
      assets.filter((a) => a.type === type).reduce((n, a) => n + a[key], 0);
    console.log(
      `\nWhat ${path.split('?')[0]} loads (raw = decoded; sent = on the wire, precompressed brotli; gzip = level 6)`,
    );
    console.table(
      assets
        .filter((a) => a.type === 'script' || a.type === 'stylesheet')
        .sort((a, b) => b.raw - a.raw)
        .map((a) => ({ type: a.type, file: a.url, raw: kb(a.raw), sent: kb(a.sent), gzip: kb(a.gzip) })),
    );
    const weight = [
      {
        what: 'JavaScript',
        files: assets.filter((a) => a.type === 'script').length,
        raw: kb(sum('script', 'raw')),
        sent: kb(sum('script', 'sent')),
        gzip: kb(sum('script', 'gzip')),
      },
      {
        what: 'CSS',
        files: assets.filter((a) => a.type === 'stylesheet').length,
        raw: kb(sum('stylesheet', 'raw')),
        sent: kb(sum('stylesheet', 'sent')),
        gzip: kb(sum('stylesheet', 'gzip')),
      },
      {
        what: 'JS + CSS',
        files: assets.filter((a) => a.type === 'script' || a.type === 'stylesheet').length,
        raw: kb(sum('script', 'raw') + sum('stylesheet', 'raw')),
        sent: kb(sum('script', 'sent') + sum('stylesheet', 'sent')),
        gzip: kb(sum('script', 'gzip') + sum('stylesheet', 'gzip')),
      },
    ];
    console.table(weight);

    // Cold: a fresh browser context each time (empty cache). Warm: the same page loaded again.
    const cold: Timing[] = [];
    for (let i = 0; i < loads; i++) {
      const ctx = await context(browser, server.url, token);
      const page = await ctx.newPage();
      cold.push(await timeLoad(page, `${server.url}${path}`));
      await ctx.close();
    }
    const warmCtx = await context(browser, server.url, token);
    const warmPage = await warmCtx.newPage();
    await timeLoad(warmPage, `${server.url}${path}`);
    const warm: Timing[] = [];
    for (let i = 0; i < loads; i++) warm.push(await timeLoad(warmPage, `${server.url}${path}`));
    await warmCtx.close();

    console.log(
      `\nNavigation to editor ready on loopback (Chromium performance timeline, ${loads} loads each)`,
    );
    const timings = [summarise('cold cache', cold), summarise('warm cache', warm)];
    console.table(timings);
    return { assets, weight, timings };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(Number(process.argv[2] ?? 10));
