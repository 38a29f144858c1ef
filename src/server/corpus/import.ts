import { z } from 'zod';
import type { ImportError, ImportFormat, ImportResponse } from '../../shared/corpus';
import type { AppContext } from '../context';
import { nowIso } from '../context';
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

const dateField = z.union([z.string(), z.number()], { error: 'is required' }).transform((v, ctx) => {
  const d = typeof v === 'number' ? new Date(v < 1e11 ? v * 1000 : v) : new Date(v.trim());
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: `"${String(v).slice(0, 40)}" is not a date` });
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
  const parsed = importRow.safeParse(canonical(record.fields));
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
  if (rows.length === 0) input.onProgress?.(total, total);
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
