import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type E2e, setEditorText, startE2e } from './harness';

// The workshop's single test shows what an evaluation cell shows: its checks and each citation of
// the answer marked green or red with the reason, right after the run and again from History.

const PROMPT = [
  'You are Auspex, a research analyst for technology news.',
  'Answer from the retrieved articles only and cite each one as [Title](URL).',
  'Say plainly what the articles do not cover.',
].join('\n');
const QUERY = 'Which risks do companies report when adopting AI?';
const TOPIC = 'AI Adoption';
const LIMIT = 5;
const INVENTED = 'https://news.example.com/never-published';
const BASE = '/api/auspex/prompts/workshop/drafts';

describe('the workshop test scored in a real browser', () => {
  let e: E2e;
  let page: Page;
  let draftId: number;
  let retrieved: { id: number; url: string };
  let unretrieved: { id: number; url: string };

  const tab = (name: 'draft' | 'test' | 'history') => page.click(`[data-bs-target="#tab-${name}"]`);
  const marks = () =>
    page
      .locator('#test-response a.citation-mark')
      .evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLElement).dataset.grounding]));

  beforeAll(async () => {
    e = await startE2e();
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/prompt-workshop');
    await e.signIn(page);
    await page.waitForURL(/\/prompt-workshop\?draft_id=\d+$/);
    draftId = Number(new URL(page.url()).searchParams.get('draft_id'));
    await page.waitForSelector('#draft-content .cm-content');
    await setEditorText(page, PROMPT);
    await page.waitForSelector('#save-state[data-state="saved"]');
    // Which articles this query retrieves (the same on every run): ask once through the API.
    const probe = await page.request.post(`${BASE}/${draftId}/test`, {
      data: { test_query: QUERY, topic: TOPIC, limit: LIMIT },
    });
    expect(probe.status()).toBe(200);
    const ids: number[] = (await probe.json()).article_ids;
    const article = async (id: number) => {
      const res = await page.request.get(`/api/articles/${id}`);
      return res.status() === 200 ? { id, url: (await res.json()).url as string } : null;
    };
    retrieved = (await article(ids[0]))!;
    for (let id = 1; !unretrieved; id++) if (!ids.includes(id)) unretrieved = (await article(id))!;
    // The page learns of the probe run when it reloads.
    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
  });
  afterEach(async (ctx) => {
    await checkPage(e, page, 'wscore', ctx.task);
  });
  afterAll(async () => e?.close());

  it('a run marks the retrieved citation green, the unretrieved and invented ones red, with reasons', async () => {
    await tab('test');
    await page.selectOption('#test-topic', TOPIC);
    await page.fill('#test-query', QUERY);
    await page.fill('#test-limit', String(LIMIT));
    e.fake.enqueue({
      text: [
        `Skills gaps come first [Retrieved](${retrieved.url}).`,
        '',
        `Data quality follows [Unretrieved](${unretrieved.url}).`,
        '',
        `Budgets are cut [Invented](${INVENTED}).`,
      ].join('\n'),
    });
    await page.click('#run-test');
    await expect.poll(marks).toEqual([
      ['Retrieved', 'grounded'],
      ['Unretrieved', 'unretrieved'],
      ['Invented', 'invented'],
    ]);
    // The retrieved citation opens the in-app article and is green; each reason is on its link.
    const link = (name: string) => page.locator('#test-response').getByRole('link', { name, exact: true });
    await expect
      .poll(() => link('Retrieved').getAttribute('href'))
      .toMatch(new RegExp(`^/articles/${retrieved.id}(\\?|$)`));
    await expect.poll(() => link('Retrieved').getAttribute('class')).toContain('citation-grounded');
    await expect
      .poll(() => link('Unretrieved').getAttribute('data-grounding-reason'))
      .toBe('Not retrieved: in the corpus, but not retrieved for this answer');
    await expect
      .poll(() => link('Invented').getAttribute('data-grounding-reason'))
      .toBe('Invented: in no article of the corpus');
    const describedBy = (await link('Invented').getAttribute('aria-describedby')) ?? '';
    await expect.poll(() => page.locator(`#${describedBy}`).textContent()).toContain(INVENTED);

    // The same checks as the cell view, in its table.
    await expect
      .poll(() =>
        page
          .locator('#test-scoring #cell-scores tbody tr')
          .evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 2).map((c) => c.textContent))),
      )
      .toEqual([
        ['citations-grounded', 'fail'],
        ['citation-coverage', 'pass'],
        ['quotes-verified', 'pass'],
        ['dates-match', 'pass'],
      ]);
    await expect.poll(() => page.locator('#test-verdict .badge').textContent()).toBe('failed');
    await expect.poll(() => page.locator('#grounding-precision').textContent()).toBe('33%');
    await expect.poll(() => page.locator('#grounding-invented').textContent()).toBe('1');
    await expect.poll(() => page.locator('#grounding-coverage').textContent()).toBe('100%');
    await e.screenshot(page, 'workshop-test-scoring');
  });

  it('on a phone each check stacks as a block of labelled values, with nothing to scroll sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const box = page.locator('#test-scoring .table-scroll');
      await expect.poll(() => box.evaluate((b) => b.scrollWidth - b.clientWidth)).toBeLessThanOrEqual(0);
      // Per row: are its cells one under another, and what label does each value carry?
      const rows = () =>
        page.locator('#test-scoring #cell-scores tbody tr').evaluateAll((trs) =>
          trs.map((tr) => {
            const cells = [...tr.children].map((c) => c.getBoundingClientRect());
            return {
              stacked: cells.every((c, i) => i === 0 || c.top >= cells[i - 1].bottom - 1),
              labels: [...tr.querySelectorAll('td')].map((td) => getComputedStyle(td, '::before').content),
            };
          }),
        );
      const row = { stacked: true, labels: ['"Result"', '"Score"', '"Weight"', '"Reason"'] };
      await expect.poll(rows).toEqual([row, row, row, row]);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('History opens a run with its marks, after a reload too; a run that cites nothing fails', async () => {
    await page.reload();
    await page.waitForSelector('#draft-content .cm-content');
    await tab('history');
    const items = page.locator('#test-history-list .history-item');
    await expect.poll(() => items.count()).toBe(2);
    await items.nth(0).click();
    await expect.poll(() => page.locator('#tab-test').isVisible()).toBe(true);
    await expect.poll(marks).toEqual([
      ['Retrieved', 'grounded'],
      ['Unretrieved', 'unretrieved'],
      ['Invented', 'invented'],
    ]);
    // The probe run's default reply cites nothing: no marks, and citations-grounded says why.
    await tab('history');
    await items.nth(1).click();
    await expect.poll(() => page.locator('#test-scoring').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#test-response a.citation-mark').count()).toBe(0);
    await expect
      .poll(() => page.locator('#cell-scores tr[data-type="citations-grounded"] .score-reason').textContent())
      .toBe('answer cites no articles');
  });

  it('“Save as case” puts the test’s query into a new suite, then adds it to that suite again', async () => {
    await page.selectOption('#save-case-suite', 'new');
    await page.fill('#save-case-name', 'Workshop cases');
    await page.click('#save-as-case-submit');
    const notice = page.locator('#save-case-notice');
    await expect.poll(() => notice.textContent()).toBe('Saved as case 1 of Workshop cases (version 1).');
    // The keyboard is still on the button, ready for the next case.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('save-as-case-submit');
    const href = (await notice.locator('a').getAttribute('href'))!;
    expect(href).toMatch(/^\/evals\/suites\/\d+$/);
    // The new suite is now the one chosen: a second click adds to it.
    await expect.poll(() => page.locator('#save-case-name').count()).toBe(0);
    await page.click('#save-as-case-submit');
    await expect.poll(() => notice.textContent()).toBe('Saved as case 2 of Workshop cases (version 2).');
    const suite = await (await page.request.get(`/api${href}`)).json();
    expect(suite.cases).toEqual([
      { query: QUERY, topic: TOPIC },
      { query: QUERY, topic: TOPIC },
    ]);
  });
});
