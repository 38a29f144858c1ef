import { isOne, plural } from '../../shared/plural';
import type { TurnArticle } from './context-packing';
import { DEFAULT_STYLE, type OfflineStyle } from './offline-style';

// What `offline:demo` answers for an Auspex turn: an extractive, deterministic brief of the
// retrieved articles, shaped by what it recognised in the system prompt (offline-style.ts).
// It quotes and counts; it never interprets, and it says so.

export const OFFLINE_NOTICE =
  'Offline demo model: this is not AI. It lists what the retrieved articles say, without reading ' +
  'them for meaning; configure a model provider for real answers.';

const BRIEF_ARTICLES = 8;
const SHORT_ARTICLES = 3;

/** `[Title](URL)` with the characters that would break the link escaped. */
export function markdownLink(title: string, url: string): string {
  const text = title.replace(/([\\[\]])/g, '\\$1').replace(/\s+/g, ' ');
  // encodeURIComponent leaves ( and ) alone; they would end the link early.
  const href = url.replace(
    /[()\s<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${text}](${href})`;
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The sentences of a text, each at most 240 characters, on one line. */
function sentences(text: string): string[] {
  const out: string[] = [];
  let rest = flat(text);
  while (rest && out.length < 6) {
    const m = /^(.{20,240}?[.!?])(\s|$)/.exec(rest);
    if (m) {
      out.push(m[1]);
      rest = rest.slice(m[0].length);
    } else {
      out.push(rest.length > 240 ? `${rest.slice(0, 239).trimEnd()}…` : rest);
      break;
    }
  }
  return out;
}

/** The first sentence (or the first 240 characters) of a text, on one line. */
export function firstSentence(text: string): string {
  return sentences(text)[0] ?? '';
}

/** Words that make a statement a guess or a forecast rather than a report. */
export const HEDGE =
  /\b(?:may|might|could|would|likely|unlikely|possibly|perhaps|probably|expected to|expects?|predicts?|predicted|forecasts?|speculat\w*|rumou?r\w*|reportedly|appears? to|seems? to)\b/i;

/** What the brief quotes of an article: its first sentence, or its first unhedged one. */
function statement(a: TurnArticle, style: OfflineStyle): string | null {
  const all = sentences(a.summary || a.content);
  if (!style.noSpeculation) return all[0] ?? '';
  return all.find((s) => !HEDGE.test(s)) ?? null;
}

const day = (iso: string) => iso.slice(0, 10);

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v || 'unknown', (counts.get(v || 'unknown') ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

const STOP = new Set(
  'about above after again also among and are because been before being between both could does doing during each from have having into just more most much other over same should some such than that their them then there these they this those through under very what when where which while with would your how why who whom will shall is was were the for not any all can did our out own'.split(
    ' ',
  ),
);

/** Words of the question (4+ letters, not stop words) that no retrieved article contains. */
export function uncoveredTerms(message: string, articles: TurnArticle[]): string[] {
  const corpus = articles.map((a) => `${a.title} ${a.summary} ${a.content}`.toLowerCase()).join('\n');
  const words = message.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]{3,}/gu) ?? [];
  return [...new Set(words)].filter((w) => !STOP.has(w) && !corpus.includes(w));
}

type Part = 'summary' | 'findings' | 'coverage' | 'notCovered' | 'references';

interface Section {
  part: Part;
  title: string | null;
  lines: string[];
  /** A list is rendered per the layout; a paragraph stays as it is. */
  list: 'items' | 'bullets' | 'paragraph' | 'references';
}

const PART_OF_NAME: [RegExp, Part][] = [
  [/not cover|gaps?|limitations?|unknowns?|open questions|caveats|missing/i, 'notCovered'],
  [/references|bibliography|footnotes|citations|works cited/i, 'references'],
  [/summary|overview|tl;?dr|bottom line|key (?:points|takeaways)|headline|answer|conclusion/i, 'summary'],
  [/coverage|context|background|data|numbers|statistics|timeline|trends?/i, 'coverage'],
  [/evidence|findings|what the articles|reports?|developments|details|sources|analysis|facts/i, 'findings'],
];

function renderSection(s: Section, style: OfflineStyle, level: string): string[] {
  const out = s.title === null ? [] : [`${level} ${s.title}`];
  // A reference list stays a list: one entry a line, whatever the layout.
  if (s.list === 'references') return [...out, ...s.lines.map((l) => `- ${l}`)];
  if (s.list === 'paragraph' || style.layout === 'prose') return [...out, s.lines.join(' ')];
  if (s.list === 'items' && style.layout === 'numbered')
    return [...out, ...s.lines.map((l, i) => `${i + 1}. ${l}`)];
  return [...out, ...s.lines.map((l) => `- ${l}`)];
}

export const UNMAPPED_HEADING = 'Nothing the offline model extracts maps to this heading.';

/** The sections the prompt named, in its order, each holding the part its name is about. */
function namedSections(parts: Map<Part, Section>, names: string[], style: OfflineStyle): Section[] {
  const used = new Set<Part>();
  const picks = names.map((name) => {
    const part = PART_OF_NAME.find(([re, p]) => re.test(name) && parts.has(p) && !used.has(p))?.[1] ?? null;
    if (part) used.add(part);
    return part;
  });
  // The first heading nothing maps to takes the findings, if no heading did.
  const free = picks.indexOf(null);
  if (!used.has('findings') && free !== -1) {
    picks[free] = 'findings';
    used.add('findings');
  }
  const sections: Section[] = names.map((title, i) => {
    const part = picks[i];
    return part
      ? { ...parts.get(part)!, title }
      : { part: 'summary', title, lines: [UNMAPPED_HEADING], list: 'paragraph' };
  });
  // What the answer must still show: the findings, a section the prompt asked for, footnotes.
  for (const p of ['findings', 'notCovered', 'references'] as Part[]) {
    if (!used.has(p) && parts.has(p) && (p !== 'notCovered' || style.notCovered))
      sections.push(parts.get(p)!);
  }
  return sections;
}

/** Lays the parts out under the headings the style asks for. */
function arrange(parts: Map<Part, Section>, style: OfflineStyle): string[] {
  const h = style.headings;
  let sections: Section[];
  let level = '###';
  if (h.kind === 'named') {
    level = '##';
    sections = namedSections(parts, h.names, style);
  } else {
    sections = [...parts.values()].filter((s) => h.kind === 'generic' || s.part !== 'summary');
    if (h.kind === 'generic') {
      level = '##';
      const generic: Record<Part, string> = {
        summary: 'Summary',
        findings: 'Findings',
        coverage: 'Coverage',
        notCovered: style.notCovered ?? 'Not covered',
        references: 'References',
      };
      sections = sections.map((s) => ({ ...s, title: generic[s.part] }));
    }
  }
  const out: string[] = [];
  for (const s of sections) {
    if (out.length > 0) out.push('');
    out.push(...renderSection(h.kind === 'none' ? { ...s, title: null } : s, style, level));
  }
  return out;
}

function findingsOf(shown: TurnArticle[], style: OfflineStyle): string[] {
  return shown.map((a, i) => {
    const title = flat(a.title);
    const cite =
      style.citations === 'inline'
        ? markdownLink(a.title, a.url)
        : style.citations === 'footnotes'
          ? `${title} [${i + 1}]`
          : title;
    const meta = `(${a.source || 'unknown source'}${style.dates ? `, ${day(a.published_at)}` : ''})`;
    const said = statement(a, style);
    if (said === null) return `${cite} ${meta}: only hedged statements, left out.`;
    return style.layout === 'prose' ? `${cite} ${meta} reports: ${said}` : `${cite} ${meta}: ${said}`;
  });
}

function body(
  topic: string,
  message: string,
  articles: TurnArticle[],
  style: OfflineStyle,
  k: number,
  extras: boolean,
): string[] {
  const shown = articles.slice(0, k);
  const dates = articles.map((a) => a.published_at).sort();
  const top = statement(articles[0], style);
  const overview =
    `${shown.length} of ${articles.length} retrieved articles on "${topic}", published ${day(dates[0])} to ${day(dates[dates.length - 1])}` +
    (top ? `; the top-ranked one says: ${top}` : '.');
  const lead: string[] = [];
  if (style.tldr) lead.push(`**TL;DR:** ${overview}`);
  if (style.audience)
    lead.push(`Audience named in the prompt: ${style.audience} (the offline model does not rewrite for it).`);
  if (style.noSpeculation)
    lead.push(
      '_This prompt asks not to speculate: statements the articles hedge (may, could, expected …) are left out._',
    );
  const min = style.articles.min;
  if (min !== null && articles.length < min)
    lead.push(`Only ${articles.length} articles were retrieved; the prompt asks for at least ${min}.`);

  const parts = new Map<Part, Section>();
  parts.set('summary', { part: 'summary', title: 'Summary', lines: [overview], list: 'paragraph' });
  parts.set('findings', {
    part: 'findings',
    title: `What the articles report (${shown.length} of ${articles.length})`,
    lines: findingsOf(shown, style),
    list: 'items',
  });
  if (extras) {
    parts.set('coverage', {
      part: 'coverage',
      title: 'Coverage',
      lines: [
        `Published between ${day(dates[0])} and ${day(dates[dates.length - 1])}.`,
        `Categories: ${tally(articles.map((a) => a.category))}.`,
        `Sentiment: ${tally(articles.map((a) => a.sentiment))}.`,
      ],
      list: 'bullets',
    });
  }
  if (style.notCovered || extras) {
    const lines: string[] = [];
    if (style.notCovered) {
      const terms = uncoveredTerms(message, articles);
      lines.push(
        terms.length > 0
          ? `No retrieved article mentions: ${terms.join(', ')}.`
          : 'Every term of the question appears in at least one retrieved article.',
      );
    }
    lines.push('It does not weigh, compare or interpret the articles, and it draws no conclusions.');
    if (articles.length > shown.length)
      lines.push(
        `${plural(articles.length - shown.length, 'further retrieved article')} ${isOne(articles.length - shown.length) ? 'is' : 'are'} ${extras ? 'counted above but ' : ''}not summarised.`,
      );
    parts.set('notCovered', {
      part: 'notCovered',
      title: style.notCovered ?? 'What this brief does not cover',
      lines,
      list: 'bullets',
    });
  }
  if (style.citations === 'footnotes') {
    parts.set('references', {
      part: 'references',
      title: 'References',
      lines: shown.map(
        (a, i) =>
          `[${i + 1}] ${markdownLink(a.title, a.url)}, ${a.source || 'unknown source'}, ${day(a.published_at)}`,
      ),
      list: 'references',
    });
  }
  const arranged = arrange(parts, style);
  return lead.length > 0 ? [...lead, '', ...arranged] : arranged;
}

const isHeading = (line: string) => /^#{1,6}\s/.test(line);
export const countWords = (lines: string[]) => lines.join(' ').split(/\s+/).filter(Boolean).length;
/** Sentences of the content lines (headings and blank lines do not count): at least one a line. */
export const countSentences = (lines: string[]) =>
  lines
    .filter((l) => l.trim() && !isHeading(l))
    .map((l) => l.replace(/^\s*(?:\d+[.)]|[-*])\s+/, ''))
    .reduce((n, l) => n + Math.max(1, l.match(/[.!?…](?=\s|$)/g)?.length ?? 0), 0);

/** Cuts the lines to the limit: whole lines while they fit, then the words of the next one. */
function cut(lines: string[], limit: { words: number } | { sentences: number }): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const next = [...out, line];
    if ('words' in limit ? countWords(next) <= limit.words : countSentences(next) <= limit.sentences) {
      out.push(line);
      continue;
    }
    if ('words' in limit && !isHeading(line)) {
      const room = limit.words - countWords(out);
      if (room > 0) out.push(`${line.split(/\s+/).slice(0, room).join(' ')} …`);
    }
    break;
  }
  while (out.length > 0 && (out.at(-1)!.trim() === '' || isHeading(out.at(-1)!))) out.pop();
  return out;
}

export function offlineBrief(
  topic: string,
  message: string,
  articles: TurnArticle[],
  style: OfflineStyle = DEFAULT_STYLE,
): string {
  const question = flat(message);
  const lines = [OFFLINE_NOTICE, '', `Question: "${question}" · Topic: ${topic}`, ''];
  if (articles.length === 0) {
    const title = style.notCovered ?? 'What this brief does not cover';
    if (style.noSpeculation) {
      lines.push(
        `I cannot answer this: no articles in "${topic}" matched the question, and this prompt asks me not to speculate, so I will not fill the gap.`,
      );
    } else {
      lines.push(`No articles in "${topic}" matched this question, so there is nothing to report.`);
    }
    if (style.headings.kind !== 'none') lines.push('', `### ${title}`);
    else lines.push('');
    lines.push('Everything: the offline model only restates retrieved articles and none were found.');
    return lines.join('\n');
  }

  const { min, max } = style.articles;
  let k = max ?? Math.max(BRIEF_ARTICLES, min ?? 0);
  if (style.length && 'short' in style.length) k = Math.min(k, SHORT_ARTICLES);
  k = Math.max(1, Math.min(k, articles.length));
  const limit = style.length && !('short' in style.length) ? style.length : null;
  const extras = style.length === null;
  let text = body(topic, message, articles, style, k, extras);
  if (limit) {
    const fits = (l: string[]) =>
      'words' in limit ? countWords(l) <= limit.words : countSentences(l) <= limit.sentences;
    // Fewer articles first; below one article, cut the text itself.
    for (let n = k; n >= 1 && !fits(text); n--) text = body(topic, message, articles, style, n, false);
    if (!fits(text)) text = cut(text, limit);
  }
  return [...lines, ...text].join('\n');
}
