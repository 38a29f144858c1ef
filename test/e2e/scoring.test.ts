import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type E2e, startE2e } from './harness';

// Scoring in a real browser: a suite whose cases carry assertions, run on the offline model; the
// scores and citation marks of a cell, a human review by keyboard that survives a reload, j to the
// next cell, the review queue, re-scoring and the suite's own scoring.

const CASES = [
  {
    query: 'What do companies say about adopting AI in 2025?',
    topic: 'AI Adoption',
    // The offline model says it is the offline demo in every answer: this passes.
    assertions: [{ type: 'icontains', value: 'OFFLINE DEMO' }],
  },
  {
    query: 'Which risks of AI adoption do the articles mention?',
    topic: 'AI Adoption',
    assertions: [{ type: 'contains', value: 'a phrase no answer contains' }],
  },
];

describe('scoring every cell in a real browser', () => {
  let e: E2e;
  let page: Page;
  let suiteId = 0;
  let runId = 0;
  const cellIds: number[] = [];

  beforeAll(async () => {
    e = await startE2e();
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await e.signIn(page);
    const suite = await page.request.post('/api/evals/suites', {
      data: { name: 'Scored questions', cases: CASES },
    });
    expect(suite.status()).toBe(201);
    suiteId = (await suite.json()).id;
    const run = await page.request.post('/api/evals/runs', {
      data: { suite_id: suiteId, variants: [{ prompt: 'auspex_default', model: 'offline:demo' }] },
    });
    expect(run.status()).toBe(202);
    runId = (await run.json()).id;
  });
  afterEach(async (ctx) => {
    await checkPage(e, page, 'scoring', ctx.task);
  });
  afterAll(async () => e?.close());

  it('the matrix marks each cell passed or failed, and the table gives the pass rate', async () => {
    await page.goto(`/evals/runs/${runId}`);
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 30_000 }).toBe('done');
    await expect
      .poll(() =>
        page.locator('#results-matrix .matrix-cell').evaluateAll((els) => els.map((b) => b.ariaLabel)),
      )
      .toEqual(['Case 1, variant 1: ok, passed, score 1.00', 'Case 2, variant 1: ok, failed, score 0.00']);
    await expect
      .poll(() => page.locator('#results-matrix .badge.verdict-pass').getAttribute('title'))
      .toBe('Score 1.00');
    await expect
      .poll(() => page.locator('#run-aggregates .agg-pass-rate').textContent())
      .toBe('50% (1 of 2)');
    const cells = await (await page.request.get(`/api/evals/runs/${runId}/cells`)).json();
    cellIds.push(...cells.cells.map((c: { id: number }) => c.id));
    expect(cellIds).toHaveLength(2);
  });

  it('a cell shows its score row and its citations marked with the reason', async () => {
    await page.getByRole('button', { name: 'Case 1, variant 1: ok, passed' }).click();
    await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 1 · variant 1');
    await expect.poll(() => new URL(page.url()).searchParams.get('cell')).toBe(String(cellIds[0]));
    await expect
      .poll(() =>
        page
          .locator('#cell-scores tbody tr')
          .evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 5).map((c) => c.textContent))),
      )
      .toEqual([['icontains', 'case', 'pass', '1.00', '1']]);
    await expect.poll(() => page.locator('#cell-verdict .badge').textContent()).toBe('passed');

    // The offline brief cites the articles it was given: every link is marked grounded.
    const marks = page.locator('#cell-answer a.citation-mark');
    await expect.poll(() => marks.count()).toBeGreaterThan(0);
    await expect
      .poll(() => marks.evaluateAll((as) => as.map((a) => a.classList.contains('citation-grounded'))))
      .not.toContain(false);
    const first = marks.first();
    await expect.poll(() => first.getAttribute('data-grounding-reason')).toMatch(/^Grounded: \S/);
    // Its reason is also in the list under the answer, which the link names as its description.
    const describedBy = (await first.getAttribute('aria-describedby')) ?? '';
    await expect
      .poll(() => page.locator(`#${describedBy}`).textContent())
      .toContain((await first.getAttribute('data-grounding-reason'))?.replace(/^Grounded: /, ''));
    await expect.poll(() => page.locator('#grounding-precision').textContent()).toBe('100%');
    await expect.poll(() => page.locator('#grounding-invented').textContent()).toBe('0');
    await expect
      .poll(() => page.locator('#cell-shortcuts').textContent())
      .toContain('j / k next / previous cell');
    await e.screenshot(page, 'scoring-cell');
  });

  it('p and 4 review the cell; notes save on leaving the box; a reload shows it all stored', async () => {
    await page.locator('#cell-title').click();
    await page.keyboard.press('p');
    await page.keyboard.press('4');
    await expect.poll(() => page.locator('#review-pass').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('#review-rating').textContent()).toContain('4 of 5');
    // f typed in the notes is text, not a shortcut.
    await page.fill('#review-notes', 'Cites its sources; plain prose');
    await page.locator('#review-notes').press('f');
    await page.locator('#review-notes').press('Tab');
    await expect.poll(() => page.locator('#review-state').textContent()).toMatch(/^Saved /);
    await expect.poll(() => page.locator('#review-fail').getAttribute('aria-pressed')).toBe('false');

    const stored = async () => {
      const res = await page.request.get(`/api/evals/runs/${runId}/cells/${cellIds[0]}`);
      const { reviews } = await res.json();
      return reviews.map((r: Record<string, unknown>) => [r.reviewer, r.pass, r.rating, r.notes]);
    };
    await expect.poll(stored).toEqual([[expect.any(String), true, 4, 'Cites its sources; plain prosef']]);

    await page.reload();
    await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 1 · variant 1');
    await expect.poll(() => page.locator('#review-pass').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('#review-rating').textContent()).toContain('4 of 5');
    await expect
      .poll(() => page.locator('#review-notes').inputValue())
      .toBe('Cites its sources; plain prosef');
  });

  it('j opens the next cell in the matrix order, k the one before', async () => {
    await page.locator('#cell-title').click();
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 2 · variant 1');
    await expect.poll(() => new URL(page.url()).searchParams.get('cell')).toBe(String(cellIds[1]));
    await expect.poll(() => page.locator('#cell-scores tbody tr th').allTextContents()).toEqual(['contains']);
    await expect.poll(() => page.locator('#review-pass').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 1 · variant 1');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#cell-dialog').isVisible()).toBe(false);
    await expect.poll(() => new URL(page.url()).searchParams.get('cell')).toBe(null);
  });

  it('the review queue lists the unreviewed cell and opens it', async () => {
    await page.getByRole('tab', { name: 'Review' }).click();
    await expect.poll(() => page.locator('#queue-total').textContent()).toBe('1 cell to review');
    await expect.poll(() => page.locator('#queue-table tbody th').allTextContents()).toEqual(['Case 2 · V1']);
    await page.check('#queue-disagreements');
    // No judge in this run, so no judge can disagree with an assertion.
    await expect
      .poll(() => page.locator('#queue-total').textContent())
      .toBe('No unreviewed cell where a judge and an assertion disagree.');
    await page.uncheck('#queue-disagreements');
    await page.getByRole('button', { name: 'Case 2 · V1' }).click();
    await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 2 · variant 1');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#agreement-empty').isVisible()).toBe(true);
  });

  it('re-scoring checks the assertions JSON first, then scores the stored answers again', async () => {
    await page.fill('#rescore-assertions', '[{"type":"telepathy"}]');
    await page.click('#rescore-submit');
    await expect
      .poll(() => page.locator('#rescore-error').textContent())
      .toBe('assertions.0.type: unknown assertion type');
    await page.fill('#rescore-assertions', '[{"type":"icontains","value":"not in any answer at all"}]');
    await page.click('#rescore-submit');
    await expect.poll(() => page.locator('#rescore-notice').textContent()).toBe('Re-scored 2 cells.');
    await expect
      .poll(() => page.locator('#rescored-summary').textContent())
      .toMatch(/^Last re-scored .+ against suite version 1, with 1 assertion for every case\.$/);
    await expect.poll(() => page.locator('#run-aggregates .agg-pass-rate').textContent()).toBe('0% (0 of 2)');
    await page.getByRole('tab', { name: 'Results' }).click();
    await expect
      .poll(() =>
        page.locator('#results-matrix .matrix-cell').evaluateAll((els) => els.map((b) => b.ariaLabel)),
      )
      .toEqual([
        expect.stringMatching(/^Case 1, variant 1: ok, failed, score /),
        'Case 2, variant 1: ok, failed, score 0.00',
      ]);
  });

  it('the suite page edits the scoring every case gets, as a new version', async () => {
    await page.goto(`/evals/suites/${suiteId}`);
    await expect
      .poll(() => page.locator('#suite-scoring-summary').textContent())
      .toMatch(/^No suite-level assertion\./);
    await page.fill('#suite-assertions', '[{"type":"contains","value":""}]');
    await page.click('#save-suite-scoring');
    await expect
      .poll(() => page.locator('#suite-scoring-error').textContent())
      .toBe('assertions.0.value: value must not be empty');
    await page.fill('#suite-assertions', '[{"type":"icontains","value":"articles","weight":2}]');
    await page.fill('#suite-threshold', '0.5');
    await page.click('#save-suite-scoring');
    await expect
      .poll(() => page.locator('#suite-notice').textContent())
      .toBe('Saved the scoring as version 2.');
    await expect
      .poll(() => page.locator('#suite-scoring-summary').textContent())
      .toBe('1 suite-level assertion. A case passes when its weighted score reaches 0.5.');
    const suite = await (await page.request.get(`/api/evals/suites/${suiteId}`)).json();
    expect(suite.scoring).toEqual({
      assertions: [{ type: 'icontains', value: 'articles', weight: 2 }],
      threshold: 0.5,
    });
  });
});
