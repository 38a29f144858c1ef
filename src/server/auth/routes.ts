import { z } from 'zod';
import {
  createTokenRequest,
  createTokenResponse,
  createUserRequest,
  loginRequest,
  meResponse,
  updateUserRequest,
  userResponse,
  usersResponse,
} from '../../shared/auth';
import type { AppContext } from '../context';
import { type App, currentUser, requireAdmin } from '../http';
import { SESSION_COOKIE } from './hook';
import * as service from './service';

export async function authRoutes(app: App, ctx: AppContext): Promise<void> {
  const loginLimit = {
    max: ctx.config.login.maxAttempts,
    timeWindow: ctx.config.login.windowSeconds * 1000,
    hook: 'preHandler' as const,
    // Per username and address: one attacker cannot lock a user out from everywhere.
    keyGenerator: (req: any) => `login:${String(req.body?.username ?? '').toLowerCase()}|${req.ip}`,
  };

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: loginLimit },
      schema: { tags: ['auth'], body: loginRequest, response: { 200: meResponse } },
    },
    async (req, reply) => {
      const { token, user, maxAgeSeconds } = await service.login(ctx, req.body.username, req.body.password);
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

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: meResponse } } }, async (req) => ({
    user: service.toUserResponse(currentUser(req)),
    auth: req.authKind ?? 'session',
  }));

  app.post(
    '/api/auth/tokens',
    { schema: { tags: ['auth'], body: createTokenRequest, response: { 201: createTokenResponse } } },
    async (req, reply) => {
      const token = await service.createApiToken(ctx, currentUser(req).id, req.body.name);
      return reply.code(201).send(token);
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

  app.post(
    '/api/admin/users',
    { schema: { tags: ['admin'], body: createUserRequest, response: { 201: userResponse } } },
    async (req, reply) => {
      requireAdmin(req);
      return reply.code(201).send(service.toUserResponse(await service.createUser(ctx, req.body)));
    },
  );

  app.patch(
    '/api/admin/users/:username',
    {
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
