import type { TurnArticle } from './context-packing';

// What `offline:demo` answers for an Auspex turn: an extractive, deterministic brief of the
// retrieved articles. It quotes and counts; it never interprets, and it says so.

export const OFFLINE_NOTICE =
  'Offline demo model: this is not AI. It lists what the retrieved articles say, without reading ' +
  'them for meaning; configure a model provider for real answers.';

const BRIEF_ARTICLES = 8;

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

/** The first sentence (or the first 240 characters) of a text, on one line. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,240}?[.!?])(\s|$)/.exec(flat);
  if (m) return m[1];
  return flat.length > 240 ? `${flat.slice(0, 239).trimEnd()}…` : flat;
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

export function offlineBrief(topic: string, message: string, articles: TurnArticle[]): string {
  const question = message.replace(/\s+/g, ' ').trim();
  const lines = [OFFLINE_NOTICE, '', `Question: "${question}" · Topic: ${topic}`, ''];
  if (articles.length === 0) {
    lines.push(
      `No articles in "${topic}" matched this question, so there is nothing to report.`,
      '',
      '### What this brief does not cover',
      'Everything: the offline model only restates retrieved articles and none were found.',
    );
    return lines.join('\n');
  }

  lines.push(
    `### What the articles report (${Math.min(BRIEF_ARTICLES, articles.length)} of ${articles.length})`,
  );
  articles.slice(0, BRIEF_ARTICLES).forEach((a, i) => {
    const said = firstSentence(a.summary || a.content);
    lines.push(
      `${i + 1}. ${markdownLink(a.title, a.url)} (${a.source || 'unknown source'}, ${day(a.published_at)}): ${said}`,
    );
  });

  const dates = articles.map((a) => a.published_at).sort();
  lines.push(
    '',
    '### Coverage',
    `- Published between ${day(dates[0])} and ${day(dates[dates.length - 1])}.`,
    `- Categories: ${tally(articles.map((a) => a.category))}.`,
    `- Sentiment: ${tally(articles.map((a) => a.sentiment))}.`,
    '',
    '### What this brief does not cover',
    '- It does not weigh, compare or interpret the articles, and it draws no conclusions.',
  );
  if (articles.length > BRIEF_ARTICLES) {
    lines.push(
      `- ${articles.length - BRIEF_ARTICLES} further retrieved articles are counted above but not summarised.`,
    );
  }
  return lines.join('\n');
}
