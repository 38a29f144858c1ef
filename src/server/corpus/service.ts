import {
  type Article,
  type ArticleDetail,
  type ArticleRef,
  type SearchResult,
  type Sentiment,
  SNIPPET_MARK_END,
  SNIPPET_MARK_START,
  sentiment as sentimentSchema,
  type TopicResponse,
} from '../../shared/corpus';
import type { AppContext } from '../context';
import { badRequest, notFound } from '../errors';
import { searchTerms } from './fts-query';
import * as repo from './repository';
import { SAMPLE_HOST } from './sample';

// What the API, the Auspex turn and its tools read from the corpus.

export interface Topic {
  id: number;
  name: string;
  description: string;
  is_sample: boolean;
  article_count: number;
}

export interface ArticleHit extends Article {
  /** Relevance, higher is better (FTS5 -bm25 or PostgreSQL ts_rank_cd); compare within one result only. */
  rank: number;
  /** Plain text; matches wrapped in « ». */
  snippet: string;
}

export interface SearchInput {
  q: string;
  topic?: string;
  /** 1–200; values outside are clamped. */
  limit: number;
  /** ISO date or date-time; only articles published at or after it. */
  since?: string;
  /** False: skip the highlighted snippets (each hit's `snippet` is empty). */
  snippets?: boolean;
}

export interface MonthSentiment {
  month: string; // YYYY-MM (UTC)
  positive: number;
  neutral: number;
  negative: number;
  total: number;
}

export interface SentimentTrends {
  topic: string;
  months: MonthSentiment[];
}

const toTopic = (r: repo.TopicWithCount): Topic => ({
  id: r.id,
  name: r.name,
  description: r.description,
  is_sample: Boolean(r.is_sample),
  article_count: Number(r.article_count),
});

const asSentiment = (s: string): Sentiment =>
  sentimentSchema.safeParse(s).success ? (s as Sentiment) : 'neutral';

function toArticle(r: repo.ArticleJoinedRow): Article {
  return {
    id: r.id,
    title: r.title,
    url: r.url,
    source: r.source,
    published_at: r.published_at,
    summary: r.summary,
    content: r.content,
    category: r.category,
    sentiment: asSentiment(r.sentiment),
    topic: r.topic,
  };
}

/** Engine snippet -> plain text where « » occur only as match markers. */
export function toSnippet(raw: string | null): string {
  return (raw ?? '')
    .replaceAll(SNIPPET_MARK_START, '‹')
    .replaceAll(SNIPPET_MARK_END, '›')
    .replaceAll(repo.SNIPPET_START, SNIPPET_MARK_START)
    .replaceAll(repo.SNIPPET_END, SNIPPET_MARK_END);
}

export const clampLimit = (limit: number) => Math.min(200, Math.max(1, Math.trunc(limit) || 1));

export async function listTopics(ctx: AppContext): Promise<TopicResponse[]> {
  return (await repo.listTopicsWithCounts(ctx.db)).map((r) => {
    const { id: _id, ...topic } = toTopic(r);
    return topic;
  });
}

export interface TopicCorpusStats {
  article_count: number;
  mean_chars: number;
  /** Changes whenever articles are added to or removed from the topic. */
  fingerprint: string;
}

/** Size figures of each topic's articles, for estimates and for fingerprinting what a run read. */
export async function topicCorpusStats(ctx: AppContext): Promise<Map<string, TopicCorpusStats>> {
  const rows = await repo.topicCorpusStats(ctx.db);
  return new Map(
    rows.map((r) => [
      r.name,
      {
        article_count: Number(r.article_count),
        mean_chars: Number(r.mean_chars ?? 0),
        fingerprint: `${Number(r.article_count)}:${r.max_id ?? 0}`,
      },
    ]),
  );
}

/** The topic by exact name; a 404 AppError naming it when missing. */
export async function getTopic(ctx: AppContext, name: string): Promise<Topic> {
  const row = await repo.findTopicByName(ctx.db, name);
  if (!row) throw notFound(`Topic "${name}"`);
  return toTopic(row);
}

async function topicId(ctx: AppContext, name: string): Promise<number> {
  const id = await repo.findTopicId(ctx.db, name);
  if (id === undefined) throw notFound(`Topic "${name}"`);
  return id;
}

/**
 * Ranked full-text search, best first, with full article content. Words are OR-ed; text with no
 * searchable word (punctuation, stop words only) finds nothing rather than failing.
 */
