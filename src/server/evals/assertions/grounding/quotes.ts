import type { Block } from './blocks';
import type { Citation } from './parse';
import type { Resolved } from './resolve';

// Quoted spans of `minWords` or more words, in straight or curly double quotes (also „…“ and «»),
// checked against the text of an article cited in the same paragraph or bullet point: the quote
// (whitespace, quote marks and case normalised, closing punctuation dropped, "…" or "..." splitting
// it into pieces that must appear in order) must be in the article's title or text. A quote in a
// block that cites nothing is not checked (it may quote the question or a phrase, not an
// article), nor is one that repeats the query.

export interface QuoteCheck {
  text: string;
  start: number;
  end: number;
  /** The cited article that holds it; when none does, the citation nearest the quote. */
  url: string | null;
  verified: boolean;
  reason: string;
}

const QUOTE = /"([^"\n]+)"|“([^”\n]+)”|„([^“”\n]+)[“”]|«\s?([^»\n]+?)\s?»/g;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

export function normalizeForQuote(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const wordCount = (s: string) => s.match(WORD)?.length ?? 0;

/** Whether every piece of the quote appears in the text, in order. */
export function quoteIn(quote: string, haystack: string): boolean {
  const pieces = normalizeForQuote(quote)
    .split(/\s*(?:…|\.\.\.|\[\.\.\.\]|\[…\])\s*/)
    .map((p) => p.replace(/^[\s"'.,;:!?]+|[\s"'.,;:!?]+$/g, ''))
    .filter((p) => p.length > 0);
  if (pieces.length === 0) return false;
  let at = 0;
  for (const p of pieces) {
    const i = haystack.indexOf(p, at);
    if (i === -1) return false;
    at = i + p.length;
  }
  return true;
}

export function checkQuotes(
  blocks: Block[],
  citations: Citation[],
  resolved: Resolved[],
  query: string,
  minWords: number,
): QuoteCheck[] {
  const out: QuoteCheck[] = [];
  const normalizedArticles = new Map<number, string>();
  const articleText = (r: Resolved) => {
    const a = r.article!;
    let t = normalizedArticles.get(a.id);
    if (t === undefined) {
      t = normalizeForQuote(`${a.title}\n${a.text}`);
      normalizedArticles.set(a.id, t);
    }
    return t;
  };
  const q = normalizeForQuote(query);
  const byBlock = new Map<number, number[]>();
  citations.forEach((c, i) => {
    byBlock.set(c.block.index, [...(byBlock.get(c.block.index) ?? []), i]);
  });
  blocks.forEach((b, bi) => {
    if (b.kind !== 'paragraph' && b.kind !== 'bullet') return;
    const cites = byBlock.get(bi);
    if (!cites) return;
    // Links are blanked so a link's title attribute or text is no quote of its own.
    let text = b.text;
    for (const ci of cites) {
      const c = citations[ci];
      if (c.kind === 'link')
        text = text.slice(0, c.start - b.start) + ' '.repeat(c.end - c.start) + text.slice(c.end - b.start);
    }
    for (const m of text.matchAll(QUOTE)) {
      const inner = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (wordCount(inner) < minWords || normalizeForQuote(inner) === q) continue;
      const start = b.start + m.index;
      const end = start + m[0].length;
      const near = [...cites].sort(
        (x, y) => distance(citations[x], start, end) - distance(citations[y], start, end),
      );
      const holder = near.find((ci) => resolved[ci].article && quoteIn(inner, articleText(resolved[ci])));
      if (holder !== undefined) {
        out.push({
          text: inner,
          start,
          end,
          url: citations[holder].url,
          verified: true,
          reason: 'found in the cited article',
        });
        continue;
      }
      const nearest = near[0];
      const known = near.some((ci) => resolved[ci].article);
      out.push({
        text: inner,
        start,
        end,
        url: citations[nearest].url,
        verified: false,
        reason: !known
          ? 'no article cited in its paragraph is in the corpus'
          : near.length > 1
            ? 'not in any article cited in its paragraph'
            : 'not in the cited article',
      });
    }
  });
  return out;
}

function distance(c: Citation, start: number, end: number): number {
  if (c.end <= start) return start - c.end;
  if (c.start >= end) return c.start - end;
  return 0;
}
