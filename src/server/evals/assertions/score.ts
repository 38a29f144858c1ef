import type { Assertion, AssertionOf, DeterministicType } from '../../../shared/assertions';
import { checks } from './registry';
import type { Check, CheckResult, ScoreContext } from './types';

// Scoring one cell: every deterministic assertion checked, `not` applied (pass inverted, score
// 1 − score, reason "not: …"), and the case's verdict: pass when every assertion passes, or when a
// threshold is given and the weighted score reaches it. A check that throws (a regex that timed
// out, say) is a failed result "error: …" with score 0, whatever `not` says: an error is never a
// pass. llm-rubric assertions are left out of `results`; their indices are listed in `pending` for
// the judge module, and `aggregate` combines judge results with these under the same rule.

export interface AssertionResult {
  /** Position in the assertions given. */
  index: number;
  type: Assertion['type'];
  pass: boolean;
  score: number;
  reason: string;
  weight: number;
  /** True when the check threw: a failure that `not` does not invert. */
  error?: boolean;
  details?: Record<string, unknown>;
}

export interface Verdict {
  pass: boolean;
  /** Weighted mean score, 0..1; null when nothing was scored. */
  score: number | null;
}

export interface CellScore extends Verdict {
  results: AssertionResult[];
  /** Indices of llm-rubric assertions, scored by the judge module. */
  pending: number[];
}

/** One assertion's result, `not` and weight applied; never throws. */
export function scoreAssertion(
  a: Assertion,
  index: number,
  answer: string,
  ctx: ScoreContext,
): AssertionResult {
  const weight = a.weight ?? 1;
  if (a.type === 'llm-rubric') throw new Error('llm-rubric is scored by the judge module');
  let r: CheckResult;
  try {
    r = (checks[a.type] as Check<DeterministicType>)(answer, a as AssertionOf<DeterministicType>, ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { index, type: a.type, pass: false, score: 0, reason: `error: ${message}`, weight, error: true };
  }
  const score = Math.min(1, Math.max(0, Number.isFinite(r.score) ? r.score : 0));
  const out: AssertionResult = a.not
    ? { index, type: a.type, pass: !r.pass, score: 1 - score, reason: `not: ${r.reason}`, weight }
    : { index, type: a.type, pass: r.pass, score, reason: r.reason, weight };
  return r.details ? { ...out, details: r.details } : out;
}

/** The case's verdict over all its results (deterministic and judged). */
export function aggregate(
  results: Pick<AssertionResult, 'pass' | 'score' | 'weight'>[],
  threshold?: number,
): Verdict {
  if (results.length === 0) return { pass: true, score: null };
  let sum = 0;
  let weights = 0;
  for (const r of results) {
    sum += r.score * r.weight;
    weights += r.weight;
  }
  const score = sum / weights;
  const pass = results.every((r) => r.pass) || (threshold !== undefined && score >= threshold - 1e-12);
  return { pass, score };
}

/**
 * Scores a cell's answer against its assertions (suite-level and the case's own, concatenated by
 * the caller). `threshold` is the suite's weighted-score threshold.
 */
export function scoreAssertions(
  assertions: readonly Assertion[],
  answer: string,
  ctx: ScoreContext,
  threshold?: number,
): CellScore {
  const results: AssertionResult[] = [];
  const pending: number[] = [];
  assertions.forEach((a, i) => {
    if (a.type === 'llm-rubric') pending.push(i);
    else results.push(scoreAssertion(a, i, answer, ctx));
  });
  return { ...aggregate(results, threshold), results, pending };
}
