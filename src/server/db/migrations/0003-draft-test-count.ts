import { type Kysely, sql } from 'kysely';

// The editor reads its draft after every save, and counting the draft's test runs on each read
// cost more than the rest of the query. The count is now kept on the row, raised by one in the
// same transaction that stores a run (an atomic `test_count + 1`, so parallel runs cannot lose one).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('drafts')
    .addColumn('test_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update drafts set test_count = (select count(*) from test_runs t where t.draft_id = drafts.id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('drafts').dropColumn('test_count').execute();
}
