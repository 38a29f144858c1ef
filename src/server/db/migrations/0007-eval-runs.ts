import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// Evaluation runs and their cells. Every (case, variant, repetition) cell is a row from the start,
// claimed by a worker under a lease and written exactly once (the unique key), so a run survives
// a crash and several server processes can share it.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (c: any) => (pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey());
  // PostgreSQL's `real` is 4 bytes (about 7 digits): sums of small costs would drift.
  const money = pg ? 'double precision' : 'real';
  await db.schema
    .createTable('eval_runs')
    .addColumn('id', 'integer', id)
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // A run belongs to its suite: deleting the suite deletes its runs (the README says so).
    .addColumn('suite_id', 'integer', (c) => c.notNull().references('suites.id').onDelete('cascade'))
    .addColumn('suite_version_id', 'integer', (c) =>
      c.notNull().references('suite_versions.id').onDelete('cascade'),
    )
    .addColumn('variants', 'text', (c) => c.notNull())
    .addColumn('repetitions', 'integer', (c) => c.notNull())
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('budget_usd', money)
    .addColumn('spent_usd', money, (c) => c.notNull().defaultTo(0))
    .addColumn('total_cells', 'integer', (c) => c.notNull())
    .addColumn('estimate', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('eval_runs_owner').on('eval_runs').columns(['owner_id', 'id']).execute();
  await db.schema.createIndex('eval_runs_status').on('eval_runs').column('status').execute();
  await db.schema
    .createTable('eval_cells')
    .addColumn('id', 'integer', id)
    .addColumn('run_id', 'integer', (c) => c.notNull().references('eval_runs.id').onDelete('cascade'))
    .addColumn('case_index', 'integer', (c) => c.notNull())
    .addColumn('variant_index', 'integer', (c) => c.notNull())
    .addColumn('repetition', 'integer', (c) => c.notNull())
    // pending | running | ok | error | skipped
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skipped_reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('answer', 'text')
    .addColumn('model', 'text')
    .addColumn('article_ids', 'text')
    .addColumn('retrieval', 'text')
    .addColumn('corpus_fingerprint', 'text')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cost_usd', money)
    .addColumn('first_token_ms', 'integer')
    .addColumn('execution_time_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('eval_cells_key', ['run_id', 'case_index', 'variant_index', 'repetition'])
    .execute();
  await db.schema
    .createIndex('eval_cells_claim')
    .on('eval_cells')
    .columns(['run_id', 'status', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('eval_cells').execute();
  await db.schema.dropTable('eval_runs').execute();
}
