import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type Client, signIn, startTestApp, type TestApp } from '../helpers/app';
import { fixtureArticles, loadArticles } from '../helpers/articles';
import { dialects } from '../helpers/databases';

// JSON nested deeper than 64 levels is refused before it is parsed: a request body with 400 and a
// detail saying so, a JSONL import line by its line. Never a 500 from deep recursion.

const TOPIC = 'Robotics';
const query = 'How are companies adopting robots today?';
const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : { deeper: nested(levels - 1) });
// Built as text: a value this deep cannot go through JSON.stringify.
const deepText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe.each(dialects)('deeply nested JSON on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp(await create());
    await loadArticles(t.ctx, TOPIC, fixtureArticles(TOPIC, 2));
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: string) =>
    admin('POST', url, payload, { 'content-type': 'application/json' });

  it.each([
    ['65 levels', JSON.stringify({ name: 'Deep 65', extra: nested(64) })],
    ['100,000 levels', `{"name": "Deep 100k", "extra": ${deepText(100_000)}}`],
  ])('refuses a body nested %s deep with 400', async (_, body) => {
    const res = await post('/api/evals/suites', body);
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 400,
      body: { detail: 'The JSON body nests objects and arrays deeper than 64 levels' },
    });
    expect((await admin('GET', '/api/evals/suites')).json()).toEqual({ suites: [] });
  });

  it('takes a body nested 64 levels deep', async () => {
    const res = await post('/api/evals/suites', JSON.stringify({ name: 'Deep 64', extra: nested(63) }));
    expect(res.statusCode, res.body).toBe(201);
    expect((await admin('DELETE', `/api/evals/suites/${res.json().id}`)).statusCode).toBe(204);
  });

  it('refuses a JSONL import line nested too deep, by its line', async () => {
    const suite = (await admin('POST', '/api/evals/suites', { name: 'JSONL depth' })).json();
    const content = [
      JSON.stringify({ query, topic: TOPIC }),
      `{"query": "${query}", "topic": "${TOPIC}", "variables": ${deepText(10_000)}}`,
    ].join('\n');
    const res = await admin('POST', `/api/evals/suites/${suite.id}/import`, { format: 'jsonl', content });
    expect({ status: res.statusCode, errors: res.json().errors }).toEqual({
      status: 400,
      errors: [
        { path: 'line 2', line: 2, message: 'the line nests objects and arrays deeper than 64 levels' },
      ],
    });
  });
});
