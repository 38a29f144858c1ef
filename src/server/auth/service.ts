import { randomBytes } from 'node:crypto';
import type {
  CreateTokenRequest,
  CreateTokenResponse,
  CreateUserRequest,
  LoginRequest,
  Role,
  TokenResponse,
  UserResponse,
} from '../../shared/auth';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import type { DB } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { AppError, notFound } from '../errors';
import { forgetInitialPassword } from './initial-password';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import * as repo from './repository';
import { newSecret, sha256Hex } from './tokens';
import type { AuthUser } from './types';

type UserLike = Omit<AuthUser, 'disabled'> & { disabled: number };

export function toUser(row: UserLike): AuthUser {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    role: row.role,
    disabled: Boolean(row.disabled),
    created_at: row.created_at,
  };
}

export const toUserResponse = (u: AuthUser): UserResponse => ({ ...u });

const invalidLogin = () => new AppError('unauthorized', 'Invalid username or password');
// Touch a session at most once a minute so a read does not become a write on every request.
const TOUCH_INTERVAL_MS = 60_000;

/*
 * Sessions resolved in the last SESSION_CACHE_MS are answered from memory: the lookup ran on every
 * cookie request and cost more than the rest of the request. Expiry is still checked on every
 * request; logout, disabling, role changes and password resets in this process evict at once.
 * Changes made by another process (the CLI, a second server) are seen within SESSION_CACHE_MS.
 * Unknown tokens are never cached. See docs/adr/0003-authentication.md.
 */
const SESSION_CACHE_MS = 2_000;
const SESSION_CACHE_MAX = 10_000;

interface CachedSession {
  user: AuthUser;
  lastSeen: number;
  expires: number;
  cachedAt: number;
}

interface SessionCache {
  entries: Map<string, CachedSession>;
  /** Bumped by every eviction, so a lookup that raced an eviction does not cache what it read. */
  generation: number;
}

// Per database handle: tests and tools may open several databases in one process.
const sessionCaches = new WeakMap<DB, SessionCache>();

function sessionCache(db: DB): SessionCache {
  let cache = sessionCaches.get(db);
  if (!cache) {
    cache = { entries: new Map(), generation: 0 };
    sessionCaches.set(db, cache);
  }
  return cache;
}

function forgetSessions(db: DB, match: (id: string, session: CachedSession) => boolean): void {
  const cache = sessionCache(db);
  cache.generation++;
  for (const [id, session] of cache.entries) if (match(id, session)) cache.entries.delete(id);
}

const forgetUserSessions = (db: DB, userId: number) => forgetSessions(db, (_, s) => s.user.id === userId);

export async function createUser(ctx: AppContext, input: CreateUserRequest): Promise<AuthUser> {
  const existing = await repo.findUserByUsername(ctx.db, input.username);
  if (existing) throw new AppError('conflict', `Username "${input.username}" is taken`);
  try {
    const row = await repo.insertUser(ctx.db, {
      username: input.username,
      display_name: input.display_name ?? input.username,
      password_hash: await hashPassword(input.password),
      role: input.role,
      created_at: nowIso(),
    });
    return toUser(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `Username "${input.username}" is taken`);
    throw err;
  }
}

/** First start with no users: create the admin, generating a password when none was configured. */
export async function ensureAdmin(
  ctx: AppContext,
): Promise<{ username: string; generatedPassword?: string } | null> {
  if ((await repo.countUsers(ctx.db)) > 0) return null;
  const generatedPassword = ctx.config.admin.password ? undefined : randomBytes(18).toString('base64url');
  const password = ctx.config.admin.password ?? generatedPassword!;
  try {
    await createUser(ctx, { username: ctx.config.admin.username, password, role: 'admin' });
  } catch (err) {
    // Another process started at the same moment and created it first.
    if (err instanceof AppError && err.code === 'conflict') return null;
    throw err;
  }
  return { username: ctx.config.admin.username, generatedPassword };
}

