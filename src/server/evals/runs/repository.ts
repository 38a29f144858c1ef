import { sql } from 'kysely';
import { ACTIVE_RUN_STATUSES } from '../../../shared/evals';
import type { DB } from '../../db/database';
import type { DialectName } from '../../db/dialect';
import type { EvalCellsTable, EvalRunsTable } from '../../db/types';

// Evaluation runs and cells: the only place their SQL lives. Cells are claimed under a lease and
// written back only by the lease holder, so each is stored once even when processes overlap.

export function insertRun(
  db: DB,
  run: Omit<EvalRunsTable, 'id' | 'spent_usd' | 'scoring' | 'scored_at'>,
): Promise<{ id: number }> {
  return db.insertInto('eval_runs').values(run).returning('id').executeTakeFirstOrThrow();
}

/** The shape of a run: every (case, variant, repetition) of it is one cell. */
export interface CellGrid {
  cases: number;
  variants: number;
  repetitions: number;
}

/**
 * Inserts every cell of a run, pending, in (case, variant, repetition) order, in one statement
 * that generates the rows in the database: no bound value per row, so 400,000 cells need neither
 * 400,000 × 4 parameters sent over the wire nor chunks to stay under the engines' limits
 * (SQLite 32,766, PostgreSQL 65,535). Call it inside the run's transaction.
 */
export async function insertCells(db: DB, runId: number, grid: CellGrid): Promise<void> {
  if (grid.cases < 1 || grid.variants < 1 || grid.repetitions < 1) return;
  const int = (n: number) => sql`cast(${n} as integer)`;
  const series = (name: string, n: number) =>
    sql`${sql.raw(name)}(i) as (select 0 union all select i + 1 from ${sql.raw(name)} where i + 1 < ${int(n)})`;
  await sql`
    insert into eval_cells (run_id, case_index, variant_index, repetition, status)
    with recursive ${series('cs', grid.cases)}, ${series('vs', grid.variants)}, ${series('rs', grid.repetitions)}
    select ${int(runId)}, cs.i, vs.i, rs.i, 'pending'
    from cs cross join vs cross join rs
    order by cs.i, vs.i, rs.i
  `.execute(db);
}

const runColumns = [
  'r.id',
  'r.owner_id',
  'r.suite_id',
  'r.suite_version_id',
  'v.version as suite_version',
  's.name as suite_name',
  'r.variants',
  'r.repetitions',
  'r.concurrency',
  'r.status',
  'r.budget_usd',
  'r.spent_usd',
  'r.total_cells',
  'r.estimate',
  'r.created_at',
  'r.started_at',
  'r.finished_at',
  'r.scoring',
  'r.scored_at',
] as const;

const runs = (db: DB) =>
  db
    .selectFrom('eval_runs as r')
    .innerJoin('suite_versions as v', 'v.id', 'r.suite_version_id')
    .leftJoin('suites as s', 's.id', 'r.suite_id');

export function findRun(db: DB, id: number, ownerId: number | null) {
  let q = runs(db).select(runColumns).where('r.id', '=', id);
  if (ownerId !== null) q = q.where('r.owner_id', '=', ownerId);
  return q.executeTakeFirst();
}
export type RunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

