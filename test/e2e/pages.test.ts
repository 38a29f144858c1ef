import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_HOST } from '../../src/server/corpus/sample';
import { checkPage, chunked, type E2e, editorText, startE2e } from './harness';

// My drafts, the prompt library and Auspex chat; phone width, keyboard use, labels; XSS in chat.

const LONG_PROMPT =
  'You are a careful analyst of technology news. Answer from the articles only, cite each claim inline ' +
  'as [Title](URL), and say what the articles do not cover.';

describe('drafts, library, chat, and quality checks in a real browser', () => {
  let e: E2e;
  let page: Page;
  const extraPages: Page[] = [];

  const post = async (path: string, data: unknown, expected = 201) => {
    const res = await page.request.post(path, { data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(expected);
    return res.json();
  };
  const put = async (path: string, data: unknown) => {
    const res = await page.request.put(path, { data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    e = await startE2e();
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await e.signIn(page);
  });
  afterEach(async (ctx) => {
    await checkPage(e, page, 'pages', ctx.task);
    for (const p of extraPages) expect(e.problems(p)).toEqual([]);
  });
  afterAll(async () => e?.close());

  it('home has the navigation', async () => {
    await page.goto('/');
    await page.waitForSelector('.card-grid');
    const nav = await page.locator('nav[aria-label="Main"] a').allTextContents();
    expect(nav).toEqual(['Workshop', 'My drafts', 'Prompt library', 'Evaluations', 'Auspex chat']);
    await expect.poll(() => page.locator('#sign-out').isVisible()).toBe(true);
    await e.screenshot(page, 'home');
  });

  it('/tokens creates a token shown once, lists it, and revokes it after a confirm', async () => {
    await page.click('#api-tokens');
    await page.waitForSelector('#token-form');
    await page.fill('#token-name', 'Nightly evaluation');
    await page.selectOption('#token-expiry', '30');
    await page.click('#create-token');
    await expect.poll(() => page.locator('#new-token').textContent()).toMatch(/shown only once\. It expires/);
    const secret = (await page.locator('.token-secret').textContent())!;
    expect(secret).toMatch(/^pw_/);
    const me = () => page.request.get('/api/auth/me', { headers: { authorization: `Bearer ${secret}` } });
    expect((await me()).status()).toBe(200);
    await expect
      .poll(() => page.locator('#tokens-list .token-item').allTextContents())
      .toEqual([expect.stringMatching(/^Nightly evaluationactiveCreated .*Expires .*Never used/)]);
    await e.screenshot(page, 'tokens');
    await page.click('[aria-label="Revoke token Nightly evaluation"]');
    await page.click('#confirm-ok');
    await expect.poll(() => page.locator('#tokens-list .token-item').count()).toBe(0);
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toBe('Revoked “Nightly evaluation”.');
    expect((await me()).status()).toBe(401);
  });

  it('/drafts lists drafts with status filter, test count and update time', async () => {
    const base = '/api/auspex/prompts/workshop';
    const a = await post(`${base}/start`, { draft_name: 'Alpha draft', starting_prompt: LONG_PROMPT });
    const b = await post(`${base}/start`, { draft_name: 'Beta draft' });
    await put(`${base}/drafts/${b.draft_id}`, { status: 'ready' });
    await post(
      `${base}/drafts/${a.draft_id}/test`,
      { test_query: 'What do companies say about AI?', topic: 'AI Adoption', model: 'offline:demo' },
      200,
    );

    await page.click('nav[aria-label="Main"] >> text=My drafts');
    await page.waitForURL('/drafts');
    const alpha = page.locator(`[data-draft-id="${a.draft_id}"]`);
    await expect.poll(() => alpha.locator('.item-title').textContent()).toBe('Alpha draft');
    await expect.poll(() => alpha.textContent()).toContain('1 test');
    await expect.poll(() => alpha.locator('.badge').textContent()).toBe('testing');
    await expect.poll(() => alpha.textContent()).toMatch(/Updated \w{3} \d+, \d{4}/);
    await expect.poll(() => page.locator('#drafts-total').textContent()).toBe('2 drafts');
    await e.screenshot(page, 'drafts');

    await page.selectOption('#status-filter', 'ready');
    await page.waitForURL('/drafts?status=ready');
    await page.locator(`[data-draft-id="${a.draft_id}"]`).waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('#drafts-list .item-title').allTextContents())
      .toEqual(['Beta draft']);
    await expect.poll(() => page.locator('#drafts-total').textContent()).toBe('1 draft');
    await page.selectOption('#status-filter', 'committed');
    await page.waitForSelector('text=No drafts with status “committed”');
    await page.selectOption('#status-filter', 'all');
    await page.waitForFunction(() => document.querySelectorAll('#drafts-list li').length === 2);

    await alpha.locator('a', { hasText: 'Open' }).click();
    await page.waitForURL(`/prompt-workshop?draft_id=${a.draft_id}`);
    await page.waitForSelector('#draft-content .cm-content');
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('1');
  });

  it('/prompts: versions, Workshop Mode, edit by the owner, Clone & modify', async () => {
    await post('/api/auspex/prompts', {
      name: 'tech_analyst',
      title: 'Technology analyst',
      description: 'First <em>version</em>',
      content: LONG_PROMPT,
    });
    await page.goto('/prompts?name=tech_analyst');
    await expect.poll(() => page.locator('#prompt-detail-title').textContent()).toBe('Technology analyst');
    // Descriptions are text: the tags are shown, not rendered.
    await expect
      .poll(() => page.locator('#prompt-detail p').first().textContent())
      .toBe('First <em>version</em>');
    await page.click('#edit-prompt');
    await page.fill('#edit-content', `${LONG_PROMPT}\nAlways end with a one-line summary.`);
    await page.fill('#edit-message', 'Add a summary line');
    await page.click('#save-prompt');
    await page.waitForSelector('#prompt-content');
    await expect.poll(() => page.locator('#prompt-content').textContent()).toContain('one-line summary');
    await expect.poll(() => page.locator('#prompt-versions li').count()).toBe(2);
    await expect
      .poll(() => page.locator('#prompt-versions li').first().textContent())
      .toContain('Add a summary line');
    await page.click('#toggle-version-changes');
    await expect
      .poll(() => page.locator('#version-changes .diff-added').allTextContents())
      .toEqual(['+ added: Always end with a one-line summary.\n']);
    await page.locator('#prompt-versions button', { hasText: 'v1' }).click();
    // The first version has nothing before it to compare with.
    await page.locator('#toggle-version-changes').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('#prompt-content').textContent()).not.toContain('one-line summary');
    await e.screenshot(page, 'prompts');

    await page.click('#workshop-mode');
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    await page.waitForSelector('#draft-content .cm-content');

    await page.goto('/prompts?name=tech_analyst');
    await page.click('#clone-prompt');
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    await page.waitForSelector('#draft-content .cm-content');
    await expect
      .poll(() => page.locator('.workshop-title').textContent())
      .toContain('cloned from tech_analyst');

    // Committing under the prompt's own name adds a version; the dialog shows what it changes first.
    await page.click('#draft-content .cm-content');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nCite at least two sources.');
    await page.waitForSelector('#save-state[data-state="saved"]');
    await page.click('#commit-prompt');
    await expect.poll(() => page.locator('#commit-name').inputValue()).toBe('tech_analyst');
    await page.click('#commit-changes summary');
    await expect
      .poll(() => page.locator('#commit-changes .diff-added').allTextContents())
      .toEqual(['+ added: Cite at least two sources.\n']);
    await expect.poll(() => page.locator('#commit-changes .diff-removed').count()).toBe(0);
    await page.click('#confirm-commit');
    await expect.poll(() => page.locator('#commit-success').textContent()).toContain('version 3');
    await page.click('#commit-close');
  });

  it('/prompts: Clone & modify while an older version is on screen clones that version and says so', async () => {
    // tech_analyst has versions 1–3 by now; the newest is not what is on screen.
    await page.goto('/prompts?name=tech_analyst');
    await page.locator('#prompt-versions button', { hasText: /^v1 ·/ }).click();
    await page.waitForSelector('#older-version-note');
    await page.click('#clone-prompt');
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    await page.waitForSelector('#draft-content .cm-content');
    await expect.poll(() => editorText(page)).toBe(LONG_PROMPT);
    await expect.poll(() => page.locator('#cloned-from').textContent()).toBe('cloned from tech_analyst v1');
    await expect
      .poll(() => page.locator('.workshop-title h1').textContent())
      .toBe('tech_analyst v1 — draft 1');
  });

  it('commit dialog: an untitled draft asks for a title and puts the cursor there', async () => {
    const started = await post('/api/auspex/prompts/workshop/start', { starting_prompt: LONG_PROMPT });
    await page.goto(`/prompt-workshop?draft_id=${started.draft_id}`);
    await page.waitForSelector('#draft-content .cm-content');
    await page.click('#commit-prompt');
    await expect
      .poll(() => page.locator('#commit-title-hint').textContent())
      .toBe(
        'This draft is still untitled: give it a title that says what the prompt is for (5–100 characters).',
      );
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('commit-title');
    // The old title is selected, so typing replaces it.
    await page.keyboard.type('Tech news analyst');
    await expect.poll(() => page.locator('#commit-title').inputValue()).toBe('Tech news analyst');
    await expect.poll(() => page.locator('#commit-title-hint').textContent()).toBe('5–100 characters.');
    await page.keyboard.press('Escape');
    await page.locator('#commit-dialog[open]').waitFor({ state: 'detached' });
  });

  it('/prompts: another member sees no edit or delete on the admin prompt; the owner deletes with a confirm', async () => {
    await post('/api/admin/users', { username: 'member1', password: 'member-password-1', role: 'member' });
    const memberContext: BrowserContext = await e.browser.newContext({ baseURL: e.baseUrl });
    const member = await e.newPage(memberContext);
    extraPages.push(member);
    try {
      await member.goto('/prompts?name=tech_analyst');
      await e.signIn(member, 'member1', 'member-password-1');
      await member.waitForURL('/prompts?name=tech_analyst');
      await member.waitForSelector('#prompt-detail');
      // The controls every member has first, so the owner-only ones have had their chance to render.
      await expect.poll(() => member.locator('#clone-prompt').count()).toBe(1);
      await expect.poll(() => member.locator('#edit-prompt').count()).toBe(0);
      await expect.poll(() => member.locator('#delete-prompt').count()).toBe(0);
    } finally {
      await memberContext.close();
    }
    await page.goto('/prompts?name=tech_analyst');
    await page.click('#delete-prompt');
    await page.click('#confirm-ok');
    await page.waitForSelector('text=Deleted “tech_analyst”.');
    await expect.poll(() => page.locator('[data-prompt-name="tech_analyst"]').count()).toBe(0);
  });

  it('/auspex-chat: topic and prompt pickers, streamed answer with clickable citations', async () => {
    await page.goto('/auspex-chat');
    await page.waitForSelector('#chat-topic option:not([value=""])', { state: 'attached' });
    const topics = await page.locator('#chat-topic option').allTextContents();
    expect(topics).toContain('Financial Markets (150 articles)');
    await expect.poll(() => page.locator('#chat-prompt').inputValue()).toBe('auspex_default');
    await page.selectOption('#chat-topic', 'AI Adoption');
    await expect.poll(() => page.locator('#chat-topic-hint').textContent()).toMatch(/^Sample data/);
    await page.selectOption('#chat-model', 'offline:demo');
    await page.fill('#chat-input', 'Which companies report productivity gains from AI?');
    await page.press('#chat-input', 'Control+Enter');
    await page.waitForSelector('.chat-message.assistant .chat-figures');
    await expect.poll(() => page.locator('.chat-figures').textContent()).toMatch(/\d+ articles .*not AI/);
    await e.screenshot(page, 'auspex-chat');
  });

  it('/auspex-chat: a citation of a sample article opens the in-app article with the cited passage marked', async () => {
    // Continues the conversation of the test before: its answer cites retrieved sample articles.
    const answer = page.locator('.chat-message.assistant').last();
    const citations = answer.locator('a.citation-link');
    await expect.poll(() => citations.count()).toBeGreaterThan(0);
    // No link to the unreachable sample host is left; citations open in the app, not a new tab.
    await expect.poll(() => answer.locator(`a[href^="${SAMPLE_HOST}"]`).count()).toBe(0);
    const first = citations.first();
    await expect.poll(() => first.getAttribute('href')).toMatch(/^\/articles\/\d+\?q=.+/);
    expect(await first.getAttribute('target')).toBeNull();
    expect(await first.getAttribute('data-original-url')).toMatch(new RegExp(`^${SAMPLE_HOST}/`));
    const title = (await first.textContent())!;
    const chatUrl = page.url();

    await first.click();
    await page.waitForURL(/\/articles\/\d+\?q=/);
    const q = new URL(page.url()).searchParams.get('q')!;
    await expect.poll(() => page.locator('#article-title').textContent()).toBe(title);
    await expect.poll(() => page.locator('#article-meta').textContent()).toMatch(/AI Adoption.*sample data/);
    await expect
      .poll(() => page.locator('#article-original').textContent())
      .toBe('Sample data: this article was generated for the demo corpus and has no original.');
    await expect.poll(() => page.locator('#article-original a').count()).toBe(0);
    // The answer quotes the article: the quoted sentence is the one marked.
    const marks = page.locator('#article-body mark');
    await expect.poll(() => marks.count()).toBeGreaterThan(0);
    const marked = await marks.allTextContents();
    expect(
      marked.some((m) => m.length > 20 && q.includes(m)),
      `${marked} in ${q}`,
    ).toBe(true);
    expect((await page.locator('#article-body').textContent())!.length).toBeGreaterThan(
      marked.join('').length,
    );
    await e.screenshot(page, 'article-page');

    // Back returns to the same conversation.
    await page.click('#article-back');
    await page.waitForURL(chatUrl);
    await expect
      .poll(() => page.locator('.chat-message.assistant a.citation-link').count())
      .toBeGreaterThan(0);
  });

  it('/articles: an unknown article says so', async () => {
    e.allowHttpError(page, 404, '/api/articles/');
    await page.goto('/articles/2147483648');
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Article not found');
  });

  it('/auspex-chat keeps the chat in the address: a reload reopens it; the list renames and deletes', async () => {
    await page.goto('/auspex-chat');
    await page.waitForSelector('#chat-topic option:not([value=""])', { state: 'attached' });
    await page.selectOption('#chat-topic', 'Financial Markets');
    await page.selectOption('#chat-model', 'openai:gpt-4.1-mini');
    const question = 'What moved bond yields this quarter?';
    const reply = 'Yields rose after the central bank spoke.\n\nTraders expect more of the same.';
    // Streamed slowly: the address gains ?chat= while the answer is still arriving.
    e.fake.enqueue({ chunks: chunked(reply, 8), chunkDelayMs: 40 });
    await page.fill('#chat-input', question);
    await page.click('#chat-send');
    await page.waitForURL(/\/auspex-chat\?(.*&)?chat=\d+/);
    await page.waitForSelector('.chat-message.assistant .chat-figures');
    const id = new URL(page.url()).searchParams.get('chat');
    await expect
      .poll(() => page.locator('.chat-message.assistant .markdown').textContent())
      .toMatch(/^Yields rose after the central bank spoke\.\s+Traders expect more of the same\.\s*$/);
    const answer = await page.locator('.chat-message.assistant .markdown').textContent();

    await page.reload();
    await expect
      .poll(() => page.locator('.chat-message.user .message-text').allTextContents())
      .toEqual([question]);
    await expect.poll(() => page.locator('.chat-message.assistant .markdown').textContent()).toBe(answer);
    await expect
      .poll(() => page.locator('.chat-message.assistant .chat-figures').textContent())
      .toMatch(/gpt-4\.1-mini/);
    await expect.poll(() => page.locator('#chat-topic').inputValue()).toBe('Financial Markets');

    // The list shows it first, marked as the open chat.
    const item = page.locator(`#chat-history li[data-chat-id="${id}"]`);
    await expect.poll(() => page.locator('#chat-history li').first().getAttribute('data-chat-id')).toBe(id);
    await expect
      .poll(() => item.locator('a[aria-current="page"] .chat-history-title').textContent())
      .toBe(question);
    await expect
      .poll(() => item.locator('.chat-history-meta').textContent())
      .toMatch(/Financial Markets · 2 messages/);
    expect(await page.locator('#chat-history a[aria-current="page"]').count()).toBe(1);

    // Rename inline: Escape cancels (focus back on Rename), Enter saves.
    await item.locator('[data-action="rename"]').click();
    const field = item.locator('input');
    await field.fill('Bond yields');
    await field.press('Escape');
    await expect.poll(() => item.locator('.chat-history-title').textContent()).toBe(question);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-action')))
      .toBe('rename');
    await page.keyboard.press('Enter');
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await field.fill('  Bond yields  ');
    await field.press('Enter');
    await expect.poll(() => item.locator('.chat-history-title').textContent()).toBe('Bond yields');
    await page.reload();
    await expect.poll(() => item.locator('.chat-history-title').textContent()).toBe('Bond yields');

    // Delete asks first; Cancel keeps the chat, Delete chat removes it and starts a new one.
    await item.locator('[data-action="delete"]').click();
    await expect.poll(() => page.locator('#confirm-title').textContent()).toBe('Delete this chat?');
    await page.click('#confirm-cancel');
    await expect.poll(() => item.count()).toBe(1);
    await item.locator('[data-action="delete"]').click();
    await page.click('#confirm-ok');
    await expect.poll(() => item.count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('chat')).toBeNull();
    await expect.poll(() => page.locator('.chat-message').count()).toBe(0);
    const res = await page.request.get(`/api/auspex/chat/sessions/${id}/messages`);
    expect(res.status()).toBe(404);
  });

  it('XSS: a chat message and a model answer carrying markup never run', async () => {
    await page.goto('/auspex-chat');
    await page.waitForSelector('#chat-model option[value="openai:gpt-4.1-mini"]', { state: 'attached' });
    await expect.poll(() => page.locator('#chat-model').inputValue()).toBe('openai:gpt-4.1-mini');
    const evilAnswer =
      'Answer <img src=x onerror="window.__xss=2"><script>window.__xss=3</script>' +
      '[click](javascript:window.__xss=4) with [a source](https://news.example/source).';
    e.fake.enqueue({ chunks: chunked(evilAnswer, 20), chunkDelayMs: 30 });
    const evilQuestion = '<img src=x onerror="window.__xss=1"> what about <b>AI</b>?';
    await page.fill('#chat-input', evilQuestion);
    await page.click('#chat-send');
    await page.waitForSelector('.chat-message.assistant .chat-figures');
    await expect
      .poll(() => page.locator('.chat-message.user .message-text').last().textContent())
      .toBe(evilQuestion);
    const answer = page.locator('.chat-message.assistant').last();
    await expect.poll(() => answer.locator('img, script').count()).toBe(0);
    // Raw HTML in an answer is shown as text, not dropped.
    await expect.poll(() => answer.textContent()).toContain('<script>window.__xss=3</script>');
    await expect.poll(() => answer.locator('a[href^="javascript"]').count()).toBe(0);
    await expect.poll(() => answer.locator('a[href="https://news.example/source"]').count()).toBe(1);
    await page.locator('.chat-message.assistant a', { hasText: 'click' }).click();
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });

  it('/auspex-chat: Clone & modify the chosen prompt', async () => {
    await page.click('#chat-clone-prompt');
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    await page.waitForSelector('#draft-content .cm-content');
    await expect
      .poll(() => page.locator('.workshop-title').textContent())
      .toContain('cloned from auspex_default');
  });

  it('phone width: no sideways scrolling on any page; workshop panels stack', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const pages: [string, string, string][] = [
        ['/', '.card-grid', 'phone-home'],
        ['/drafts', '#drafts-list li', 'phone-drafts'],
        ['/prompts', '#prompt-detail', 'phone-prompts'],
        ['/auspex-chat', '#chat-history li', 'phone-auspex-chat'],
        ['/articles/1?q=adoption%20budgets%20pilot', '#article-body', 'phone-article'],
        ['/prompt-workshop', '#draft-content .cm-content', 'phone-workshop'],
      ];
      for (const [path, ready, shot] of pages) {
        await page.goto(path);
        await page.waitForSelector(ready);
        const { scroll, width } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          width: window.innerWidth,
        }));
        expect(scroll, path).toBeLessThanOrEqual(width);
        await e.screenshot(page, shot);
      }
      const left = await page.locator('.conversation-panel').boundingBox();
      const right = await page.locator('.editor-panel').boundingBox();
      expect(left!.y + left!.height).toBeLessThanOrEqual(right!.y);
      for (const tab of ['test', 'history'] as const) {
        await page.click(`[data-bs-target="#tab-${tab}"]`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scroll, tab).toBeLessThanOrEqual(390);
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('every form field has a label, on every page', async () => {
    for (const path of ['/drafts', '/prompts', '/auspex-chat', '/prompt-workshop']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, textarea, [contenteditable="true"]'))
          .filter((el) => {
            const f = el as HTMLInputElement;
            const labelled =
              (f.labels?.length ?? 0) > 0 ||
              f.getAttribute('aria-label') ||
              f.getAttribute('aria-labelledby');
            return !labelled;
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      expect(unlabelled, path).toEqual([]);
    }
  });

  it('keyboard only: sign in, move between tabs, send a message; focus is visible', async () => {
    const kbContext = await e.browser.newContext({ baseURL: e.baseUrl });
    const kb = await e.newPage(kbContext);
    extraPages.push(kb);
    try {
      await kb.goto('/prompt-workshop');
      await kb.waitForSelector('#login-username');
      // The sign-in page puts the focus in the username field itself: no Tab needed.
      expect(await kb.evaluate(() => document.activeElement?.id)).toBe('login-username');
      const outline = await kb.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).toBe('solid');
      await kb.keyboard.type('admin');
      await kb.keyboard.press('Tab');
      await kb.keyboard.type(e.ctx.config.admin.password!);
      await kb.keyboard.press('Enter');
      await kb.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
      await kb.waitForSelector('.workshop-message.assistant');

      // The first Tab reaches the skip link, which is visible when focused.
      await kb.keyboard.press('Tab');
      expect(await kb.evaluate(() => document.activeElement?.className)).toBe('skip-link');
      // Tab on until the message box, type, Ctrl+Enter.
      let found = false;
      for (let i = 0; i < 40 && !found; i++) {
        await kb.keyboard.press('Tab');
        found = (await kb.evaluate(() => document.activeElement?.id)) === 'workshop-user-input';
      }
      expect(found).toBe(true);
      e.fake.enqueue({ text: 'Noted. What tone should it have?' });
      await kb.keyboard.type('An analyst for energy markets.');
      await kb.keyboard.press('Control+Enter');
      await kb.waitForSelector('.workshop-message.assistant >> text=What tone should it have?');

      // Tabs: arrow keys move between Draft, Test and History.
      found = false;
      for (let i = 0; i < 20 && !found; i++) {
        await kb.keyboard.press('Tab');
        found = (await kb.evaluate(() => document.activeElement?.getAttribute('role'))) === 'tab';
      }
      expect(found).toBe(true);
      await kb.keyboard.press('ArrowRight');
      expect(await kb.evaluate(() => document.activeElement?.getAttribute('data-bs-target'))).toBe(
        '#tab-test',
      );
      await expect.poll(() => kb.locator('#tab-test').isVisible()).toBe(true);
      expect(await kb.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    } finally {
      await kbContext.close();
    }
  });

  it('sign out ends the session; pages then ask to sign in', async () => {
    await page.goto('/');
    // The home page has drawn (and its queries settled) before signing out.
    await page.waitForSelector('.card-grid');
    await expect.poll(() => page.locator('.user-name').textContent()).toBe('admin');
    await page.click('#sign-out');
    // Polled as one picture (address, message, any alert) so a failure shows where the page went.
    const seen = async () => ({
      path: new URL(page.url()).pathname + new URL(page.url()).search,
      message: await page
        .locator('.login-card p.muted')
        .textContent({ timeout: 500 })
        .catch(() => null),
      alert: await page
        .locator('[role="alert"]')
        .first()
        .textContent({ timeout: 100 })
        .catch(() => null),
    });
    await expect
      .poll(seen, { timeout: 15_000 })
      .toEqual({ path: '/login', message: 'You are signed out.', alert: null });
    expect((await (await page.request.get('/api/auth/session')).json()).user).toBeNull();
    await page.goto('/drafts');
    await page.waitForURL('/login?next=%2Fdrafts');
  });
});
