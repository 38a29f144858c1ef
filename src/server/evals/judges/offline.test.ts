import { describe, expect, it } from 'vitest';
import { llmFor } from '../../../../test/fake-upstream/llm-harness';
import { judgeRubric } from './rubric';
import type { JudgeArticle, LlmRubricConfig } from './types';

// The offline:demo judge: plain rules, no network, the same verdict every time, labelled not AI.
// No provider is configured here, so any attempt to reach a model would fail.

const articles: JudgeArticle[] = [
  { title: 'Rates held at 4%', url: 'https://news.example/rates' },
  { title: 'Markets calm', url: 'https://news.example/markets' },
];
const query = 'What did the central bank decide?';
const rubric = 'Mentions the interest rate decision and inflation.';
// Key words of that rubric: interest, rate, decision, inflation ("mentions" says what to check).

const ANSWERS = {
  // 28 words; all four key words; cites the first article.
  full: 'The central bank kept the interest rate unchanged at 4%, a decision it tied to inflation that is still above target, according to [the report](https://news.example/rates).',
  // 26 words; interest and rate only; cites the first article (trailing slash and all).
  half: 'The central bank kept the interest rate unchanged at 4%, according to [the report](https://news.example/rates/), and said little else about the outlook this week.',
  // 24 words; all four key words; cites nothing.
  uncited:
    'The central bank kept the interest rate unchanged at 4%, a decision it tied to inflation that is still above target, and markets barely moved.',
  empty: '',
};

const label = 'offline:demo judge (not AI): ';
const spent = { model: 'offline:demo', input_tokens: null, output_tokens: null, cost_usd: 0 };

describe.each([
  {
    name: 'an answer meeting every rule',
    answer: ANSWERS.full,
    listed: articles,
    rubric,
    pass: true,
    rating: 5,
    why: 'key words 4 of 4 in the answer; cites 1 of the 2 listed articles; 28 words (sensible: 15–3000).',
  },
  {
    // merit (0.5 + 1 + 1) / 3 = 0.833 -> 1 + round(3.33) = 4
    name: 'an answer with half the key words',
    answer: ANSWERS.half,
    listed: articles,
    rubric,
    pass: true,
    rating: 4,
    why: 'key words 2 of 4 in the answer (missing: decision, inflation); cites 1 of the 2 listed articles; 26 words (sensible: 15–3000).',
  },
  {
    // merit (1 + 1 + 0) / 3 = 0.667 -> 1 + round(2.67) = 4; pass-fail wants a citation
    name: 'an answer citing nothing',
    answer: ANSWERS.uncited,
    listed: articles,
    rubric,
    pass: false,
    rating: 4,
    why: 'key words 4 of 4 in the answer; cites 0 of the 2 listed articles; 24 words (sensible: 15–3000).',
  },
  {
    name: 'an empty answer',
    answer: ANSWERS.empty,
    listed: articles,
    rubric,
    pass: false,
    rating: 1,
    why: 'key words 0 of 4 in the answer (missing: interest, rate, decision, inflation); cites 0 of the 2 listed articles; 0 words (sensible: 15–3000).',
  },
  {
    name: 'an answer when no article was retrieved',
    answer: ANSWERS.uncited,
    listed: [],
    rubric,
    pass: true,
    rating: 5,
    why: 'key words 4 of 4 in the answer; no articles were listed to cite; 24 words (sensible: 15–3000).',
  },
  {
    // No key words in the rubric: the query's (central, bank, decide) are looked for instead.
    // merit (2/3 + 1 + 1) / 3 = 0.889 -> 1 + round(3.56) = 5
    name: 'a rubric without key words',
    answer: ANSWERS.full,
    listed: articles,
    rubric: 'Be concise and accurate.',
    pass: true,
    rating: 5,
    why: 'key words 2 of 3 in the answer (missing: decide); cites 1 of the 2 listed articles; 28 words (sensible: 15–3000).',
  },
])('$name', (c) => {
  const judge = (config: Partial<LlmRubricConfig>) =>
    judgeRubric(llmFor({}), {
      query,
      articles: c.listed,
      answer: c.answer,
      config: { type: 'llm-rubric', rubric: c.rubric, scale: 'pass-fail', ...config },
    });

  it('passes or fails by the rules, the same way every time', async () => {
    const expected = {
      status: 'ok',
      pass: c.pass,
      score: c.pass ? 1 : 0,
      rating: null,
      reason: label + c.why,
      ...spent,
    };
    expect(await judge({})).toEqual(expected);
    expect(await judge({ model: 'offline:demo' })).toEqual(expected);
  });

  it('rates 1–5 by the rules', async () => {
    expect(await judge({ scale: '1-5', pass_at: 4 })).toEqual({
      status: 'ok',
      pass: c.rating >= 4,
      score: (c.rating - 1) / 4,
      rating: c.rating,
      reason: label + c.why,
      ...spent,
    });
  });
});
