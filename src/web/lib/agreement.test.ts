import { describe, expect, it } from 'vitest';
import { kappaSentence, spearmanSentence } from './agreement';

describe('kappaSentence', () => {
  it.each([
    [0.9, 3, 'too few reviewed cells to trust (n = 3)'],
    [null, 9, 'too few reviewed cells to trust (n = 9)'],
    [null, 12, 'no kappa: judge or reviewers gave one verdict only (n = 12)'],
    [-0.1, 10, 'worse than chance agreement with reviewers (n = 10)'],
    [0.2, 10, 'slight agreement with reviewers (n = 10)'],
    [0.35, 20, 'fair agreement with reviewers (n = 20)'],
    [0.6, 20, 'moderate agreement with reviewers (n = 20)'],
    [0.75, 20, 'substantial agreement with reviewers (n = 20)'],
    [0.81, 40, 'almost perfect agreement with reviewers (n = 40)'],
  ])('kappa %s on %i cells', (kappa, n, sentence) => {
    expect(kappaSentence(kappa, n)).toBe(sentence);
  });
});

describe('spearmanSentence', () => {
  it.each([
    [0.9, 4, 'too few rated cells to trust (n = 4)'],
    [null, 15, 'no correlation: judge or reviewers gave one rating only (n = 15)'],
    [0.05, 15, 'no rank agreement with reviewers (n = 15)'],
    [0.3, 15, 'weak rank agreement with reviewers (n = 15)'],
    [-0.5, 15, 'moderate inverse rank agreement with reviewers (n = 15)'],
    [0.8, 15, 'strong rank agreement with reviewers (n = 15)'],
  ])('rho %s on %i cells', (rho, n, sentence) => {
    expect(spearmanSentence(rho, n)).toBe(sentence);
  });
});
