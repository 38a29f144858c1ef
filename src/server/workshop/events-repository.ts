import type { Generated } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/database';

// Workshop events (migration 0002) and the stats queries over them. Events outlive the drafts
// they mention, so stats stay right after drafts are deleted or expire.

/** workshop_events (migration 0002) is the workshop's own table, typed here rather than in db/types. */
export interface WorkshopEventsTable {
  id: Generated<number>;
  kind: EventKind;
  user_id: number | null;
  draft_id: number | null;
  prompt_name: string | null;
  created_at: string;
}
export type EventKind = 'started' | 'cloned' | 'tested' | 'rated' | 'committed' | 'deleted' | 'expired';

const withEvents = (db: DB) => db.withTables<{ workshop_events: WorkshopEventsTable }>();

export interface NewEvent {
  kind: EventKind;
  user_id: number | null;
  draft_id: number | null;
  prompt_name?: string | null;
  at: string;
}

export async function insertEvent(db: DB, e: NewEvent): Promise<void> {
  await withEvents(db)
    .insertInto('workshop_events')
    .values({
      kind: e.kind,
      user_id: e.user_id,
      draft_id: e.draft_id,
      prompt_name: e.prompt_name ?? null,
      created_at: e.at,
    })
    .execute();
}

/** Events since `since`, optionally of one user. */
function eventsSince(db: DB, since: string, userId?: number) {
  let q = withEvents(db).selectFrom('workshop_events as e').where('e.created_at', '>=', since);
  if (userId !== undefined) q = q.where('e.user_id', '=', userId);
  return q;
}

export async function countEventsByKind(
  db: DB,
  since: string,
  userId?: number,
): Promise<Record<EventKind, number>> {
  const rows = await eventsSince(db, since, userId)
    .select(['e.kind'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('e.kind')
    .execute();
  const out = { started: 0, cloned: 0, tested: 0, rated: 0, committed: 0, deleted: 0, expired: 0 };
  for (const r of rows) out[r.kind] = Number(r.n);
  return out;
}

export async function startedPerDay(
  db: DB,
  since: string,
  userId?: number,
): Promise<{ date: string; count: number }[]> {
  const day = sql<string>`substr(e.created_at, 1, 10)`;
  const rows = await eventsSince(db, since, userId)
    .where('e.kind', 'in', ['started', 'cloned'])
    .select(day.as('date'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((r) => ({ date: r.date, count: Number(r.n) }));
}

/** Drafts started in the window that were committed at least once. */
export async function countCommittedStarts(db: DB, since: string, userId?: number): Promise<number> {
  const row = await eventsSince(db, since, userId)
    .where('e.kind', 'in', ['started', 'cloned'])
    .where((eb) =>
      eb(
        'e.draft_id',
        'in',
        withEvents(db)
          .selectFrom('workshop_events as c')
          .select('c.draft_id')
          .where('c.kind', '=', 'committed'),
      ),
    )
    .select((eb) => eb.fn.count<number>('e.draft_id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** First and last activity of each draft started in the window. */
export async function activitySpans(
  db: DB,
  since: string,
  userId?: number,
): Promise<{ draft_id: number; first: string; last: string }[]> {
  const starts = eventsSince(db, since, userId)
    .where('e.kind', 'in', ['started', 'cloned'])
    .select('e.draft_id');
  const rows = await withEvents(db)
    .selectFrom('workshop_events as a')
    .where('a.draft_id', 'in', starts)
    .where('a.kind', 'in', ['started', 'cloned', 'tested', 'rated', 'committed'])
    .select('a.draft_id')
    .select((eb) => eb.fn.min('a.created_at').as('first'))
    .select((eb) => eb.fn.max('a.created_at').as('last'))
    .groupBy('a.draft_id')
    .execute();
  return rows.map((r) => ({ draft_id: Number(r.draft_id), first: String(r.first), last: String(r.last) }));
}

export async function mostCloned(
  db: DB,
  since: string,
  userId: number | undefined,
  limit: number,
): Promise<{ name: string; clones: number }[]> {
  const rows = await eventsSince(db, since, userId)
    .where('e.kind', '=', 'cloned')
    .where('e.prompt_name', 'is not', null)
    .select('e.prompt_name')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('e.prompt_name')
    .orderBy('n', 'desc')
    .orderBy('e.prompt_name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ name: String(r.prompt_name), clones: Number(r.n) }));
}

/** Average of the current ratings of runs made in the window. */
export async function ratingSummary(
  db: DB,
  since: string,
  userId?: number,
): Promise<{ average: number | null; count: number }> {
  let q = db
    .selectFrom('test_runs')
    .where('created_at', '>=', since)
    .where('user_rating', 'is not', null)
    .select((eb) => eb.fn.avg<number>('user_rating').as('avg'))
    .select((eb) => eb.fn.count<number>('user_rating').as('n'));
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const row = await q.executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { average: n === 0 ? null : Number(row.avg), count: n };
}
