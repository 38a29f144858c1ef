// Small display helpers shared by the pages.

/** A rough token estimate for the editor (about four characters a token for English text). */
export function estimateTokens(text: string): number {
  return text.trim() === '' ? 0 : Math.ceil(text.length / 4);
}

const numberFormat = new Intl.NumberFormat('en');
export const formatNumber = (n: number): string => numberFormat.format(n);

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'unknown';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(3)}`;
}

function dateFormatter(options: Intl.DateTimeFormatOptions) {
  const format = new Intl.DateTimeFormat('en', options);
  return (iso: string | null | undefined): string => {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : format.format(d);
  };
}
export const formatDate = dateFormatter({ dateStyle: 'medium', timeStyle: 'short' });
/** Like formatDate, to the second. */
export const formatDateTime = dateFormatter({ dateStyle: 'medium', timeStyle: 'medium' });

/** A library-prompt name suggested from a free-text draft name: lower case, digits and _ only. */
export function suggestPromptName(draftName: string): string {
  const slug = draftName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD: é -> e
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50)
    .replace(/_+$/, '');
  return slug;
}

export { plural } from '../../shared/plural';

/** The first `max` characters of `text` (whole code points, trimmed), with … when something was cut. */
export function truncateText(text: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return { text: chars.join(''), cut: false };
  return { text: `${chars.slice(0, max).join('').trimEnd()}…`, cut: true };
}

/** A share from 0 to 1 as a whole percentage; — when there is none. */
export const formatShare = (share: number | null | undefined): string =>
  share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`;

/** A 0–1 score to two decimals; — when there is none. */
export const formatScore = (score: number | null | undefined): string =>
  score === null || score === undefined ? '—' : score.toFixed(2);

/**
 * A running run's time left: its cells and the server's estimate (null until the first cell has
 * finished). An estimate of 0 with cells left means the run is late against its pace, not done.
 */
export function formatTimeLeft(seconds: number | null, cellsLeft: number): string {
  if (cellsLeft <= 0) return '—';
  if (seconds === null) return 'estimating…';
  const s = Math.round(seconds);
  if (s <= 0) return 'finishing…';
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Markdown as the words a reader sees, on one line, for a short preview: a link or image becomes
 * its text (an answer's citations are [Title](URL)), heading, list and quote marks and the marks
 * of bold, italics and code go. Underscores inside words (snake_case) stay.
 */
export function plainFromMarkdown(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}
