import type { DB } from '../../db/database';

// Suites and their immutable versions; the only place their SQL lives. `db` first; the service
// passes a Transaction where a suite row and a version must land together.

const summaryColumns = [
  's.id',
  's.name',
  's.description',
  's.current_version as version',
  'v.id as version_id',
  'v.case_count',
  's.created_at',
  's.updated_at',
] as const;

const withCurrentVersion = (db: DB) =>
  db
    .selectFrom('suites as s')
    .innerJoin('suite_versions as v', (j) =>
      j.onRef('v.suite_id', '=', 's.id').onRef('v.version', '=', 's.current_version'),
    );

export function listSuites(db: DB, ownerId: number) {
  return withCurrentVersion(db)
    .select(summaryColumns)
    .where('s.owner_id', '=', ownerId)
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
}

/** The owner's suite with its current version's cases (JSON text). */
export function findSuite(db: DB, id: number, ownerId: number) {
  return withCurrentVersion(db)
    .select([...summaryColumns, 'v.cases', 'v.scoring'])
    .where('s.id', '=', id)
    .where('s.owner_id', '=', ownerId)
    .executeTakeFirst();
}

export function findSuiteByName(db: DB, name: string, ownerId: number) {
  return db
    .selectFrom('suites')
    .select('id')
    .where('name', '=', name)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

export function insertSuite(
  db: DB,
  suite: { owner_id: number; name: string; description: string; at: string },
): Promise<{ id: number }> {
  return db
    .insertInto('suites')
    .values({
      owner_id: suite.owner_id,
      name: suite.name,
      description: suite.description,
      current_version: 1,
      created_at: suite.at,
      updated_at: suite.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertSuiteVersion(
  db: DB,
  v: {
    suite_id: number;
    version: number;
    cases: string;
    case_count: number;
    scoring: string | null;
    author_id: number;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('suite_versions')
    .values({
      suite_id: v.suite_id,
      version: v.version,
      cases: v.cases,
      case_count: v.case_count,
      scoring: v.scoring,
      author_id: v.author_id,
      created_at: v.at,
    })
    .execute();
}

/**
 * Moves the suite to `version`, only if it is still at `from`: of two parallel edits one wins and
 * the other learns it lost (false) before its version is kept.
 */
export async function advanceSuite(
  db: DB,
  id: number,
  from: number,
  patch: { version: number; name: string; description: string; at: string },
): Promise<boolean> {
  const res = await db
    .updateTable('suites')
    .set({
      current_version: patch.version,
      name: patch.name,
      description: patch.description,
      updated_at: patch.at,
    })
    .where('id', '=', id)
    .where('current_version', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteSuite(db: DB, id: number, ownerId: number): Promise<boolean> {
  const res = await db
    .deleteFrom('suites')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
