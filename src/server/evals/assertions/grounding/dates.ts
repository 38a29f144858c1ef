import type { Block } from './blocks';
import type { UrlMention } from './parse';

// Dates written next to a citation: ISO (2026-03-04), "4 March 2026" and "March 4, 2026" (month
// names in full or abbreviated, ordinals allowed). A date is next to a citation when at most
// NEAR characters of the same block separate it from the nearest cited URL (the link, the bare URL,
// the footnote marker or the reference entry); it must then equal that article's publication
// date (UTC), within `toleranceDays`.

export const NEAR = 40;

export interface DateMention {
  text: string;
  start: number;
  end: number;
  /** YYYY-MM-DD as written. */
  date: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DATE = new RegExp(
  String.raw`\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH},?\s+(\d{4})\b|\b${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`,
  'gi',
);

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

const monthOf = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

export function findDates(text: string, offset = 0): DateMention[] {
  const out: DateMention[] = [];
  for (const m of text.matchAll(DATE)) {
    const date = m[1]
      ? isoDate(Number(m[1]), Number(m[2]), Number(m[3]))
      : m[4]
        ? isoDate(Number(m[6]), monthOf(m[5]), Number(m[4]))
        : isoDate(Number(m[9]), monthOf(m[7]), Number(m[8]));
    if (date) out.push({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length, date });
  }
  return out;
}

/** Each date of a paragraph, bullet or reference entry with the cited URL next to it. */
export function datedMentions(
  blocks: Block[],
  anchors: UrlMention[],
): { mention: DateMention; url: string }[] {
  const byBlock = new Map<number, UrlMention[]>();
  for (const a of anchors) byBlock.set(a.block, [...(byBlock.get(a.block) ?? []), a]);
  const out: { mention: DateMention; url: string }[] = [];
  blocks.forEach((b, i) => {
    const near = byBlock.get(i);
    if (!near || b.kind === 'code' || b.kind === 'heading') return;
    for (const d of findDates(b.text, b.start)) {
      let best: UrlMention | null = null;
      let gap = Number.POSITIVE_INFINITY;
      for (const a of near) {
        const g = a.end <= d.start ? d.start - a.end : a.start >= d.end ? a.start - d.end : 0;
        if (g < gap) {
          gap = g;
          best = a;
        }
      }
      if (best && gap <= NEAR) out.push({ mention: d, url: best.url });
    }
  });
  return out;
}

/** Whole days between two YYYY-MM-DD dates. */
export function daysApart(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}
