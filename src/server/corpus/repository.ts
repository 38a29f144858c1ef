import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../db/database';
import type { DialectName } from '../db/dialect';
import type { ArticleRow, ArticlesTable, Database } from '../db/types';
import { fts5Match } from './fts-query';

export interface TopicWithCount {
  id: number;
  name: string;
  description: string;
  is_sample: number;
  article_count: number;
}

/** An article with its topic's name in place of the topic id. */
export interface ArticleJoinedRow extends Omit<ArticleRow, 'topic_id' | 'created_at'> {
  topic: string;
}

export interface SearchRow extends ArticleJoinedRow {
  rank: number;
  total: number;
  snippet: string;
}

export type NewArticle = Omit<ArticlesTable, 'id'>;

export interface SearchParams {
  terms: string[];
  /** Topic name; resolved inside the statement so a search is one round trip. */
  topic?: string;
  since?: string;
  limit: number;
  /** False when only the articles matter (an Auspex turn): highlighting each one costs most on PostgreSQL. */
  snippets?: boolean;
}

/** Inside snippets: control characters no article text keeps (service maps them to «»). */
export const SNIPPET_START = '\u0002';
export const SNIPPET_END = '\u0003';

const articleColumns = [
  'articles.id',
  'articles.title',
  'articles.url',
  'articles.source',
  'articles.published_at',
  'articles.summary',
  'articles.content',
  'articles.category',
  'articles.sentiment',
  'topics.name as topic',
] as const;

/** Per topic: how many articles, their mean length in characters, and the newest id (a fingerprint). */
export function topicCorpusStats(db: DB) {
  return db
    .selectFrom('topics')
    .leftJoin('articles', 'articles.topic_id', 'topics.id')
    .select((eb) => [
      'topics.name',
      eb.fn.count<number>('articles.id').as('article_count'),
      eb.fn
        .avg<number>(
          sql<number>`length(articles.title) + length(coalesce(articles.summary, '')) + length(coalesce(articles.content, ''))`,
        )
        .as('mean_chars'),
      eb.fn.max<number>('articles.id').as('max_id'),
    ])
    .groupBy('topics.name')
    .execute();
}

/** Every topic with its article count, in one grouped query. */
export function listTopicsWithCounts(db: DB): Promise<TopicWithCount[]> {
  return db
    .selectFrom('topics')
    .leftJoin('articles', 'articles.topic_id', 'topics.id')
    .select((eb) => [
      'topics.id',
      'topics.name',
      'topics.description',
      'topics.is_sample',
      eb.fn.count<number>('articles.id').as('article_count'),
    ])
    .groupBy(['topics.id', 'topics.name', 'topics.description', 'topics.is_sample'])
    .orderBy('topics.name')
    .execute();
}

export async function findTopicByName(db: DB, name: string): Promise<TopicWithCount | undefined> {
  return db
    .selectFrom('topics')
    .select((eb) => [
      'topics.id',
      'topics.name',
      'topics.description',
      'topics.is_sample',
      eb
        .selectFrom('articles')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('articles.topic_id', '=', 'topics.id')
        .as('article_count'),
    ])
    .where('topics.name', '=', name)
    .executeTakeFirst() as Promise<TopicWithCount | undefined>;
}

