// Which sentences of an article a citation points at: plain word overlap, deterministic, no
// HTML anywhere (the article page renders the parts as text and <mark> elements).

export interface TextPart {
  text: string;
  mark: boolean;
}

const STOP_WORDS = new Set(
  (
    'the and for are but not you all any can had her was one our out has his how its may new now ' +
    'own say she too use who why yes yet with that this from they them then than there their what ' +
    'when where which while will would could should about after again also into more most much ' +
    'only other over same some such very were been being have does did done said says just each ' +
    'article articles report reports reported according'
  ).split(' '),
);

/** Lower-cased content words (three letters or more, stop words left out). */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => w.length >= 3 && !STOP_WORDS.has(w),
  );
}

/**
 * Sentence spans covering the whole text: each ends after [.!?] (and closing quotes or brackets)
 * followed by white space, or at a line break; the white space after a sentence belongs to it.
 */
export function sentenceSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const boundary = /[.!?]+["'”’)\]]*\s+|\n\s*/g;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length;
    if (end > start) spans.push({ start, end });
    start = end;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans;
}

/** Overlap with the passage's words; a sentence must share at least this many to be marked. */
const MIN_SHARED = 2;
/** Sentences within this share of the best score are marked with it (a claim may span two). */
const NEAR_BEST = 0.8;
const MAX_MARKED = 3;

/**
 * The article text split into parts, the sentence(s) that best match `passage` marked.
 * Score: distinct shared content words, divided by the square root of the sentence's own word
 * count so long sentences do not win by size alone. Ties go to the earlier sentence.
 */
export function highlightPassage(text: string, passage: string): TextPart[] {
  const wanted = new Set(contentWords(passage));
  const spans = sentenceSpans(text);
  const scored = spans.map((span, index) => {
    const words = new Set(contentWords(text.slice(span.start, span.end)));
    let shared = 0;
    for (const w of words) if (wanted.has(w)) shared++;
    return { index, shared, score: words.size === 0 ? 0 : shared / Math.sqrt(words.size) };
  });
  const ranked = scored
    .filter((s) => s.shared >= MIN_SHARED)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const best = ranked[0]?.score ?? 0;
  const marked = new Set(
    ranked
      .filter((s) => s.score >= best * NEAR_BEST)
      .slice(0, MAX_MARKED)
      .map((s) => s.index),
  );

  const parts: TextPart[] = [];
  const push = (part: TextPart) => {
    if (part.text === '') return;
    const last = parts.at(-1);
    if (last && !last.mark && !part.mark) last.text += part.text;
    else parts.push(part);
  };
  for (const [i, span] of spans.entries()) {
    const sentence = text.slice(span.start, span.end);
    if (!marked.has(i)) {
      push({ text: sentence, mark: false });
      continue;
    }
    // Trailing white space stays outside the mark so a highlight ends at its full stop.
    const body = sentence.trimEnd();
    push({ text: body, mark: true });
    push({ text: sentence.slice(body.length), mark: false });
  }
  return parts;
}
