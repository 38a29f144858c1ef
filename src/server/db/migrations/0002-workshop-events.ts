import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// Workshop activity for the stats of the seed's Monitoring section (workshops per day, commit
// rate, most cloned prompts …). Rows outlive the drafts they mention, so draft_id is no foreign key.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('workshop_events')
    .addColumn('id', 'integer', (c) =>
      pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey(),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('draft_id', 'integer')
    .addColumn('prompt_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workshop_events_kind_created')
    .on('workshop_events')
    .columns(['kind', 'created_at'])
    .execute();
  await db.schema.createIndex('workshop_events_draft').on('workshop_events').column('draft_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('workshop_events').execute();
}