/**
 * Every attempt is counted per username and address before the password is checked, so parallel
 * guesses are bounded too; a successful sign-in clears its count. Keyed on both, one attacker
 * cannot lock a user out from everywhere.
 */
export async function login(
  ctx: AppContext,
  { username, password }: LoginRequest,
  ip: string,
): Promise<{ token: string; user: AuthUser; maxAgeSeconds: number }> {
  const attempts = `${username.toLowerCase()}|${ip}`;
  await ctx.budgets.login.take(attempts);
  const row = await repo.findUserByUsername(ctx.db, username);
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
  if (!row || !ok || row.disabled) throw invalidLogin();
  await ctx.budgets.login.clear(attempts);
  const token = newSecret();
  const now = new Date();
  const expires = new Date(now.getTime() + ctx.config.session.maxHours * 3600_000);
  await repo.insertSession(ctx.db, {
    id: sha256Hex(token),
    user_id: row.id,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expires.toISOString(),
  });
  return { token, user: toUser(row), maxAgeSeconds: ctx.config.session.maxHours * 3600 };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  const id = sha256Hex(token);
  // Evict after the delete: a lookup that started earlier sees the bumped generation.
  await repo.deleteSession(ctx.db, id);
  forgetSessions(ctx.db, (key) => key === id);
}

async function lookupSession(ctx: AppContext, id: string, now: number): Promise<CachedSession | null> {
  const cache = sessionCache(ctx.db);
  const cached = cache.entries.get(id);
  if (cached && now - cached.cachedAt <= SESSION_CACHE_MS) return cached;
  if (cached) cache.entries.delete(id);
  const generation = cache.generation;
  const row = await repo.findSessionWithUser(ctx.db, id);
  if (!row || row.disabled) return null;
  const session: CachedSession = {
    user: toUser(row),
    lastSeen: Date.parse(row.last_seen_at),
    expires: Date.parse(row.expires_at),
    cachedAt: now,
  };
  if (cache.generation === generation) {
    if (cache.entries.size >= SESSION_CACHE_MAX) cache.entries.delete(cache.entries.keys().next().value!);
    cache.entries.set(id, session);
  }
  return session;
}

/**
 * The user a session signs in, or null once it ended or expired. `touch: false` (a stream asking
 * again while it runs) does not count as activity, so an unattended page still idles out.
 */
export async function userForSession(
  ctx: AppContext,
  token: string,
  { touch = true }: { touch?: boolean } = {},
): Promise<AuthUser | null> {
  const id = sha256Hex(token);
  const now = Date.now();
  const session = await lookupSession(ctx, id, now);
  if (!session) return null;
  if (now > session.expires || now > session.lastSeen + ctx.config.session.idleMinutes * 60_000) {
    await repo.deleteSession(ctx.db, id);
    forgetSessions(ctx.db, (key) => key === id);
    return null;
  }
  if (touch && now - session.lastSeen > TOUCH_INTERVAL_MS) {
    session.lastSeen = now;
    await repo.touchSession(ctx.db, id, new Date(now).toISOString());
  }
  // A copy: callers must not be able to change what later requests see.
  return { ...session.user };
}

export async function userForToken(
  ctx: AppContext,
  token: string,
  { touch = true }: { touch?: boolean } = {},
): Promise<AuthUser | null> {
  const row = await repo.findTokenWithUser(ctx.db, sha256Hex(token));
  if (!row || row.disabled) return null;
  const now = Date.now();
  if (row.expires_at && now >= Date.parse(row.expires_at)) return null;
  if (touch && (!row.last_used_at || now - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS)) {
    await repo.touchToken(ctx.db, row.token_id, new Date(now).toISOString());
  }
  return toUser(row);
}

type TokenRow = Awaited<ReturnType<typeof repo.listApiTokens>>[number];

export function toTokenResponse(row: TokenRow, now = Date.now()): TokenResponse {
  const expired = row.expires_at !== null && now >= Date.parse(row.expires_at);
  return { ...row, status: expired ? 'expired' : 'active' };
}

