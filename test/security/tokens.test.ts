import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPassword } from '../../src/server/auth/service';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../helpers/app';
import { dialects } from '../helpers/databases';

// The lifecycle of an API token: made by a signed-in person only, listed, expiring, revoked by its
// owner, and revoked with every other way in when the password is reset or the account disabled.

describe.each(dialects)('API token lifecycle on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  let alice: Client;

  beforeAll(async () => {
    t = await startTestApp(await create());
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
  });
  afterAll(() => t.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const me = (token: string) => t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
  const mint = async (client: Client, body: Record<string, unknown>) => {
    const res = await client('POST', '/api/auth/tokens', body);
    expect(res.statusCode).toBe(201);
    return res.json();
  };

  it('mints a token from a session, shown once, and never from a token', async () => {
    const made = await mint(alice, { name: 'laptop' });
    expect(made).toEqual({
      id: expect.any(Number),
      name: 'laptop',
      token: expect.stringMatching(/^pw_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
      last_used_at: null,
      expires_at: null,
      status: 'active',
    });
    expect((await me(made.token)).statusCode).toBe(200);
    const byToken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: bearer(made.token),
      payload: { name: 'offspring' },
    });
    expect({ status: byToken.statusCode, body: byToken.json() }).toEqual({
      status: 403,
      body: { detail: 'This needs a signed-in session, not an API token' },
    });
  });

  it('lists only the caller’s live tokens, without their secrets, and says which expired', async () => {
    const soon = await mint(alice, { name: 'ci', expires_in_days: 1 });
    expect(Date.parse(soon.expires_at) - Date.parse(soon.created_at)).toBe(86_400_000);
    await mint(admin, { name: 'admin-only' });
    await t.ctx.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', soon.id)
      .execute();
    expect((await me(soon.token)).json()).toEqual({ detail: 'Invalid, expired or revoked API token' });
    const list = (await alice('GET', '/api/auth/tokens')).json();
    expect(list.tokens.map((x: any) => [x.name, x.status])).toEqual([
      ['ci', 'expired'],
      ['laptop', 'active'],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/pw_|token_hash/);
  });

  it('revokes the owner’s token at once; another user’s, a revoked or a huge id answers 404', async () => {
    const made = await mint(alice, { name: 'revoke-me' });
    const adminToken = await mint(admin, { name: 'not-alices' });
    expect((await alice('DELETE', `/api/auth/tokens/${adminToken.id}`)).statusCode).toBe(404);
    expect((await me(adminToken.token)).statusCode).toBe(200);
    expect((await alice('DELETE', `/api/auth/tokens/${made.id}`)).statusCode).toBe(204);
    expect((await me(made.token)).statusCode).toBe(401);
    expect((await alice('DELETE', `/api/auth/tokens/${made.id}`)).json()).toEqual({
      detail: `Token ${made.id} not found`,
    });
    expect((await alice('DELETE', '/api/auth/tokens/2147483648')).statusCode).toBe(404);
    // A token may revoke itself.
    const self = await mint(alice, { name: 'self' });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${self.id}`,
      headers: bearer(self.token),
    });
    expect(res.statusCode).toBe(204);
    expect((await me(self.token)).statusCode).toBe(401);
  });

  it.each([
    [{ name: '' }, 'body.name: name must be 1–100 characters'],
    [{ name: 'x', expires_in_days: 0 }, 'body.expires_in_days: expires_in_days must be 1–3650'],
    [
      { name: 'x', expires_in_days: 1.5 },
      'body.expires_in_days: expires_in_days must be a whole number of days',
    ],
  ])('refuses %j with a clear detail', async (body, detail) => {
    const res = await alice('POST', '/api/auth/tokens', body);
    expect({ status: res.statusCode, detail: res.json().detail }).toEqual({ status: 400, detail });
  });

  it('lets no token change accounts: an admin token cannot make admins or re-enable users', async () => {
    const { token } = await mint(admin, { name: 'admin-script' });
    for (const [method, url, payload] of [
      ['POST', '/api/admin/users', { username: 'mallory', password: 'mallory-password', role: 'admin' }],
      ['PATCH', '/api/admin/users/alice', { role: 'admin' }],
    ] as const) {
      const res = await t.app.inject({ method, url, payload, headers: bearer(token) });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
    // Reading the user list with a token still works.
    expect((await t.app.inject({ url: '/api/admin/users', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('revokes every token of a user whose password is reset or who is disabled', async () => {
    const bob = await memberClient(t, admin, 'bob');
    const first = await mint(bob, { name: 'one' });
    await resetPassword(t.ctx, 'bob', 'bob-new-password');
    expect((await me(first.token)).statusCode).toBe(401);

    const bobAgain = await signIn(t, 'bob', 'bob-new-password');
    const second = await mint(bobAgain, { name: 'two' });
    expect((await admin('PATCH', '/api/admin/users/bob', { disabled: true })).statusCode).toBe(200);
    expect((await admin('PATCH', '/api/admin/users/bob', { disabled: false })).statusCode).toBe(200);
    // Enabling the account again does not bring its tokens back.
    expect((await me(second.token)).statusCode).toBe(401);
    const again = await signIn(t, 'bob', 'bob-new-password');
    expect((await again('GET', '/api/auth/tokens')).json()).toEqual({ tokens: [] });
  });
});
