import { diffLines, diffWordsWithSpace } from 'diff';

// Comparing what was tested, for display: line diffs of prompt texts and signed changes. The
// figures per prompt text are the server's (evals/stats.ts, GET .../drafts/{id}/summary).

/** A piece of a changed line: `changed` when it is what this side has and the other side lacks. */
export interface DiffWord {
  text: string;
  changed: boolean;
}

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** A removed line paired with an added one that is mostly the same: which words changed. */
  words?: DiffWord[];
}

export interface LineDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

// Diffing runs while the page renders: two long, unrelated texts must not freeze the tab.
const DIFF_TIMEOUT_MS = 250;

// Below this share of its text in common with its pair, a line reads as rewritten: marking the few
// words that happen to match ("the", spaces) would only be noise.
const MIN_SHARED = 0.5;

/**
 * The words of a changed line pair that differ (the `diff` library's word diff, spaces kept), or
 * null when the lines have too little in common or the diff ran out of time.
 */
export function wordDiff(before: string, after: string): { removed: DiffWord[]; added: DiffWord[] } | null {
  const parts = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!parts) return null;
  const shared = parts.reduce((n, p) => (p.added || p.removed ? n : n + p.value.length), 0);
  if (shared < MIN_SHARED * Math.max(before.length, after.length)) return null;
  // One side's pieces, neighbours of one kind joined (the other side's words split them).
  const side = (drop: 'added' | 'removed', mark: 'added' | 'removed') =>
    parts.reduce<DiffWord[]>((words, p) => {
      if (p[drop]) return words;
      const last = words.at(-1);
      if (last && last.changed === p[mark]) last.text += p.value;
      else words.push({ text: p.value, changed: p[mark] });
      return words;
    }, []);
  return { removed: side('added', 'removed'), added: side('removed', 'added') };
}

/**
 * The lines of `after` against `before` (the `diff` library's line diff, split into single lines);
 * where removed lines are directly replaced by added ones, the n-th of each are paired and their
 * changed words marked.
 */
export function lineDiff(before: string, after: string): LineDiff {
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  // Without a final newline, a line appended after the last one would show the last as changed.
  const ended = (t: string) => (t === '' || t.endsWith('\n') ? t : `${t}\n`);
  // Past the time limit, the whole of one text against the whole of the other is still true.
  const found = diffLines(ended(before), ended(after), { timeout: DIFF_TIMEOUT_MS });
  const parts = found ?? [
    { value: ended(before), removed: true, added: false, count: 0 },
    { value: ended(after), added: true, removed: false, count: 0 },
  ];
  for (const part of parts) {
    if (part.value === '') continue;
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const texts = part.value.replace(/\n$/, '').split('\n');
    if (kind === 'added') added += texts.length;
    if (kind === 'removed') removed += texts.length;
    // The removed lines just before these added ones (diffLines puts a removal first).
    // (Not after a timeout: pairing every line of two unrelated texts would take as long again.)
    const replaced = kind === 'added' && found ? trailingRemoved(lines) : [];
    texts.forEach((text, i) => {
      const old = replaced[i];
      const words = old ? wordDiff(old.text, text) : null;
      if (old && words) old.words = words.removed;
      lines.push(words ? { kind, text, words: words.added } : { kind, text });
    });
  }
  return { lines, added, removed };
}

/** The run of removed lines at the end of `lines`, in order. */
function trailingRemoved(lines: DiffLine[]): DiffLine[] {
  let start = lines.length;
  while (start > 0 && lines[start - 1].kind === 'removed') start--;
  return lines.slice(start);
}

/** A signed change for the compare table: "+120 ms", "−2", "no change"; null when either is unknown. */
export function signedChange(
  a: number | null,
  b: number | null,
  format: (n: number) => string,
): string | null {
  if (a === null || b === null) return null;
  const d = b - a;
  if (d === 0) return 'no change';
  return `${d > 0 ? '+' : '−'}${format(Math.abs(d))}`;
}
