import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  readyDraft,
  startWorkshopApp,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';

// GET .../drafts/{id}/summary on both engines: the server's figures per prompt text tested.
// Stored runs with chosen figures give reference values (R calls beside them); one real test
// through the fake upstream shows a new run is counted under the text it ran.

describe.each(dialects)('draft test summary on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
  });
  afterAll(async () => f?.close());

  it('answers runs, failures, ratings, median time and mean cost per prompt text; another user gets 404', async () => {
    const { id } = await readyDraft(f.alice);
    const real = await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody({ user_rating: 4 }));
    expect(real.statusCode, real.body).toBe(200);
    const textA = real.json().content_sha256 as string;
    const alice = await f.t.ctx.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();
    const stored = (over: Record<string, unknown>, i: number) => ({
      test_id: `00000000-0000-4000-8000-00000000000${i}`,
      draft_id: id,
      user_id: alice.id,
      content_sha256: 'b'.repeat(64),
      content: 'text B',
      query: 'How are companies adopting robotics?',
      topic: 'AI Adoption',
      model: 'offline:demo',
      article_limit: 5,
      response: 'answer',
      response_length: 6,
      tools_used: '[]',
      article_ids: '[]',
      article_count: 0,
      execution_time_ms: 100,
      first_token_ms: null,
      input_tokens: null,
      output_tokens: null,
      cost_usd: null,
      status: 'ok' as const,
      error: null,
      user_rating: null,
      notes: null,
      created_at: `2999-01-0${i}T00:00:00.000Z`,
      ...over,
    });
    await f.t.ctx.db
      .insertInto('test_runs')
      .values([
        stored({ execution_time_ms: 120, user_rating: 5, cost_usd: 0.0012 }, 1),
        stored({ execution_time_ms: 80, user_rating: 2 }, 2),
        stored({ execution_time_ms: 300, cost_usd: 0.0031 }, 3),
        stored({ execution_time_ms: 95, user_rating: 4, cost_usd: 0.0005 }, 4),
        stored({ execution_time_ms: 7, status: 'error', error: 'upstream failed' }, 5),
      ])
      .execute();

    const res = await f.alice('GET', `${BASE}/drafts/${id}/summary`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      draft_id: id,
      prompt_texts: [
        {
          sha256: 'b'.repeat(64),
          number: 2,
          runs: 5,
          failed: 1,
          rated: 3,
          mean_rating: expect.closeTo(3.666667, 6), // mean(c(5, 2, 4))
          median_ms: 107.5, // median(c(120, 80, 300, 95)): the failed run is left out
          mean_cost_usd: expect.closeTo(0.0016, 12), // mean(c(0.0012, 0.0031, 0.0005))
          last_tested_at: '2999-01-05T00:00:00.000Z',
        },
        {
          sha256: textA,
          number: 1,
          runs: 1,
          failed: 0,
          rated: 1,
          mean_rating: 4,
          median_ms: real.json().execution_time_ms,
          mean_cost_usd: real.json().cost_usd,
          last_tested_at: real.json().timestamp,
        },
      ],
    });

    const bob = await f.bob('GET', `${BASE}/drafts/${id}/summary`);
    expect([bob.statusCode, bob.json()]).toEqual([404, { detail: `Draft ${id} not found` }]);
  });

  it('is listed in the OpenAPI document with its schema', async () => {
    const doc = (await f.t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const op = doc.paths['/api/auspex/prompts/workshop/drafts/{id}/summary']?.get;
    expect(
      Object.keys(op?.responses?.['200']?.content?.['application/json']?.schema?.properties ?? {}),
    ).toEqual(['draft_id', 'prompt_texts']);
  });
});
