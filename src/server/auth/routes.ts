import { z } from 'zod';
import {
  createTokenRequest,
  createTokenResponse,
  createUserRequest,
  listTokensResponse,
  loginRequest,
  meResponse,
  sessionResponse,
  updateUserRequest,
  userResponse,
  usersResponse,
} from '../../shared/auth';
import { idParam } from '../../shared/common';
import type { AppContext } from '../context';
import { type App, currentUser, requireAdmin } from '../http';
import { SESSION_COOKIE } from './hook';
import * as service from './service';

export async function authRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], body: loginRequest, response: { 200: meResponse } },
    },
    async (req, reply) => {
      const { token, user, maxAgeSeconds } = await service.login(ctx, req.body, req.ip);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        maxAge: maxAgeSeconds,
      });
      return { user: service.toUserResponse(user), auth: 'session' as const };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    if (req.sessionToken) await service.logout(ctx, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get(
    '/api/auth/session',
    {
      config: { public: true, optionalAuth: true },
      schema: { tags: ['auth'], response: { 200: sessionResponse } },
    },
    async (req) => ({
      user: req.user ? service.toUserResponse(req.user) : null,
      auth: req.authKind,
    }),
  );

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: meResponse } } }, async (req) => ({
    user: service.toUserResponse(currentUser(req)),
    auth: req.authKind ?? 'session',
  }));

  app.post(
    '/api/auth/tokens',
    {
      // A token must not mint tokens: a leaked one could otherwise outlive its own revocation.
      config: { sessionOnly: true },
      schema: { tags: ['auth'], body: createTokenRequest, response: { 201: createTokenResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await service.createApiToken(ctx, currentUser(req).id, req.body)),
  );

  app.get(
    '/api/auth/tokens',
    { schema: { tags: ['auth'], response: { 200: listTokensResponse } } },
    async (req) => ({ tokens: await service.listApiTokens(ctx, currentUser(req).id) }),
  );

  app.delete(
    '/api/auth/tokens/:id',
    { schema: { tags: ['auth'], params: z.object({ id: idParam }) } },
    async (req, reply) => {
      await service.revokeApiToken(ctx, currentUser(req).id, req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/admin/users',
    { schema: { tags: ['admin'], response: { 200: usersResponse } } },
    async (req) => {
      requireAdmin(req);
      return { users: (await service.listUsers(ctx)).map(service.toUserResponse) };
    },
  );

  // Changing accounts needs a signed-in admin: a leaked admin token must not be able to make itself
  // a new admin (and so new tokens) or re-enable a disabled account.
  app.post(
    '/api/admin/users',
    {
      config: { sessionOnly: true },
      schema: { tags: ['admin'], body: createUserRequest, response: { 201: userResponse } },
    },
    async (req, reply) => {
      requireAdmin(req);
      return reply.code(201).send(service.toUserResponse(await service.createUser(ctx, req.body)));
    },
  );

  app.patch(
    '/api/admin/users/:username',
    {
      config: { sessionOnly: true },
      schema: {
        tags: ['admin'],
        params: z.object({ username: z.string() }),
        body: updateUserRequest,
        response: { 200: userResponse },
      },
    },
    async (req) => {
      requireAdmin(req);
      return service.toUserResponse(await service.updateUser(ctx, req.params.username, req.body));
    },
  );
}
