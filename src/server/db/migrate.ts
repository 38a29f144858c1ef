import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import { dialectOf } from './dialect';
import * as m0001 from './migrations/0001-initial';
import * as m0002 from './migrations/0002-workshop-events';
import * as m0003 from './migrations/0003-draft-test-count';
import * as m0004 from './migrations/0004-token-lifecycle';
import * as m0005 from './migrations/0005-draft-committed-revision';
import * as m0006 from './migrations/0006-eval-suites';
import * as m0007 from './migrations/0007-eval-runs';
import * as m0008 from './migrations/0008-cell-scores';

// Listed statically so the bundle-free runtime needs no directory scan; append new ones below.
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-workshop-events': m0002,
  '0003-draft-test-count': m0003,
  '0004-token-lifecycle': m0004,
  '0005-draft-committed-revision': m0005,
  '0006-eval-suites': m0006,
  '0007-eval-runs': m0007,
  '0008-cell-scores': m0008,
};

async function migrator(db: Kysely<any>, list: Record<string, Migration> = migrations): Promise<Migrator> {
  // Kysely's table check looks across every schema; pin its bookkeeping to the current one so a
  // second schema on the same server (tests, tenants) is not mistaken for this one.
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s
      : undefined;
  return new Migrator({ db, migrationTableSchema: schema, provider: { getMigrations: async () => list } });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return result;
}

/** `list` is for tests that need an extra (e.g. failing) migration; production uses the built-in list. */
export async function migrateToLatest(
  db: Kysely<any>,
  list: Record<string, Migration> = migrations,
): Promise<MigrationResultSet> {
  return check(await (await migrator(db, list)).migrateToLatest());
}

export async function migrateDown(db: Kysely<any>): Promise<MigrationResultSet> {
  return check(await (await migrator(db)).migrateDown());
}

export const builtInMigrations: Readonly<Record<string, Migration>> = migrations;
