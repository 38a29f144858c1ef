import { z } from 'zod';
import { idParam } from './common';

// Topics, articles, search and import: the contract shared by the server, the CLI and the web app.

export const sentiment = z.enum(['positive', 'neutral', 'negative']);
export type Sentiment = z.infer<typeof sentiment>;

export const topicName = z
  .string()
  .trim()
  .min(1, 'topic must be 1–100 characters')
  .max(100, 'topic must be 1–100 characters');

export const topicResponse = z.object({
  name: z.string(),
  description: z.string(),
  article_count: z.number().int(),
  /** Generated sample data, not real news; the UI labels it as such. */
  is_sample: z.boolean(),
});
export type TopicResponse = z.infer<typeof topicResponse>;

export const topicsResponse = z.array(topicResponse);

/** An article as services see it (search hits add rank and snippet). */
export const article = z.object({
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  source: z.string(),
  published_at: z.string(),
  summary: z.string(),
  content: z.string(),
  category: z.string(),
  sentiment,
  topic: z.string(),
});
export type Article = z.infer<typeof article>;

/** GET /api/articles/{id}: one article in full, for the in-app article view. */
export const articleDetail = article.extend({
  /** Where the article was published; null when it has none that can be opened (sample data). */
  original_url: z.string().nullable(),
  /** Its topic is generated sample data, not real news. */
  is_sample: z.boolean(),
});
export type ArticleDetail = z.infer<typeof articleDetail>;

export const articleIdParams = z.object({ id: idParam });

export const ARTICLE_IDS_MAX = 200;
const idsRule = `ids must be 1–${ARTICLE_IDS_MAX} comma-separated article ids`;

export const articlesQuery = z.object({
  ids: z
    .string({ error: idsRule })
    .transform((v) => v.split(','))
    .pipe(z.array(idParam).min(1, idsRule).max(ARTICLE_IDS_MAX, idsRule))
    .describe('Comma-separated article ids, e.g. `ids=12,7,40`; unknown ids are left out of the answer.'),
});

/** What a citation needs: enough to match an answer's link to the article and label it. */
export const articleRef = article.pick({
  id: true,
  title: true,
  url: true,
  source: true,
  published_at: true,
  topic: true,
});
export type ArticleRef = z.infer<typeof articleRef>;

export const articlesResponse = z.object({ articles: z.array(articleRef) });

/** Start and end of a highlighted match inside `snippet` (see snippetParts). */
export const SNIPPET_MARK_START = '«';
export const SNIPPET_MARK_END = '»';

/** A date (2025-01-31) or an ISO-8601 date-time with offset. */
const sinceParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'since must be a date (YYYY-MM-DD) or an ISO-8601 date-time',
});

export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'q must not be empty')
    .max(1000, 'q must be at most 1000 characters')
    .describe('Search words. Operators and punctuation are treated as plain text; any word may match.'),
  topic: topicName.optional().describe('Restrict to this topic (404 when it does not exist).'),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  since: sinceParam.optional().describe('Only articles published at or after this instant.'),
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const searchResult = article.omit({ content: true }).extend({
  /** Relevance, higher is better; comparable only within one response. */
  rank: z.number(),
  snippet: z
    .string()
    .describe(
      `Plain text (never HTML) from the article body. Matches are wrapped in ${SNIPPET_MARK_START} and ` +
        `${SNIPPET_MARK_END}; those characters appear nowhere else. Render as text, turning marked spans into <mark>.`,
    ),
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchResponse = z.object({
  results: z.array(searchResult),
  /** How many articles matched in all (results holds at most `limit`). */
  total: z.number().int(),
});
export type SearchResponse = z.infer<typeof searchResponse>;

/**
 * Splits a snippet into plain-text parts, `mark` set on matched ones, so a UI can render
 * highlights as elements without ever parsing HTML.
 */
export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  const re = new RegExp(`${SNIPPET_MARK_START}([^${SNIPPET_MARK_END}]*)${SNIPPET_MARK_END}`, 'g');
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), mark: false });
    if (m[1]) parts.push({ text: m[1], mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), mark: false });
  return parts;
}

export const importFormat = z.enum(['jsonl', 'csv', 'rss']);
export type ImportFormat = z.infer<typeof importFormat>;

export const importQuery = z.object({
  topic: topicName.describe('Topic to import into; created when missing.'),
  format: importFormat
    .optional()
    .describe('jsonl, csv or rss (RSS 2.0, RSS 1.0 and Atom). Default: from the Content-Type.'),
});

export const importError = z.object({
  /** Line of the file (JSONL, CSV: where the record starts) or 1-based item number (RSS/Atom). */
  line: z.number().int(),
  message: z.string(),
});
export type ImportError = z.infer<typeof importError>;

export const importResponse = z.object({
  imported: z.number().int(),
  skipped_duplicates: z.number().int(),
  /** The first 1000 malformed records; error_count has them all. */
  errors: z.array(importError),
  error_count: z.number().int(),
});
export type ImportResponse = z.infer<typeof importResponse>;
