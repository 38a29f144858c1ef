import { describe, expect, it } from 'vitest';
import { context, HOST } from '../../../../test/scoring/fixtures';
import type { Assertion } from '../../../shared/assertions';
import { assertion } from '../../../shared/assertions';
import { boxedSearch, REGEX_TIMEOUT_MS, RegexTimeoutError } from './regex';
import { aggregate, scoreAssertions } from './score';

// A cell's verdict: `not`, weights, the suite threshold, checks that throw, llm-rubric left to
// the judge module.

const parse = (xs: unknown[]): Assertion[] => xs.map((x) => assertion.parse(x));
const ANSWER = `Rates held at 4 percent [Rates](${HOST}/markets/rates-hold).`;

describe('scoreAssertions', () => {
  it('applies not and weight, and passes only when every assertion passes', () => {
    const list = parse([
      { type: 'contains', value: 'percent', weight: 3 },
      { type: 'contains', value: 'deflation', not: true },
      { type: 'icontains', value: 'RATES', not: true, weight: 2 },
    ]);
    expect(scoreAssertions(list, ANSWER, context())).toEqual({
      pass: false,
      score: 4 / 6,
      pending: [],
      results: [
        { index: 0, type: 'contains', pass: true, score: 1, reason: 'answer contains "percent"', weight: 3 },
        {
          index: 1,
          type: 'contains',
          pass: true,
          score: 1,
          reason: 'not: answer does not contain "deflation"',
          weight: 1,
        },
        {
          index: 2,
          type: 'icontains',
          pass: false,
          score: 0,
          reason: 'not: answer contains "RATES" (ignoring case)',
          weight: 2,
        },
      ],
    });
  });

  it('inverts a partial score under not', () => {
    const [r] = scoreAssertions(
      parse([{ type: 'contains-all', values: ['a', 'zz', 'yy', 'percent'], not: true }]),
      ANSWER,
      context(),
    ).results;
    expect(r).toEqual({
      index: 0,
      type: 'contains-all',
      pass: true,
      score: 0.5,
      reason: 'not: answer does not contain "zz" and 1 more',
      weight: 1,
      details: { missing: ['zz', 'yy'] },
    });
  });

  describe.each([
    { threshold: undefined, pass: false },
    { threshold: 0.75, pass: true },
    { threshold: 0.8, pass: false },
  ])('with threshold $threshold', ({ threshold, pass }) => {
    it(`a case scoring 0.75 ${pass ? 'passes' : 'fails'}`, () => {
      const list = parse([
        { type: 'contains', value: 'percent', weight: 3 },
        { type: 'contains', value: 'deflation' },
      ]);
      expect(scoreAssertions(list, ANSWER, context(), threshold)).toMatchObject({ pass, score: 0.75 });
    });
  });

  it('turns a check that throws into a failed result, never a pass, even under not', () => {
    // Configs as a suite could never hold them (parse would refuse both), straight to the check.
    const list = [
      { type: 'json-schema', schema: { type: 'objekt' }, not: true },
      { type: 'regex', pattern: '^(a|a)*$', not: true },
    ] as Assertion[];
    const out = scoreAssertions(list, `${'a'.repeat(40)}b`, context());
    expect(out).toEqual({
      pass: false,
      score: 0,
      pending: [],
      results: [
        {
          index: 0,
          type: 'json-schema',
          pass: false,
          score: 0,
          reason: expect.stringMatching(
            /^error: schema is invalid: data\/type must be equal to one of the allowed values/,
          ),
          weight: 1,
          error: true,
        },
        {
          index: 1,
          type: 'regex',
          pass: false,
          score: 0,
          reason: `error: regex timed out after ${REGEX_TIMEOUT_MS} ms`,
          weight: 1,
          error: true,
        },
      ],
    });
  });

  it('leaves llm-rubric to the judge module: listed as pending, not scored', () => {
    const list = parse([
      { type: 'llm-rubric', rubric: 'Answers the question from the articles.' },
      { type: 'contains', value: 'percent' },
    ]);
    expect(scoreAssertions(list, ANSWER, context())).toEqual({
      pass: true,
      score: 1,
      pending: [0],
      results: [
        { index: 1, type: 'contains', pass: true, score: 1, reason: 'answer contains "percent"', weight: 1 },
      ],
    });
  });

  it('passes a case with no assertions, with no score', () => {
    expect(scoreAssertions([], ANSWER, context())).toEqual({
      pass: true,
      score: null,
      results: [],
      pending: [],
    });
  });
});

describe('aggregate', () => {
  it('combines judged and deterministic results by the same rule', () => {
    const results = [
      { pass: true, score: 1, weight: 1 },
      { pass: false, score: 0.4, weight: 4 },
    ];
    expect([aggregate(results), aggregate(results, 0.5), aggregate(results, 0.52)]).toEqual([
      { pass: false, score: 0.52 },
      { pass: true, score: 0.52 },
      { pass: true, score: 0.52 },
    ]);
  });
});

describe('the regex time box', () => {
  it('cuts off a pattern that backtracks exponentially', () => {
    // (a|a)* is not nested repetition, so parsing lets it through; 2^40 paths would take hours.
    expect(() => boxedSearch('^(a|a)*$', '', `${'a'.repeat(40)}b`)).toThrow(RegexTimeoutError);
  });

  it('answers an ordinary search', () => {
    expect(boxedSearch('b$', '', `${'a'.repeat(40)}b`)).toEqual({ index: 40, text: 'b' });
  });
});