/** The few columns progress needs: no joins, no aggregates. */
export function findRunProgress(db: DB, id: number, ownerId: number) {
  return db
    .selectFrom('eval_runs')
    .select(['id', 'status', 'spent_usd', 'started_at', 'total_cells'])
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

export function listRuns(db: DB, ownerId: number, limit: number) {
  return runs(db)
    .select(runColumns)
    .where('r.owner_id', '=', ownerId)
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

export function suiteVersionCases(db: DB, versionId: number) {
  return db.selectFrom('suite_versions').select('cases').where('id', '=', versionId).executeTakeFirst();
}

export async function cellCounts(db: DB, runIds: number[]) {
  if (runIds.length === 0) return [];
  return db
    .selectFrom('eval_cells')
    .select([
      'run_id',
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.max('finished_at').as('last_finished_at'),
    ])
    .where('run_id', 'in', runIds)
    .groupBy(['run_id', 'status'])
    .execute();
}

export function variantAggregates(db: DB, runId: number) {
  return db
    .selectFrom('eval_cells')
    .select((eb) => [
      'variant_index',
      eb.fn.countAll<number>().as('cells'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'ok').then(1).else(0).end()).as('ok'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'error').then(1).else(0).end()).as('error'),
      eb.fn.coalesce(eb.fn.sum<number>('cost_usd'), sql<number>`0`).as('cost_usd'),
      // Times and lengths of answers only: a cancelled, skipped or failed cell's few milliseconds
      // would pull a mean below its first token.
      eb.fn
        .avg<number>(eb.case().when('status', '=', 'ok').then(eb.ref('execution_time_ms')).end())
        .as('mean_execution_time_ms'),
      eb.fn
        .avg<number>(eb.case().when('status', '=', 'ok').then(eb.ref('first_token_ms')).end())
        .as('mean_first_token_ms'),
      eb.fn
        .avg<number>(eb.case().when('status', '=', 'ok').then(eb.ref('output_tokens')).end())
        .as('mean_output_tokens'),
      eb.fn.count<number>('passed').as('scored'),
      eb.fn.sum<number>('passed').as('passed'),
      eb.fn.avg<number>('score').as('mean_score'),
      eb.fn.avg<number>('grounding_precision').as('grounding_precision'),
      eb.fn.sum<number>('invented_urls').as('invented_urls'),
      eb.fn.avg<number>('citation_coverage').as('citation_coverage'),
      eb.fn.coalesce(eb.fn.sum<number>('judge_cost_usd'), sql<number>`0`).as('judge_cost_usd'),
    ])
    .where('run_id', '=', runId)
    .groupBy('variant_index')
    .orderBy('variant_index')
    .execute();
}

export async function listCells(
  db: DB,
  runId: number,
  o: { offset: number; limit: number; status?: EvalCellsTable['status']; variant_index?: number },
) {
  let q = db.selectFrom('eval_cells').where('run_id', '=', runId);
  if (o.status) q = q.where('status', '=', o.status);
  if (o.variant_index !== undefined) q = q.where('variant_index', '=', o.variant_index);
  const [{ n }, cells] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy('case_index')
      .orderBy('variant_index')
      .orderBy('repetition')
      .offset(o.offset)
      .limit(o.limit)
      .execute(),
  ]);
  return { total: Number(n), cells };
}

/** Where a page of cells ends, in GET …/cells order: (case, variant, repetition). */
export type CellKey = [number, number, number];

/**
 * The run's cells after `after` in GET …/cells order (of one variant, when given), read by key
 * rather than offset, so the 800th page of an export costs what the first did.
 */
export function cellsAfter(
  db: DB,
  runId: number,
  o: { after: CellKey | null; limit: number; variant_index?: number },
) {
  let q = db.selectFrom('eval_cells').selectAll().where('run_id', '=', runId);
  if (o.variant_index !== undefined) q = q.where('variant_index', '=', o.variant_index);
  if (o.after) {
    const [c, v, r] = o.after;
    q = q.where((eb) => eb(eb.refTuple('case_index', 'variant_index', 'repetition'), '>', eb.tuple(c, v, r)));
  }
  return q.orderBy('case_index').orderBy('variant_index').orderBy('repetition').limit(o.limit).execute();
}

/**
 * For progress events, the ids of the cells answered (ok or error) after `after` (ISO), oldest
 * first; skipped ones are in the counts. The stream fetches whole only those it has not sent.
 */
