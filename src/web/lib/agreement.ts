// How far a judge's agreement with human reviewers can be trusted, in words.

/** Below this many cells reviewed by both, an agreement figure says little. */
export const AGREEMENT_MIN_N = 10;

/** Landis and Koch's (1977) bands for Cohen's kappa. */
function kappaBand(kappa: number): string {
  if (kappa < 0) return 'worse than chance';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}

/** A plain sentence about a pass/fail judge's kappa against human verdicts on n cells. */
export function kappaSentence(kappa: number | null, n: number): string {
  if (n < AGREEMENT_MIN_N) return `too few reviewed cells to trust (n = ${n})`;
  if (kappa === null) return `no kappa: judge or reviewers gave one verdict only (n = ${n})`;
  return `${kappaBand(kappa)} agreement with reviewers (n = ${n})`;
}

/** Strength of a rank correlation, by the usual rule of thumb (0.1 weak, 0.4 moderate, 0.7 strong). */
function rhoBand(rho: number): string {
  const r = Math.abs(rho);
  const strength = r < 0.1 ? 'no' : r < 0.4 ? 'weak' : r < 0.7 ? 'moderate' : 'strong';
  if (strength === 'no') return 'no rank agreement';
  return rho < 0 ? `${strength} inverse rank agreement` : `${strength} rank agreement`;
}

/** A plain sentence about a 1–5 judge's Spearman rho against human ratings on n cells. */
export function spearmanSentence(rho: number | null, n: number): string {
  if (n < AGREEMENT_MIN_N) return `too few rated cells to trust (n = ${n})`;
  if (rho === null) return `no correlation: judge or reviewers gave one rating only (n = ${n})`;
  return `${rhoBand(rho)} with reviewers (n = ${n})`;
}