/** Creates the topics that do not exist yet (a concurrent creator wins quietly); returns name -> id. */
export async function ensureTopics(
  db: Kysely<Database>,
  topics: { name: string; description: string; is_sample: number; created_at: string }[],
): Promise<Map<string, number>> {
  if (topics.length === 0) return new Map();
  await db
    .insertInto('topics')
    .values(topics)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await db
    .selectFrom('topics')
    .select(['id', 'name'])
    .where(
      'name',
      'in',
      topics.map((t) => t.name),
    )
    .execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

export async function findTopicId(db: DB, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('topics').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

export async function countArticles(db: DB): Promise<number> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// 11 columns a row: well inside SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_CHUNK = 500;

/**
 * Multi-row inserts; a URL already stored is skipped (ON CONFLICT DO NOTHING, so concurrent
 * importers cannot fail each other). Returns how many rows were inserted. Pass a transaction.
 */
export async function insertArticles(db: Kysely<Database>, rows: NewArticle[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db
      .insertInto('articles')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.column('url').doNothing())
      .returning('id')
      .execute();
    inserted += result.length;
  }
  return inserted;
}

/**
 * The ranked full-text query, one statement per engine, exposed as SQL so the benchmark can run
 * exactly the same text through the driver. Ranks are computed for every match (the total needs
 * them anyway); snippets only for the rows returned.
 */
export function searchSql(dialect: DialectName, p: SearchParams): RawBuilder<SearchRow> {
  const topic = (col: string) =>
    p.topic === undefined
      ? sql``
      : sql`and ${sql.ref(col)} = (select id from topics where name = ${p.topic})`;
  const since = (col: string) => (p.since === undefined ? sql`` : sql`and ${sql.ref(col)} >= ${p.since}`);
  if (dialect === 'sqlite') {
    const match = fts5Match(p.terms);
    // Filters go through the (topic_id, published_at) index into a set FTS5 checks per match:
    // a plain rowid IN would make FTS5 re-run the match once per listed id, and a join would
    // read every matching article row. Without a topic, "every topic" keeps the index usable.
    const scope =
      p.topic === undefined && p.since === undefined
        ? sql``
        : sql`and +articles_fts.rowid in (select id from articles where ${
            p.topic === undefined
              ? sql`topic_id in (select id from topics)`
              : sql`topic_id = (select id from topics where name = ${p.topic})`
          } ${since('published_at')})`;
    // snippet() needs the match in the outer query; without snippets the FTS table is not joined again.
    const snippet =
      p.snippets === false
        ? { column: sql`''`, join: sql``, where: sql`` }
        : {
            column: sql`snippet(articles_fts, 2, ${SNIPPET_START}, ${SNIPPET_END}, '…', 32)`,
            join: sql`join articles_fts on articles_fts.rowid = top.id`,
            where: sql`where articles_fts match ${match}`,
          };
    // bm25 is lower-is-better; title weighs 10, summary 4, body 1. Ties: newest id first.
    return sql<SearchRow>`
      with hits as materialized (
        select articles_fts.rowid as id, bm25(articles_fts, 10.0, 4.0, 1.0) as score
        from articles_fts
        where articles_fts match ${match} ${scope}
      ),
      top as (
        select id, score, count(*) over () as total from hits
        order by score, id desc
        limit ${p.limit}
      )
      select a.id, a.title, a.url, a.source, a.published_at, a.summary, a.content, a.category,
        a.sentiment, t.name as topic, -top.score as rank, top.total, ${snippet.column} as snippet
      from top
      ${snippet.join}
      join articles a on a.id = top.id
      join topics t on t.id = a.topic_id
      ${snippet.where}
      order by top.score, a.id desc`;
  }
  // Each term through plainto_tsquery (never parsed as operators), OR-ed together.
  const query = sql.join(
    p.terms.map((t) => sql`plainto_tsquery('english', ${t})`),
    sql` || `,
  );
  const headline = `StartSel=${SNIPPET_START}, StopSel=${SNIPPET_END}, MaxWords=32, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
  return sql<SearchRow>`
    with q as materialized (select ${query} as query),
    top as (
      select f.id, ts_rank_cd(f.search, q.query, 1) as rank, count(*) over () as total
      from articles f, q
      where f.search @@ q.query ${topic('f.topic_id')} ${since('f.published_at')}
      order by rank desc, f.id desc
      limit ${p.limit}
    )
    select a.id, a.title, a.url, a.source, a.published_at, a.summary, a.content, a.category,
      a.sentiment, t.name as topic, top.rank, top.total::int as total,
      ${p.snippets === false ? sql`''` : sql`ts_headline('english', a.content, q.query, ${headline})`} as snippet
    from top join articles a on a.id = top.id join topics t on t.id = a.topic_id, q
    order by top.rank desc, a.id desc`;
}

export async function search(db: DB, dialect: DialectName, p: SearchParams): Promise<SearchRow[]> {
  return (await searchSql(dialect, p).execute(db)).rows;
}

export function newestArticles(db: DB, topicId: number, limit: number): Promise<ArticleJoinedRow[]> {
  return db
    .selectFrom('articles')
    .innerJoin('topics', 'topics.id', 'articles.topic_id')
    .select(articleColumns)
    .where('articles.topic_id', '=', topicId)
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
}

export function articlesByIds(db: DB, ids: number[]): Promise<ArticleJoinedRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('articles')
    .innerJoin('topics', 'topics.id', 'articles.topic_id')
    .select(articleColumns)
    .where('articles.id', 'in', ids)
    .execute();
}

/** Articles whose URL is one of `urls`, exactly as stored. */
export function articlesByUrls(db: DB, urls: string[]): Promise<ArticleJoinedRow[]> {
  if (urls.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('articles')
    .innerJoin('topics', 'topics.id', 'articles.topic_id')
    .select(articleColumns)
    .where('articles.url', 'in', urls)
    .execute();
}

/** One article with its topic's name and sample flag. */
export function findArticle(
  db: DB,
  id: number,
): Promise<(ArticleJoinedRow & { is_sample: number }) | undefined> {
  return db
    .selectFrom('articles')
    .innerJoin('topics', 'topics.id', 'articles.topic_id')
    .select([...articleColumns, 'topics.is_sample'])
    .where('articles.id', '=', id)
    .executeTakeFirst();
}

/** Articles by id without their text (citation look-ups); any order. */
export function articleRefsByIds(db: DB, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('articles')
    .innerJoin('topics', 'topics.id', 'articles.topic_id')
    .select([
      'articles.id',
      'articles.title',
      'articles.url',
      'articles.source',
      'articles.published_at',
      'topics.name as topic',
    ])
    .where('articles.id', 'in', ids)
    .execute();
}

export async function latestPublishedAt(db: DB, topicId: number): Promise<string | null> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.max('published_at').as('latest'))
    .where('topic_id', '=', topicId)
    .executeTakeFirst();
  return (row?.latest as string | null | undefined) ?? null;
}

/** Article counts per calendar month (YYYY-MM of the UTC timestamp) and sentiment. */
export function sentimentByMonth(
  db: DB,
  topicId: number,
  since: string,
): Promise<{ month: string; sentiment: string; n: number }[]> {
  const month = sql<string>`substr(published_at, 1, 7)`;
  return db
    .selectFrom('articles')
    .select((eb) => [month.as('month'), 'sentiment', eb.fn.countAll<number>().as('n')])
    .where('topic_id', '=', topicId)
    .where('published_at', '>=', since)
    .groupBy([month, 'sentiment'])
    .orderBy('month')
    .execute();
}

export function categoryCounts(db: DB, topicId: number): Promise<{ category: string; count: number }[]> {
  return db
    .selectFrom('articles')
    .select((eb) => ['category', eb.fn.countAll<number>().as('count')])
    .where('topic_id', '=', topicId)
    .groupBy('category')
    .orderBy('count', 'desc')
    .orderBy('category')
    .execute();
}
