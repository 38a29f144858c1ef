import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSqlite, type TestDatabase } from '../../../../test/helpers/databases';
import { openSqlite } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/types';
import * as repo from './repository';

// A run's progress is read every half second by each open event stream and by every poll of
// …/progress; on SQLite it runs on the server thread. Its queries must read an index only, never
// the cells' rows (answers and all): at 100,000 cells a read of the rows takes about 100 ms.

describe('the queries a run progress reads on sqlite', () => {
  let file: TestDatabase;
  let raw: ReturnType<typeof openSqlite>;
  let db: Kysely<Database>;
  let seen: CompiledQuery[] = [];

  beforeAll(async () => {
    file = freshSqlite();
    await migrateToLatest(file.db);
    raw = openSqlite(file.url.slice('sqlite:'.length));
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: raw }),
      log: (e) => {
        seen.push(e.query);
      },
    });
  });
  afterAll(async () => {
    await db.destroy();
    await file.destroy();
  });

  const plan = async (read: () => Promise<unknown>) => {
    seen = [];
    await read();
    expect(seen).toHaveLength(1);
    const [q] = seen;
    return (
      raw.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]
    )
      .map((r) => r.detail)
      .filter((d) => d.includes('eval_cells'));
  };

  const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, s)).toISOString();

  it.each([
    ['its counts and last finished cell', () => repo.cellCounts(db, [1])],
    ['the cells finished after the newest sent', () => repo.cellsFinishedAfter(db, 1, at(5), 500)],
    ['the look-back', () => repo.cellsFinishedBetween(db, 1, at(0), at(5), 20_000)],
  ])('reads %s from an index only', async (_, read) => {
    const steps = await plan(read);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step).toMatch(/^SEARCH eval_cells USING COVERING INDEX /);
  });
});
