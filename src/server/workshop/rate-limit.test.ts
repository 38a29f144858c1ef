import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import { BASE, DRAFT_TEXT, readyDraft, startWorkshopApp, testBody, type WorkshopFixture } from './testing';

// The seed's curl examples with a Bearer token, and the per-user rate limit on the test route.

describe.each(dialects)('workshop rate limit and curl examples on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create(), { env: { TEST_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => f?.close());

  it('works with the seed’s curl requests and a Bearer token (draft ids start at 1)', async () => {
    const tokenRes = await f.alice('POST', '/api/auth/tokens', { name: 'curl' });
    const headers = { authorization: `Bearer ${tokenRes.json().token}`, 'content-type': 'application/json' };
    const curl = (method: 'GET' | 'POST' | 'PUT', url: string, raw?: string) =>
      f.t.app.inject({
        method,
        url,
        headers: raw ? headers : { authorization: headers.authorization },
        payload: raw,
      });

    const start = await curl('POST', `${BASE}/start`, '{"requirements": "Test"}');
    expect(start.statusCode).toBe(201);
    expect(start.json().draft_id).toBe(1);
    expect((await curl('GET', `${BASE}/drafts`)).json().total).toBe(1);
    expect((await curl('GET', `${BASE}/drafts/1`)).json()).toMatchObject({
      id: 1,
      draft_description: 'Test',
    });

    // As written, the seed's test and commit bodies fall under its own limits (query 10+, title 5+).
    const test = await curl(
      'POST',
      `${BASE}/drafts/1/test`,
      '{"test_query": "Test", "topic": "AI Adoption"}',
    );
    expect(test.statusCode).toBe(400);
    expect(test.json().detail).toBe('body.test_query: test_query must be 10–1000 characters');
    const commit = await curl(
      'POST',
      `${BASE}/drafts/1/commit`,
      '{"name": "test_prompt", "title": "Test", "description": "Test"}',
    );
    expect(commit.statusCode).toBe(400);
    expect(commit.json().detail).toBe('body.title: title must be 5–100 characters');

    // The same requests within the limits succeed.
    await curl('PUT', `${BASE}/drafts/1`, JSON.stringify({ draft_content: DRAFT_TEXT }));
    const ok = await curl(
      'POST',
      `${BASE}/drafts/1/test`,
      '{"test_query": "Test query", "topic": "AI Adoption"}',
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ query: 'Test query', topic: 'AI Adoption', article_limit: 50 });
    const committed = await curl(
      'POST',
      `${BASE}/drafts/1/commit`,
      '{"name": "test_prompt", "title": "Test prompt", "description": "Test"}',
    );
    expect(committed.statusCode).toBe(201);
  });

  it('limits tests per user with 429 and Retry-After, leaving other users alone', async () => {
    const alice = await signIn(f.t, 'alice', 'member-password-1');
    const { id } = await readyDraft(alice);
    // The curl test above used one of Alice's two; one left.
    expect((await alice('POST', `${BASE}/drafts/${id}/test`, testBody())).statusCode).toBe(200);
    const limited = await alice('POST', `${BASE}/drafts/${id}/test`, testBody());
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().detail).toMatch(/^Too many requests; retry in \d+ s$/);
    // Another session of Alice shares her budget; Bob has his own.
    const otherSession = await signIn(f.t, 'alice', 'member-password-1');
    expect((await otherSession('POST', `${BASE}/drafts/${id}/test`, testBody())).statusCode).toBe(429);
    const bob = await readyDraft(f.bob);
    expect((await f.bob('POST', `${BASE}/drafts/${bob.id}/test`, testBody())).statusCode).toBe(200);
  });
});
