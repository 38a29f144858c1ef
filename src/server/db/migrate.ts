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
import * as m0009 from './migrations/0009-eval-cells-progress-index';

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
  '0009-eval-cells-progress-index': m0009,
};

async function migrator(db: Kysely<any>, list: Record<string, Migration> = migrations) {
  // Kysely's table check looks across every schema; pin its bookkeeping to the current one so a
  // second schema on the same server (tests, tenants) is not mistaken for this one.
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s
      : undefined;
  return {
    schema,
    migrator: new Migrator({
      db,
      migrationTableSchema: schema,
      provider: { getMigrations: async () => list },
    }),
  };
}

const CATALOG_ATTEMPTS = 5;

/**
 * Kysely's migrator reads the tables of every schema on the server, resolving each by name
 * (`pg_get_serial_sequence`); a schema another tenant (or test) drops during that read fails it
 * with "schema … does not exist" naming that schema, not ours. Nothing was half written then (the
 * bookkeeping tables are created if missing, and the pending migrations run in one transaction),
 * so the run is simply tried again.
 */
async function run(
  db: Kysely<any>,
  list: Record<string, Migration>,
  step: (m: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    const { schema, migrator: m } = await migrator(db, list);
    const result = await step(m);
    if (attempt === CATALOG_ATTEMPTS || !otherSchemaDropped(result.error, schema)) return check(result);
  }
}

function otherSchemaDropped(err: unknown, schema: string | undefined): boolean {
  if (schema === undefined || !(err instanceof Error) || (err as { code?: string }).code !== '3F000')
    return false;
  const named = /schema "([^"]+)" does not exist/.exec(err.message)?.[1];
  return named !== undefined && named !== schema;
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
export function migrateToLatest(
  db: Kysely<any>,
  list: Record<string, Migration> = migrations,
): Promise<MigrationResultSet> {
  return run(db, list, (m) => m.migrateToLatest());
}

export function migrateDown(db: Kysely<any>): Promise<MigrationResultSet> {
  return run(db, migrations, (m) => m.migrateDown());
}

export const builtInMigrations: Readonly<Record<string, Migration>> = migrations;
