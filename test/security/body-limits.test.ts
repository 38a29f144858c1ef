import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type Client, signIn, startTestApp, type TestApp } from '../helpers/app';
import { dialects } from '../helpers/databases';

// A body over its route's limit answers 413 naming that route's own limit, not the server default.

const MB = 1024 * 1024;

describe.each(dialects)('body limits on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  let suiteId = 0;

  beforeAll(async () => {
    t = await startTestApp(await create());
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    suiteId = (await admin('POST', '/api/evals/suites', { name: 'Limits' })).json().id;
  });
  afterAll(() => t?.close());

  it.each([
    ['a token', () => '/api/auth/tokens', () => ({ name: 'x'.repeat(MB + 10) }), '1 MB'],
    [
      'a suite import',
      () => `/api/evals/suites/${suiteId}/import`,
      () => ({ format: 'jsonl', content: 'x'.repeat(21 * MB + 10) }),
      '21 MB',
    ],
  ])('answers 413 naming the limit of %s', async (_, url, body, limit) => {
    const res = await admin('POST', url(), body());
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 413,
      body: { detail: `The body is over ${limit}, this route's limit` },
    });
  });
});
