import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import type { App } from '../http';
import { userForSession, userForToken } from './service';

export const SESSION_COOKIE = 'pw_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cookie requests that change state must come from this site; bearer requests are not at risk. */
function assertSameSite(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') {
    throw new AppError('forbidden', 'Cross-site request refused');
  }
  const origin = req.headers.origin;
  if (origin) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new AppError('forbidden', 'Cross-site request refused');
    }
    if (host !== req.host) throw new AppError('forbidden', 'Cross-site request refused');
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
}

/**
 * Records every route as it is registered, so protection can be checked route by route. The flag
 * is read when asked, after every onRoute hook (including publicScope's) has had its say.
 */
export function recordRoutes(app: App): () => RegisteredRoute[] {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  return () =>
    routes.flatMap((r) =>
      [r.method].flat().map((method) => ({ method, url: r.url, public: r.config?.public === true })),
    );
}

/** Registers plugins whose every route is public (the web app's files, the API docs). */
export async function publicScope(app: App, register: (scope: App) => PromiseLike<unknown>): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await register(scope as App);
  });
}

/*
 * Protection is decided by the route the router matched, never by the URL text: `/%61pi/topics`
 * matches the same route as `/api/topics` and gets the same answer. Every route needs a session
 * or a token unless it is marked `config.public`; a route marked `sessionOnly` refuses tokens.
 */
export function authHook(ctx: AppContext) {
  async function authenticate(req: FastifyRequest, sessionOnly: boolean): Promise<void> {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const user = await userForToken(ctx, header.slice(7).trim());
      if (!user) throw new AppError('unauthorized', 'Invalid, expired or revoked API token');
      if (sessionOnly) throw new AppError('forbidden', 'This needs a signed-in session, not an API token');
      req.user = user;
      req.authKind = 'token';
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('unauthorized', 'Sign in required');
    const user = await userForSession(ctx, token);
    if (!user) throw new AppError('unauthorized', 'Session expired; sign in again');
    assertSameSite(req);
    req.user = user;
    req.authKind = 'session';
    req.sessionToken = token;
  }

  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.user = null;
    req.authKind = null;
    req.sessionToken = null;
    req.stillSignedIn = () => stillSignedIn(ctx, req);
    const config = req.routeOptions.config;
    // No matched route: the 404 handler answers, and it reveals nothing.
    if (!req.routeOptions.url) return;
    if (config?.public) {
      // A public route that may tell who is asking: missing or stale credentials mean "nobody".
      if (config.optionalAuth) await authenticate(req, false).catch(() => undefined);
      return;
    }
    await authenticate(req, config?.sessionOnly === true);
  };
}

/**
 * Whether the credentials a request came with still sign in the same user: long-lived answers
 * (event streams) ask again while they run, so a sign-out, a revoked token or a disabled account
 * ends them. A session is answered from the session cache, which sign-out evicts at once. Asking
 * is not activity: it touches neither the session's last-seen time nor the token's last use.
 */
async function stillSignedIn(ctx: AppContext, req: FastifyRequest): Promise<boolean> {
  const id = req.user?.id;
  if (id === undefined) return false;
  if (req.authKind === 'token') {
    const header = req.headers.authorization ?? '';
    return (await userForToken(ctx, header.slice(7).trim(), { touch: false }))?.id === id;
  }
  if (req.authKind === 'session' && req.sessionToken) {
    return (await userForSession(ctx, req.sessionToken, { touch: false }))?.id === id;
  }
  return false;
}
