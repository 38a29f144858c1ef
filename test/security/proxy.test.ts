import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { dialects, type TestDatabase } from '../helpers/databases';

// The sign-in limit counts failures per username and address. Which address that is depends on
// TRUST_PROXY; a client choosing its own X-Forwarded-For must never get a fresh count.

const attempt = (t: TestApp, password: string, forwardedFor?: string, remoteAddress = '127.0.0.1') =>
  t.app
    .inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password },
      remoteAddress,
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    })
    .then((r) => r.statusCode);

async function withApp(
  create: () => Promise<TestDatabase>,
  env: Record<string, string>,
  run: (t: TestApp) => Promise<void>,
) {
  const t = await startTestApp(await create(), { LOGIN_MAX_ATTEMPTS: '3', ...env });
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

describe.each(dialects)('trusted proxies and the sign-in limit on $dialect', ({ create }) => {
  it.each([
    ['no proxy trusted', {}, (i: number) => `203.0.113.${i}`],
    ['one hop trusted', { TRUST_PROXY: '1' }, (i: number) => `203.0.113.${i}, 198.51.100.7`],
    ['a proxy list', { TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }, (i: number) => `203.0.113.${i}, 198.51.100.7`],
  ])('with %s, rotating X-Forwarded-For does not reset the count', async (_what, env, header) => {
    await withApp(create, env, async (t) => {
      const codes: number[] = [];
      for (let i = 1; i <= 5; i++) codes.push(await attempt(t, 'wrong-password', header(i)));
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    });
  });

  it('with one hop trusted, the address the proxy saw is the one counted', async () => {
    await withApp(create, { TRUST_PROXY: '1' }, async (t) => {
      for (let i = 0; i < 3; i++) await attempt(t, 'wrong-password', '198.51.100.7');
      expect(await attempt(t, 'wrong-password', '198.51.100.7')).toBe(429);
      // Another client behind the same proxy is not locked out.
      expect(await attempt(t, 'wrong-password', '198.51.100.8')).toBe(401);
      // A peer that is not a trusted proxy cannot pick an address: its own is counted.
      const untrusted = await startTestApp(await create(), {
        LOGIN_MAX_ATTEMPTS: '1',
        TRUST_PROXY: '10.0.0.1',
      });
      expect(await attempt(untrusted, 'wrong-password', '198.51.100.9', '192.0.2.1')).toBe(401);
      expect(await attempt(untrusted, 'wrong-password', '198.51.100.10', '192.0.2.1')).toBe(429);
      await untrusted.close();
    });
  });

  it('does not count successful sign-ins, and a success clears the failures before it', async () => {
    await withApp(create, {}, async (t) => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push(await attempt(t, ADMIN_PASSWORD));
      codes.push(await attempt(t, 'wrong-password'), await attempt(t, 'wrong-password'));
      codes.push(await attempt(t, ADMIN_PASSWORD));
      codes.push(await attempt(t, 'wrong-password'), await attempt(t, 'wrong-password'));
      codes.push(await attempt(t, 'wrong-password'), await attempt(t, ADMIN_PASSWORD));
      expect(codes).toEqual([200, 200, 200, 200, 200, 200, 401, 401, 200, 401, 401, 401, 429]);
    });
  });
});
