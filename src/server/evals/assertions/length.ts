import type { Check } from './types';

// Characters are grapheme clusters (what a reader counts: "👍🏽" and "é" written with a combining
// accent are one each); words are the word-like segments of Intl.Segmenter, so CJK text without
// spaces counts by word too, and punctuation is no word.

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const words = new Intl.Segmenter('und', { granularity: 'word' });

export function countCharacters(text: string): number {
  // Only text outside ASCII can hold multi-code-unit graphemes.
  if (/^[\x20-\x7e\n\t]*$/.test(text)) return text.replace(/\r\n/g, '\n').length;
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export function countWords(text: string): number {
  let n = 0;
  for (const s of words.segment(text)) if (s.isWordLike) n++;
  return n;
}

/** The answer's length in characters or words lies within [min, max]. */
export const check: Check<'length'> = (answer, { unit, min, max }) => {
  const n = unit === 'words' ? countWords(answer) : countCharacters(answer);
  const range =
    min !== undefined && max !== undefined
      ? `${min}–${max}`
      : min !== undefined
        ? `at least ${min}`
        : `at most ${max}`;
  const count = `answer has ${n.toLocaleString('en')} ${n === 1 ? unit.slice(0, -1) : unit}`;
  if (min !== undefined && n < min)
    return { pass: false, score: 0, reason: `${count}, fewer than ${min}`, details: { [unit]: n } };
  if (max !== undefined && n > max)
    return { pass: false, score: 0, reason: `${count}, more than ${max}`, details: { [unit]: n } };
  return { pass: true, score: 1, reason: `${count}, within ${range}`, details: { [unit]: n } };
};
