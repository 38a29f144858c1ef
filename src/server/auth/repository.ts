import type { DB } from '../db/database';
import type { DialectName } from '../db/dialect';
import type { NewUser, UserRow, UserUpdate } from '../db/types';

export function findUserByUsername(db: DB, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function listUsers(db: DB): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('id').execute();
}

export async function countUsers(db: DB): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertUser(db: DB, user: NewUser): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

/**
 * Ids of the enabled administrators, locked for the rest of the transaction on PostgreSQL so two
 * admins demoting each other at once cannot both pass the "another admin remains" check. SQLite
 * runs one writing transaction at a time, so it needs no lock.
 */
export async function lockActiveAdminIds(db: DB, dialect: DialectName): Promise<number[]> {
  let q = db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0);
  if (dialect === 'postgres') q = q.forUpdate();
  return (await q.execute()).map((r) => r.id);
}

export function updateUser(db: DB, id: number, patch: UserUpdate): Promise<UserRow | undefined> {
  return db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function insertSession(
  db: DB,
  session: { id: string; user_id: number; created_at: string; last_seen_at: string; expires_at: string },
): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

// What a session or token lookup needs of its user (never the password hash).
const authUserColumns = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.disabled',
  'users.created_at',
] as const;

/** The session joined with its user in one round trip: this runs on every cookie request. */
export function findSessionWithUser(db: DB, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at', ...authUserColumns])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
}

export async function touchSession(db: DB, sessionId: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: DB, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionsOfUser(db: DB, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: DB, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

const tokenColumns = ['id', 'name', 'created_at', 'last_used_at', 'expires_at'] as const;

export function insertApiToken(
  db: DB,
  token: { user_id: number; name: string; token_hash: string; created_at: string; expires_at: string | null },
) {
  return db.insertInto('api_tokens').values(token).returning(tokenColumns).executeTakeFirstOrThrow();
}

/** A user's tokens that were not revoked, newest first (expired ones too, so they can be seen). */
export function listApiTokens(db: DB, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
}

/** Revokes one token; `userId` null lets an operator (the CLI) revoke anyone's. Returns whether it did. */
export async function revokeApiToken(db: DB, tokenId: number, userId: number | null, at: string) {
  let q = db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null);
  if (userId !== null) q = q.where('user_id', '=', userId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function revokeTokensOfUser(db: DB, userId: number, at: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The live token with its user; expiry is checked by the caller against its clock. */
export function findTokenWithUser(db: DB, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      ...authUserColumns,
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchToken(db: DB, tokenId: number, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}
