import { diffLines } from 'diff';

// Comparing what was tested, for display: line diffs of prompt texts and signed changes. The
// figures per prompt text are the server's (evals/stats.ts, GET .../drafts/{id}/summary).

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface LineDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

// Diffing runs while the page renders: two long, unrelated texts must not freeze the tab.
const DIFF_TIMEOUT_MS = 250;

/** The lines of `after` against `before` (the `diff` library's line diff, split into single lines). */
export function lineDiff(before: string, after: string): LineDiff {
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  // Without a final newline, a line appended after the last one would show the last as changed.
  const ended = (t: string) => (t === '' || t.endsWith('\n') ? t : `${t}\n`);
  // Past the time limit, the whole of one text against the whole of the other is still true.
  const parts = diffLines(ended(before), ended(after), { timeout: DIFF_TIMEOUT_MS }) ?? [
    { value: ended(before), removed: true, added: false, count: 0 },
    { value: ended(after), added: true, removed: false, count: 0 },
  ];
  for (const part of parts) {
    if (part.value === '') continue;
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const texts = part.value.replace(/\n$/, '').split('\n');
    if (kind === 'added') added += texts.length;
    if (kind === 'removed') removed += texts.length;
    for (const text of texts) lines.push({ kind, text });
  }
  return { lines, added, removed };
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
