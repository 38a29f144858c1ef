import type { Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUTOSAVE_DELAY_MS } from '../../src/web/pages/workshop/use-draft-editor';
import { checkPage, type E2e, editorText, FAKE_MODEL, setEditorText, startE2e } from './harness';

// Workshop editing that must survive the browser: a reload inside the autosave window, Ctrl+S,
// two tabs on one draft, the Test tab after a reload, and rating notes in History and the comparison.

const PROMPT = [
  'You are Auspex, a research analyst for technology news.',
  'Answer from the retrieved articles only and cite each one as [Title](URL).',
  'Say plainly what the articles do not cover.',
].join('\n');
const QUERY = 'Which risks do companies report when adopting AI?';
const BASE = '/api/auspex/prompts/workshop/drafts';

describe('workshop editing in a real browser', () => {
  let e: E2e;
  let page: Page;
  let draftId: number;

  const draft = async () => {
    const res = await page.request.get(`${BASE}/${draftId}`);
    expect(res.status()).toBe(200);
    return res.json();
  };
  const open = async (p: Page) => {
    await p.goto(`/prompt-workshop?draft_id=${draftId}`);
    await p.waitForSelector('#draft-content .cm-content');
  };
  const typeAtEnd = async (p: Page, text: string) => {
    await p.click('#draft-content .cm-content');
    await p.keyboard.press('ControlOrMeta+End');
    await p.keyboard.type(text);
  };
  /** Changes the draft behind the page's back (no tab hears of it). */
  const putBehind = async (body: Record<string, string>) => {
    const { revision } = await draft();
    const res = await page.request.put(`${BASE}/${draftId}`, { data: { ...body, revision } });
    expect(res.status()).toBe(200);
  };
  const tab = (p: Page, name: 'draft' | 'test' | 'history') => p.click(`[data-bs-target="#tab-${name}"]`);
  /** A draft of its own with a run of each query (offline model), stored through the API; its id. */
  const draftWithRuns = async (queries: string[]) => {
    const start = await page.request.post('/api/auspex/prompts/workshop/start', { data: {} });
    expect(start.status()).toBe(201);
    const id: number = (await start.json()).draft_id;
    expect((await page.request.put(`${BASE}/${id}`, { data: { draft_content: PROMPT } })).status()).toBe(200);
    for (const test_query of queries) {
      const data = { test_query, topic: 'AI Adoption', model: 'offline:demo' };
      expect((await page.request.post(`${BASE}/${id}/test`, { data })).status()).toBe(200);
    }
    return id;
  };

  beforeAll(async () => {
    // The paged-history test stores 23 runs at once, past the default 20 model calls a minute.
    e = await startE2e({ MODEL_CALLS_PER_MINUTE: '100' });
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
    // A reload with unsaved changes asks first (beforeunload); a user who reloads says yes.
    page.on('dialog', (d) => void d.accept());
    await page.goto('/prompt-workshop');
    await e.signIn(page);
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    draftId = Number(new URL(page.url()).searchParams.get('draft_id'));
    await page.waitForSelector('#draft-content .cm-content');
    await setEditorText(page, PROMPT);
    await page.waitForSelector('#save-state[data-state="saved"]');
  });
  afterEach(async (ctx) => {
    await checkPage(e, page, 'editing', ctx.task);
  });
  afterAll(async () => e?.close());

  it('an edit typed just before a reload is back after it', async () => {
    await typeAtEnd(page, '\nLast words before the reload.');
    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
    // Either the keepalive save got there, or the local copy is offered: both bring the edit back.
    await expect
      .poll(async () => {
        if (await page.locator('#recovered-restore').isVisible()) await page.click('#recovered-restore');
        return editorText(page);
      })
      .toBe(`${PROMPT}\nLast words before the reload.`);
    await expect
      .poll(async () => (await draft()).draft_content)
      .toBe(`${PROMPT}\nLast words before the reload.`);
    await expect.poll(() => page.locator('#draft-recovered').count()).toBe(0);
  });

  it('edits the server refused on leaving are offered for restore, saying the draft moved on', async () => {
    await open(page);
    const before = await editorText(page);
    // Another client changes the description; this page still holds the older revision, so its
    // keepalive save on reload answers 409 and only the local copy keeps the edit.
    await putBehind({ draft_description: 'Changed elsewhere' });
    e.allowHttpError(page, 409, `${BASE}/${draftId}`);
    await typeAtEnd(page, '\nKept in this browser.');
    await page.reload();
    await page.waitForSelector('#draft-recovered');
    await expect
      .poll(() => page.locator('#draft-recovered-text').textContent())
      .toMatch(/^Unsaved changes from .+ were found\.$/);
    await expect
      .poll(() => page.locator('#draft-recovered-moved').textContent())
      .toMatch(/saved again since/);
    await expect.poll(() => editorText(page)).toBe(before);
    await page.click('#recovered-restore');
    await page.waitForSelector('#save-state[data-state="saved"]');
    await expect.poll(() => editorText(page)).toBe(`${before}\nKept in this browser.`);
    // Only the field edited here is restored: the newer description stays.
    await expect
      .poll(async () => {
        const d = await draft();
        return [d.draft_content, d.draft_description];
      })
      .toEqual([`${before}\nKept in this browser.`, 'Changed elsewhere']);
    // Once the server has it, the copy is gone: the next visit offers nothing.
    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
    await expect.poll(() => editorText(page)).toBe(`${before}\nKept in this browser.`);
    await expect.poll(() => page.locator('#draft-recovered').count()).toBe(0);
  });

  it('Discard drops the local copy and keeps the server text', async () => {
    await open(page);
    const before = await editorText(page);
    await putBehind({ draft_description: 'Changed elsewhere again' });
    await typeAtEnd(page, '\nThrown away.');
    await page.reload();
    await page.waitForSelector('#draft-recovered');
    await page.click('#recovered-discard');
    await expect.poll(() => page.locator('#draft-recovered').count()).toBe(0);
    await expect.poll(() => editorText(page)).toBe(before);
    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
    await expect.poll(() => page.locator('#draft-recovered').count()).toBe(0);
  });

  it('Ctrl+S saves at once, instead of opening the browser’s save dialog', async () => {
    await open(page);
    const before = await editorText(page);
    await typeAtEnd(page, '\nSaved with Ctrl+S.');
    await page.keyboard.press('Control+s');
    // Sooner than the autosave could have.
    await expect
      .poll(async () => (await draft()).draft_content, { timeout: AUTOSAVE_DELAY_MS - 500 })
      .toBe(`${before}\nSaved with Ctrl+S.`);
    const prevented = await page.evaluate(() => {
      const ev = new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true, cancelable: true });
      document.querySelector('#draft-content .cm-content')?.dispatchEvent(ev);
      return ev.defaultPrevented;
    });
    expect(prevented).toBe(true);
  });

  it('two tabs: one with nothing unsaved follows the other; one with unsaved edits sees the diff first', async () => {
    const other = await e.newPage();
    try {
      const puts: Request[] = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT') puts.push(r);
      });
      await open(page);
      await open(other);
      const before = await editorText(page);

      // Nothing unsaved here: the other tab's save shows up quietly.
      await setEditorText(other, `${before}\nFrom the other tab.`);
      await other.click('#save-draft');
      await other.waitForSelector('#save-state[data-state="saved"]');
      await expect.poll(() => editorText(page)).toBe(`${before}\nFrom the other tab.`);
      await expect.poll(() => page.locator('#save-state').getAttribute('data-state')).toBe('saved');
      expect(await page.locator('#draft-conflict').count()).toBe(0);

      // Unsaved edits here: the choice comes with what differs, before this tab tries to save.
      await setEditorText(other, `${before}\nSecond from the other tab.`);
      await page.fill('#draft-description', 'Edited in this tab');
      await other.click('#save-draft');
      await page.waitForSelector('#draft-conflict');
      await expect
        .poll(() => page.locator('#conflict-diff .diff-removed').allTextContents())
        .toEqual(['- removed: Second from the other tab.\n']);
      await expect
        .poll(() => page.locator('#conflict-diff .diff-added').allTextContents())
        .toEqual(['+ added: From the other tab.\n']);
      await expect
        .poll(() =>
          page.locator('#conflict-fields [data-field="draft_description"] [data-side="mine"]').textContent(),
        )
        .toBe('Edited in this tab');
      expect(puts).toEqual([]);

      // Keep mine: the other tab, with nothing unsaved, follows.
      await page.click('#conflict-overwrite');
      await page.waitForSelector('#save-state[data-state="saved"]');
      await expect
        .poll(async () => {
          const d = await draft();
          return [d.draft_content, d.draft_description];
        })
        .toEqual([`${before}\nFrom the other tab.`, 'Edited in this tab']);
      await expect.poll(() => other.locator('#draft-description').inputValue()).toBe('Edited in this tab');
      await expect.poll(() => editorText(other)).toBe(`${before}\nFrom the other tab.`);
      expect(e.problems(other)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('coming back to the window checks for a newer revision', async () => {
    await open(page);
    const before = await editorText(page);
    await putBehind({ draft_content: `${before}\nSaved by another client.` });
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => editorText(page)).toBe(`${before}\nSaved by another client.`);
    await expect.poll(() => page.locator('#save-state').getAttribute('data-state')).toBe('saved');
  });

  it('after a reload the Test tab shows the last run and the form as last used', async () => {
    await open(page);
    await tab(page, 'test');
    await page.selectOption('#test-topic', 'AI Adoption');
    await page.selectOption('#test-model', 'offline:demo');
    await page.fill('#test-limit', '7');
    await page.fill('#test-query', QUERY);
    await page.click('#run-test');
    await page.waitForSelector('#test-metrics');
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('1');

    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
    await tab(page, 'test');
    await expect.poll(() => page.locator('.test-result-head strong').textContent()).toBe(QUERY);
    await expect
      .poll(() => page.locator('#test-metrics [data-metric="articles"]').textContent())
      .toMatch(/ of 7$/);
    await expect
      .poll(async () => [
        await page.locator('#test-query').inputValue(),
        await page.locator('#test-topic').inputValue(),
        await page.locator('#test-model').inputValue(),
        await page.locator('#test-limit').inputValue(),
      ])
      .toEqual([QUERY, 'AI Adoption', 'offline:demo', '7']);
  });

  it('a run opened from History offers Run again with its query, topic, limit and model', async () => {
    await tab(page, 'test');
    await page.fill('#test-query', 'Something else to ask about entirely');
    await page.fill('#test-limit', '12');
    await page.selectOption('#test-model', FAKE_MODEL);
    await tab(page, 'history');
    await page.click(`#test-history-list .history-item >> nth=0`);
    await expect.poll(() => page.locator('.test-result-head strong').textContent()).toBe(QUERY);
    await page.click('#run-again');
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('2');
    await expect
      .poll(async () => [
        await page.locator('#test-query').inputValue(),
        await page.locator('#test-model').inputValue(),
        await page.locator('#test-limit').inputValue(),
      ])
      .toEqual([QUERY, 'offline:demo', '7']);
    const { test_results } = await (await page.request.get(`${BASE}/${draftId}/tests`)).json();
    expect(test_results.map((t: any) => [t.query, t.topic, t.article_limit, t.model])).toEqual([
      [QUERY, 'AI Adoption', 7, 'offline:demo'],
      [QUERY, 'AI Adoption', 7, 'offline:demo'],
    ]);
  });

  it('rating notes show in History and in the comparison, as text, shortened with the whole note at hand', async () => {
    const long = `<b>Bold claim</b> ${'and the answer goes on about budgets '.repeat(6)}until the very end.`;
    const { test_results } = await (await page.request.get(`${BASE}/${draftId}/tests`)).json();
    const [newer, older] = test_results.map((t: any) => t.test_id);
    for (const [id, notes] of [
      [older, long],
      [newer, 'Short note.'],
    ]) {
      const res = await page.request.patch(`${BASE}/${draftId}/tests/${id}`, { data: { notes } });
      expect(res.status()).toBe(200);
    }
    await open(page);
    await tab(page, 'history');
    const notes = page.locator('#test-history-list .history-item .run-notes');
    await expect
      .poll(() => notes.allTextContents())
      .toEqual([
        'Notes: Short note.',
        expect.stringMatching(/^Notes: <b>Bold claim<\/b> and the answer goes on.*…$/),
      ]);
    await expect.poll(() => notes.nth(1).getAttribute('title')).toBe(long);
    expect(await page.locator('#test-history-list b').count()).toBe(0);

    const picks = page.locator('#test-history-list input[data-compare]');
    await picks.nth(0).check();
    await picks.nth(1).check();
    await page.waitForSelector('#test-compare');
    const row = page.locator('#compare-metrics [data-row="Notes"] td');
    await expect.poll(() => row.nth(1).textContent()).toBe('Short note.');
    const details = row.nth(0).locator('details');
    await expect.poll(() => details.locator('summary').textContent()).toMatch(/^<b>Bold claim<\/b> .*…$/);
    await details.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => details.locator('.run-notes-full').textContent()).toBe(long);
    await expect.poll(() => details.locator('.run-notes-full').isVisible()).toBe(true);
    expect(await page.locator('#test-compare b').count()).toBe(0);
  });

  it('keeps what was typed when it breaks a limit, says why under the field, and holds Commit', async () => {
    await open(page);
    await tab(page, 'draft');
    const long = 'N'.repeat(300);
    await page.fill('#draft-name', long);
    await expect.poll(() => page.locator('#draft-name').inputValue()).toBe(long);
    await expect
      .poll(() => page.locator('#draft-name-error').textContent())
      .toBe('Name must be 3–100 characters (now 300)');
    await expect
      .poll(() => page.locator('#save-state').textContent())
      .toMatch(/Not saved: Name must be 3–100 characters$/);
    await expect.poll(() => page.locator('#commit-prompt').isDisabled()).toBe(true);
    // A name of spaces leaves a heading people can read.
    await page.fill('#draft-name', '   ');
    await expect.poll(() => page.locator('.workshop-title h1').textContent()).toBe('Untitled draft');
    await page.fill('#draft-name', 'Limits draft');
    await expect.poll(() => page.locator('#draft-name-error').textContent()).toBe('12 / 100 characters');
    await page.waitForSelector('#save-state[data-state="saved"]');
    await expect.poll(() => page.locator('#commit-prompt').isDisabled()).toBe(false);
    // The prompt's limit is in its counter before it is passed.
    await expect.poll(() => page.locator('#char-count').textContent()).toMatch(/ of 50,000 characters/);

    await tab(page, 'test');
    for (const value of ['0', '2.5', '5000']) {
      await page.fill('#test-limit', value);
      await page.locator('#test-query').click();
      await expect.poll(() => page.locator('#test-limit').inputValue()).toBe(value);
      await expect
        .poll(() => page.locator('#test-limit-hint').textContent())
        .toBe('Articles must be a whole number from 5 to 200.');
      await expect.poll(() => page.locator('#run-test').isDisabled()).toBe(true);
    }
    await page.fill('#test-limit', '10');
    await expect.poll(() => page.locator('#test-limit-hint').textContent()).toBe('5–200');
  });

  it('History shows the 20 newest runs, "Show older tests" the rest, and ticks compare across pages', async () => {
    // A draft of its own with 23 runs, stored through the API: through the form they would take minutes.
    const start = await page.request.post('/api/auspex/prompts/workshop/start', { data: {} });
    expect(start.status()).toBe(201);
    const id: number = (await start.json()).draft_id;
    expect((await page.request.put(`${BASE}/${id}`, { data: { draft_content: PROMPT } })).status()).toBe(200);
    for (let i = 0; i < 23; i++) {
      const data = { test_query: `Paged history question ${i}`, topic: 'AI Adoption', model: 'offline:demo' };
      expect((await page.request.post(`${BASE}/${id}/test`, { data })).status()).toBe(200);
    }
    const { test_results } = await (await page.request.get(`${BASE}/${id}/tests?limit=100`)).json();
    const queries: string[] = test_results.map((t: { query: string }) => t.query);
    const ids: string[] = test_results.map((t: { test_id: string }) => t.test_id);
    expect(queries).toHaveLength(23);

    await page.goto(`/prompt-workshop?draft_id=${id}`);
    await page.waitForSelector('#draft-content .cm-content');
    await expect.poll(() => page.locator('#test-count').textContent()).toBe('23');
    await tab(page, 'history');
    const shown = page.locator('#test-history-list .history-query');
    await expect.poll(() => shown.allTextContents()).toEqual(queries.slice(0, 20));
    const more = page.locator('#show-older-tests');
    await page.locator('#test-history-list input[data-compare]').nth(0).check();

    // Held back, the older page shows the button busy.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route(/\/tests\?before=/, async (route) => {
      await held;
      await route.continue();
    });
    await more.click();
    await expect.poll(() => more.getAttribute('aria-busy')).toBe('true');
    await expect
      .poll(() => page.locator('.history-more [role="status"]').textContent())
      .toBe('Loading older tests');
    release();
    await expect.poll(() => shown.allTextContents()).toEqual(queries);
    await page.unroute(/\/tests\?before=/);
    // The last page has no button; the keyboard lands on the first of the older runs.
    await expect.poll(() => more.count()).toBe(0);
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testId))
      .toBe(ids[20]);

    // The oldest run, on the second page, against the newest one ticked on the first.
    await page.locator('#test-history-list input[data-compare]').nth(22).check();
    await page.waitForSelector('#test-compare');
    await expect
      .poll(() => page.locator('#compare-metrics [data-row="Query"] td').allTextContents())
      .toEqual([queries[22], queries[0], '']);
  });

  it('the comparison scrolls into view and takes the keyboard as it opens, and fits a phone’s width', async () => {
    // Enough runs that the comparison opens below the fold; one query holds a long unbroken URL.
    const url = 'https://news.example.com/2026/ai-adoption-risks-survey-results-full-report';
    const id = await draftWithRuns([
      `What does ${url} say about risks?`,
      ...Array.from({ length: 8 }, (_, i) => `Comparison question number ${i} about AI`),
    ]);
    try {
      for (const width of [1366, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`/prompt-workshop?draft_id=${id}`);
        await page.waitForSelector('#draft-content .cm-content');
        await tab(page, 'history');
        const picks = page.locator('#test-history-list input[data-compare]');
        await picks.nth(0).check();
        await picks.nth(8).check();
        await page.waitForSelector('#test-compare');
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('test-compare-title');
        await expect
          .poll(() =>
            page.locator('#test-compare-title').evaluate((h) => {
              const r = h.getBoundingClientRect();
              return r.top >= 0 && r.bottom <= window.innerHeight;
            }),
          )
          .toBe(true);
        // Neither the page nor the table of figures is wider than the screen.
        await expect
          .poll(() =>
            page.evaluate(() => ({
              pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              tableFits:
                document.querySelector('#compare-metrics')!.getBoundingClientRect().right <=
                document.documentElement.clientWidth,
            })),
          )
          .toEqual({ pageOverflow: 0, tableFits: true });
        await expect
          .poll(() => page.locator('#compare-metrics [data-row="Query"] td').first().textContent())
          .toBe(`What does ${url} say about risks?`);
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('a rating shows in History at once, before its autosave; a failed save keeps it, with the error', async () => {
    const id = await draftWithRuns([QUERY]);
    await page.goto(`/prompt-workshop?draft_id=${id}`);
    await page.waitForSelector('#draft-content .cm-content');
    await tab(page, 'test');
    await expect.poll(() => page.locator('.test-result-head strong').textContent()).toBe(QUERY);
    // The page logs, in order, when History first shows the rating and when a save goes out.
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { feedbackLog: string[] }).feedbackLog = log;
      const list = document.querySelector('#test-history-list')!;
      new MutationObserver(() => {
        if (list.textContent?.includes('rated 3 of 5') && !log.includes('history')) log.push('history');
      }).observe(list, { subtree: true, childList: true, characterData: true });
      const fetch = window.fetch;
      window.fetch = (input, init) => {
        if (init?.method === 'PATCH') log.push('save');
        return fetch(input, init);
      };
    });
    const feedbackLog = () =>
      page.evaluate(() => (window as unknown as { feedbackLog: string[] }).feedbackLog);
    // The save is held back until the History has been looked at.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const saves = new RegExp(`${BASE}/${id}/tests/`);
    await page.route(saves, async (route) => {
      await held;
      await route.continue();
    });
    await page.click('.rating-stars [data-rating="3"]');
    await tab(page, 'history');
    const row = page.locator('#test-history-list .history-item').first();
    await expect.poll(() => row.textContent()).toContain('rated 3 of 5');
    await expect.poll(feedbackLog).toEqual(['history', 'save']);
    release();
    await expect
      .poll(
        async () =>
          (await (await page.request.get(`${BASE}/${id}/tests`)).json()).test_results[0].user_rating,
      )
      .toBe(3);
    await page.unroute(saves);

    // A save the server refuses: the Test tab keeps the new rating and says why; History shows what is stored.
    e.allowHttpError(page, 500, `${BASE}/${id}/tests/`);
    await page.route(saves, (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"detail":"The database is busy"}',
      }),
    );
    await tab(page, 'test');
    await page.click('.rating-stars [data-rating="2"]');
    await tab(page, 'history');
    await expect.poll(() => row.textContent()).toContain('rated 2 of 5');
    await tab(page, 'test');
    await expect
      .poll(() => page.locator('#feedback-status[role="alert"]').textContent())
      .toBe('The database is busy');
    await expect.poll(() => page.locator('.rating-stars [data-rating="2"] input').isChecked()).toBe(true);
    await expect.poll(() => row.textContent()).toContain('rated 3 of 5');
    await page.unroute(saves);
    await page.click('#save-test-feedback');
    await expect.poll(() => page.locator('#feedback-status').textContent()).toBe('Feedback saved');
    await expect.poll(() => row.textContent()).toContain('rated 2 of 5');
  });

  it('the rating comes right after the answer, before the list of cited articles, at 1366 and 390 px', async () => {
    const id = await draftWithRuns([QUERY]);
    try {
      for (const width of [1366, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`/prompt-workshop?draft_id=${id}`);
        await page.waitForSelector('#draft-content .cm-content');
        await tab(page, 'test');
        await page.waitForSelector('#citation-list');
        await expect.poll(() => page.locator('.test-response-box + fieldset.feedback').count()).toBe(1);
        // On screen too: below the answer, with nothing between, and above the article list.
        await expect
          .poll(() =>
            page.evaluate(() => {
              const box = (s: string) => document.querySelector(s)!.getBoundingClientRect();
              const answer = box('.test-response-box');
              const feedback = box('fieldset.feedback');
              return {
                belowAnswer: feedback.top >= answer.bottom && feedback.top - answer.bottom < 32,
                aboveArticles: feedback.bottom <= box('#citation-list').top,
              };
            }),
          )
          .toEqual({ belowAnswer: true, aboveArticles: true });
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });
});
