import type { Kysely } from 'kysely';

// A run's progress (its counts by status, its last finished cell, the cells finished since the
// newest an event stream sent) is read every half second by each open stream and by every poll of
// …/progress. On (run, status, finished time) those reads are ranges of one index; without it each
// reads every row of the run's cells, answers and all.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('eval_cells_progress')
    .on('eval_cells')
    .columns(['run_id', 'status', 'finished_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('eval_cells_progress').execute();
}
