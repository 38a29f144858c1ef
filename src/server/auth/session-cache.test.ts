import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import { resetPassword } from './service';

// Session lookups are remembered for a moment (service.ts). The clock is frozen so every request in
// a case falls inside that moment: only an eviction can make the second answer differ from the first.
describe.each(dialects)('session cache on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  let n = 0;
  const member = () => memberClient(t, admin, `cached${++n}`);

  beforeAll(async () => {
    t = await startTestApp(await create(), { LOGIN_MAX_ATTEMPTS: '1000' });
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['logout', async (m: Client) => m('POST', '/api/auth/logout')],
    [
      'disabling',
      async (_m: Client, name: string) => admin('PATCH', `/api/admin/users/${name}`, { disabled: true }),
    ],
    ['a password reset', async (_m: Client, name: string) => resetPassword(t.ctx, name, 'new-password-1')],
  ])('ends a remembered session at once on %s', async (_label, end) => {
    const m = await member();
    const name = (await m('GET', '/api/auth/me')).json().user.username;
    await end(m, name);
    const res = await m('GET', '/api/auth/me');
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 401,
      body: { detail: 'Session expired; sign in again' },
    });
  });

  it('applies a role change to the next request', async () => {
    const m = await member();
    const before = (await m('GET', '/api/auth/me')).json().user;
    expect(before.role).toBe('member');
    expect((await admin('PATCH', `/api/admin/users/${before.username}`, { role: 'admin' })).statusCode).toBe(
      200,
    );
    expect((await m('GET', '/api/auth/me')).json().user).toEqual({ ...before, role: 'admin' });
  });

  it('sees a change made by another process within two seconds, not later', async () => {
    const m = await member();
    const { id } = (await m('GET', '/api/auth/me')).json().user;
    // Another process (the CLI) ends the session behind this process's back.
    await t.ctx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    expect((await m('GET', '/api/auth/me')).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 2_001);
    expect((await m('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('still enforces the idle limit on a remembered session', async () => {
    const m = await member();
    expect((await m('GET', '/api/auth/me')).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + (t.config.session.idleMinutes + 1) * 60_000);
    expect((await m('GET', '/api/auth/me')).statusCode).toBe(401);
  });
});