export async function createApiToken(
  ctx: AppContext,
  userId: number,
  { name, expires_in_days }: CreateTokenRequest,
): Promise<CreateTokenResponse> {
  const token = newSecret('pw_');
  const now = Date.now();
  const row = await repo.insertApiToken(ctx.db, {
    user_id: userId,
    name,
    token_hash: sha256Hex(token),
    created_at: new Date(now).toISOString(),
    expires_at: expires_in_days ? new Date(now + expires_in_days * 86_400_000).toISOString() : null,
  });
  return { ...toTokenResponse(row, now), token };
}

export async function listApiTokens(ctx: AppContext, userId: number): Promise<TokenResponse[]> {
  const now = Date.now();
  return (await repo.listApiTokens(ctx.db, userId)).map((r) => toTokenResponse(r, now));
}

/** Revokes one of the user's tokens; another user's, an unknown or an already revoked one is a 404. */
export async function revokeApiToken(ctx: AppContext, userId: number | null, tokenId: number): Promise<void> {
  if (!(await repo.revokeApiToken(ctx.db, tokenId, userId, nowIso()))) throw notFound(`Token ${tokenId}`);
}

export async function listApiTokensOf(ctx: AppContext, username: string): Promise<TokenResponse[]> {
  return listApiTokens(ctx, (await requireUser(ctx, username)).id);
}

export async function listUsers(ctx: AppContext): Promise<AuthUser[]> {
  return (await repo.listUsers(ctx.db)).map(toUser);
}

async function requireUser(ctx: AppContext, username: string) {
  const row = await repo.findUserByUsername(ctx.db, username);
  if (!row) throw notFound(`User "${username}"`);
  return row;
}

export async function updateUser(
  ctx: AppContext,
  username: string,
  patch: { disabled?: boolean; role?: Role; display_name?: string },
): Promise<AuthUser> {
  const user = await requireUser(ctx, username);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    if (patch.disabled || patch.role === 'member') {
      const admins = await repo.lockActiveAdminIds(trx, ctx.dialect);
      if (admins.length === 1 && admins[0] === user.id) {
        throw new AppError(
          'conflict',
          `"${username}" is the last active administrator; make another user an administrator first`,
        );
      }
    }
    const row = await repo.updateUser(trx, user.id, {
      ...(patch.disabled === undefined ? {} : { disabled: patch.disabled ? 1 : 0 }),
      ...(patch.role ? { role: patch.role } : {}),
      ...(patch.display_name ? { display_name: patch.display_name } : {}),
    });
    // A disabled user is signed out everywhere at once, tokens included.
    if (patch.disabled) {
      await repo.deleteSessionsOfUser(trx, user.id);
      await repo.revokeTokensOfUser(trx, user.id, nowIso());
    }
    return toUser(row!);
  });
  // After the commit: a new role or a disabled flag applies to the very next request.
  forgetUserSessions(ctx.db, user.id);
  return updated;
}

export async function resetPassword(ctx: AppContext, username: string, password: string): Promise<void> {
  const user = await requireUser(ctx, username);
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, { password_hash: hash });
    // A reset is what one does after a leak: every way in made with the old password ends.
    await repo.deleteSessionsOfUser(trx, user.id);
    await repo.revokeTokensOfUser(trx, user.id, nowIso());
  });
  forgetUserSessions(ctx.db, user.id);
  if (username === ctx.config.admin.username) forgetInitialPassword(ctx.config);
}

export async function createApiTokenFor(ctx: AppContext, username: string, input: CreateTokenRequest) {
  const user = await requireUser(ctx, username);
  return createApiToken(ctx, user.id, input);
}

/** Rows of sessions past their absolute expiry (idle ones are refused on use and end here too). */
export async function purgeExpiredSessions(ctx: AppContext): Promise<void> {
  await repo.deleteExpiredSessions(ctx.db, nowIso());
}
