import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  readyDraft,
  startWorkshopApp,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';
import type { TestResult } from '../../shared/workshop';

// The test history a page at a time: `limit` (default 20), `before` (a test_id), `next_before`,
// and total_tests still counting every run of the draft.

/** The history's order: newest first, test_id breaking ties of the same instant. */
const newestFirst = (a: TestResult, b: TestResult) =>
  a.timestamp === b.timestamp ? (a.test_id < b.test_id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1;

describe.each(dialects)('the paged test history on $dialect', ({ create }) => {
  let f: WorkshopFixture;
  let draftId: number;
  /** The draft's 25 runs as the API gave them, in the history's order. */
  let runs: TestResult[];
  const history = (query = '', id = draftId) => f.alice('GET', `${BASE}/drafts/${id}/tests${query}`);

  beforeAll(async () => {
    // The fixture allows 1000 model calls a minute, so 25 real tests stay under the rate limit.
    f = await startWorkshopApp(await create());
    draftId = (await readyDraft(f.alice)).id;
    const created: TestResult[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await f.alice(
        'POST',
        `${BASE}/drafts/${draftId}/test`,
        testBody({ test_query: `History question number ${i}` }),
      );
      expect(res.statusCode).toBe(200);
      created.push(res.json());
    }
    // Three runs to an instant, so the 20th and 21st newest share a created_at and only test_id
    // orders them across the page boundary.
    for (const [i, run] of created.entries()) {
      run.timestamp = `2025-03-01T10:00:${String(Math.floor(i / 3)).padStart(2, '0')}.000Z`;
      await f.t.ctx.db
        .updateTable('test_runs')
        .set({ created_at: run.timestamp })
        .where('test_id', '=', run.test_id)
        .execute();
    }
    runs = [...created].sort(newestFirst);
  });
  afterAll(async () => f?.close());

  it('answers the 20 newest runs by default, with the cursor of the next page and the count of all', async () => {
    const res = await history();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      draft_id: draftId,
      test_results: runs.slice(0, 20),
      total_tests: 25,
      next_before: runs[19].test_id,
    });
  });

  it('answers the 5 older runs after next_before, and no further cursor', async () => {
    const first = (await history()).json();
    const res = await history(`?before=${first.next_before}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      draft_id: draftId,
      test_results: runs.slice(20),
      total_tests: 25,
      next_before: null,
    });
  });

  it('pages through every run once, in order, with a small limit', async () => {
    const seen: TestResult[] = [];
    const cursors: (string | null)[] = [];
    let before: string | null = null;
    do {
      const page: { test_results: TestResult[]; next_before: string | null } = (
        await history(`?limit=7${before ? `&before=${before}` : ''}`)
      ).json();
      seen.push(...page.test_results);
      before = page.next_before;
      cursors.push(before);
    } while (before);
    expect(seen).toEqual(runs);
    expect(cursors).toEqual([runs[6].test_id, runs[13].test_id, runs[20].test_id, null]);
  });

  it('answers the whole history with limit=100, and a last page that fills the limit has no cursor', async () => {
    expect((await history('?limit=100')).json()).toMatchObject({ test_results: runs, next_before: null });
    expect((await history('?limit=25')).json()).toMatchObject({ test_results: runs, next_before: null });
  });

  it('keeps the older page where it was when a new run is stored meanwhile', async () => {
    const { id } = await readyDraft(f.alice);
    const post = async (at?: string) => {
      const run: TestResult = (await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody())).json();
      if (!at) return run;
      await f.t.ctx.db
        .updateTable('test_runs')
        .set({ created_at: at })
        .where('test_id', '=', run.test_id)
        .execute();
      return { ...run, timestamp: at };
    };
    const older = await post('2025-03-01T09:00:00.000Z');
    const newer = await post('2025-03-01T09:00:01.000Z');
    const first = (await f.alice('GET', `${BASE}/drafts/${id}/tests?limit=1`)).json();
    expect(first).toMatchObject({ test_results: [newer], next_before: newer.test_id });
    const latest = await post();
    const next = (
      await f.alice('GET', `${BASE}/drafts/${id}/tests?limit=1&before=${first.next_before}`)
    ).json();
    expect(next).toEqual({ draft_id: id, test_results: [older], total_tests: 3, next_before: null });
    expect((await f.alice('GET', `${BASE}/drafts/${id}/tests?limit=1`)).json().test_results).toEqual([
      latest,
    ]);
  });

  it.each(['0', '101', 'abc', '2.5', ''])('refuses limit=%s with 400', async (limit) => {
    const rule = 'limit must be a whole number from 1 to 100';
    const res = await history(`?limit=${limit}`);
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 400,
      body: { detail: `querystring.limit: ${rule}`, errors: [{ path: 'querystring.limit', message: rule }] },
    });
  });

  it('refuses a before that is no test of this draft with 400 naming it', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const other = (await readyDraft(f.alice)).id;
    const otherRun = (await f.alice('POST', `${BASE}/drafts/${other}/test`, testBody())).json();
    const bobs = (await readyDraft(f.bob)).id;
    const cases = [
      [draftId, unknown],
      // A run of another draft of the same user.
      [draftId, otherRun.test_id],
      // Alice's run asked for through Bob's own draft.
      [bobs, runs[0].test_id],
    ] as const;
    for (const [id, before] of cases) {
      const client = id === bobs ? f.bob : f.alice;
      const res = await client('GET', `${BASE}/drafts/${id}/tests?before=${before}`);
      expect({ status: res.statusCode, body: res.json() }).toEqual({
        status: 400,
        body: { detail: `before: ${before} is not a test run of draft ${id}` },
      });
    }
    const empty = await history('?before=');
    const rule = 'before must be a test_id of this draft (the next_before of the page before)';
    expect({ status: empty.statusCode, body: empty.json() }).toEqual({
      status: 400,
      body: {
        detail: `querystring.before: ${rule}`,
        errors: [{ path: 'querystring.before', message: rule }],
      },
    });
  });

  it("answers Bob 404 for Alice's draft, with or without a cursor", async () => {
    for (const query of ['', `?before=${runs[0].test_id}`, '?limit=5']) {
      const res = await f.bob('GET', `${BASE}/drafts/${draftId}/tests${query}`);
      expect({ status: res.statusCode, body: res.json() }).toEqual({
        status: 404,
        body: { detail: `Draft ${draftId} not found` },
      });
    }
  });

  it('lists limit and before in the OpenAPI document, and next_before in the answer', async () => {
    const doc = (await f.t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const op = doc.paths['/api/auspex/prompts/workshop/drafts/{id}/tests']?.get;
    expect(
      op.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
    ).toEqual(['limit', 'before']);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toEqual([
      'draft_id',
      'test_results',
      'total_tests',
      'next_before',
    ]);
  });
});
