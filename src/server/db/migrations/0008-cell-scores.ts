import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// Scores of evaluation cells. Each assertion or judge verdict on a cell is one row of
// cell_scores (rewritten whole when a run is re-scored); the cell keeps the summary the matrix and
// the aggregates read (passed, weighted score, grounding figures, judge cost kept apart from the
// answer's). Human reviews are their own rows, one per cell and reviewer. Suite versions gain their
// suite-level scoring (assertions for every case and a weighted-score threshold), runs the scoring
// a re-score applied.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (c: any) => (pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey());
  const money = pg ? 'double precision' : 'real';
  const real = pg ? 'double precision' : 'real';

  await db.schema.alterTable('suite_versions').addColumn('scoring', 'text').execute();
  await db.schema.alterTable('eval_runs').addColumn('scoring', 'text').execute();
  await db.schema.alterTable('eval_runs').addColumn('scored_at', 'text').execute();
  for (const [name, type] of [
    ['passed', 'integer'],
    ['score', real],
    ['grounding_precision', real],
    ['invented_urls', 'integer'],
    ['citation_coverage', real],
    ['judge_cost_usd', money],
    ['scored_at', 'text'],
  ] as const) {
    await db.schema.alterTable('eval_cells').addColumn(name, type).execute();
  }

  await db.schema
    .createTable('cell_scores')
    .addColumn('id', 'integer', id)
    .addColumn('cell_id', 'integer', (c) => c.notNull().references('eval_cells.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // case | suite | run: where the assertion came from
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    // ok | error | judge_error
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pass', 'integer')
    .addColumn('score', real)
    .addColumn('rating', 'integer')
    .addColumn('weight', real, (c) => c.notNull().defaultTo(1))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('judge_model', 'text')
    .addColumn('judge_input_tokens', 'integer')
    .addColumn('judge_output_tokens', 'integer')
    .addColumn('judge_cost_usd', money)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('cell_scores_cell_position', ['cell_id', 'position'])
    .execute();

  await db.schema
    .createTable('cell_reviews')
    .addColumn('id', 'integer', id)
    .addColumn('cell_id', 'integer', (c) => c.notNull().references('eval_cells.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pass', 'integer')
    .addColumn('rating', 'integer')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('cell_reviews_cell_reviewer', ['cell_id', 'reviewer_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cell_reviews').execute();
  await db.schema.dropTable('cell_scores').execute();
  for (const name of [
    'passed',
    'score',
    'grounding_precision',
    'invented_urls',
    'citation_coverage',
    'judge_cost_usd',
    'scored_at',
  ]) {
    await db.schema.alterTable('eval_cells').dropColumn(name).execute();
  }
  await db.schema.alterTable('eval_runs').dropColumn('scored_at').execute();
  await db.schema.alterTable('eval_runs').dropColumn('scoring').execute();
  await db.schema.alterTable('suite_versions').dropColumn('scoring').execute();
}