export function cellsFinishedAfter(db: DB, runId: number, after: string, limit: number) {
  return db
    .selectFrom('eval_cells')
    .select(['id', 'finished_at'])
    .where('run_id', '=', runId)
    .where('status', 'in', ['ok', 'error'])
    .where('finished_at', '>', after)
    .orderBy('finished_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * The ids of the cells answered from `from` through `through`, newest first: the stream looks back
 * for cells stamped before the newest it sent but committed after it.
 */
export function cellsFinishedBetween(db: DB, runId: number, from: string, through: string, limit: number) {
  return db
    .selectFrom('eval_cells')
    .select(['id', 'finished_at'])
    .where('run_id', '=', runId)
    .where('status', 'in', ['ok', 'error'])
    .where('finished_at', '>=', from)
    .where('finished_at', '<=', through)
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Whole cells of the run, in the order they finished. */
export function cellsByIds(db: DB, runId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('eval_cells')
    .selectAll()
    .where('run_id', '=', runId)
    .where('id', 'in', ids)
    .orderBy('finished_at')
    .orderBy('id')
    .execute();
}

export async function activeRunIds(db: DB): Promise<number[]> {
  const rows = await db
    .selectFrom('eval_runs')
    .select('id')
    .where('status', 'in', ACTIVE_RUN_STATUSES)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export function runState(db: DB, id: number) {
  return db
    .selectFrom('eval_runs')
    .select([
      'status',
      'budget_usd',
      'spent_usd',
      'variants',
      'suite_version_id',
      'concurrency',
      'repetitions',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Only the run's status: read before each call a pool starts, so it must stay small. */
export async function runStatus(db: DB, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('eval_runs').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

export async function markRunning(db: DB, id: number, at: string): Promise<void> {
  await db
    .updateTable('eval_runs')
    .set({ status: 'running', started_at: at })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/**
 * Claims up to `n` cells that are pending or whose lease ran out. On PostgreSQL the rows are taken
 * with FOR UPDATE SKIP LOCKED, so processes claiming at once never take the same cell; SQLite has
 * one writer at a time, which gives the same guarantee. Each cell's lease token is `tokenPrefix`
 * followed by its id: a token names one claim of one cell, so a batch of claims is still as many
 * leases.
 */
export async function claimCells(
  db: DB,
  dialect: DialectName,
  runId: number,
  o: { tokenPrefix: string; now: string; leaseUntil: string; n: number },
) {
  let candidates = db
    .selectFrom('eval_cells')
    .select('id')
    .where('run_id', '=', runId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'running'), eb('lease_until', '<', o.now)]),
      ]),
    )
    .orderBy('id')
    .limit(o.n);
  if (dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
  const rows = await db
    .updateTable('eval_cells')
    .set((eb) => ({
      status: 'running',
      lease_owner: sql<string>`cast(${o.tokenPrefix} as text) || cast(id as text)`,
      lease_until: o.leaseUntil,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', candidates)
    .returning(['id', 'case_index', 'variant_index', 'repetition', 'attempts'])
    .execute();
  return rows.sort((a, b) => a.id - b.id).map((r) => ({ ...r, lease: `${o.tokenPrefix}${r.id}` }));
}

/** Extends the leases a worker holds; each claim has its own lease token. */
export async function renewLeases(db: DB, leases: string[], until: string): Promise<void> {
  if (leases.length === 0) return;
  await db
    .updateTable('eval_cells')
    .set({ lease_until: until })
    .where('lease_owner', 'in', leases)
    .where('status', '=', 'running')
    .execute();
}

export type CellResult = Pick<
  EvalCellsTable,
  | 'status'
  | 'skipped_reason'
  | 'answer'
  | 'model'
  | 'article_ids'
  | 'retrieval'
  | 'corpus_fingerprint'
  | 'input_tokens'
  | 'output_tokens'
  | 'cost_usd'
  | 'first_token_ms'
  | 'execution_time_ms'
  | 'error'
  | 'finished_at'
>;

/**
 * Writes a cell's result if this owner still holds its lease; false when someone else took it.
 * The owner stays on the row: it says which process answered the cell.
 */
export async function completeCell(db: DB, id: number, owner: string, result: CellResult): Promise<boolean> {
  const res = await db
    .updateTable('eval_cells')
    .set({ ...result, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Gives a claimed cell back to be tried again later by anyone, or skips it if the run was cancelled.
 * `unsent`: the claim sent no request (a cell claimed ahead of its call), so its attempt is not
 * counted against the cell.
 */
export async function releaseCell(db: DB, id: number, owner: string, unsent = false): Promise<void> {
  const cancelled = sql<boolean>`exists (select 1 from eval_runs r where r.id = eval_cells.run_id and r.status = 'cancelled')`;
  await db
    .updateTable('eval_cells')
    .set((eb) => ({
      ...(unsent ? { attempts: eb('attempts', '-', 1) } : {}),
      status: sql`case when ${cancelled} then 'skipped' else 'pending' end`,
      skipped_reason: sql`case when ${cancelled} then 'cancelled' else null end`,
      lease_owner: null,
      lease_until: null,
    }))
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .execute();
}

export async function addSpent(db: DB, runId: number, usd: number): Promise<void> {
  await db
    .updateTable('eval_runs')
    .set((eb) => ({ spent_usd: eb('spent_usd', '+', usd) }))
    .where('id', '=', runId)
    .execute();
}

/** Skips the cells not claimed, and those whose worker died (lease lapsed), with the reason. */
export async function skipPending(db: DB, runId: number, reason: string, at: string): Promise<void> {
  await db
    .updateTable('eval_cells')
    .set({ status: 'skipped', skipped_reason: reason, finished_at: at })
    .where('run_id', '=', runId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'running'), eb('lease_until', '<', at)]),
      ]),
    )
    .execute();
}

/**
 * Skips the cells of cancelled runs still marked running whose lease lapsed: their process died
 * after the cancel, and no one else claims a cancelled run's cells. Returns how many it skipped.
 */
export async function skipAbandonedCells(db: DB, at: string): Promise<number> {
  const res = await db
    .updateTable('eval_cells')
    .set({ status: 'skipped', skipped_reason: 'cancelled', finished_at: at, lease_until: null })
    .where('status', '=', 'running')
    .where('lease_until', '<', at)
    .where('run_id', 'in', (eb) => eb.selectFrom('eval_runs').select('id').where('status', '=', 'cancelled'))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Marks the run done once no cell is pending or running; true when this call finished it. */
export async function finishIfComplete(db: DB, runId: number, at: string): Promise<boolean> {
  const res = await db
    .updateTable('eval_runs')
    .set({ status: 'done', finished_at: at })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('eval_cells')
            .select('id')
            .where('run_id', '=', runId)
            .where('status', 'in', ['pending', 'running']),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Moves a queued or running run to cancelled; false when it had already ended. */
export async function cancelRun(db: DB, runId: number, at: string): Promise<boolean> {
  const res = await db
    .updateTable('eval_runs')
    .set({ status: 'cancelled', finished_at: at })
    .where('id', '=', runId)
    .where('status', 'in', ACTIVE_RUN_STATUSES)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Per case, the articles the first finished cell of an earlier run saw (pinned retrieval). */
export async function articlesPerCase(db: DB, runId: number): Promise<Map<number, number[]>> {
  const rows = await db
    .selectFrom('eval_cells')
    .select(['case_index', 'article_ids'])
    .where('run_id', '=', runId)
    .where('status', '=', 'ok')
    .orderBy('case_index')
    .orderBy('variant_index')
    .orderBy('repetition')
    .execute();
  const out = new Map<number, number[]>();
  for (const r of rows) if (!out.has(r.case_index)) out.set(r.case_index, JSON.parse(r.article_ids ?? '[]'));
  return out;
}
