import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { testDatabaseUrl } from '../../src/server/config';
import { createDatabase, type DatabaseHandle } from '../../src/server/db/database';
import type { DialectName } from '../../src/server/db/dialect';
import type { Database } from '../../src/server/db/types';

export interface TestDatabase extends DatabaseHandle {
  url: string;
}

/** A fresh SQLite file in its own temporary folder; removed on destroy. */
export function freshSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'pw-test-'));
  const url = `sqlite:${join(dir, 'test.db')}`;
  const handle = createDatabase(url);
  return {
    ...handle,
    url,
    destroy: async () => {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema on the TEST_DATABASE_URL server, used through search_path; dropped on destroy. */
export async function freshPostgres(baseUrl: string): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: baseUrl, max: 10, options: `-c search_path=${schema}` });
  // The schema must be what the pool's connections see before anything migrates into it.
  const seen = await pool.query<{ s: string | null }>('select current_schema() as s');
  if (seen.rows[0].s !== schema) throw new Error(`schema ${schema} is not visible (saw ${seen.rows[0].s})`);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    db,
    dialect: 'postgres',
    url: url.toString(),
    description: `postgres schema ${schema}`,
    destroy: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** The engines every repository test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const dialects: { dialect: DialectName; create: () => Promise<TestDatabase> }[] = [
  { dialect: 'sqlite', create: async () => freshSqlite() },
  ...(testDatabaseUrl()
    ? [{ dialect: 'postgres' as const, create: () => freshPostgres(testDatabaseUrl()!) }]
    : []),
];
