import type { ScoreContext } from '../types';
import { datedMentions, daysApart } from './dates';
import { type Citation, type ParsedAnswer, parseAnswer, type UrlMention } from './parse';
import { checkQuotes, type QuoteCheck } from './quotes';
import { type CitationStatus, lookup, type Resolved } from './resolve';
import { inAppArticleId } from './urls';

// The grounding report of one cell: every citation with its status and reason, precision (grounded
// ÷ cited), the invented URLs, coverage (share of paragraphs and bullet points with a citation;
// headings, tables, code, the reference list and blank lines do not count), quotes and dates.

export interface GroundedCitation {
  url: string | null;
  start: number;
  end: number;
  kind: Citation['kind'];
  status: CitationStatus;
  /** The article it leads to, when it leads to one. */
  article_id: number | null;
  reason: string;
}

export interface DateCheck {
  text: string;
  start: number;
  end: number;
  url: string;
  /** The date as written, as YYYY-MM-DD. */
  written: string;
  /** The cited article's publication date (YYYY-MM-DD, UTC); null when unknown. */
  expected: string | null;
  matches: boolean;
}

export interface GroundingReport {
  citations: GroundedCitation[];
  /** grounded ÷ cited; null when the answer cites nothing. */
  precision: number | null;
  invented_urls: string[];
  /** Share of paragraphs and bullet points with at least one citation; null when there are none. */
  coverage: number | null;
  /** Paragraphs and bullet points, and how many of them cite. */
  blocks: { total: number; cited: number };
  quotes: QuoteCheck[];
  dates: DateCheck[];
}

export interface GroundingOptions {
  /** Quotes this many words or longer are checked (default 6). */
  quote_min_words?: number;
  /** Days a date may be off (default 0). */
  date_tolerance_days?: number;
}

interface Analysis {
  parsed: ParsedAnswer;
  resolved: Resolved[];
}

// Several assertions of one cell share one parse: the last answer per context is kept.
const memo = new WeakMap<ScoreContext, { answer: string; analysis: Analysis }>();

function analyse(answer: string, ctx: ScoreContext): Analysis {
  const hit = memo.get(ctx);
  if (hit && hit.answer === answer) return hit.analysis;
  const parsed = parseAnswer(answer);
  const l = lookup(ctx);
  const analysis = { parsed, resolved: parsed.citations.map((c) => l.resolve(c)) };
  memo.set(ctx, { answer, analysis });
  return analysis;
}

export function groundingReport(
  answer: string,
  ctx: ScoreContext,
  options: GroundingOptions = {},
): GroundingReport {
  const { parsed, resolved } = analyse(answer, ctx);
  const { blocks, citations } = parsed;
  const grounded = citations.map(
    (c, i): GroundedCitation => ({
      url: c.url,
      start: c.start,
      end: c.end,
      kind: c.kind,
      status: resolved[i].status,
      article_id: resolved[i].article?.id ?? null,
      reason: resolved[i].reason,
    }),
  );
  const precision =
    citations.length === 0 ? null : grounded.filter((c) => c.status === 'grounded').length / citations.length;
  const invented = [
    ...new Set(grounded.filter((c) => c.status === 'invented' && c.url !== null).map((c) => c.url!)),
  ];

  const counted = new Set<number>();
  blocks.forEach((b, i) => {
    if (b.kind === 'paragraph' || b.kind === 'bullet') counted.add(i);
  });
  const citing = new Set(citations.map((c) => c.block.index).filter((i) => counted.has(i)));
  const coverage = counted.size === 0 ? null : citing.size / counted.size;

  const quotes = checkQuotes(blocks, citations, resolved, ctx.query, options.quote_min_words ?? 6);

  // Dates attach to body citations (footnote markers included) and to the URLs of reference entries.
  const anchors: UrlMention[] = citations
    .filter((c) => c.url !== null && c.block.kind !== 'reference')
    .map((c) => ({ url: c.url!, start: c.start, end: c.end, block: c.block.index }));
  for (const m of parsed.mentions) if (blocks[m.block].kind === 'reference') anchors.push(m);
  const l = lookup(ctx);
  const tolerance = options.date_tolerance_days ?? 0;
  const dates = datedMentions(blocks, anchors).map(({ mention, url }): DateCheck => {
    const article = l.resolve({ url, article_id: inAppArticleId(url), raw: url }).article;
    const expected = article?.published_at ? publishedDay(article.published_at) : null;
    return {
      text: mention.text,
      start: mention.start,
      end: mention.end,
      url,
      written: mention.date,
      expected,
      matches: expected !== null && daysApart(expected, mention.date) <= tolerance,
    };
  });

  return {
    citations: grounded,
    precision,
    invented_urls: invented,
    coverage,
    blocks: { total: counted.size, cited: citing.size },
    quotes,
    dates,
  };
}

/** The UTC day of a publication timestamp; a bare date stays as it is. */
function publishedDay(at: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const t = Date.parse(at);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}
