import { sampleRankCorrelation } from 'simple-statistics';

// How far a judge agrees with human reviewers on the same cells, so users know when to trust it:
// Cohen's kappa on pass/fail, Spearman's rho on 1–5 ratings. Each pair is [judge, human].
// Undefined statistics (too few pairs, no variance) are null, never NaN.

export interface KappaResult {
  /** −1..1; null when n < 2 or chance agreement is total (both always said the same one thing). */
  kappa: number | null;
  n: number;
  /** Share of pairs that agree, 0..1; null when there are none. */
  observed_agreement: number | null;
}

export interface SpearmanResult {
  /** −1..1; null when n < 2 or either side never varies. */
  rho: number | null;
  n: number;
}

export function cohensKappa(pairs: Array<[boolean, boolean]>): KappaResult {
  const n = pairs.length;
  if (n === 0) return { kappa: null, n, observed_agreement: null };
  let agree = 0;
  let judgeYes = 0;
  let humanYes = 0;
  for (const [judge, human] of pairs) {
    if (judge === human) agree++;
    if (judge) judgeYes++;
    if (human) humanYes++;
  }
  const observed = agree / n;
  // Agreement expected by chance from each side's own rate of passes.
  const expected = (judgeYes / n) * (humanYes / n) + (1 - judgeYes / n) * (1 - humanYes / n);
  const kappa = n < 2 || expected >= 1 ? null : clamp((observed - expected) / (1 - expected));
  return { kappa, n, observed_agreement: observed };
}

/** Spearman's rho, ties given their average rank (simple-statistics' sampleRankCorrelation). */
export function spearman(pairs: Array<[number, number]>): SpearmanResult {
  const n = pairs.length;
  if (n < 2) return { rho: null, n };
  const rho = sampleRankCorrelation(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
  return { rho: Number.isFinite(rho) ? clamp(rho) : null, n };
}

/** Float noise can land a perfect agreement a hair past ±1. */
const clamp = (x: number) => Math.max(-1, Math.min(1, x));
