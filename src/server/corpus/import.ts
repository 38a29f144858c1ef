import { z } from 'zod';
import type { ImportError, ImportFormat, ImportResponse } from '../../shared/corpus';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import { badRequest } from '../errors';
import { parseFile, type RawRecord } from './parsers';
import * as repo from './repository';

// One transaction per batch: a failure loses at most one batch, and a huge file never holds
// a single write lock for minutes.
export const IMPORT_BATCH = 500;
const MAX_REPORTED_ERRORS = 1000;

/** Control characters never belong in article text (PostgreSQL rejects NUL; snippets use STX/ETX). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
export const cleanText = (s: string) => s.replace(CONTROL, '');

const optionalText = (max: number) =>
  z
    .string()
    .transform((s) => cleanText(s).trim())
    .pipe(z.string().max(max, `must be at most ${max} characters`))
    .optional();

const sentimentField = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return 'neutral' as const;
    // A score in [-1, 1] is accepted too, read by its sign.
    const n = typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN;
    if (!Number.isNaN(n)) return n > 0.05 ? 'positive' : n < -0.05 ? 'negative' : 'neutral';
    const word = (v as string).trim().toLowerCase();
    if (word === 'positive' || word === 'neutral' || word === 'negative') return word;
    ctx.addIssue({ code: 'custom', message: 'must be positive, neutral or negative' });
    return z.NEVER;
  });

/** Years an article may carry: a wider one is a typo or a wrong unit, and breaks ISO-string order. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The year, month and day a date text names (ISO, 2025/01/02, RFC 2822, "Jan 2, 2025"), if it names them. */
function namedDay(s: string): [number, number, number] | null {
  const iso = /^([+-]?\d{4,6})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/.exec(s);
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  const dayFirst = /\b(\d{1,2})[ -]([a-z]{3,9})\.?[ -](\d{4})\b/i.exec(s);
  if (dayFirst && month(dayFirst[2])) return [Number(dayFirst[3]), month(dayFirst[2]), Number(dayFirst[1])];
  const monthFirst = /\b([a-z]{3,9})\.? (\d{1,2}),? (\d{4})\b/i.exec(s);
  if (monthFirst && month(monthFirst[1]))
    return [Number(monthFirst[3]), month(monthFirst[1]), Number(monthFirst[2])];
  return null;
}

/** Whether the day exists: Date would quietly move 2026-02-30 to 2026-03-02. */
function isRealDay([y, m, d]: [number, number, number]): boolean {
  const t = new Date(Date.UTC(2000, m - 1, d));
  t.setUTCFullYear(y);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const dateField = z.union([z.string(), z.number()], { error: 'is required' }).transform((v, ctx) => {
  const shown = `"${String(v).slice(0, 40)}"`;
  const named = typeof v === 'string' ? namedDay(v.trim()) : null;
  const d = typeof v === 'number' ? new Date(v < 1e11 ? v * 1000 : v) : new Date(v.trim());
  if (Number.isNaN(d.getTime()) || (named && !isRealDay(named))) {
    ctx.addIssue({ code: 'custom', message: `${shown} is not a date` });
    return z.NEVER;
  }
  const year = d.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR || (named && (named[0] < MIN_YEAR || named[0] > MAX_YEAR))) {
    ctx.addIssue({ code: 'custom', message: `${shown} is outside the years ${MIN_YEAR}–${MAX_YEAR}` });
    return z.NEVER;
  }
  return d.toISOString();
});

const importRow = z.object({
  title: z
    .string({ error: 'is required' })
    .transform((s) => cleanText(s).trim())
    .pipe(z.string().min(1, 'is required').max(1000, 'must be at most 1000 characters')),
  url: z
    .string({ error: 'is required' })
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000)),
  published_at: dateField,
  source: optionalText(200),
  summary: optionalText(10_000),
  content: optionalText(1_000_000),
  category: optionalText(100),
  sentiment: sentimentField,
});

const ALIASES: Record<string, string[]> = {
  title: ['title', 'headline'],
  url: ['url', 'link'],
  published_at: ['published_at', 'published', 'date', 'pubdate', 'pub_date', 'publishedat'],
  source: ['source', 'publisher'],
  summary: ['summary', 'description'],
  content: ['content', 'body', 'text'],
  category: ['category', 'section'],
  sentiment: ['sentiment'],
};

