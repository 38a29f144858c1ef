import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { AppError } from '../errors';
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

export function authHook(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.user = null;
    req.authKind = null;
    req.sessionToken = null;
    if (!req.url.startsWith('/api/')) return;
    // Unknown routes fall through to the 404 handler.
    if (!req.routeOptions.url || req.routeOptions.config?.public) return;

    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const user = await userForToken(ctx, header.slice(7).trim());
      if (!user) throw new AppError('unauthorized', 'Invalid or revoked API token');
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
  };
}
