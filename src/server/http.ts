import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuthUser } from './auth/types';
import { AppError } from './errors';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
    authKind: 'session' | 'token' | null;
    sessionToken: string | null;
    /** Asks again whether this request's session or token still signs in its user (long streams). */
    stillSignedIn: () => Promise<boolean>;
  }
  interface FastifyContextConfig {
    /** Reachable without a session or token. */
    public?: boolean;
    /** Refuses API tokens: only a signed-in person may do this (e.g. mint a token). */
    sessionOnly?: boolean;
    /** With `public`: credentials are read when sent, and their absence is not an error. */
    optionalAuth?: boolean;
  }
}

export function currentUser(req: FastifyRequest): AuthUser {
  if (!req.user) throw new AppError('unauthorized', 'Sign in required');
  return req.user;
}

export function requireAdmin(req: FastifyRequest): AuthUser {
  const user = currentUser(req);
  if (user.role !== 'admin') throw new AppError('forbidden', 'Administrator role required');
  return user;
}

export type Reply = FastifyReply;
