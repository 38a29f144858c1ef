import { type CsvError, parse as parseCsvText } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ImportError, ImportFormat } from '../../shared/corpus';
import { AppError, badRequest } from '../errors';
import { jsonNestsDeeperThan, tooDeepMessage } from '../json-depth';

// File formats -> raw records with the line each starts on. Field names are not checked here
// (import.ts validates every record the same way); only a file that cannot be read at all throws.

export interface RawRecord {
  line: number;
  fields: Record<string, unknown>;
}

export interface Parsed {
  records: RawRecord[];
  errors: ImportError[];
}

export function parseFile(format: ImportFormat, text: string): Parsed {
  if (format === 'jsonl') return parseJsonl(text);
  if (format === 'csv') return parseCsv(text);
  return parseFeed(text);
}

export function parseJsonl(text: string): Parsed {
  const records: RawRecord[] = [];
  const errors: ImportError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed) return;
    if (jsonNestsDeeperThan(trimmed)) {
      errors.push({ line, message: tooDeepMessage('the line') });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      errors.push({ line, message: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      errors.push({ line, message: 'expected a JSON object' });
      return;
    }
    records.push({ line, fields: value as Record<string, unknown> });
  });
  return { records, errors };
}

const newlines = (s: string) => s.split('\n').length - 1;

export function parseCsv(text: string): Parsed {
  const errors: ImportError[] = [];
  const seenErrorLines = new Set<number>();
  let rows: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    rows = parseCsvText(text, {
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        // csv-parse would keep only the last of two same-named cells: refuse rather than lose one.
        const twice = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
        if (twice !== undefined)
          throw badRequest(`The CSV header names the column "${twice}" twice; name every column once`);
        return names;
      },
      skip_empty_lines: true,
      info: true,
      raw: true,
      // A bad record is reported and skipped; the rest of the file still imports.
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        const line = Number(err?.lines ?? 0);
        // One broken quote can raise several errors on the same line; the first says it best.
        if (seenErrorLines.has(line)) return;
        seenErrorLines.add(line);
        errors.push({ line, message: err?.message ?? 'unreadable record' });
      },
    }) as any;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest(`CSV could not be read: ${(err as Error).message}`);
  }
  const records = rows.map(({ record, info, raw }) => ({
    // info.lines is where the record ends; a quoted field may span lines.
    line: info.lines - newlines(raw) + (raw.endsWith('\n') ? 1 : 0),
    fields: record,
  }));
  return { records, errors: errors.sort((a, b) => a.line - b.line) };
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  captureMetaData: true,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'link', 'category'].includes(name),
});
const meta = XMLParser.getMetaDataSymbol() as unknown as string;

/** The text of a parsed XML node: a string, `#text` of an element with attributes, or the first of many. */
function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as Record<string, unknown>)['#text']);
  return String(node);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? whole;
    const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function stripTags(s: string): string {
  return s
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>|<[!?][^>]*>/gi, ' ');
}

/** Repeats a shrinking rewrite until nothing changes. */
function untilStable(s: string, step: (s: string) => string): string {
  for (let next = step(s); next !== s; next = step(s)) s = next;
  return s;
}

/**
 * Feed descriptions are HTML; we store plain text. Entities are decoded (until none are left)
 * before tags are stripped (until none are left): "&amp;lt;video poster=…&amp;gt;" and
 * "<<b>video …>" must not survive as tags. A "<" that starts no tag ("a < b") stays text.
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  return untilStable(untilStable(html, decodeEntities), (s) => stripTags(untilStable(s, decodeEntities)))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n\n')
    .trim();
}

const html = (node: unknown) => {
  const t = text(node);
  return t === undefined ? undefined : htmlToText(t);
};

function atomLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return text(links);
  const attrs = links.filter((l) => l && typeof l === 'object') as Record<string, string>[];
  const alternate = attrs.find((l) => !l['@_rel'] || l['@_rel'] === 'alternate') ?? attrs[0];
  return alternate?.['@_href'] ?? text(links);
}

function category(node: unknown): string | undefined {
  const first = Array.isArray(node) ? node[0] : node;
  if (first && typeof first === 'object' && '@_term' in first) return String((first as any)['@_term']);
  return text(first);
}

/** RSS 2.0, RSS 1.0 (RDF) and Atom. Errors carry the line of the item's start tag. */
export function parseFeed(xml: string): Parsed {
  const body = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw badRequest(`Feed is not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  }
  let doc: any;
  try {
    doc = xmlParser.parse(body);
  } catch (err) {
    throw badRequest(`Feed could not be read: ${(err as Error).message}`);
  }
  const lineAt = (node: any, index: number) => {
    const start = node?.[meta]?.startIndex;
    return typeof start === 'number' ? newlines(body.slice(0, start)) + 1 : index + 1;
  };

  let items: any[];
  let feedTitle: string | undefined;
  let toFields: (item: any) => Record<string, unknown>;
  if (doc?.rss?.channel || doc?.['rdf:RDF']) {
    const channel = doc.rss?.channel ?? doc['rdf:RDF'].channel;
    items = (doc.rss?.channel ?? doc['rdf:RDF']).item ?? [];
    feedTitle = text(channel?.title);
    toFields = (item) => ({
      title: html(item.title),
      url: text(item.link) ?? (/^https?:/.test(text(item.guid) ?? '') ? text(item.guid) : undefined),
      published_at: text(item.pubDate) ?? text(item['dc:date']),
      summary: html(item.description),
      content: html(item['content:encoded']),
      source: text(item.source) ?? feedTitle,
      category: category(item.category) ?? text(item['dc:subject']),
    });
  } else if (doc?.feed) {
    items = doc.feed.entry ?? [];
    feedTitle = html(doc.feed.title);
    toFields = (entry) => ({
      title: html(entry.title),
      url: atomLink(entry.link),
      published_at: text(entry.published) ?? text(entry.updated),
      summary: html(entry.summary),
      content: html(entry.content),
      source: text(entry.source?.title) ?? feedTitle,
      category: category(entry.category),
    });
  } else {
    throw badRequest('Not an RSS or Atom feed: expected <rss>, <feed> or <rdf:RDF> at the top');
  }
  const records = items.map((item, i) => ({ line: lineAt(item, i), fields: toFields(item ?? {}) }));
  return { records, errors: [] };
}
