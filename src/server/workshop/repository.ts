import type { CompiledQuery } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { dialectOf } from '../db/dialect';
import type { DraftRow, DraftsTable, TestRunRow, TestRunsTable } from '../db/types';

// Drafts, test runs and workshop events. Every function takes `db` first; pass a Transaction
// where several writes must land together.

const draftSql = (db: DB) => sql<DraftRow>`select * from drafts where id = ${0}`.compile(db);

// Compiled once per handle (a transaction is a new handle and compiles its own): building and
// compiling the `sql` template on every read cost about 10 µs of server CPU per request.
const compiledDraft = new WeakMap<DB, CompiledQuery<DraftRow>>();

/**
 * The editor's hot read (opened, polled, re-read after every save). Who may see it is decided by
 * the caller with prompts/policy canUseDraft, the rule prompt refs apply too.
 */
export async function findDraft(db: DB, id: number): Promise<DraftRow | undefined> {
  let query = compiledDraft.get(db);
  if (!query) {
    query = draftSql(db);
    compiledDraft.set(db, query);
  }
  const { rows } = await db.executeQuery<DraftRow>({ ...query, parameters: [id] });
  return rows[0];
}

export interface DraftListRow extends Omit<DraftRow, 'draft_content' | 'committed_revision'> {
  content_length: number;
  content_preview: string;
}

export async function listDraftsForUser(
  db: DB,
  userId: number,
  status?: DraftsTable['status'],
): Promise<DraftListRow[]> {
  let q = db
    .selectFrom('drafts as d')
    .select([
      'd.id',
      'd.user_id',
      'd.draft_name',
      'd.draft_description',
      'd.status',
      'd.workshop_chat_id',
      'd.parent_prompt_name',
      'd.revision',
      'd.test_count',
      'd.metadata',
      'd.created_at',
      'd.updated_at',
    ])
    .select(sql<number>`length(d.draft_content)`.as('content_length'))
    .select(sql<string>`substr(d.draft_content, 1, 200)`.as('content_preview'))
    .where('d.user_id', '=', userId);
  if (status) q = q.where('d.status', '=', status);
  const rows = await q.orderBy('d.updated_at', 'desc').orderBy('d.id', 'desc').execute();
  return rows.map((r) => ({ ...r, content_length: Number(r.content_length) }));
}

export interface NewDraft {
  user_id: number;
  draft_name: string;
  draft_description: string;
  draft_content: string;
  workshop_chat_id: number | null;
  parent_prompt_name: string | null;
  metadata: Record<string, unknown>;
  at: string;
}

