import { type Block, type BlockKind, splitBlocks } from './blocks';
import { inAppArticleId, normalizeUrl } from './urls';

// An answer's citations: markdown links [text](url), autolinks <url>, bare URLs, and footnote
// markers [1], [1, 2], [^note] resolved through the reference list ("[1] [Title](url)",
// "1. Title — url" under a References heading, "[1]: url"). A reference-list entry that no marker
// points to (a plain "Sources:" list) is a citation itself; one a marker points to is only the
// marker's definition. Images and code blocks cite nothing.

export type CitationKind = 'link' | 'bare' | 'footnote' | 'reference';

export interface Citation {
  /** Normalised (see normalizeUrl); null for a footnote marker with no entry in the reference list. */
  url: string | null;
  /** As written: the link target, the bare URL, or the marker "[2]". */
  raw: string;
  kind: CitationKind;
  /** The article of an in-app link /articles/{id}. */
  article_id: number | null;
  /** Character span of the link, URL or marker in the answer. */
  start: number;
  end: number;
  /** The paragraph, bullet point or reference entry it sits in. */
  block: { index: number; kind: BlockKind; start: number; end: number };
}

/** A URL written in the answer, cited or not (reference entries included): what dates attach to. */
export interface UrlMention {
  url: string;
  start: number;
  end: number;
  block: number;
}

export interface ParsedAnswer {
  blocks: Block[];
  citations: Citation[];
  mentions: UrlMention[];
}

const LINK =
  /(!?)\[((?:\\.|[^\\\]\n])*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;
const AUTOLINK = /<(https?:\/\/[^\s<>]+)>/g;
const BARE = /\bhttps?:\/\/[^\s<>[\]"'`]+/g;
const MARKER = /\[(\^[\w-]{1,40}|\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\](?![(:])/g;
const ENTRY_LABEL = /^\s*(?:[-*+•]\s+)?(?:\[\^?([\w-]{1,40})\]:?|(\d{1,3})[.)])\s*/;

/** A bare URL without the punctuation that ends the sentence around it. */
function trimBare(url: string): string {
  let u = url;
  for (;;) {
    const before = u;
    u = u.replace(/[.,;:!?*_~]+$/, '');
    if (u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
    if (u === before) return u;
  }
}

interface Hit {
  raw: string;
  url: string | null;
  kind: 'link' | 'bare';
  start: number;
  end: number;
}

/** `text` with the spans blanked out (same length, so offsets still hold). */
function blank(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [s, e] of spans) {
    out += text.slice(at, s) + ' '.repeat(e - s);
    at = e;
  }
  return out + text.slice(at);
}

/** Links, autolinks and bare URLs of one block, in order, each span once. */
function urlHits(text: string, offset: number): { hits: Hit[]; masked: string } {
  const hits: Hit[] = [];
  let spans: [number, number][] = [];
  for (const m of text.matchAll(LINK)) {
    const s = m.index;
    const e = s + m[0].length;
    if (!m[1]) {
      const raw = m[3].replace(/^<|>$/g, '');
      hits.push({ raw, url: normalizeUrl(raw), kind: 'link', start: offset + s, end: offset + e });
    }
    spans.push([s, e]);
  }
  let masked = blank(text, spans);
  spans = [];
  for (const m of masked.matchAll(AUTOLINK)) {
    const e = m.index + m[0].length;
    hits.push({ raw: m[1], url: normalizeUrl(m[1]), kind: 'link', start: offset + m.index, end: offset + e });
    spans.push([m.index, e]);
  }
  masked = blank(masked, spans);
  spans = [];
  for (const m of masked.matchAll(BARE)) {
    const raw = trimBare(m[0]);
    const e = m.index + raw.length;
    hits.push({ raw, url: normalizeUrl(raw), kind: 'bare', start: offset + m.index, end: offset + e });
    spans.push([m.index, e]);
  }
  masked = blank(masked, spans);
  hits.sort((a, b) => a.start - b.start);
  return { hits: hits.filter((h) => h.url !== null), masked };
}

export function parseAnswer(answer: string): ParsedAnswer {
  const blocks = splitBlocks(answer);
  const mentions: UrlMention[] = [];
  const entries = new Map<string, string>();
  const unlabelled: { hit: Hit; block: number }[] = [];
  const labelled: { label: string; hit: Hit; block: number }[] = [];
  const body: { block: number; hits: Hit[]; masked: string }[] = [];

  blocks.forEach((b, i) => {
    if (b.kind === 'code' || b.kind === 'heading') return;
    const { hits, masked } = urlHits(b.text, b.start);
    for (const h of hits) mentions.push({ url: h.url!, start: h.start, end: h.end, block: i });
    if (b.kind !== 'reference') {
      body.push({ block: i, hits, masked });
      return;
    }
    const label = ENTRY_LABEL.exec(b.text);
    const key = label ? (label[1] ?? label[2]).toLowerCase() : null;
    if (key && hits.length > 0 && !entries.has(key)) {
      entries.set(key, hits[0].url!);
      labelled.push({ label: key, hit: hits[0], block: i });
      for (const h of hits.slice(1)) unlabelled.push({ hit: h, block: i });
    } else for (const h of hits) unlabelled.push({ hit: h, block: i });
  });

  const ref = (i: number) => ({ index: i, kind: blocks[i].kind, start: blocks[i].start, end: blocks[i].end });
  const fromHit = (h: Hit, i: number, kind: CitationKind): Citation => ({
    url: h.url,
    raw: h.raw,
    kind,
    article_id: h.url ? inAppArticleId(h.url) : null,
    start: h.start,
    end: h.end,
    block: ref(i),
  });

  const citations: Citation[] = [];
  const used = new Set<string>();
  for (const { block, hits, masked } of body) {
    const cites = hits.map((h) => fromHit(h, block, h.kind));
    // Markers count only when the answer has a reference list: "[3]" alone may be no footnote.
    if (entries.size > 0) {
      const offset = blocks[block].start;
      for (const m of masked.matchAll(MARKER)) {
        for (const label of m[1].split(/\s*[,;]\s*/)) {
          const key = label.replace(/^\^/, '').toLowerCase();
          const url = entries.get(key) ?? null;
          used.add(key);
          cites.push({
            url,
            raw: m[0],
            kind: 'footnote',
            article_id: url ? inAppArticleId(url) : null,
            start: offset + m.index,
            end: offset + m.index + m[0].length,
            block: ref(block),
          });
        }
      }
    }
    citations.push(...cites.sort((a, b) => a.start - b.start));
  }
  for (const { label, hit, block } of labelled)
    if (!used.has(label)) citations.push(fromHit(hit, block, 'reference'));
  for (const { hit, block } of unlabelled) citations.push(fromHit(hit, block, 'reference'));
  citations.sort((a, b) => a.start - b.start);
  return { blocks, citations, mentions };
}

/** The answer's citations, in the order they appear. */
export function parseCitations(answer: string): Citation[] {
  return parseAnswer(answer).citations;
}

/** Distinct normalised http(s) URLs the answer cites: what the lead looks up in the corpus. */
export function citedUrls(answer: string): string[] {
  const urls = parseAnswer(answer).mentions.map((m) => m.url);
  return [...new Set(urls)].filter((u) => inAppArticleId(u) === null);
}

/** Ids of the articles the answer links to in the app (/articles/{id}). */
export function citedArticleIds(answer: string): number[] {
  const ids = parseAnswer(answer).mentions.map((m) => inAppArticleId(m.url));
  return [...new Set(ids)].filter((id): id is number => id !== null);
}