export async function searchArticles(
  ctx: AppContext,
  input: SearchInput,
): Promise<{ results: ArticleHit[]; total: number }> {
  const since = input.since === undefined ? undefined : new Date(input.since);
  if (since && Number.isNaN(since.getTime())) throw badRequest(`since "${input.since}" is not a date`);
  const terms = searchTerms(input.q);
  const rows =
    terms.length === 0
      ? []
      : await repo.search(ctx.db, ctx.dialect, {
          terms,
          topic: input.topic,
          since: since?.toISOString(),
          limit: clampLimit(input.limit),
          snippets: input.snippets,
        });
  // The statement resolves the topic itself; only an empty answer needs to tell "no such topic".
  if (rows.length === 0 && input.topic !== undefined) await topicId(ctx, input.topic);
  return {
    results: rows.map((r) => ({ ...toArticle(r), rank: Number(r.rank), snippet: toSnippet(r.snippet) })),
    total: rows.length === 0 ? 0 : Number(rows[0].total),
  };
}

/** The API view of a hit: everything but the full content. */
export function toSearchResult(hit: ArticleHit): SearchResult {
  const { content: _content, ...rest } = hit;
  return rest;
}

/** The topic's newest articles, newest first (the fallback when a query matches nothing). */
export async function topicArticles(ctx: AppContext, topic: string, limit: number): Promise<Article[]> {
  return (await repo.newestArticles(ctx.db, await topicId(ctx, topic), clampLimit(limit))).map(toArticle);
}

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/**
 * Articles per month and sentiment over the last `months` calendar months (default 12, 1–60),
 * ending with the month of the topic's newest article so old corpora still show their trend.
 * Every month in the window is listed, zeros included, oldest first.
 */
export async function sentimentTrends(
  ctx: AppContext,
  topic: string,
  opts: { months?: number } = {},
): Promise<SentimentTrends> {
  const id = await topicId(ctx, topic);
  const months = Math.min(60, Math.max(1, Math.trunc(opts.months ?? 12) || 12));
  const latest = await repo.latestPublishedAt(ctx.db, id);
  if (!latest) return { topic, months: [] };
  const end = new Date(latest);
  const keys: string[] = [];
  for (let i = months - 1; i >= 0; i--) {
    keys.push(monthKey(new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - i, 1))));
  }
  const byMonth = new Map<string, MonthSentiment>(
    keys.map((month) => [month, { month, positive: 0, neutral: 0, negative: 0, total: 0 }]),
  );
  for (const row of await repo.sentimentByMonth(ctx.db, id, `${keys[0]}-01T00:00:00.000Z`)) {
    const entry = byMonth.get(row.month);
    if (!entry) continue;
    entry[asSentiment(row.sentiment)] += Number(row.n);
    entry.total += Number(row.n);
  }
  return { topic, months: [...byMonth.values()] };
}

/** Article counts per category, largest first. */
export async function categoryCounts(
  ctx: AppContext,
  topic: string,
): Promise<{ category: string; count: number }[]> {
  return (await repo.categoryCounts(ctx.db, await topicId(ctx, topic))).map((r) => ({
    category: r.category,
    count: Number(r.count),
  }));
}

/** Articles by id in the order asked; ids that do not exist are left out. */
export async function articlesByIds(ctx: AppContext, ids: number[]): Promise<Article[]> {
  const unique = [...new Set(ids.filter((id) => Number.isSafeInteger(id)))];
  const byId = new Map((await repo.articlesByIds(ctx.db, unique)).map((r) => [r.id, toArticle(r)]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/** Articles stored under any of these URLs (exact text; callers pass the spellings they accept). */
export async function articlesByUrls(ctx: AppContext, urls: string[]): Promise<Article[]> {
  const unique = [...new Set(urls)].slice(0, 1000);
  return (await repo.articlesByUrls(ctx.db, unique)).map(toArticle);
}

/** One article in full; a 404 naming the id when there is none. */
export async function getArticle(ctx: AppContext, id: number): Promise<ArticleDetail> {
  const row = await repo.findArticle(ctx.db, id);
  if (!row) throw notFound(`Article ${id}`);
  return {
    ...toArticle(row),
    // Sample URLs sit on a reserved .invalid host (RFC 2606): there is nothing to open.
    original_url: row.url.startsWith(`${SAMPLE_HOST}/`) ? null : row.url,
    is_sample: Boolean(row.is_sample),
  };
}

/** Title, URL and source of articles by id, in the order asked, duplicates and unknown ids left out. */
export async function articleRefs(ctx: AppContext, ids: number[]): Promise<ArticleRef[]> {
  const unique = [...new Set(ids.filter((id) => id > 0))];
  const byId = new Map((await repo.articleRefsByIds(ctx.db, unique)).map((r) => [r.id, r]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}
