import { sql } from 'kysely';
import type { DB } from '../../db/database';
import type { CellScoresTable, EvalCellsTable } from '../../db/types';

// Scores and reviews of evaluation cells; the only place their SQL lives. A cell's scores are
// always written whole, with its summary, in the caller's transaction.

export type ScoreRow = Omit<CellScoresTable, 'id' | 'cell_id' | 'created_at'>;
export type CellSummary = Pick<
  EvalCellsTable,
  | 'passed'
  | 'score'
  | 'grounding_precision'
  | 'invented_urls'
  | 'citation_coverage'
  | 'judge_cost_usd'
  | 'scored_at'
>;

const INSERT_BATCH = 200;

/** Replaces a cell's scores and summary. */
export async function replaceScores(
  db: DB,
  cellId: number,
  summary: CellSummary,
  rows: ScoreRow[],
): Promise<void> {
  await db.deleteFrom('cell_scores').where('cell_id', '=', cellId).execute();
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto('cell_scores')
      .values(
        rows
          .slice(i, i + INSERT_BATCH)
          .map((r) => ({ ...r, cell_id: cellId, created_at: summary.scored_at ?? '' })),
      )
      .execute();
  }
  await db.updateTable('eval_cells').set(summary).where('id', '=', cellId).execute();
}

export function scoresOf(db: DB, cellId: number) {
  return db.selectFrom('cell_scores').selectAll().where('cell_id', '=', cellId).orderBy('position').execute();
}

export function findCell(db: DB, runId: number, cellId: number) {
  return db
    .selectFrom('eval_cells')
    .selectAll()
    .where('run_id', '=', runId)
    .where('id', '=', cellId)
    .executeTakeFirst();
}

/** Answered cells of a run, a page at a time in id order (for re-scoring). */
export function answeredCells(db: DB, runId: number, afterId: number, limit: number) {
  return db
    .selectFrom('eval_cells')
    .select([
      'id',
      'case_index',
      'variant_index',
      'answer',
      'article_ids',
      'execution_time_ms',
      'first_token_ms',
      'cost_usd',
    ])
    .where('run_id', '=', runId)
    .where('status', '=', 'ok')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function setRunScoring(db: DB, runId: number, scoring: string, at: string): Promise<void> {
  await db.updateTable('eval_runs').set({ scoring, scored_at: at }).where('id', '=', runId).execute();
}

export function runScoring(db: DB, runId: number) {
  return db
    .selectFrom('eval_runs as r')
    .innerJoin('suite_versions as v', 'v.id', 'r.suite_version_id')
    .select(['r.scoring as run_scoring', 'v.scoring as suite_scoring', 'v.cases', 'r.suite_id'])
    .where('r.id', '=', runId)
    .executeTakeFirst();
}

export function currentSuiteVersion(db: DB, suiteId: number) {
  return db
    .selectFrom('suites as s')
    .innerJoin('suite_versions as v', (j) =>
      j.onRef('v.suite_id', '=', 's.id').onRef('v.version', '=', 's.current_version'),
    )
    .select(['v.scoring', 'v.cases', 'v.version'])
    .where('s.id', '=', suiteId)
    .executeTakeFirst();
}

// Reviews

export function reviewsOf(db: DB, cellId: number) {
  return db
    .selectFrom('cell_reviews as r')
    .innerJoin('users as u', 'u.id', 'r.reviewer_id')
    .select(['r.reviewer_id', 'u.username as reviewer', 'r.pass', 'r.rating', 'r.notes', 'r.updated_at'])
    .where('r.cell_id', '=', cellId)
    .orderBy('r.updated_at')
    .execute();
}

export async function upsertReview(
  db: DB,
  r: { cell_id: number; reviewer_id: number; pass?: number | null; rating?: number | null; notes?: string },
  at: string,
): Promise<void> {
  const changes = {
    ...(r.pass !== undefined ? { pass: r.pass } : {}),
    ...(r.rating !== undefined ? { rating: r.rating } : {}),
    ...(r.notes !== undefined ? { notes: r.notes } : {}),
    updated_at: at,
  };
  await db
    .insertInto('cell_reviews')
    .values({
      cell_id: r.cell_id,
      reviewer_id: r.reviewer_id,
      pass: r.pass ?? null,
      rating: r.rating ?? null,
      notes: r.notes ?? '',
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['cell_id', 'reviewer_id']).doUpdateSet(changes))
    .execute();
}

export async function deleteReview(db: DB, cellId: number, reviewerId: number): Promise<boolean> {
  const r = await db
    .deleteFrom('cell_reviews')
    .where('cell_id', '=', cellId)
    .where('reviewer_id', '=', reviewerId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Answered cells of a run that no one has scored by hand (a review with only notes does not
 * count), with whether its judges and its deterministic assertions all passed.
 */
export async function reviewQueue(
  db: DB,
  runId: number,
  o: { disagreements: boolean; offset: number; limit: number },
) {
  const judged = sql<number | null>`(select min(case when s.status = 'ok' and s.pass = 1 then 1 else 0 end)
      from cell_scores s where s.cell_id = c.id and s.type = 'llm-rubric')`;
  const asserted = sql<number | null>`(select min(case when s.status = 'ok' and s.pass = 1 then 1 else 0 end)
      from cell_scores s where s.cell_id = c.id and s.type not in ('llm-rubric'))`;
  let q = db
    .selectFrom('eval_cells as c')
    .where('c.run_id', '=', runId)
    .where('c.status', '=', 'ok')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('cell_reviews as r')
            .select('r.id')
            .whereRef('r.cell_id', '=', 'c.id')
            .where((eb) => eb.or([eb('r.pass', 'is not', null), eb('r.rating', 'is not', null)])),
        ),
      ),
    );
  if (o.disagreements) {
    q = q.where(sql<boolean>`${judged} is not null and ${asserted} is not null and ${judged} <> ${asserted}`);
  }
  const [{ n }, cells] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q
      .select([
        'c.id',
        'c.case_index',
        'c.variant_index',
        'c.repetition',
        'c.passed',
        judged.as('judge_pass'),
        asserted.as('assertion_pass'),
      ])
      .orderBy('c.case_index')
      .orderBy('c.variant_index')
      .orderBy('c.repetition')
      .offset(o.offset)
      .limit(o.limit)
      .execute(),
  ]);
  return { total: Number(n), cells };
}

/** Judge scores of a run's cells paired with each human review of the same cell. */
export function judgeHumanPairs(db: DB, runId: number) {
  return db
    .selectFrom('cell_scores as s')
    .innerJoin('eval_cells as c', 'c.id', 's.cell_id')
    .innerJoin('cell_reviews as r', 'r.cell_id', 's.cell_id')
    .select([
      's.cell_id',
      's.details',
      's.judge_model',
      's.pass as judge_pass',
      's.rating as judge_rating',
      'r.pass as human_pass',
      'r.rating as human_rating',
    ])
    .where('c.run_id', '=', runId)
    .where('s.type', '=', 'llm-rubric')
    .where('s.status', '=', 'ok')
    .orderBy('s.cell_id')
    .execute();
}

/** Failed score rows of these cells, in order, for reports. */
export function failedScores(db: DB, cellIds: number[]) {
  if (cellIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('cell_scores')
    .select(['cell_id', 'type', 'reason'])
    .where('cell_id', 'in', cellIds)
    .where((eb) => eb.or([eb('pass', '=', 0), eb('status', '<>', 'ok')]))
    .orderBy('cell_id')
    .orderBy('position')
    .execute();
}
