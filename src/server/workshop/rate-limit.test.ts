import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberClient } from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  readyDraft,
  startWorkshopApp,
  TOPIC,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';

// The seed's curl examples with a Bearer token, and the per-user budget of model calls shared by
// every route that calls a model.

describe.each(dialects)('workshop rate limit and curl examples on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create(), { env: { MODEL_CALLS_PER_MINUTE: '3' } });
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

  it('shares one budget per user across start, test and chat, with 429 and Retry-After', async () => {
    const carol = await memberClient(f.t, f.admin, 'carol');
    const { id } = await readyDraft(carol); // start: 1 of 3
    // Refused before the model is called, so it costs nothing.
    expect((await carol('POST', `${BASE}/drafts/${id}/test`, testBody({ topic: 'Nope' }))).statusCode).toBe(
      404,
    );
    expect((await carol('POST', `${BASE}/drafts/${id}/test`, testBody())).statusCode).toBe(200); // 2
    const chat = await carol('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Budget' });
    const message = { chat_id: chat.json().chat_id, message: 'What is new in robotics?' };
    expect((await carol('POST', '/api/auspex/chat/message', message)).statusCode).toBe(200); // 3

    const refused = await Promise.all([
      carol('POST', `${BASE}/drafts/${id}/test`, testBody()),
      carol('POST', '/api/auspex/chat/message', message),
      carol('POST', '/api/auspex/chat/message', { ...message, custom_prompt: DRAFT_TEXT }),
      carol('POST', `${BASE}/start`, { requirements: 'Another prompt' }),
    ]);
    for (const res of refused) {
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.json().detail).toMatch(/^Too many model calls \(3 a minute per user\); retry in \d+ s$/);
    }
    // Nothing was half-written by the refused start.
    expect((await carol('GET', `${BASE}/drafts`)).json().total).toBe(1);
    // Bob has his own budget.
    const bob = await readyDraft(f.bob);
    expect((await f.bob('POST', `${BASE}/drafts/${bob.id}/test`, testBody())).statusCode).toBe(200);
  });
});
