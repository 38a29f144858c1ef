import { diffLines } from 'diff';
import { mean, median } from 'simple-statistics';
import type { TestResult } from '../../shared/workshop';

// Comparing what was tested: line diffs of prompt texts, and figures per prompt text.

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

export interface PromptTextSummary {
  sha256: string;
  /** 1 for the first text tested, counting up in the order the texts were first tested. */
  number: number;
  runs: number;
  failed: number;
  rated: number;
  /** Mean of the ratings given; null when none was rated. */
  meanRating: number | null;
  /** Median time of the successful runs; null when none succeeded. */
  medianMs: number | null;
  /** Mean cost of the runs whose cost is known; null when none is. */
  meanCostUsd: number | null;
  lastTestedAt: string;
}

/** Test runs grouped by the exact prompt text they tested, most recently tested text first. */
export function summarizeByPromptText(tests: readonly TestResult[]): PromptTextSummary[] {
  const groups = new Map<string, TestResult[]>();
  const oldestFirst = [...tests].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  for (const t of oldestFirst) {
    const group = groups.get(t.content_sha256);
    if (group) group.push(t);
    else groups.set(t.content_sha256, [t]);
  }
  const summaries = [...groups].map(([sha256, runs], i): PromptTextSummary => {
    const ratings = runs.flatMap((r) => (r.user_rating === null ? [] : [r.user_rating]));
    const times = runs.filter((r) => r.status === 'ok').map((r) => r.execution_time_ms);
    const costs = runs.flatMap((r) => (r.cost_usd === null ? [] : [r.cost_usd]));
    return {
      sha256,
      number: i + 1,
      runs: runs.length,
      failed: runs.length - runs.filter((r) => r.status === 'ok').length,
      rated: ratings.length,
      meanRating: ratings.length ? mean(ratings) : null,
      medianMs: times.length ? median(times) : null,
      meanCostUsd: costs.length ? mean(costs) : null,
      lastTestedAt: runs[runs.length - 1].timestamp,
    };
  });
  return summaries.sort((a, b) => b.lastTestedAt.localeCompare(a.lastTestedAt));
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
