import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e } from '../e2e/harness';

// Security headers on every kind of answer, and the pages (the app and the API docs) working under
// that policy in Chromium with no violation reported.

const EXPECTED = {
  'content-security-policy':
    "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self';connect-src 'self';media-src 'none';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'SAMEORIGIN',
};

describe('security headers', () => {
  let e: E2e;

  beforeAll(async () => {
    e = await startE2e();
  });
  afterAll(async () => e?.close());

  it.each([
    ['the app shell', '/prompt-workshop'],
    ['the file index.html', '/index.html'],
    ['a public API answer', '/api/health'],
    ['a refused API answer', '/api/topics'],
    ['an unknown API route', '/api/nothing'],
    ['a malformed id', '/api/auspex/prompts/workshop/drafts/abc'],
    ['the API docs', '/docs/static/index.html'],
    ['the OpenAPI document', '/docs/json'],
    ['metrics', '/metrics'],
  ])('are sent with %s (%s)', async (_what, path) => {
    const res = await fetch(`${e.baseUrl}${path}`);
    const headers = Object.fromEntries(Object.keys(EXPECTED).map((h) => [h, res.headers.get(h)]));
    expect(headers).toEqual(EXPECTED);
  });

  it('lets the app and the API docs run under that policy, with no violation', async () => {
    const page = await e.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await e.signIn(page);
    await page.goto('/prompt-workshop');
    await expect.poll(() => page.locator('.cm-content').count()).toBeGreaterThan(0);
    await page.goto('/docs');
    await expect.poll(() => page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(violations).toEqual([]);
    expect(e.problems(page)).toEqual([]);
  });
});
