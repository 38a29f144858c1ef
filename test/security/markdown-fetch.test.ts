import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, type E2e, startE2e } from '../e2e/harness';

// Markdown from a model, from the user and from imported articles must load nothing from outside
// the closed network. Every request to a host other than the app's loopback host is recorded (and
// aborted), and so is every load the page's CSP refused: the CSP is the second line, and this
// test checks the first one (the markdown renderer) on its own.

const EVIL = 'http://evil.example';

/** Markup and markdown that would fetch something if it reached the DOM as markup. */
const PAYLOADS: [name: string, text: string][] = [
  ['video poster', `<video poster="${EVIL}/poster.png"></video>`],
  ['video source', `<video><source src="${EVIL}/v.mp4"></video>`],
  ['video track', `<video><track src="${EVIL}/t.vtt"></video>`],
  ['audio src', `<audio src="${EVIL}/a.mp3" autoplay></audio>`],
  ['picture srcset', `<picture><source srcset="${EVIL}/p.webp"><img src="${EVIL}/p.png"></picture>`],
  ['img src', `<img src="${EVIL}/i.png">`],
  ['img srcset', `<img srcset="${EVIL}/s.png 2x">`],
  ['img protocol-relative', '<img src="//evil.example/pr.png">'],
  ['img onerror fetch', `<img src=x onerror="fetch('${EVIL}/js')">`],
  ['table background', `<table background="${EVIL}/t.png"><tr><td>cell</td></tr></table>`],
  ['body background', `<body background="${EVIL}/b.png">`],
  ['link stylesheet', `<link rel="stylesheet" href="${EVIL}/s.css">`],
  ['link preload', `<link rel="preload" as="image" href="${EVIL}/pre.png">`],
  ['link prefetch', `<link rel="prefetch" href="${EVIL}/prefetch">`],
  ['object data', `<object data="${EVIL}/o.swf"></object>`],
  ['embed src', `<embed src="${EVIL}/e.swf">`],
  ['iframe src', `<iframe src="${EVIL}/f.html"></iframe>`],
  ['svg image href', `<svg><image href="${EVIL}/svg.png"/></svg>`],
  ['svg use', `<svg><use href="${EVIL}/u.svg#a"/></svg>`],
  ['svg style import', `<svg><style>@import '${EVIL}/svg.css';</style></svg>`],
  ['input type=image', `<input type="image" src="${EVIL}/in.png">`],
  ['style @import', `<style>@import url(${EVIL}/imp.css);</style>`],
  ['style url()', `<style>p { background: url(${EVIL}/bg.png) }</style>`],
  ['style attribute', `<div style="background:url(${EVIL}/attr.png)">styled</div>`],
  ['meta refresh', `<meta http-equiv="refresh" content="0;url=${EVIL}/meta">`],
  ['base href', `<base href="${EVIL}/"><a href="relative">relative</a>`],
  ['form action', `<form action="${EVIL}/form"><button>go</button></form>`],
  ['button formaction', `<button formaction="${EVIL}/fa">fa</button>`],
  ['script src', `<script src="${EVIL}/s.js"></script>`],
  ['a ping', `<a ping="${EVIL}/ping" href="#x">ping</a>`],
  ['entity-encoded img', `&lt;img src="${EVIL}/enc.png"&gt;`],
  ['numeric-entity img', `&#60;img src=&#34;${EVIL}/num.png&#34;&#62;`],
  ['markdown image', `![chart](${EVIL}/md.png)`],
  ['markdown reference image', `![logo][logo]\n\n[logo]: ${EVIL}/ref.png`],
  ['autolink', `<${EVIL}/autolink>`],
];

const isLoopback = (url: string, base: string) => {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
    return u.host === new URL(base).host;
  } catch {
    return true; // CSP reports "inline" or "eval" for blocked inline code: nothing went out
  }
};

