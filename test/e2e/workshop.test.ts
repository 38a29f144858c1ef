import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_HOST } from '../../src/server/corpus/sample';
import { checkPage, chunked, type E2e, editorText, FAKE_MODEL, setEditorText, startE2e } from './harness';

// The seed's manual testing checklist (all fifteen items), step by step in one browser, plus
// sign-in with return-to, autosave across a reload, a 409 between two pages, and XSS in a name.

const PROPOSED = [
  'You are Auspex, a research analyst for financial news.',
  '',
  '## Focus',
  '- Market-moving events and their evidence',
  '- Evidence before opinion',
  '',
  '## Output',
  'Cite every claim inline as [Title](URL). Say plainly what the articles do not cover.',
].join('\n');
const ASSISTANT_REPLY = `Here is a first draft:\n\n\`\`\`markdown\n${PROPOSED}\n\`\`\`\n\nTell me what to change.`;
const CITED_ANSWER =
  'Companies report **skills gaps** first [AI skills survey](https://news.example/ai-skills) and then ' +
  'data quality [Data readiness](https://news.example/data). The articles do not cover public-sector budgets.';
const QUERY = 'What risks do companies report when adopting AI?';

describe('prompt workshop: the seed checklist in a real browser', () => {
  let e: E2e;
  let page: Page;
  let draftId: number;
  let committedName: string;

  const api = async (path: string) => {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(200);
    return res.json();
  };
  const draft = () => api(`/api/auspex/prompts/workshop/drafts/${draftId}`);
  const saveState = () => page.locator('#save-state').getAttribute('data-state');
  const waitSaved = () => page.waitForSelector('#save-state[data-state="saved"]');
  const tab = (name: 'draft' | 'test' | 'history') => page.click(`[data-bs-target="#tab-${name}"]`);

  beforeAll(async () => {
    e = await startE2e();
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
  });
  afterEach(async (ctx) => {
    await checkPage(e, page, 'workshop', ctx.task);
  });
  afterAll(async () => e?.close());

  it('sign-in: a signed-out visit goes to /login and comes back after signing in', async () => {
    await page.goto('/prompt-workshop');
    await page.waitForURL(/\/login\?next=%2Fprompt-workshop/);
    await e.screenshot(page, 'login');
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', 'wrong-password');
    e.allowHttpError(page, 401, '/api/auth/login');
    await page.click('#login-submit');
    await expect.poll(() => page.locator('#login-error').textContent()).toMatch(/invalid|incorrect|wrong/i);
    await e.signIn(page);
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
  });

  it('1. create new workshop session', async () => {
    draftId = Number(new URL(page.url()).searchParams.get('draft_id'));
    await page.waitForSelector('.workshop-message.assistant');
    await page.waitForSelector('#draft-content .cm-content');
    const d = await draft();
    expect(d.status).toBe('draft');
    expect(d.workshop_chat_id).toEqual(expect.any(Number));
    await expect.poll(() => page.locator('h1').textContent()).toBe(d.draft_name);
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('0');
    // Coming back through the menu while it is untouched opens the same draft, not another empty one.
    await page.goto('/');
    await page.click('nav[aria-label="Main"] >> text=Workshop');
    await page.waitForURL(`/prompt-workshop?draft_id=${draftId}`);
    await page.waitForSelector('#draft-content .cm-content');
  });

  it('2. converse with the workshop assistant (streamed, Ctrl+Enter sends)', async () => {
    e.fake.enqueue({ chunks: chunked(ASSISTANT_REPLY, 24), chunkDelayMs: 80 });
    await page.fill('#workshop-user-input', 'A prompt for financial news analysis, please.');
    await page.press('#workshop-user-input', 'Control+Enter');
    // While streaming, part of the answer is already on screen.
    const streaming = page.locator('.workshop-message.assistant.streaming .markdown');
    await streaming.waitFor();
    const partial = (await streaming.textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(ASSISTANT_REPLY.length - 20);
    await page.waitForSelector('.workshop-message.assistant.streaming', { state: 'detached' });
    await expect
      .poll(() => page.locator('.workshop-message.user').last().textContent())
      .toContain('A prompt for financial news analysis, please.');
    await expect
      .poll(() => page.locator('.workshop-message.assistant').last().textContent())
      .toContain('Tell me what to change.');
    await expect.poll(() => page.locator('#workshop-user-input').inputValue()).toBe('');
    const last = e.fake.modelRequests().at(-1)!;
    expect(JSON.stringify(last.body)).toContain('A prompt for financial news analysis, please.');
  });

  it('3. extract the prompt from the code block ("New" badge, editor filled, saved)', async () => {
    await expect.poll(() => page.locator('#extract-prompt .badge.new').textContent()).toBe('New');
    await page.click('#extract-prompt');
    await expect.poll(() => page.locator('#extract-prompt .badge.new').count()).toBe(0);
    await waitSaved();
    await expect.poll(() => editorText(page)).toBe(PROPOSED);
    expect((await draft()).draft_content).toBe(PROPOSED);
    await expect
      .poll(() => page.locator('#char-count').textContent())
      .toContain(`${PROPOSED.length} of 50,000 characters`);
  });

  it('4. edit the prompt manually (character and token counts follow)', async () => {
    await page.click('#draft-content .cm-content');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nKeep answers under 300 words.');
    const expected = `${PROPOSED}\nKeep answers under 300 words.`;
    await expect.poll(() => editorText(page)).toBe(expected);
    const count = () => page.locator('#char-count').textContent();
    await expect.poll(count).toContain(`${expected.length} of 50,000 characters`);
    await expect.poll(count).toMatch(new RegExp(`~${Math.ceil(expected.length / 4)} tokens`));
    // The menu bar stays in view however the page scrolled to the cursor.
    await expect
      .poll(() => page.locator('.app-header').evaluate((h) => h.getBoundingClientRect().top))
      .toBe(0);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThanOrEqual(0);
  });

  it('5. save the draft: automatically after 2 s, and with the Save button', async () => {
    // Autosave: no click; the state goes to saved on its own and the server has the text.
    await waitSaved();
    expect((await draft()).draft_content).toBe(`${PROPOSED}\nKeep answers under 300 words.`);
    // Manual: a description saved at once by the button.
    await page.fill('#draft-description', 'Financial news analyst with inline citations');
    expect(await saveState()).toBe('dirty');
    await page.click('#save-draft');
    await waitSaved();
    expect((await draft()).draft_description).toBe('Financial news analyst with inline citations');
  });

  it('autosave survives a reload; leaving with unsaved changes warns', async () => {
    await page.click('#draft-content .cm-content');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nPrefer recent articles.');
    const warned = await page.evaluate(() => {
      const ev = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(ev);
      return ev.defaultPrevented;
    });
    expect(warned).toBe(true);
    await waitSaved();
    const stillWarns = await page.evaluate(() => {
      const ev = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(ev);
      return ev.defaultPrevented;
    });
    expect(stillWarns).toBe(false);
    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
    await expect
      .poll(() => editorText(page))
      .toBe(`${PROPOSED}\nKeep answers under 300 words.\nPrefer recent articles.`);
    await expect
      .poll(() => page.locator('#draft-description').inputValue())
      .toBe('Financial news analyst with inline citations');
    await expect
      .poll(() => page.locator('.workshop-message.assistant').last().textContent())
      .toContain('Tell me what to change.');
  });

  it('reset asks first; cancel keeps the text, confirm restores the text as opened', async () => {
    const opened = await editorText(page);
    await page.click('#draft-content .cm-content');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nTemporary line.');
    await page.click('#reset-draft');
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-cancel');
    await expect.poll(() => editorText(page)).toBe(`${opened}\nTemporary line.`);
    await page.click('#reset-draft');
    await page.click('#confirm-ok');
    await waitSaved();
    await expect.poll(() => editorText(page)).toBe(opened);
    expect((await draft()).draft_content).toBe(opened);
  });

  it('6. run a test query: topics (sample data), models (default preselected, offline labelled), streaming', async () => {
    await tab('test');
    await expect.poll(() => page.locator('#tab-test').isVisible()).toBe(true);
    const topics = await page.locator('#test-topic option').allTextContents();
    expect(topics.find((t) => t.startsWith('AI Adoption'))).toBe('AI Adoption (150 articles)');
    await expect.poll(() => page.locator('#test-model').inputValue()).toBe(FAKE_MODEL);
    await expect.poll(() => page.locator('#test-model-hint').textContent()).toBe('The default model.');
    const offline = await page.locator('#test-model option[value="offline:demo"]').textContent();
    expect(offline).toMatch(/not AI/);
    await page.selectOption('#test-topic', 'AI Adoption');
    await expect.poll(() => page.locator('#test-topic-hint').textContent()).toMatch(/^Sample data/);
    // At 1366 px every option's text fits its field (measured in the field's own font, arrow aside).
    const overflowing = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      return [...document.querySelectorAll<HTMLSelectElement>('#test-topic, #test-model')].flatMap(
        (select) => {
          ctx.font = getComputedStyle(select).font;
          return [...select.options]
            .filter((o) => ctx.measureText(o.text).width + 44 > select.clientWidth)
            .map((o) => o.text);
        },
      );
    });
    expect(overflowing).toEqual([]);
    await page.fill('#test-query', QUERY);
    e.fake.enqueue({ chunks: chunked(CITED_ANSWER, 30), chunkDelayMs: 100 });
    await page.click('#run-test');
    await page.waitForSelector('#test-output .test-progress');
    await expect.poll(() => page.locator('#run-test').isDisabled()).toBe(true);
    await page.waitForSelector('#test-metrics');
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('1');
    const system = JSON.stringify(e.fake.modelRequests().at(-1)!.body);
    expect(system).toContain('Prefer recent articles.'); // the saved draft is what was tested
  });

  it('7. view test results: metrics and the answer with clickable citations', async () => {
    const metrics = page.locator('#test-metrics');
    const articles = (await metrics.locator('[data-metric="articles"]').textContent()) ?? '';
    expect(Number(articles.split(' ')[0])).toBeGreaterThan(0);
    await expect
      .poll(() => metrics.locator('[data-metric="length"]').textContent())
      .toBe(`${CITED_ANSWER.length} chars`);
    await expect.poll(() => metrics.locator('[data-metric="time"]').textContent()).toMatch(/\d+(\.\d)? m?s/);
    await expect
      .poll(() => metrics.locator('[data-metric="tokens"]').textContent())
      .toMatch(/\d+ in \/ \d+ out/);
    await expect.poll(() => metrics.locator('[data-metric="cost"]').textContent()).toMatch(/^\$/);
    const link = page.locator('#test-response a', { hasText: 'AI skills survey' });
    await expect.poll(() => link.getAttribute('href')).toBe('https://news.example/ai-skills');
    await expect.poll(() => link.getAttribute('target')).toBe('_blank');
    await expect.poll(() => link.getAttribute('rel')).toBe('noopener noreferrer');
    await expect.poll(() => page.locator('#test-response strong').textContent()).toBe('skills gaps');
    expect((await draft()).status).toBe('testing'); // the first test moves draft -> testing
    await expect.poll(() => page.locator('#draft-status').inputValue()).toBe('testing');
  });

  it('8. rate the test result: stars, notes, Save Feedback stores them', async () => {
    await page.click('.rating-stars [data-rating="4"]');
    // Native radios: arrow keys move the choice.
    const checked = () => page.locator('.rating-stars label:has(input:checked)').getAttribute('data-rating');
    await expect.poll(checked).toBe('4');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(checked).toBe('3');
    await page.keyboard.press('ArrowRight');
    await expect.poll(checked).toBe('4');
    await page.fill('#test-notes', 'Good citations; <b>too long</b>.');
    await page.click('#save-test-feedback');
    await expect.poll(() => page.locator('#feedback-status').textContent()).toBe('Feedback saved');
    // Saving does not disable the button under the keyboard focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('save-test-feedback');
    const { test_results } = await api(`/api/auspex/prompts/workshop/drafts/${draftId}/tests`);
    expect(test_results[0]).toMatchObject({ user_rating: 4, notes: 'Good citations; <b>too long</b>.' });
  });

  it('9. view the test history, newest first; clicking one opens it', async () => {
    // A second test, with the offline model: its brief cites real sample articles.
    await page.selectOption('#test-model', 'offline:demo');
    await page.fill('#test-query', 'How are companies measuring returns on AI projects?');
    await page.click('#run-test');
    await page.waitForSelector('#test-metrics');
    // Citations of retrieved articles open the in-app article view; the original stays on the link.
    const cited = page.locator('#test-response a[href^="/articles/"]');
    await expect.poll(() => cited.count()).toBeGreaterThan(0);
    await expect
      .poll(() => cited.first().getAttribute('data-original-url'))
      .toMatch(new RegExp(`^${SAMPLE_HOST}`));
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('2');
    await tab('history');
    const items = page.locator('#test-history-list .history-item');
    await expect.poll(() => items.count()).toBe(2);
    await expect
      .poll(() => items.nth(0).locator('.history-query').textContent())
      .toBe('How are companies measuring returns on AI projects?');
    await expect.poll(() => items.nth(1).textContent()).toContain('rated 4 of 5');
    await items.nth(1).click();
    await expect.poll(() => page.locator('#tab-test').isVisible()).toBe(true);
    // The History panel hides; the keyboard lands on the Test tab, not on <body>.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('tab-button-test');
    await expect.poll(() => page.locator('.test-result-head strong').textContent()).toBe(QUERY);
    await expect
      .poll(() => page.locator('#test-notes').inputValue())
      .toBe('Good citations; <b>too long</b>.');
    await expect.poll(() => page.locator('.rating-stars [data-rating="4"] input').isChecked()).toBe(true);
    await e.screenshot(page, 'workshop-test');
  });

  it('compare: figures per prompt text, and two runs side by side with the prompt diff', async () => {
    // A third run, on a changed text.
    await tab('draft');
    await page.click('#draft-content .cm-content');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nName the sources in a closing list.');
    await waitSaved();
    await tab('test');
    await page.fill('#test-query', 'Which sectors adopt AI the fastest this year?');
    await page.click('#run-test');
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('3');
    await tab('history');
    const summary = page.locator('#prompt-text-summary tbody tr');
    await expect.poll(() => summary.count()).toBe(2);
    await expect.poll(() => summary.nth(0).locator('th').textContent()).toBe('Text 2 (latest tested)');
    await expect
      .poll(() => summary.nth(1).locator('td').allTextContents())
      .toEqual(['2', '4.0 (1 rated)', expect.stringMatching(/ms|s$/), expect.any(String)]);

    // The first and the latest run: A is the earlier one, and the diff shows the added line.
    const picks = page.locator('#test-history-list input[data-compare]');
    await expect.poll(() => picks.count()).toBe(3);
    await picks.nth(0).check();
    await picks.nth(2).check();
    await page.waitForSelector('#test-compare');
    // The hint is a live region, so a screen reader hears that the comparison opened below.
    await expect.poll(() => page.locator('#compare-hint').getAttribute('aria-live')).toBe('polite');
    await expect
      .poll(() => page.locator('#compare-hint').textContent())
      .toContain('Comparing the two ticked runs');
    await expect
      .poll(() => page.locator('#compare-metrics [data-row="Query"] td').allTextContents())
      .toEqual([QUERY, 'Which sectors adopt AI the fastest this year?', '']);
    await expect
      .poll(() => page.locator('#compare-metrics [data-row="Rating"] td').allTextContents())
      .toEqual(['4 of 5', 'not rated', '']);
    await expect
      .poll(() => page.locator('#compare-metrics [data-row="Result"] td').allTextContents())
      .toEqual(['answered', 'answered', '']);
    await expect.poll(() => page.locator('#compare-prompt-diff .diff-removed').count()).toBe(0);
    await expect
      .poll(() => page.locator('#compare-prompt-diff .diff-added').allTextContents())
      .toEqual(['+ added: Name the sources in a closing list.\n']);
    await expect.poll(() => page.locator('#compare-answer-a').textContent()).toContain('skills gaps');
    await e.screenshot(page, 'workshop-compare');

    // A third tick replaces the older pick: the first run against the second, same text.
    await picks.nth(1).check();
    await expect.poll(() => picks.nth(0).isChecked()).toBe(false);
    await page.waitForSelector('#compare-prompt-same');
    await page.click('#close-compare');
    await page.locator('#test-compare').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('compare-hint');
  });

  it('feedback saves itself: after a pause, and when another run is opened', async () => {
    const runs = async () =>
      (await api(`/api/auspex/prompts/workshop/drafts/${draftId}/tests`)).test_results as {
        user_rating: number | null;
        notes: string | null;
      }[];
    await tab('history');
    const items = page.locator('#test-history-list .history-item');
    await items.nth(0).click();
    await expect
      .poll(() => page.locator('.test-result-head strong').textContent())
      .toBe('Which sectors adopt AI the fastest this year?');
    await page.click('.rating-stars [data-rating="5"]');
    await expect.poll(async () => (await runs())[0].user_rating).toBe(5);
    await expect.poll(() => page.locator('#feedback-status').textContent()).toBe('Feedback saved');
    await page.fill('#test-notes', 'Kept without pressing Save.');
    await tab('history');
    await items.nth(1).click();
    // The other run is shown, untouched, and the first run's notes are stored.
    await expect
      .poll(() => page.locator('.test-result-head strong').textContent())
      .toBe('How are companies measuring returns on AI projects?');
    await expect.poll(() => page.locator('#test-notes').inputValue()).toBe('');
    await expect.poll(async () => (await runs())[0].notes).toBe('Kept without pressing Save.');
    await expect.poll(async () => (await runs())[1]).toMatchObject({ user_rating: null, notes: null });
    // Opened again at once, the first run shows what was just saved.
    await tab('history');
    await items.nth(0).click();
    await expect.poll(() => page.locator('#test-notes').inputValue()).toBe('Kept without pressing Save.');
    await expect.poll(() => page.locator('.rating-stars [data-rating="5"] input').isChecked()).toBe(true);
  });

  it('10. update the draft status', async () => {
    await tab('draft');
    await page.selectOption('#draft-status', 'ready');
    await waitSaved();
    expect((await draft()).status).toBe('ready');
    await expect.poll(() => page.locator('.workshop-title .badge').textContent()).toBe('ready');
  });

  it('XSS: a draft name is shown as text, never run', async () => {
    const evil = '<img src=x onerror="window.__xss=1">Analyst';
    await page.fill('#draft-name', evil);
    await waitSaved();
    await expect.poll(() => page.locator('.workshop-title h1').textContent()).toBe(evil);
    await expect.poll(() => page.locator('.workshop-title h1 img').count()).toBe(0);
    await page.fill('#draft-name', 'Financial analyst');
    await waitSaved();
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });

  it('11. commit the draft: live name check, server errors in the dialog, success link', async () => {
    await page.click('#commit-prompt');
    await page.waitForSelector('#commit-dialog[open]');
    await expect.poll(() => page.locator('#commit-name').inputValue()).toBe('financial_analyst');
    await expect.poll(() => page.locator('#commit-title').inputValue()).toBe('Financial analyst');
    await expect
      .poll(() => page.locator('#commit-description').inputValue())
      .toBe('Financial news analyst with inline citations');
    await page.fill('#commit-name', 'Bad Name!');
    await expect.poll(() => page.locator('#commit-name-hint').textContent()).toMatch(/lower-case/);
    await expect.poll(() => page.locator('#commit-name').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('#confirm-commit').isDisabled()).toBe(true);
    // A name that is taken by a prompt the user does not own: the server's 409 shows in the dialog.
    e.allowHttpError(page, 409, '/commit');
    await page.fill('#commit-name', 'auspex_default');
    await page.click('#confirm-commit');
    await expect
      .poll(() => page.locator('#commit-error').textContent())
      .toMatch(/auspex_default|exists|taken/i);
    committedName = 'financial_analyst_e2e';
    await page.fill('#commit-name', committedName);
    await page.click('#confirm-commit');
    await page.waitForSelector('#commit-success');
    expect((await draft()).status).toBe('committed');
  });

  it('12. verify the prompt appears in the prompt list', async () => {
    await page.click('#commit-library-link');
    await page.waitForURL(`/prompts?name=${committedName}`);
    await expect
      .poll(() =>
        page.locator(`#prompt-list [data-prompt-name="${committedName}"]`).getAttribute('aria-current'),
      )
      .toBe('true');
    await expect.poll(() => page.locator('#prompt-detail-title').textContent()).toBe('Financial analyst');
    await expect
      .poll(() => page.locator('#prompt-content').textContent())
      .toContain('Prefer recent articles.');
    await expect.poll(() => page.locator('#prompt-versions li').count()).toBe(1);
    await e.screenshot(page, 'prompt-library');
  });

  it('13. clone an existing prompt into a new draft', async () => {
    await page.click('#clone-prompt');
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    const cloneId = Number(new URL(page.url()).searchParams.get('draft_id'));
    expect(cloneId).not.toBe(draftId);
    await page.waitForSelector('#draft-content .cm-content');
    await expect.poll(() => editorText(page)).toContain('Prefer recent articles.');
    await expect
      .poll(() => page.locator('.workshop-title').textContent())
      .toContain(`cloned from ${committedName}`);
    await page.waitForSelector('.workshop-message.assistant');
    // The opening is the app's message, with the cloned prompt as a code block, not raw fences.
    const opening = page.locator('#workshop-messages .workshop-message').first();
    await expect
      .poll(() => opening.locator('.message-role').textContent())
      .toBe('Sent for you by Prompt Workshop');
    await expect.poll(() => opening.locator('pre code').textContent()).toContain('Prefer recent articles.');
    expect(await opening.textContent()).not.toContain('```');
  });

  it('14. delete a draft (asks first)', async () => {
    const cloneId = Number(new URL(page.url()).searchParams.get('draft_id'));
    await page.click('[href="/drafts"]');
    await page.waitForURL('/drafts');
    const item = page.locator(`[data-draft-id="${cloneId}"]`);
    await item.locator('button', { hasText: 'Delete' }).click();
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-cancel');
    await expect.poll(() => item.count()).toBe(1);
    await item.locator('button', { hasText: 'Delete' }).click();
    await page.click('#confirm-ok');
    await item.waitFor({ state: 'detached' });
    const res = await page.request.get(`/api/auspex/prompts/workshop/drafts/${cloneId}`);
    expect(res.status()).toBe(404);
  });

  it('15. close the workshop: saves and returns to My drafts', async () => {
    await page.goto(`/prompt-workshop?draft_id=${draftId}`);
    await page.waitForSelector('#draft-content .cm-content');
    await page.fill('#draft-description', 'Closed with a last edit');
    await page.click('#close-workshop');
    await page.waitForURL('/drafts');
    expect((await draft()).draft_description).toBe('Closed with a last edit');
    await expect
      .poll(() => page.locator(`[data-draft-id="${draftId}"]`).textContent())
      .toContain('Financial analyst');
  });

  it('leaving for another page of the app saves first', async () => {
    await page.goto(`/prompt-workshop?draft_id=${draftId}`);
    await page.waitForSelector('#draft-content .cm-content');
    await page.fill('#draft-description', 'Saved on the way out');
    expect(await saveState()).toBe('dirty');
    await page.click('nav[aria-label="Main"] >> text=Prompt library');
    await page.waitForURL('/prompts');
    expect((await draft()).draft_description).toBe('Saved on the way out');
  });

  it('409: two pages editing one draft; reload theirs, or overwrite with mine', async () => {
    // Another browser profile: tabs of one profile hear of each other's saves (BroadcastChannel,
    // test/e2e/workshop-editing.test.ts); across profiles the stale save's 409 is what tells.
    const otherContext = await e.browser.newContext({
      baseURL: e.baseUrl,
      viewport: { width: 1366, height: 900 },
    });
    const other = await e.newPage(otherContext);
    try {
      e.allowHttpError(page, 409, `/drafts/${draftId}`);
      e.allowHttpError(other, 409, `/drafts/${draftId}`);
      await page.goto(`/prompt-workshop?draft_id=${draftId}`);
      await other.goto(`/prompt-workshop?draft_id=${draftId}`);
      await e.signIn(other);
      await page.waitForSelector('#draft-content .cm-content');
      await other.waitForSelector('#draft-content .cm-content');

      await other.fill('#draft-description', 'Edited in the other tab');
      await other.click('#save-draft');
      await other.waitForSelector('#save-state[data-state="saved"]');
      await page.fill('#draft-description', 'Edited in this tab');
      await page.click('#save-draft');
      await page.waitForSelector('#draft-conflict');
      expect(await saveState()).toBe('conflict');
      // What differs is shown before the choice.
      await expect
        .poll(() =>
          page.locator('#conflict-fields [data-field="draft_description"] [data-side]').allTextContents(),
        )
        .toEqual(['Edited in the other tab', 'Edited in this tab']);
      await page.waitForSelector('#conflict-content-same');
      await e.screenshot(page, 'workshop-conflict');
      await page.click('#conflict-reload');
      await expect
        .poll(() => page.locator('#draft-description').inputValue())
        .toBe('Edited in the other tab');
      await waitSaved();

      // Again, and this time keep this tab's version.
      await other.reload();
      await other.waitForSelector('#draft-content .cm-content');
      await setEditorText(other, `${PROPOSED}\nFrom the other tab.`);
      await other.click('#save-draft');
      await other.waitForSelector('#save-state[data-state="saved"]');
      await setEditorText(page, `${PROPOSED}\nFrom this tab.`);
      await page.waitForSelector('#draft-conflict');
      await expect
        .poll(() => page.locator('#conflict-diff .diff-line:not(.diff-same)').allTextContents())
        .toEqual(['- removed: From the other tab.\n', '+ added: From this tab.\n']);
      // Word by word inside the changed line: only what differs is marked.
      await expect
        .poll(() => page.locator('#conflict-diff .diff-word').allTextContents())
        .toEqual(['the', 'other ', 'this']);
      await page.click('#conflict-overwrite');
      await waitSaved();
      expect((await draft()).draft_content).toBe(`${PROPOSED}\nFrom this tab.`);
      expect(e.problems(other)).toEqual([]);
    } finally {
      await otherContext.close();
    }
  });
});
