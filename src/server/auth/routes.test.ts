import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import { purgeExpiredSessions } from './service';
import { sha256Hex } from './tokens';

describe.each(dialects)('auth on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp(await create(), { LOGIN_MAX_ATTEMPTS: '1000' });
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  it('creates the configured admin on first start and signs in with a hardened cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: {
        id: 1,
        username: 'admin',
        display_name: 'admin',
        role: 'admin',
        disabled: false,
        created_at: expect.any(String),
      },
      auth: 'session',
    });
    const cookie = res.cookies.find((c) => c.name === 'pw_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const stored = await t.ctx.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).toContain(sha256Hex(cookie.value));
    expect(stored.map((s) => s.id)).not.toContain(cookie.value);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
      // inject cannot do TLS; a trusted proxy header is the production equivalent.
      headers: { 'x-forwarded-proto': 'https' },
    });
    const trusted = await startTestApp(await create(), { TRUST_PROXY: '1' });
    const res2 = await trusted.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    await trusted.close();
    expect(res.cookies[0].secure).toBeFalsy();
    expect(res2.cookies[0].secure).toBe(true);
  });

  it('issues a new token at every login', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(a.cookies[0].value).not.toBe(b.cookies[0].value);
  });

  it.each([
    ['wrong password', { username: 'admin', password: 'wrong-password' }],
    ['unknown user', { username: 'nobody', password: 'whatever-password' }],
  ])('answers 401 without a hint for %s', async (_name, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: 'Invalid username or password' });
  });

  it('rate-limits login attempts per username and address', async () => {
    const limitedApp = await startTestApp(await create(), { LOGIN_MAX_ATTEMPTS: '5' });
    const attempt = (username: string, ip: string) =>
      limitedApp.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'nope-nope' },
        remoteAddress: ip,
      });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await attempt('victim', '10.0.0.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await attempt('victim', '10.0.0.1');
    expect(limited.json().detail).toMatch(/^Too many sign-in attempts; retry in \d+ s$/);
    expect(limited.headers['retry-after']).toBeDefined();
    // Another address, or another username from the same address, is not locked out.
    expect((await attempt('victim', '10.0.0.2')).statusCode).toBe(401);
    expect((await attempt('other', '10.0.0.1')).statusCode).toBe(401);
    await limitedApp.close();
  });

  it('answers 401 on every protected route without a session or token', async () => {
    const routes = t.app.printRoutes({ commonPrefix: false });
    expect(routes).toContain('/api/auth/me');
    for (const [method, url] of [
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/tokens'],
      ['GET', '/api/admin/users'],
      ['POST', '/api/auth/logout'],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 401 });
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('tells who is signed in on /api/auth/session with 200, signed out included', async () => {
    const ask = (headers: Record<string, string> = {}) =>
      t.app
        .inject({ url: '/api/auth/session', headers })
        .then((r) => ({ status: r.statusCode, body: r.json() }));
    const nobody = { status: 200, body: { user: null, auth: null } };
    expect(await ask()).toEqual(nobody);
    expect(await ask({ cookie: 'pw_session=not-a-session' })).toEqual(nobody);
    expect(await ask({ authorization: 'Bearer pw_nope' })).toEqual(nobody);
    expect((await admin('GET', '/api/auth/session')).json()).toMatchObject({
      user: { username: 'admin', role: 'admin' },
      auth: 'session',
    });
    const { token } = (await admin('POST', '/api/auth/tokens', { name: 'session-check' })).json();
    expect((await ask({ authorization: `Bearer ${token}` })).body).toMatchObject({
      user: { username: 'admin' },
      auth: 'token',
    });
  });

  it('ends the session server-side on logout', async () => {
    const me = await signIn(t, 'admin', ADMIN_PASSWORD);
    expect((await me('GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await me('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await me('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('expires sessions after the idle limit and the absolute limit', async () => {
    const login = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      const token = res.cookies[0].value;
      return { id: sha256Hex(token), call: client(t, { cookie: `pw_session=${token}` }) };
    };
    const idle = await login();
    const old = new Date(Date.now() - (t.config.session.idleMinutes + 1) * 60_000).toISOString();
    await t.ctx.db.updateTable('sessions').set({ last_seen_at: old }).where('id', '=', idle.id).execute();
    const res = await idle.call('GET', '/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: 'Session expired; sign in again' });

    const absolute = await login();
    const past = new Date(Date.now() - 1000).toISOString();
    await t.ctx.db.updateTable('sessions').set({ expires_at: past }).where('id', '=', absolute.id).execute();
    expect((await absolute.call('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await admin('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('purges sessions past their absolute expiry and keeps live ones', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const expiredId = sha256Hex(res.cookies[0].value);
    const past = new Date(Date.now() - 1000).toISOString();
    await t.ctx.db.updateTable('sessions').set({ expires_at: past }).where('id', '=', expiredId).execute();
    const before = (await t.ctx.db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    await purgeExpiredSessions(t.ctx);
    const after = (await t.ctx.db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(before).toContain(expiredId);
    expect(after).toEqual(before.filter((id) => id !== expiredId));
    expect((await admin('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('issues API tokens shown once and accepted as Bearer', async () => {
    const res = await admin('POST', '/api/auth/tokens', { name: 'ci' });
    expect(res.statusCode).toBe(201);
    const { token } = res.json();
    expect(token).toMatch(/^pw_/);
    const bearer = client(t, { authorization: `Bearer ${token}` });
    const me = await bearer('GET', '/api/auth/me');
    expect(me.json()).toMatchObject({ user: { username: 'admin' }, auth: 'token' });
    const stored = await t.ctx.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).toContain(sha256Hex(token));
    expect((await client(t, { authorization: 'Bearer pw_wrong' })('GET', '/api/auth/me')).statusCode).toBe(
      401,
    );
  });

  it('refuses cross-site state changes by cookie but not by bearer token', async () => {
    const evil = { origin: 'https://evil.example' };
    expect((await admin('POST', '/api/auth/tokens', { name: 'x' }, evil)).statusCode).toBe(403);
    expect(
      (await admin('POST', '/api/auth/tokens', { name: 'x' }, { 'sec-fetch-site': 'cross-site' })).statusCode,
    ).toBe(403);
    expect(
      (await admin('POST', '/api/auth/tokens', { name: 'x' }, { 'sec-fetch-site': 'same-origin' }))
        .statusCode,
    ).toBe(201);
    // Reads are not state-changing.
    expect((await admin('GET', '/api/auth/me', undefined, evil)).statusCode).toBe(200);
    const { id, token } = (await admin('POST', '/api/auth/tokens', { name: 'y' })).json();
    const bearer = client(t, { authorization: `Bearer ${token}`, ...evil });
    expect((await bearer('DELETE', `/api/auth/tokens/${id}`)).statusCode).toBe(204);
  });

  it('lets admins manage users and keeps members out', async () => {
    const created = await admin('POST', '/api/admin/users', {
      username: 'alice',
      password: 'alice-password',
      role: 'member',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      username: 'alice',
      display_name: 'alice',
      role: 'member',
      disabled: false,
      created_at: expect.any(String),
    });
    const dup = await admin('POST', '/api/admin/users', { username: 'alice', password: 'another-password' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ detail: 'Username "alice" is taken' });

    const alice = await signIn(t, 'alice', 'alice-password');
    expect((await alice('GET', '/api/admin/users')).statusCode).toBe(403);
    expect(
      (await alice('POST', '/api/admin/users', { username: 'mallory', password: 'mallory-pass' })).statusCode,
    ).toBe(403);

    const list = await admin('GET', '/api/admin/users');
    expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(
      expect.arrayContaining(['admin', 'alice']),
    );

    // Disabling ends every session at once.
    expect((await admin('PATCH', '/api/admin/users/alice', { disabled: true })).json()).toMatchObject({
      disabled: true,
    });
    expect((await alice('GET', '/api/auth/me')).statusCode).toBe(401);
    const relogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice', password: 'alice-password' },
    });
    expect(relogin.statusCode).toBe(401);
    expect((await admin('PATCH', '/api/admin/users/nobody', { disabled: true })).statusCode).toBe(404);
  });

  it('keeps the last active administrator, also when two demote each other at once', async () => {
    const own = await startTestApp(await create());
    try {
      const root = await signIn(own, 'admin', ADMIN_PASSWORD);
      const last = {
        detail: '"admin" is the last active administrator; make another user an administrator first',
      };
      for (const patch of [{ disabled: true }, { role: 'member' }]) {
        const res = await root('PATCH', '/api/admin/users/admin', patch);
        expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 409, body: last });
      }
      expect((await root('PATCH', '/api/admin/users/admin', { display_name: 'Root' })).statusCode).toBe(200);

      await root('POST', '/api/admin/users', {
        username: 'second',
        password: 'second-password',
        role: 'admin',
      });
      const second = await signIn(own, 'second', 'second-password');
      const both = await Promise.all([
        root('PATCH', '/api/admin/users/admin', { role: 'member' }),
        second('PATCH', '/api/admin/users/second', { role: 'member' }),
      ]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const admins = (
        await own.ctx.db.selectFrom('users').select('username').where('role', '=', 'admin').execute()
      ).length;
      expect(admins).toBe(1);
    } finally {
      await own.close();
    }
  });

  it.each([
    [{ username: 'ab', password: 'long-enough' }, /username must be 3–50 characters/],
    [{ username: 'bob', password: 'short' }, /password must be at least 8 characters/],
    [{ username: 'bad name', password: 'long-enough' }, /letters, digits/],
    [{ username: 'carol', password: 'long-enough', role: 'root' }, /body.role/],
  ])('rejects a bad new user %j', async (payload, detail) => {
    const res = await admin('POST', '/api/admin/users', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(detail);
  });

  it('follows the HTTP conventions for bad requests', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().detail).toMatch(/Malformed JSON/);

    // An empty body with a JSON content type is no body (curl -H 'Content-Type: application/json' -X POST).
    const empty = await admin('POST', '/api/auth/tokens', '', { 'content-type': 'application/json' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/^body: /);
    const logout = await signIn(t, 'admin', ADMIN_PASSWORD);
    expect(
      (await logout('POST', '/api/auth/logout', '', { 'content-type': 'application/json' })).statusCode,
    ).toBe(204);

    const huge = await admin('POST', '/api/auth/tokens', { name: 'x'.repeat(1024 * 1024 + 10) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual({ detail: "The body is over 1 MB, this route's limit" });

    const unknown = await admin('GET', '/api/does-not-exist');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ detail: 'Route GET /api/does-not-exist not found' });
  });

  it('never leaks a stack on a 5xx', async () => {
    const m = await memberClient(t, admin, 'dave');
    const broken = await startTestApp(await create());
    await broken.database.db.schema.dropTable('api_tokens').execute();
    const bob = await signIn(broken, 'admin', ADMIN_PASSWORD);
    const res = await bob('POST', '/api/auth/tokens', { name: 'x' });
    await broken.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: 'Internal server error' });
    expect((await m('GET', '/api/auth/me')).statusCode).toBe(200);
  });
});
