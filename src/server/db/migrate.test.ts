import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects, freshPostgres, type TestDatabase } from '../../../test/helpers/databases';
import { testDatabaseUrl } from '../config';
import { dialectOf } from './dialect';
import { builtInMigrations, migrateDown, migrateToLatest } from './migrate';

const tables = [
  'users',
  'sessions',
  'api_tokens',
  'topics',
  'articles',
  'chats',
  'messages',
  'prompts',
  'prompt_versions',
  'drafts',
  'test_runs',
];

async function tableNames(db: Kysely<any>): Promise<string[]> {
  const all = await db.introspection.getTables();
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s
      : undefined;
  return all
    .filter((t) => !schema || t.schema === schema)
    .map((t) => t.name)
    .filter((n) => !n.startsWith('kysely_') && !n.startsWith('articles_fts'))
    .sort();
}

describe.each(dialects)('migrations on $dialect', ({ create }) => {
  let database: TestDatabase;
  afterEach(() => database.destroy());

  it('creates every table of the data model, and --down undoes it', async () => {
    database = await create();
    const up = await migrateToLatest(database.db);
    expect(up.results?.map((r) => r.status)).toEqual(Object.keys(builtInMigrations).map(() => 'Success'));
    // Later migrations may add tables; every table of DESIGN §4 must be there.
    expect(await tableNames(database.db)).toEqual(expect.arrayContaining(tables));
    // Running again is a no-op.
    expect((await migrateToLatest(database.db)).results).toEqual([]);

    for (let i = Object.keys(builtInMigrations).length; i > 0; i--) await migrateDown(database.db);
    expect(await tableNames(database.db)).toEqual([]);
  });

  it('0003 counts the test runs each draft already had', async () => {
    database = await create();
    const before0003 = Object.fromEntries(
      Object.entries(builtInMigrations).filter(([name]) => name < '0003'),
    );
    await migrateToLatest(database.db, before0003);
    const db = database.db;
    const at = new Date().toISOString();
    const user = await db
      .insertInto('users')
      .values({ username: 'u', display_name: 'u', password_hash: 'x', role: 'member', created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const draft = (name: string) =>
      db
        .insertInto('drafts')
        .values({
          user_id: user.id,
          draft_name: name,
          draft_description: '',
          draft_content: '',
          status: 'testing',
          metadata: '{}',
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const [tested, untested] = [await draft('tested'), await draft('untested')];
    for (const test_id of ['a', 'b', 'c']) {
      await db
        .insertInto('test_runs')
        .values({
          test_id,
          draft_id: tested.id,
          user_id: user.id,
          content_sha256: '',
          content: '',
          query: 'q',
          topic: 't',
          model: 'm',
          article_limit: 5,
          response: '',
          response_length: 0,
          tools_used: '[]',
          article_ids: '[]',
          article_count: 0,
          execution_time_ms: 1,
          status: 'ok',
          created_at: at,
        })
        .execute();
    }
    await migrateToLatest(db);
    const counts = await db.selectFrom('drafts').select(['id', 'test_count']).orderBy('id').execute();
    expect(counts).toEqual([
      { id: tested.id, test_count: 3 },
      { id: untested.id, test_count: 0 },
    ]);
  });

  it('0005 marks committed drafts whose text is still their newest version as committed at their revision', async () => {
    database = await create();
    const before0005 = Object.fromEntries(Object.entries(builtInMigrations).filter(([n]) => n < '0005'));
    await migrateToLatest(database.db, before0005);
    const db = database.db;
    const at = new Date().toISOString();
    const user = await db
      .insertInto('users')
      .values({ username: 'u', display_name: 'u', password_hash: 'x', role: 'member', created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const prompt = await db
      .insertInto('prompts')
      .values({
        name: 'p',
        title: 'p',
        description: '',
        owner_id: user.id,
        is_default: 0,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const draft = async (
      name: string,
      status: 'committed' | 'draft',
      content: string,
      versions: string[],
    ) => {
      const { id } = await db
        .insertInto('drafts')
        .values({
          user_id: user.id,
          draft_name: name,
          draft_description: '',
          draft_content: content,
          status,
          revision: 4,
          metadata: '{}',
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const text of versions) {
        const n = await db
          .selectFrom('prompt_versions')
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        await db
          .insertInto('prompt_versions')
          .values({
            prompt_id: prompt.id,
            version: Number(n.n) + 1,
            content: text,
            message: '',
            author_id: user.id,
            source_draft_id: id,
            created_at: at,
          })
          .execute();
      }
      return id;
    };
    const unchanged = await draft('unchanged', 'committed', 'v2', ['v1', 'v2']);
    const edited = await draft('edited since', 'committed', 'v3', ['v1']);
    const never = await draft('never committed', 'draft', 'v1', []);
    await migrateToLatest(db);
    const rows = await db.selectFrom('drafts').select(['id', 'committed_revision']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: unchanged, committed_revision: 4 },
      { id: edited, committed_revision: null },
      { id: never, committed_revision: null },
    ]);
  });

  it('leaves the database as it was when a migration fails half-way', async () => {
    database = await create();
    await migrateToLatest(database.db);
    const before = await tableNames(database.db);
    const broken = {
      ...builtInMigrations,
      '9999-broken': {
        up: async (db: Kysely<any>) => {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await db.schema.alterTable('users').addColumn('nickname', 'text').execute();
          await sql`select * from no_such_table`.execute(db);
        },
      },
    };
    await expect(migrateToLatest(database.db, broken)).rejects.toThrow(/Migration 9999-broken failed/);
    expect(await tableNames(database.db)).toEqual(before);
    const columns = (await database.db.introspection.getTables()).find((t) => t.name === 'users')!.columns;
    expect(columns.map((c) => c.name)).not.toContain('nickname');
  });

  it('keeps the full-text index in step with articles', async () => {
    database = await create();
    await migrateToLatest(database.db);
    const now = new Date().toISOString();
    const topic = await database.db
      .insertInto('topics')
      .values({ name: 'T', description: '', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const article = {
      topic_id: topic.id,
      title: 'Central banks weigh rate cuts',
      url: 'https://example.invalid/a',
      source: 's',
      published_at: now,
      summary: '',
      content: 'Inflation cooled.',
      category: 'c',
      sentiment: 'neutral',
      created_at: now,
    };
    const { id } = await database.db
      .insertInto('articles')
      .values(article)
      .returning('id')
      .executeTakeFirstOrThrow();
    const match = async (word: string) =>
      dialectOf(database.db) === 'postgres'
        ? (
            await sql<{
              id: number;
            }>`select id from articles where search @@ plainto_tsquery('english', ${word})`.execute(
              database.db,
            )
          ).rows
        : (
            await sql<{
              id: number;
            }>`select rowid as id from articles_fts where articles_fts match ${word}`.execute(database.db)
          ).rows;
    expect(await match('banks')).toEqual([{ id }]);
    await database.db.updateTable('articles').set({ title: 'Equities rally' }).where('id', '=', id).execute();
    expect(await match('banks')).toEqual([]);
    expect(await match('equities')).toEqual([{ id }]);
    await database.db.deleteFrom('articles').where('id', '=', id).execute();
    expect(await match('equities')).toEqual([]);
  });
});

describe.skipIf(!testDatabaseUrl())('migrations beside other schemas on one PostgreSQL server', () => {
  it('are not failed by another schema dropped while the migrator reads the catalog', async () => {
    const database = await freshPostgres(testDatabaseUrl()!);
    const admin = new pg.Client({ connectionString: testDatabaseUrl()! });
    await admin.connect();
    let churning = true;
    // Another tenant's schemas come and go, each with a serial column the migrator's catalog read resolves.
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const other = `churn_${process.pid}_${i}`;
        await admin.query(`create schema ${other}; create table ${other}.t (id serial primary key)`);
        await admin.query(`drop schema ${other} cascade`);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      for (let i = 0; i < 5; i++) {
        await migrateToLatest(database.db);
        for (let n = Object.keys(builtInMigrations).length; n > 0; n--) await migrateDown(database.db);
      }
    } finally {
      churning = false;
      await churn;
      await admin.end();
      await database.destroy();
    }
  }, 120_000);
});
