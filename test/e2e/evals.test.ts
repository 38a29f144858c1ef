import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type E2e, FAKE_MODEL, startE2e } from './harness';

// Evaluations in a real browser: a suite made in the table editor, a bad import, a run of the
// offline model watched to the end, a cell opened; labels, keyboard and phone width.

const QUERIES = [
  'What do companies say about adopting AI in 2025?',
  'Which risks of AI adoption do the articles mention?',
  'How are budgets for AI pilots changing?',
];

describe('evaluations in a real browser', () => {
  let e: E2e;
  let page: Page;
  let suitePath = '';
  let runPath = '';

  beforeAll(async () => {
    e = await startE2e();
    page = await e.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await e.signIn(page);
  });
  afterEach(async (ctx) => {
    await checkPage(e, page, 'evals', ctx.task);
  });
  afterAll(async () => e?.close());

  it('creates a suite and edits its cases in the table; the server’s errors show by row', async () => {
    await page.click('nav[aria-label="Main"] >> text=Evaluations');
    await page.waitForURL('/evals');
    await page.fill('#suite-name', 'AI adoption questions');
    await page.fill('#suite-description', 'What analysts ask every week');
    await page.click('#create-suite');
    await page.waitForURL(/\/evals\/suites\/\d+$/);
    suitePath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator('#suite-version').textContent()).toBe('version 1 · 0 cases');

    for (const [i, query] of QUERIES.entries()) {
      await page.click('#add-case');
      await page.getByLabel(`Query of case ${i + 1}`).fill(i === 1 ? 'Too short' : query);
      await page.getByLabel(`Topic of case ${i + 1}`).selectOption('AI Adoption');
      await page.getByLabel(`Tags of case ${i + 1}`).fill(i === 0 ? 'smoke, weekly' : '');
    }
    e.allowHttpError(page, 400, '/api/evals/suites');
    await page.click('#save-cases');
    await expect
      .poll(() => page.locator('#case-editor tr.has-error .field-error').allTextContents())
      .toEqual(['Query must be 10–1000 characters']);
    await expect
      .poll(() => page.locator('#case-editor-error').textContent())
      .toBe('Case 2: Query must be 10–1000 characters');
    await expect.poll(() => page.locator('#suite-version').textContent()).toBe('version 1 · 0 cases');

    await page.getByLabel('Query of case 2').fill(QUERIES[1]);
    await page.click('#save-cases');
    await expect.poll(() => page.locator('#suite-notice').textContent()).toBe('Saved as version 2.');
    // The editor redraws with the saved cases: the focus goes to what Save did, just under the table.
    await expect
      .poll(() =>
        page.evaluate(() => ({
          focused: document.activeElement?.id,
          underSave:
            document.querySelector('#suite-notice')!.getBoundingClientRect().top >=
            document.querySelector('#save-cases')!.getBoundingClientRect().bottom,
        })),
      )
      .toEqual({ focused: 'suite-notice', underSave: true });
    await expect.poll(() => page.locator('#suite-version').textContent()).toBe('version 2 · 3 cases');
    const saved = await page.request.get(`/api/evals${suitePath.replace('/evals', '')}`);
    expect((await saved.json()).cases).toEqual([
      { query: QUERIES[0], topic: 'AI Adoption', tags: ['smoke', 'weekly'] },
      { query: QUERIES[1], topic: 'AI Adoption' },
      { query: QUERIES[2], topic: 'AI Adoption' },
    ]);
  });

  it('an import with a bad row names its line and imports nothing', async () => {
    await page.selectOption('#import-format', 'csv');
    await page.fill(
      '#import-content',
      `query,topic\n${QUERIES[0]},AI Adoption\nWhat about the moon landing?,Moon Landings\n`,
    );
    await page.click('#import-submit');
    await expect
      .poll(() => page.locator('#import-line-errors li').allTextContents())
      .toEqual(['line 3: topic "Moon Landings" does not exist']);
    await expect.poll(() => page.locator('#suite-version').textContent()).toBe('version 2 · 3 cases');
    await expect.poll(() => page.locator('#export-csv').getAttribute('href')).toMatch(/export\?format=csv$/);
  });

  it('estimates and starts a run, watches it finish and opens a cell', async () => {
    await expect
      .poll(() => page.locator('#run-form input[list="library-prompts"]').inputValue())
      .toBe('auspex_default');
    await page.locator('#run-form select').first().selectOption('offline:demo');
    await page.click('#estimate-run');
    await expect
      .poll(() => page.locator('#run-estimate, #run-error').allTextContents())
      .toEqual([expect.stringMatching(/^3 model calls[,;] /)]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('estimate-run');
    await page.click('#start-run');
    await page.waitForURL(/\/evals\/runs\/\d+$/);
    runPath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 30_000 }).toBe('done');
    await expect
      .poll(() => page.locator('#run-progress-bar').evaluate((p: HTMLProgressElement) => [p.value, p.max]))
      .toEqual([3, 3]);
    await expect.poll(() => page.locator('#count-ok').textContent()).toBe('3');
    await expect.poll(() => page.locator('#count-pending').textContent()).toBe('0');
    // An ended run offers its results as files; each link downloads that file.
    await expect
      .poll(() => page.locator('#run-downloads a').allTextContents())
      .toEqual(['CSV', 'JSON', 'JUnit XML']);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const files = [];
          for (const a of document.querySelectorAll<HTMLAnchorElement>('#run-downloads a')) {
            const res = await fetch(a.href);
            const body = await res.text();
            files.push([res.status, res.headers.get('content-disposition'), body.split('\n')[0]]);
          }
          return files;
        }),
      )
      .toEqual([
        [
          200,
          expect.stringMatching(/^attachment; filename="run-\d+\.csv"$/),
          expect.stringMatching(/^case,query,variant,/),
        ],
        [200, expect.stringMatching(/\.json"$/), '{'],
        [200, expect.stringMatching(/\.xml"$/), '<?xml version="1.0" encoding="UTF-8"?>'],
      ]);
    // The status sits next to the title, not halfway across the head.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const title = document.querySelector('.page-head h1')!.getBoundingClientRect();
          return document.querySelector('#run-status')!.getBoundingClientRect().left - title.right;
        }),
      )
      .toBeLessThan(24);
    await expect.poll(() => page.locator('#run-aggregates tbody td').first().textContent()).toBe('3');
    // Three rows: the matrix's box is no taller than its table (no blank scroll area under them).
    await expect
      .poll(() =>
        page
          .locator('#results-matrix')
          .evaluate((box) => box.clientHeight - (box.querySelector('table')?.scrollHeight ?? 0)),
      )
      .toBeLessThanOrEqual(2);

    // Keyboard: the cell is a button; Enter opens it, Escape closes it.
    const cell = page.getByRole('button', { name: 'Case 2, variant 1: ok' });
    await expect.poll(() => cell.isEnabled()).toBe(true);
    await cell.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 2 · variant 1');
    await expect.poll(() => page.locator('#cell-position').textContent()).toBe('Cell 2 of 3');
    await expect.poll(() => page.locator('#cell-dialog').textContent()).toContain(QUERIES[1]);
    await expect
      .poll(async () => ((await page.locator('#cell-answer').textContent()) ?? '').length)
      .toBeGreaterThan(20);
    await expect.poll(() => page.locator('#cell-articles li').count()).toBeGreaterThan(0);
    // The review follows the answer, in its column; the articles sit beside them.
    const layout = () =>
      page.evaluate(() => {
        const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
        const answer = box('.cell-answer-column');
        const review = box('.cell-review');
        const articles = box('#cell-articles-heading');
        return {
          reviewUnderAnswer: review.top >= answer.bottom && Math.abs(review.left - answer.left) < 2,
          reviewBeforeArticles: review.top < articles.top,
          articlesBeside: articles.left > answer.right,
        };
      });
    await expect
      .poll(layout)
      .toEqual({ reviewUnderAnswer: true, reviewBeforeArticles: false, articlesBeside: true });
    await e.screenshot(page, 'eval-run-cell');
    // Previous and Next keep the keyboard as the cells change; on the first cell it moves to Next.
    const step = async (button: string, title: string, focused: string) => {
      await page.focus(button);
      await page.keyboard.press('Enter');
      await expect
        .poll(async () => [
          await page.locator('#cell-title').textContent(),
          await page.evaluate(() => document.activeElement?.id),
        ])
        .toEqual([title, focused]);
    };
    await step('#cell-prev', 'Case 1 · variant 1', 'cell-next');
    await step('#cell-next', 'Case 2 · variant 1', 'cell-next');
    // A key steps too, and leaves the focus where it is, onto the last cell as well.
    const byKey = async (key: string, title: string) => {
      await page.keyboard.press(key);
      await expect
        .poll(async () => [
          await page.locator('#cell-title').textContent(),
          await page.evaluate(() => document.activeElement?.id),
        ])
        .toEqual([title, 'cell-close-top']);
    };
    await page.focus('#cell-close-top');
    await byKey('j', 'Case 3 · variant 1');
    await byKey('k', 'Case 2 · variant 1');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#cell-dialog').isVisible()).toBe(false);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Case 2, variant 1: ok');

    // Scrolled to its end, the cell still offers a way out at the top (no Esc key on a phone).
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await cell.click();
      await expect.poll(() => page.locator('#cell-title').textContent()).toBe('Case 2 · variant 1');
      // On a phone the review comes before the list of articles, not after it.
      await expect
        .poll(layout)
        .toEqual({ reviewUnderAnswer: true, reviewBeforeArticles: true, articlesBeside: false });
      const closeInView = () =>
        page.locator('#cell-close-top').evaluate((button) => {
          for (let el = button.parentElement; el; el = el.parentElement) {
            if (el.scrollHeight > el.clientHeight + 1) el.scrollTop = el.scrollHeight;
          }
          const box = button.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        });
      await expect.poll(closeInView).toBe(true);
      // The top bar's title and × sit inside the dialog, which does not scroll sideways.
      const topBarInside = () =>
        page.locator('#cell-dialog').evaluate((dialog) => {
          const d = dialog.getBoundingClientRect();
          const inside = (sel: string) => {
            const b = dialog.querySelector(sel)!.getBoundingClientRect();
            return b.left >= d.left && b.right <= d.right && b.top >= d.top && b.bottom <= d.bottom;
          };
          return {
            title: inside('#cell-title'),
            close: inside('#cell-close-top'),
            sideways: dialog.scrollWidth > dialog.clientWidth,
          };
        });
      await expect.poll(topBarInside).toEqual({ title: true, close: true, sideways: false });
      await page.click('#cell-close-top');
      await expect.poll(() => page.locator('#cell-dialog').isVisible()).toBe(false);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('launches a run with its own article limit and the articles of the earlier run pinned', async () => {
    const firstRun = Number(runPath.split('/').at(-1));
    await page.goto(suitePath);
    await page.locator('#run-form select').first().selectOption('offline:demo');
    await page.locator('#run-form input[id^="variant-limit-"]').fill('12');
    // The agentic checkbox keeps its size and sits right beside its label.
    await expect
      .poll(() =>
        page.locator('#run-form input[id^="variant-agentic-"]').evaluate((box) => {
          const b = box.getBoundingClientRect();
          const l = document.querySelector(`label[for="${box.id}"]`)!.getBoundingClientRect();
          return b.width < 30 && l.left - b.right >= 0 && l.left - b.right < 20;
        }),
      )
      .toBe(true);
    await page.locator('#run-form select[id^="variant-retrieval-"]').selectOption('pinned');
    await expect
      .poll(() => page.locator('#run-form select[id^="variant-pinned-"]').inputValue())
      .toBe(String(firstRun));
    // The estimate follows the options without a click.
    await page.locator('#run-repetitions').fill('2');
    await expect.poll(() => page.locator('#run-estimate').textContent()).toMatch(/^6 model calls[,;] /);
    await page.click('#start-run');
    await page.waitForURL((u) => /\/evals\/runs\/\d+$/.test(u.pathname) && u.pathname !== runPath);
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    await expect
      .poll(async () => (await (await page.request.get(`/api/evals/runs/${id}`)).json()).variants)
      .toEqual([
        expect.objectContaining({
          model: 'offline:demo',
          limit: 12,
          retrieval: 'pinned',
          pinned_run_id: firstRun,
        }),
      ]);
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 30_000 }).toBe('done');
  });

  it('cancels a running run after a confirmation whose buttons say what they do', async () => {
    await page.goto(suitePath);
    await page.locator('#run-form select').first().selectOption(FAKE_MODEL);
    await page.fill('#run-concurrency', '1');
    // One quick answer, then slow ones that keep the run going until it is cancelled.
    e.fake.enqueue({ text: 'A quick answer.' }, ...QUERIES.map(() => ({ firstByteDelayMs: 30_000 })));
    let cellReads = 0;
    const countCellReads = (req: { url(): string }) => {
      if (/\/api\/evals\/runs\/\d+\/cells/.test(req.url())) cellReads++;
    };
    page.on('request', countCellReads);
    await page.click('#start-run');
    await page.waitForURL((u) => /\/evals\/runs\/\d+$/.test(u.pathname) && u.pathname !== runPath);
    await expect.poll(() => page.locator('#run-status').textContent()).toMatch(/^(queued|running)$/);
    // While it runs, the finished cell shows in the matrix and in the per-variant figures.
    await expect.poll(() => page.locator('.matrix-cell.cell-ok').count()).toBe(1);
    await expect
      .poll(() => page.locator('#run-aggregates tbody tr td:nth-of-type(2)').first().textContent())
      .toBe('1');
    // The figures were read again; the cells were not: the matrix has them from the stream.
    page.off('request', countCellReads);
    expect(cellReads).toBe(1);
    expect(await page.locator('#run-status').textContent()).toBe('running');
    await page.click('#cancel-run');
    const buttons = page.locator('#confirm-dialog .modal-actions button');
    await expect.poll(() => buttons.allTextContents()).toEqual(['Keep running', 'Cancel run']);
    await page.click('#confirm-cancel');
    await expect.poll(() => page.locator('#confirm-dialog').isVisible()).toBe(false);
    await expect.poll(() => page.locator('#run-status').textContent()).toMatch(/^(queued|running)$/);
    await page.click('#cancel-run');
    await page.click('#confirm-ok');
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('cancelled');
    // Cancel is gone; the focus is on the status it changed, not back at the top of the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('run-status');
    await expect
      .poll(() => page.locator('label[for="run-progress-bar"]').textContent())
      .toBe(`${QUERIES.length} of ${QUERIES.length} cells finished, ${QUERIES.length - 1} of them skipped`);
    await expect.poll(() => page.locator('#cancel-run').count()).toBe(0);
    // A skipped cell says why it has no answer, not the error its aborted call left behind.
    await expect.poll(() => page.locator('.matrix-cell.cell-skipped').count()).toBe(QUERIES.length - 1);
    await page.locator('.matrix-cell.cell-skipped').first().click();
    await expect
      .poll(() => page.locator('#cell-skipped').textContent())
      .toBe('Not answered: the run was cancelled before this cell finished.');
    expect(await page.locator('#cell-dialog .alert.error').count()).toBe(0);
    await page.click('#cell-close');
    // The slow answers the cancelled run never asked for must not reach the next test.
    e.fake.reset();
  });

  it('says the run had already ended when it finishes while the cancel dialog is open', async () => {
    await page.goto(suitePath);
    await page.locator('#run-form select').first().selectOption(FAKE_MODEL);
    await page.fill('#run-concurrency', '1');
    // The first answer is slow enough to open the dialog; the run then ends behind it.
    e.fake.enqueue({ firstByteDelayMs: 1_500 });
    await page.click('#start-run');
    await page.waitForURL((u) => /\/evals\/runs\/\d+$/.test(u.pathname) && u.pathname !== runPath);
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    await page.click('#cancel-run');
    await expect.poll(() => page.locator('#confirm-dialog').isVisible()).toBe(true);
    await expect
      .poll(async () => (await (await page.request.get(`/api/evals/runs/${id}`)).json()).status, {
        timeout: 30_000,
      })
      .toBe('done');
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('done');
    await page.click('#confirm-ok');
    await expect
      .poll(async () => ({
        dialog: await page.locator('#confirm-dialog').isVisible(),
        notice: await page
          .locator('#run-notice')
          .textContent({ timeout: 1_000 })
          .catch(() => null),
        alerts: await page.locator('[role="alert"]').allTextContents(),
        status: await page.locator('#run-status').textContent(),
      }))
      .toEqual({
        dialog: false,
        notice: 'The run had already ended, so there was nothing to cancel.',
        alerts: [],
        status: 'done',
      });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('run-notice');
    e.fake.reset();
  });

  it('names a field the run cannot start with, on the page, and sends nothing', async () => {
    await page.goto(suitePath);
    await page.locator('#run-form select').first().selectOption(FAKE_MODEL);
    const posts: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/evals/runs') posts.push(r.url());
    };
    page.on('request', onRequest);
    // Each field gets a bad value, is refused by name, and is put right before the next.
    const cases: [field: string, bad: string, good: string, message: string][] = [
      ['#run-concurrency', '100', '4', 'Concurrency must be 1–64'],
      // A budget the browser cannot read must not become "no budget".
      ['#run-budget', '5 USD', '', 'Budget must be a number of US dollars, such as 5 or 0.50'],
      [
        '#run-form input[list="library-prompts"]',
        'not a prompt ref',
        'auspex_default',
        'Variant 1: Prompt must be draft:ID, NAME, NAME@VERSION or NAME@LABEL',
      ],
    ];
    try {
      for (const [field, bad, good, message] of cases) {
        await page.locator(field).fill(bad);
        await page.click('#start-run');
        await expect.poll(() => page.locator('#run-error').textContent()).toBe(message);
        await page.locator(field).fill(good);
      }
      expect(posts).toEqual([]);
      expect(new URL(page.url()).pathname).toBe(suitePath);
    } finally {
      page.off('request', onRequest);
    }
  });

  it('moves the keyboard to a new variant’s prompt, and back to “+ Add variant” when one is removed', async () => {
    await page.goto(suitePath);
    await page.click('#add-variant');
    const active = () =>
      page.evaluate(() => ({
        id: document.activeElement?.id ?? '',
        variant: document.activeElement?.closest('fieldset')?.getAttribute('data-variant') ?? null,
      }));
    await expect.poll(active).toEqual({ id: expect.stringMatching(/^variant-prompt-\d+$/), variant: '1' });
    await page.click('[aria-label="Remove variant 2"]');
    await expect.poll(active).toEqual({ id: 'add-variant', variant: null });
    expect(await page.locator('#run-form fieldset.variant').count()).toBe(1);
  });

  it('“Evaluate this draft” in the workshop and “Evaluate version N” in the library prefill the launcher', async () => {
    const res = await page.request.post('/api/auspex/prompts/workshop/start', {
      data: { draft_name: 'Eval me' },
    });
    const { draft_id } = await res.json();
    await page.goto(`/prompt-workshop?draft_id=${draft_id}`);
    await page.click('#evaluate-draft');
    await page.waitForURL(`/evals?prompt=draft%3A${draft_id}`);
    await expect.poll(() => page.locator('#prompt-to-evaluate code').textContent()).toBe(`draft:${draft_id}`);
    await page.click('#suites-list a');
    await expect
      .poll(() => page.locator('#run-form input[list="library-prompts"]').inputValue())
      .toBe(`draft:${draft_id}`);

    await page.goto('/prompts?name=auspex_default');
    const link = page.locator('#evaluate-version');
    const label = (await link.textContent())!;
    const version = /^Evaluate version (\d+)$/.exec(label)![1];
    await link.click();
    await page.waitForURL(`/evals?prompt=auspex_default%40${version}`);
    await page.click('#suites-list a');
    await expect
      .poll(() => page.locator('#run-form input[list="library-prompts"]').inputValue())
      .toBe(`auspex_default@${version}`);
  });

  it('every field is labelled and nothing scrolls sideways at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [path, ready] of [
        ['/evals', '#suites-list li'],
        [suitePath, '#case-editor tbody tr'],
        [runPath, '#results-matrix tbody tr'],
      ]) {
        await page.goto(path);
        await page.waitForSelector(ready);
        await page.waitForLoadState('networkidle');
        const { scroll, width, unlabelled } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          width: window.innerWidth,
          unlabelled: Array.from(document.querySelectorAll('input, select, textarea'))
            .filter((el) => {
              const f = el as HTMLInputElement;
              return !(f.labels?.length || f.getAttribute('aria-label') || f.getAttribute('aria-labelledby'));
            })
            .map((el) => el.outerHTML.slice(0, 80)),
        }));
        expect(scroll, path).toBeLessThanOrEqual(width);
        expect(unlabelled, path).toEqual([]);
        if (path === runPath) {
          // The figures per variant stack too: the pass rate is in view, not past the box's edge.
          await expect
            .poll(() =>
              page.locator('#run-aggregates .agg-pass-rate').evaluate((td) => {
                const box = td.closest('.table-scroll')!;
                const b = td.getBoundingClientRect();
                return { sideways: box.scrollWidth > box.clientWidth, inView: b.right <= window.innerWidth };
              }),
            )
            .toEqual({ sideways: false, inView: true });
        }
        if (path === suitePath) {
          // The case table stacks: each case's topic under its query, and no box scrolls sideways.
          await expect
            .poll(() =>
              page.locator('#case-scroll').evaluate((box) => ({
                sideways: box.scrollWidth > box.clientWidth,
                stacked: [...box.querySelectorAll('tbody tr[data-index]')].map(
                  (tr) =>
                    tr.querySelector('select')!.getBoundingClientRect().top >=
                    tr.querySelector('textarea')!.getBoundingClientRect().bottom,
                ),
              })),
            )
            .toEqual({ sideways: false, stacked: [true, true, true] });
          // The three-row menu bar scrolls away on a phone instead of covering the page.
          await page.evaluate(() => window.scrollTo(0, 400));
          await expect
            .poll(() => page.locator('.app-header').evaluate((h) => h.getBoundingClientRect().bottom))
            .toBeLessThanOrEqual(0);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('draws only a window of a 5,000-case suite, scrolls to its last case, edits and deletes there', async () => {
    const cases = Array.from({ length: 5000 }, (_, i) => ({
      query: `What do companies say about AI adoption, question ${i + 1}?`,
      topic: 'AI Adoption',
    }));
    const res = await page.request.post('/api/evals/suites', { data: { name: 'Five thousand', cases } });
    expect(res.status()).toBe(201);
    const { id } = await res.json();
    await page.goto(`/evals/suites/${id}`);
    await expect.poll(() => page.locator('#suite-version').textContent()).toBe('version 1 · 5,000 cases');
    await expect
      .poll(() => page.getByLabel('Query of case 1', { exact: true }).inputValue())
      .toBe(cases[0].query);
    const drawn = await page.locator('#case-editor tbody tr').count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);

    await page.locator('#case-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const last = page.getByLabel('Query of case 5000', { exact: true });
    await expect.poll(async () => (await last.count()) && last.inputValue()).toBe(cases[4999].query);
    expect(await page.locator('#case-editor tbody tr').count()).toBeLessThan(200);

    await last.fill('What do companies say about AI adoption, the last question?');
    await page.getByLabel('Delete case 4999', { exact: true }).click();
    // The keyboard stays where it was: on the Delete of the case that moved up into that place.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Delete case 4999');
    await page.click('#save-cases');
    await expect.poll(() => page.locator('#suite-version').textContent()).toBe('version 2 · 4,999 cases');
    const saved = (await (await page.request.get(`/api/evals/suites/${id}`)).json()).cases;
    expect(saved.length).toBe(4999);
    expect(saved.at(-1)).toEqual({
      query: 'What do companies say about AI adoption, the last question?',
      topic: 'AI Adoption',
    });
    expect(saved.at(-2)).toEqual(cases[4997]);
  });

  it('clamps a very long query to three lines in the matrix, its full text on hover and in the cell', async () => {
    const query = `What do companies report about AI adoption, ${'and which risks, costs and returns follow, '.repeat(20)}in the end?`;
    const suite = await page.request.post('/api/evals/suites', {
      data: { name: 'Long query', cases: [{ query, topic: 'AI Adoption' }] },
    });
    const run = await page.request.post('/api/evals/runs', {
      data: {
        suite_id: (await suite.json()).id,
        variants: [{ prompt: 'auspex_default', model: 'offline:demo' }],
      },
    });
    await page.goto(`/evals/runs/${(await run.json()).id}`);
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 30_000 }).toBe('done');
    const head = page.locator('#results-matrix .matrix-case');
    // Exactly three lines high: not the row's height, which shows the top of a fourth line too.
    await expect
      .poll(() =>
        head.evaluate((th) => ({
          lines: Number((th.clientHeight / Number.parseFloat(getComputedStyle(th).lineHeight)).toFixed(1)),
          cut: th.scrollHeight > th.clientHeight,
          title: th.getAttribute('title'),
        })),
      )
      .toEqual({ lines: 3, cut: true, title: query });
    // The answer's preview says it goes on.
    await expect.poll(() => page.locator('#results-matrix .matrix-preview').textContent()).toMatch(/…$/);
    await page.locator('.matrix-cell.cell-ok').click();
    await expect.poll(() => page.locator('#cell-dialog').textContent()).toContain(query);
    await page.click('#cell-close');

    // The review queue keeps it to three lines as well, and stacks on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.click('#tab-button-review');
      await expect
        .poll(() =>
          page.locator('#queue-table .queue-query span').evaluate((span) => {
            const box = span.closest('.table-scroll')!;
            return {
              lines: Number(
                (span.clientHeight / Number.parseFloat(getComputedStyle(span).lineHeight)).toFixed(1),
              ),
              title: span.getAttribute('title'),
              sideways: box.scrollWidth > box.clientWidth,
            };
          }),
        )
        .toEqual({ lines: 3, title: query, sideways: false });
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });
});