describe('markdown loads nothing from outside, wherever it comes from', () => {
  let e: E2e;
  let page: Page;
  const outside: string[] = [];

  beforeAll(async () => {
    e = await startE2e();
    // Every attempt counts: what reached the network (aborted here) and what the CSP refused.
    await e.context.route('**/*', (route) =>
      isLoopback(route.request().url(), e.baseUrl) ? route.continue() : route.abort(),
    );
    e.context.on('request', (req) => {
      if (!isLoopback(req.url(), e.baseUrl)) outside.push(`request ${req.url()}`);
    });
    await e.context.exposeBinding('__blockedByCsp', (_source, uri: string, directive: string) => {
      if (!isLoopback(uri, e.baseUrl)) outside.push(`csp ${directive} ${uri}`);
    });
    await e.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (ev) =>
        (window as any).__blockedByCsp(ev.blockedURI, ev.effectiveDirective),
      );
    });
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await e.signIn(page);
  });
  afterAll(async () => e?.close());

  const openChat = async (topic: string, model: string) => {
    await page.goto('/auspex-chat');
    await page.waitForSelector(`#chat-topic option[value="${topic}"]`, { state: 'attached' });
    await page.selectOption('#chat-topic', topic);
    await page.waitForSelector(`#chat-model option[value="${model}"]`, { state: 'attached' });
    await page.selectOption('#chat-model', model);
  };
  const send = async (text: string) => {
    const answers = await page.locator('.chat-message.assistant .chat-figures').count();
    await page.fill('#chat-input', text);
    await page.click('#chat-send');
    await expect.poll(() => page.locator('.chat-message.assistant .chat-figures').count()).toBe(answers + 1);
    return page.locator('.chat-message.assistant').last();
  };
  const expectNothingOutside = async () => {
    // Media and CSS loads start after the DOM is in place: poll, never read once.
    await expect.poll(() => [...outside], { timeout: 3000 }).toEqual([]);
    expect(e.problems(page)).toEqual([]);
  };

  it('a model answer: every payload is shown as text, nothing is fetched', async () => {
    outside.length = 0;
    await openChat('AI Adoption', 'openai:gpt-4.1-mini');
    const answer = PAYLOADS.map(([name, text]) => `Payload ${name}: ${text}`).join('\n\n');
    e.fake.enqueue({ chunks: chunked(`${answer}\n\nEnd of the payloads.`, 200) });
    const shown = await send('Show me the payloads');
    await expect.poll(() => shown.textContent()).toContain('End of the payloads.');
    await expect.poll(() => shown.textContent()).toContain(`<video poster="${EVIL}/poster.png">`);
    await expect.poll(() => shown.textContent()).toContain('<iframe src=');
    await expect
      .poll(() => shown.locator('img, video, audio, iframe, object, embed, svg, style').count())
      .toBe(0);
    await expectNothingOutside();
  });

  it('a model answer with an unclosed <script>: the literal text and every paragraph after it show', async () => {
    outside.length = 0;
    e.fake.enqueue({
      text: 'Here is an example <script>alert(1)\n\nA paragraph after the script.\n\n- and a list item',
    });
    const shown = await send('Show me an example');
    await expect.poll(() => shown.textContent()).toContain('Here is an example <script>alert(1)');
    await expect
      .poll(() => shown.locator('p', { hasText: 'A paragraph after the script.' }).isVisible())
      .toBe(true);
    await expect.poll(() => shown.locator('li', { hasText: 'and a list item' }).isVisible()).toBe(true);
    await expectNothingOutside();
  });

  it("the user's own text, echoed into the offline model's answer, fetches nothing", async () => {
    outside.length = 0;
    await openChat('AI Adoption', 'offline:demo');
    for (let i = 0; i < PAYLOADS.length; i += 6) {
      const batch = PAYLOADS.slice(i, i + 6).map(([, text]) => text);
      const shown = await send(`Tell me about ${batch.join(' and ')}`);
      // The offline brief quotes the question: markup in it is text there too.
      const opener = batch[0].startsWith('<') ? batch[0].split(/[\s>]/)[0] : 'Tell me about';
      await expect.poll(() => shown.locator('.markdown').textContent()).toContain(opener);
    }
    await expect.poll(() => page.locator('.chat-message.assistant .markdown img').count()).toBe(0);
    await expectNothingOutside();
  });

  it('imported article text, quoted in the offline brief, fetches nothing', async () => {
    outside.length = 0;
    const word = (i: number) => `probe${String.fromCharCode(97 + Math.floor(i / 8))}`; // eight per brief
    const words = [...new Set(PAYLOADS.map((_, i) => word(i)))];
    const rows = PAYLOADS.map(([name, text], i) => {
      return JSON.stringify({
        title: `${word(i)} ${name} ${text}`,
        url: `https://articles.example/${i}`,
        published_at: '2026-01-15',
        summary: `${word(i)} says ${text}`,
      });
    });
    const res = await page.request.post('/api/admin/import?topic=Fetch+probe&format=jsonl', {
      data: rows.join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status(), await res.text()).toBe(200);
    expect(await res.json()).toMatchObject({ imported: PAYLOADS.length, error_count: 0 });

    await openChat('Fetch probe', 'offline:demo');
    for (const w of words) {
      const shown = await send(`What does ${w} say?`);
      await expect.poll(() => shown.locator('ol li').count()).toBeGreaterThan(0);
    }
    await expect.poll(() => page.locator('.chat-message.assistant').last().textContent()).toContain('<');
    await expect.poll(() => page.locator('.chat-message.assistant .markdown img').count()).toBe(0);
    await expectNothingOutside();
  });

  it('sign-in with a next address that only looks like a path ends at home, not on an error page', async () => {
    const context = await e.browser.newContext({ baseURL: e.baseUrl });
    try {
      const other = await e.newPage(context);
      await other.goto('/login?next=%2F%09%2Fevil.example');
      await e.signIn(other);
      await expect.poll(() => new URL(other.url()).pathname).toBe('/');
      await other.waitForSelector('.card-grid');
      expect(e.problems(other)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
