import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// Evaluation suites and their immutable versions. A version's cases are one JSON document: they
// are always read and written whole, and a run records the version it used.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (c: any) => (pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey());
  await db.schema
    .createTable('suites')
    .addColumn('id', 'integer', id)
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('suites_owner_name', ['owner_id', 'name'])
    .execute();
  await db.schema
    .createTable('suite_versions')
    .addColumn('id', 'integer', id)
    .addColumn('suite_id', 'integer', (c) => c.notNull().references('suites.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('cases', 'text', (c) => c.notNull())
    .addColumn('case_count', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('suite_versions_suite_version', ['suite_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('suite_versions').execute();
  await db.schema.dropTable('suites').execute();
}
