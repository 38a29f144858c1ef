import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect';
import type { Database } from './types';

export type DB = Kysely<Database>;

export interface DatabaseHandle {
  db: DB;
  dialect: DialectName;
  /** Where the data lives, for log lines (never includes a password). */
  description: string;
  destroy(): Promise<void>;
}

// SQLite supports transactional DDL; Kysely's adapter says it does not, which would let a
// migration that fails half-way leave half a schema behind.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }
}

// COUNT(*) and SUM() come back as bigint/numeric strings from pg; parse them as numbers.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export function openSqlite(path: string): SqliteDatabase.Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running most of
 * our queries. Reuse prepared statements (better-sqlite3 statements are reusable once a call returns).
 */
function withStatementCache(sqlite: SqliteDatabase.Database, size = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let stmt = cache.get(query);
      if (stmt) return stmt;
      stmt = sqlite.prepare(query);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(query, stmt);
      return stmt;
    },
  };
}

export function createDatabase(url: string, options: { poolSize?: number } = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '') || './data/workshop.db';
    const db = new Kysely<Database>({
      dialect: new TransactionalDdlSqliteDialect({ database: withStatementCache(openSqlite(path)) as any }),
    });
    return { db, dialect: 'sqlite', description: `sqlite:${path}`, destroy: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const safe = new URL(url);
    safe.password = '';
    return { db, dialect: 'postgres', description: safe.toString(), destroy: () => db.destroy() };
  }
  throw new Error(`Unsupported DATABASE_URL scheme: ${url.split(':')[0]} (use sqlite: or postgres://)`);
}
