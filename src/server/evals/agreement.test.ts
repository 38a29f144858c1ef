import { describe, expect, it } from 'vitest';
import { cohensKappa, spearman } from './agreement';

// Reference values: Spearman from SciPy (R gives the same, ties at average ranks); kappa worked
// out by hand from the confusion matrix in each row's comment.

const pairs = (counts: { tt: number; tf: number; ft: number; ff: number }): Array<[boolean, boolean]> => [
  ...Array.from({ length: counts.tt }, (): [boolean, boolean] => [true, true]),
  ...Array.from({ length: counts.tf }, (): [boolean, boolean] => [true, false]),
  ...Array.from({ length: counts.ft }, (): [boolean, boolean] => [false, true]),
  ...Array.from({ length: counts.ff }, (): [boolean, boolean] => [false, false]),
];

describe('cohensKappa ([judge, human] pass/fail)', () => {
  it.each([
    {
      // judge\human  pass fail
      //   pass        4    1      judge passes 5/10, human 6/10
      //   fail        2    3
      // p_o = (4 + 3) / 10 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4
      counts: { tt: 4, tf: 1, ft: 2, ff: 3 },
      expected: { kappa: 0.4, n: 10, observed_agreement: 0.7 },
    },
    {
      //   pass        9    3      judge passes 12/20 = 0.6, human 11/20 = 0.55
      //   fail        2    6
      // p_o = 15 / 20 = 0.75; p_e = 0.6 * 0.55 + 0.4 * 0.45 = 0.33 + 0.18 = 0.51
      // kappa = (0.75 - 0.51) / (1 - 0.51) = 0.24 / 0.49 = 24 / 49
      counts: { tt: 9, tf: 3, ft: 2, ff: 6 },
      expected: { kappa: 24 / 49, n: 20, observed_agreement: 0.75 },
    },
    {
      // Always the opposite: p_o = 0; p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5; kappa = -0.5 / 0.5 = -1
      counts: { tt: 0, tf: 2, ft: 2, ff: 0 },
      expected: { kappa: -1, n: 4, observed_agreement: 0 },
    },
    {
      // No better than chance: each side passes 2/4; p_o = 0.5, p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5 -> 0
      counts: { tt: 1, tf: 1, ft: 1, ff: 1 },
      expected: { kappa: 0, n: 4, observed_agreement: 0.5 },
    },
    {
      // Both always pass: p_e = 1 * 1 + 0 * 0 = 1, kappa 0/0 undefined
      counts: { tt: 3, tf: 0, ft: 0, ff: 0 },
      expected: { kappa: null, n: 3, observed_agreement: 1 },
    },
    { counts: { tt: 1, tf: 0, ft: 0, ff: 0 }, expected: { kappa: null, n: 1, observed_agreement: 1 } },
    { counts: { tt: 0, tf: 0, ft: 0, ff: 0 }, expected: { kappa: null, n: 0, observed_agreement: null } },
  ])('$counts -> $expected', ({ counts, expected }) => {
    const result = cohensKappa(pairs(counts));
    expect({ ...result, kappa: result.kappa === null ? null : round(result.kappa) }).toEqual({
      ...expected,
      kappa: expected.kappa === null ? null : round(expected.kappa),
    });
  });

  it('does not depend on the order of the pairs', () => {
    const list = pairs({ tt: 9, tf: 3, ft: 2, ff: 6 });
    expect(cohensKappa([...list].reverse())).toEqual(cohensKappa(list));
  });
});

describe('spearman ([judge, human] 1–5)', () => {
  it.each([
    {
      // R: cor(c(1,2,3,4,5), c(5,6,7,8,7), method="spearman")  # 0.8207827
      // SciPy: spearmanr([1,2,3,4,5], [5,6,7,8,7]).statistic
      x: [1, 2, 3, 4, 5],
      y: [5, 6, 7, 8, 7],
      rho: 0.8207826816681233,
    },
    {
      // Ties on both sides. SciPy: spearmanr([1,2,2,3,4,5,5,3], [1,1,2,3,5,4,5,2]).statistic
      x: [1, 2, 2, 3, 4, 5, 5, 3],
      y: [1, 1, 2, 3, 5, 4, 5, 2],
      rho: 0.9012345679012347,
    },
    {
      // SciPy: spearmanr([5,5,4,1,2,3], [1,2,1,5,4,4]).statistic
      x: [5, 5, 4, 1, 2, 3],
      y: [1, 2, 1, 5, 4, 4],
      rho: -0.8508410434878082,
    },
    // R: cor(1:4, 4:1, method="spearman")  # -1
    { x: [1, 2, 3, 4], y: [4, 3, 2, 1], rho: -1 },
  ])('$x vs $y -> $rho', ({ x, y, rho }) => {
    const result = spearman(x.map((v, i): [number, number] => [v, y[i]]));
    expect(result.n).toBe(x.length);
    expect(result.rho).toBeCloseTo(rho, 12);
  });

  it.each([
    ['no pairs', [], 0],
    ['one pair', [[3, 4]], 1],
    [
      'a judge that always says 3',
      [
        [3, 1],
        [3, 2],
        [3, 5],
      ],
      3,
    ],
    [
      'a human who always says 5',
      [
        [1, 5],
        [2, 5],
        [4, 5],
      ],
      3,
    ],
  ] as Array<[string, Array<[number, number]>, number]>)('is null, not NaN, for %s', (_name, list, n) => {
    expect(spearman(list)).toEqual({ rho: null, n });
  });
});

const round = (x: number) => Math.round(x * 1e12) / 1e12;