/** Picks each field from its usual names; empty strings count as absent. */
function canonical(fields: Record<string, unknown>): Record<string, unknown> {
  const lower = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, unknown> = {};
  for (const [field, names] of Object.entries(ALIASES)) {
    for (const name of names) {
      const v = lower.get(name);
      if (v === undefined || v === null || v === '') continue;
      out[field] = typeof v === 'boolean' ? String(v) : v;
      break;
    }
  }
  return out;
}

/** A summary for articles that came without one: the first sentences, up to ~300 characters. */
function summarize(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  if (flat.length <= 300) return flat;
  const cut = flat.slice(0, 300);
  const end = cut.lastIndexOf('. ');
  return end > 80 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

export type ValidRow = Omit<repo.NewArticle, 'topic_id' | 'created_at'>;

export function validateRecord(record: RawRecord): { row: ValidRow } | { error: ImportError } {
  const fields = canonical(record.fields);
  // PostgreSQL refuses NUL in text; a NUL means a damaged file, so the row is refused on every engine.
  const withNul = Object.entries(fields).find(([, v]) => typeof v === 'string' && v.includes('\u0000'));
  if (withNul) {
    return {
      error: { line: record.line, message: `${withNul[0]}: must not contain NUL characters (\\u0000)` },
    };
  }
  const parsed = importRow.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'record';
    return { error: { line: record.line, message: `${field}: ${issue.message}` } };
  }
  const r = parsed.data;
  const content = r.content || r.summary || '';
  return {
    row: {
      title: r.title,
      url: r.url,
      published_at: r.published_at,
      source: r.source ?? '',
      summary: r.summary || summarize(content),
      content,
      category: r.category || 'uncategorized',
      sentiment: r.sentiment,
    },
  };
}

export interface ImportInput {
  topic: string;
  format: ImportFormat;
  text: string;
  /** Called after each batch with records handled so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

const EMPTY: Record<ImportFormat, string> = {
  csv: 'the CSV file has no rows after its header',
  jsonl: 'the JSONL file has no records',
  rss: 'the feed has no items or entries',
};

export async function importArticles(ctx: AppContext, input: ImportInput): Promise<ImportResponse> {
  const parsed = parseFile(input.format, input.text);
  const errors: ImportError[] = [...parsed.errors];
  const rows: ValidRow[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const record of parsed.records) {
    const result = validateRecord(record);
    if ('error' in result) errors.push(result.error);
    else if (seen.has(result.row.url)) skipped++;
    else {
      seen.add(result.row.url);
      rows.push(result.row);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  // An empty file is a mistake (wrong file, header only): refuse it rather than make an empty topic.
  if (parsed.records.length === 0 && errors.length === 0) {
    throw badRequest(`Nothing to import: ${EMPTY[input.format]}`);
  }
  if (rows.length === 0) {
    input.onProgress?.(parsed.records.length, parsed.records.length);
    return report(ctx, input, 0, skipped, errors);
  }

  const topics = await repo.ensureTopics(ctx.db, [
    { name: input.topic, description: 'Imported articles', is_sample: 0, created_at: nowIso() },
  ]);
  const topicId = topics.get(input.topic)!;
  const total = parsed.records.length;
  const handledBefore = total - rows.length; // malformed and in-file duplicates need no writes
  let imported = 0;
  for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
    const createdAt = nowIso();
    const batch = rows
      .slice(i, i + IMPORT_BATCH)
      .map((r) => ({ ...r, topic_id: topicId, created_at: createdAt }));
    const inserted = await ctx.db.transaction().execute((trx) => repo.insertArticles(trx, batch));
    imported += inserted;
    skipped += batch.length - inserted;
    input.onProgress?.(handledBefore + i + batch.length, total);
  }
  return report(ctx, input, imported, skipped, errors);
}

function report(
  ctx: AppContext,
  input: ImportInput,
  imported: number,
  skipped: number,
  errors: ImportError[],
): ImportResponse {
  ctx.log.info(
    {
      topic: input.topic,
      format: input.format,
      imported,
      skipped_duplicates: skipped,
      errors: errors.length,
    },
    'import finished',
  );
  return {
    imported,
    skipped_duplicates: skipped,
    errors: errors.slice(0, MAX_REPORTED_ERRORS),
    error_count: errors.length,
  };
}