export function insertDraft(db: DB, d: NewDraft): Promise<DraftRow> {
  return db
    .insertInto('drafts')
    .values({
      user_id: d.user_id,
      draft_name: d.draft_name,
      draft_description: d.draft_description,
      draft_content: d.draft_content,
      status: 'draft',
      workshop_chat_id: d.workshop_chat_id,
      parent_prompt_name: d.parent_prompt_name,
      metadata: JSON.stringify(d.metadata),
      created_at: d.at,
      updated_at: d.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The user's newest draft started from nothing (no requirements, text or parent) that nobody has
 * worked on since: never saved, never tested, and a chat holding only the opening exchange (system,
 * opening request, first answer).
 */
export function findBlankDraft(db: DB, userId: number): Promise<DraftRow | undefined> {
  return (
    db
      .selectFrom('drafts as d')
      .selectAll('d')
      .where('d.user_id', '=', userId)
      .where('d.status', '=', 'draft')
      .where('d.draft_content', '=', '')
      .where('d.revision', '=', 1)
      .where('d.test_count', '=', 0)
      .where('d.parent_prompt_name', 'is', null)
      .where('d.workshop_chat_id', 'is not', null)
      // Set by startWorkshop; user text inside the JSON is escaped, so it cannot fake this.
      .where('d.metadata', 'like', '%"origin":"blank"%')
      .where(
        (eb) =>
          eb
            .selectFrom('messages as m')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('m.chat_id', '=', 'd.workshop_chat_id'),
        '<=',
        3,
      )
      .orderBy('d.id', 'desc')
      .limit(1)
      .executeTakeFirst()
  );
}

/** The user's draft names that begin with `prefix` (compared as text, no LIKE wildcards). */
export async function draftNamesStartingWith(db: DB, userId: number, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('drafts')
    .select('draft_name')
    .where('user_id', '=', userId)
    .where(sql<boolean>`substr(draft_name, 1, ${sql.lit(prefix.length)}) = ${prefix}`)
    .execute();
  return rows.map((r) => r.draft_name);
}

/**
 * Serialises the user's draft-creating transactions until commit: on PostgreSQL by locking the
 * user's row; SQLite already runs one write transaction at a time.
 */
export async function lockUserDrafts(trx: DB, userId: number): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

export interface DraftPatch {
  draft_content?: string;
  draft_name?: string;
  draft_description?: string;
  status?: DraftsTable['status'];
}

/**
 * Applies the patch and bumps the revision in one statement. With `expectedRevision` the row only
 * changes when its revision still matches, so of two writers holding the same revision one wins.
 * Undefined when nothing matched (missing, someone else's, or stale).
 */
export function updateDraft(
  db: DB,
  id: number,
  userId: number,
  patch: DraftPatch,
  at: string,
  expectedRevision?: number,
): Promise<DraftRow | undefined> {
  let q = db
    .updateTable('drafts')
    .set({ ...patch, revision: sql`revision + 1`, updated_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId);
  if (expectedRevision !== undefined) q = q.where('revision', '=', expectedRevision);
  return q.returningAll().executeTakeFirst();
}

/** Counts a stored run on its draft; a first run moves `draft` to `testing`. One statement, no read first. */
export async function recordTestOnDraft(trx: DB, id: number, at: string): Promise<void> {
  await trx
    .updateTable('drafts')
    .set({
      status: sql`case when status = 'draft' then 'testing' else status end`,
      test_count: sql`test_count + 1`,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes the draft and its test runs; false when another writer deleted it first. */
export async function deleteDraftRow(trx: DB, id: number): Promise<boolean> {
  await trx.deleteFrom('test_runs').where('draft_id', '=', id).execute();
  const { numDeletedRows } = await trx.deleteFrom('drafts').where('id', '=', id).executeTakeFirst();
  return numDeletedRows > 0n;
}

export interface StaleDraft {
  id: number;
  user_id: number;
  username: string;
  draft_name: string;
  status: DraftsTable['status'];
  workshop_chat_id: number | null;
  updated_at: string;
}

/** Drafts whose own row and workshop chat were both last touched before `cutoff`. */
function staleDrafts(db: DB, cutoff: string) {
  return db
    .selectFrom('drafts as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .leftJoin('chats as c', 'c.id', 'd.workshop_chat_id')
    .select([
      'd.id',
      'd.user_id',
      'u.username',
      'd.draft_name',
      'd.status',
      'd.workshop_chat_id',
      'd.updated_at',
    ])
    .where('d.updated_at', '<', cutoff)
    .where((eb) => eb.or([eb('c.id', 'is', null), eb('c.updated_at', '<', cutoff)]));
}

export function findStaleDrafts(db: DB, cutoff: string): Promise<StaleDraft[]> {
  return staleDrafts(db, cutoff).orderBy('d.updated_at').orderBy('d.id').execute();
}

export function findStaleDraft(db: DB, id: number, cutoff: string): Promise<StaleDraft | undefined> {
  return staleDrafts(db, cutoff).where('d.id', '=', id).executeTakeFirst();
}

/** The draft behind a workshop chat, for the design assistant. */
export function findDraftByChat(db: DB, chatId: number, userId: number): Promise<DraftRow | undefined> {
  return db
    .selectFrom('drafts')
    .selectAll()
    .where('workshop_chat_id', '=', chatId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function touchDraft(db: DB, id: number, at: string): Promise<void> {
  await db.updateTable('drafts').set({ updated_at: at }).where('id', '=', id).execute();
}

// --- test runs ------------------------------------------------------------------------------

export type NewTestRun = Omit<TestRunsTable, never>;

export async function insertTestRun(db: DB, run: NewTestRun): Promise<void> {
  await db.insertInto('test_runs').values(run).execute();
}

export interface TestRunCursor {
  created_at: string;
  test_id: string;
}

/**
 * The draft's runs, newest first; with `before`, only those strictly older than it (keyset on
 * (created_at, test_id), so a page costs the same however deep it is and a run stored meanwhile
 * shifts nothing).
 */
export function listTestRuns(
  db: DB,
  draftId: number,
  o: { limit?: number; before?: TestRunCursor } = {},
): Promise<TestRunRow[]> {
  const { before } = o;
  let q = db.selectFrom('test_runs').selectAll().where('draft_id', '=', draftId);
  if (before) {
    // Spelled out rather than a row-value comparison, so both engines read it the same way.
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.created_at),
        eb.and([eb('created_at', '=', before.created_at), eb('test_id', '<', before.test_id)]),
      ]),
    );
  }
  q = q.orderBy('created_at', 'desc').orderBy('test_id', 'desc');
  if (o.limit) q = q.limit(o.limit);
  return q.execute();
}

/** One run, only when it belongs to that draft of that user. */
export function findTestRunForUser(
  db: DB,
  draftId: number,
  testId: string,
  userId: number,
): Promise<TestRunRow | undefined> {
  return db
    .selectFrom('test_runs')
    .selectAll()
    .where('test_id', '=', testId)
    .where('draft_id', '=', draftId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function updateTestFeedback(
  db: DB,
  testId: string,
  patch: { user_rating?: number | null; notes?: string | null },
): Promise<TestRunRow | undefined> {
  return db
    .updateTable('test_runs')
    .set(patch)
    .where('test_id', '=', testId)
    .returningAll()
    .executeTakeFirst();
}

// --- commit ---------------------------------------------------------------------------------

/**
 * Claims the draft for a commit: marks it committed at its current revision unless it already is.
 * One statement, so of parallel commits one gets the row and the others none (on PostgreSQL they
 * wait for the row lock and then re-check the condition). The revision (the client's edit counter)
 * stays; an edit raises it and makes the draft committable again. Undefined when nothing matched.
 */
export function claimCommit(trx: DB, id: number, userId: number, at: string): Promise<DraftRow | undefined> {
  return trx
    .updateTable('drafts')
    .set({ status: 'committed', committed_revision: sql`revision`, updated_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([eb('committed_revision', 'is', null), eb('committed_revision', '<>', eb.ref('revision'))]),
    )
    .returningAll()
    .executeTakeFirst();
}
