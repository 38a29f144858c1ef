import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../src/server/app';
import { bootstrap } from '../../src/server/bootstrap';
import { loadConfig } from '../../src/server/config';
import type { AppContext } from '../../src/server/context';
import { createDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { type FakeUpstream, fakeOpenAiEnv, startFakeUpstream } from '../fake-upstream/server';
import { ADMIN_PASSWORD } from '../helpers/app';
import { CHROMIUM, launchChromium } from '../helpers/chromium';

// Browser tests against the real server (in-process, temporary SQLite file, sample corpus) and the
// fake OpenAI upstream, driven through Debian's Chromium. The web app must be built first
// (`npm test` runs `vite build` before vitest).

export const WEB_ROOT = resolve('dist/web');
export const RESULTS_DIR = resolve('test-results');
export const FAKE_MODEL = 'openai:gpt-4.1-mini';
export { ADMIN_PASSWORD };

export interface E2e {
  baseUrl: string;
  ctx: AppContext;
  fake: FakeUpstream;
  browser: Browser;
  context: BrowserContext;
  /** A page whose console errors and uncaught exceptions are recorded (see problems()). */
  newPage(context?: BrowserContext): Promise<Page>;
  /** Console errors and page errors seen so far on that page, minus the allowed HTTP statuses. */
  problems(page: Page): string[];
  /** An HTTP error status the test expects (e.g. the 409 of a conflict): not counted as a problem. */
  allowHttpError(page: Page, status: number, pathPart: string): void;
  signIn(page: Page, username?: string, password?: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

interface Tracked {
  problems: string[];
  allowed: { status: number; pathPart: string }[];
  failedResponses: { status: number; url: string }[];
}

export async function startE2e(env: Record<string, string> = {}): Promise<E2e> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(`${WEB_ROOT}/index.html is missing: run "npm run build" before the browser tests`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(RESULTS_DIR, { recursive: true });

  const fake = await startFakeUpstream();
  const dir = mkdtempSync(join(tmpdir(), 'pw-e2e-'));
  const database = createDatabase(`sqlite:${join(dir, 'e2e.db')}`);
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
    LOG_LEVEL: 'silent',
    WORKSHOP_ADMIN_USERNAME: 'admin',
    WORKSHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SAMPLE_CORPUS: 'true',
    OLLAMA_DETECT: 'false',
    ...fakeOpenAiEnv(fake, FAKE_MODEL),
    LLM_MAX_RETRIES: '0',
    ...env,
  });
  await migrateToLatest(database.db);
  const { app, ctx } = await buildApp({
    config,
    database,
    logger: pino({ level: 'silent' }),
    webRoot: WEB_ROOT,
  });
  await bootstrap(ctx);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  const browser = await launchChromium();
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
  const tracked = new WeakMap<Page, Tracked>();

  const track = (page: Page): Tracked => {
    const t: Tracked = {
      problems: [],
      // Nothing is allowed by default: a signed-out visit must leave a clean console too.
      allowed: [],
      failedResponses: [],
    };
    tracked.set(page, t);
    page.on('response', (res) => {
      if (res.status() >= 400) t.failedResponses.push({ status: res.status(), url: res.url() });
    });
    page.on('pageerror', (err) => t.problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // Chromium logs every HTTP error status as a console error; expected ones are allowed by path.
      const status = /status of (\d{3})/.exec(text);
      const url = msg.location().url ?? '';
      if (status && t.allowed.some((a) => a.status === Number(status[1]) && url.includes(a.pathPart))) {
        return;
      }
      t.problems.push(`console error: ${text}${url ? ` (${url})` : ''}`);
    });
    return t;
  };

  const e2e: E2e = {
    baseUrl,
    ctx,
    fake,
    browser,
    context,
    async newPage(ctxOverride) {
      const page = await (ctxOverride ?? context).newPage();
      track(page);
      return page;
    },
    problems: (page) => [...(tracked.get(page)?.problems ?? [])],
    allowHttpError(page, status, pathPart) {
      tracked.get(page)?.allowed.push({ status, pathPart });
    },
    async signIn(page, username = 'admin', password = ADMIN_PASSWORD) {
      // A signed-out visit is redirected to /login?next=…; keep that address when it comes.
      await page.waitForURL(/\/login/, { timeout: 5000 }).catch(() => page.goto('/login'));
      await page.fill('#login-username', username);
      await page.fill('#login-password', password);
      await page.click('#login-submit');
      await page.waitForURL((u) => u.pathname !== '/login');
    },
    async screenshot(page, name) {
      // From the top: a full-page capture of a scrolled page draws the sticky menu bar mid-page.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => {});
      await app.close();
      await database.destroy();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return e2e;
}

/** Text of the CodeMirror editor hosted in `#draft-content` (one .cm-line per line). */
/**
 * The check after each browser test: a failed test leaves a screenshot named after it, and every
 * test ends with no uncaught error and no unexpected console error on its page.
 */
export async function checkPage(
  e: E2e,
  page: Page,
  prefix: string,
  task: { name: string; result?: { state?: string } },
): Promise<void> {
  if (task.result?.state === 'fail')
    await e.screenshot(page, `failed-${prefix}-${task.name.replace(/\W+/g, '-').slice(0, 30)}`);
  expect(e.problems(page)).toEqual([]);
}

export function editorText(page: Page): Promise<string> {
  return page
    .locator('#draft-content .cm-content')
    .evaluate((el) =>
      Array.from(el.querySelectorAll('.cm-line'), (line) =>
        line.querySelector('.cm-placeholder') ? '' : (line.textContent ?? ''),
      ).join('\n'),
    );
}

/** Replaces the editor's text the way a user would: select all, type. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  const content = page.locator('#draft-content .cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** A reply of the fake model, streamed in several chunks. */
export function chunked(text: string, size = 40): string[] {
  return text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [text];
}
