import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { llmFor, wireProtocols } from '../../../../test/fake-upstream/llm-harness';
import { extractText, type FakeUpstream, startFakeUpstream } from '../../../../test/fake-upstream/server';
import { AppError } from '../../errors';
import { judgePairwise, type PairwiseInput } from './pairwise';

// The pairwise judge reads the two answers in both orders; disagreeing orders make a tie.

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

const articles = [{ title: 'Rates held at 4%', url: 'https://news.example/rates' }];
const ANSWER_A = 'ANSWER-A: the central bank held its interest rate at 4% [1](https://news.example/rates).';
const ANSWER_B = 'ANSWER-B: rates went somewhere.';

const input = (over: Partial<PairwiseInput> = {}): PairwiseInput => ({
  query: 'What did the central bank decide?',
  articles,
  answerA: ANSWER_A,
  answerB: ANSWER_B,
  ...over,
});

const verdict = (winner: 'first' | 'second' | 'tie', reason: string) => JSON.stringify({ reason, winner });
const usage = { input_tokens: 500, output_tokens: 50 };
// 500 input and 50 output tokens a call at the catalog's prices (USD per Mtok):
// gpt-4o-mini 0.15 / 0.6 -> 0.000075 + 0.00003; claude-sonnet-4-5 3 / 15 -> 0.0015 + 0.00075.
const protocols = [
  {
    ...wireProtocols.find((w) => w.name === 'openai')!,
    oneCall: 0.000105,
    twoCalls: 0.00021,
    threeCalls: 0.000315,
  },
  {
    ...wireProtocols.find((w) => w.name === 'anthropic')!,
    oneCall: 0.00225,
    twoCalls: 0.0045,
    threeCalls: 0.00675,
  },
];

describe.each(protocols)('against the $name wire format', (p) => {
  const ONE_CALL = p.oneCall;
  const harness = () => llmFor(p.env(fake), { baseDelayMs: 100 });
  const order = (o: 'ab' | 'ba', winner: 'a' | 'b' | 'tie', reason: string) => ({
    order: o,
    winner,
    reason,
    input_tokens: 500,
    output_tokens: 50,
    cost_usd: ONE_CALL,
  });

  it('shows A first, then B first', async () => {
    fake.enqueue(
      { text: verdict('first', 'A cites.'), usage },
      { text: verdict('second', 'A cites.'), usage },
    );
    await judgePairwise(harness(), input({ model: p.model }));
    const [ab, ba] = fake.modelRequests().map((r) => extractText(r.body));
    const positions = (text: string) => [text.indexOf('ANSWER-A'), text.indexOf('ANSWER-B')];
    const [aInAb, bInAb] = positions(ab);
    const [aInBa, bInBa] = positions(ba);
    expect([aInAb < bInAb, aInBa > bInBa]).toEqual([true, true]);
    expect(ab).toContain('<first_answer>\nANSWER-A');
    expect(ba).toContain('<first_answer>\nANSWER-B');
  });

  it('names the common winner when both orders agree, and sums both calls', async () => {
    // A first: "first" is A. B first: "second" is A.
    fake.enqueue(
      { text: verdict('first', 'A cites.'), usage },
      { text: verdict('second', 'A still cites.'), usage },
    );
    expect(await judgePairwise(harness(), input({ model: p.model }))).toEqual({
      status: 'ok',
      winner: 'a',
      reason: 'Both orders: answer A is better. A shown first: A cites. B shown first: A still cites.',
      orders: [order('ab', 'a', 'A cites.'), order('ba', 'a', 'A still cites.')],
      model: p.model,
      input_tokens: 1000,
      output_tokens: 100,
      cost_usd: p.twoCalls,
    });
  });

  it('calls it a tie when the orders disagree (the judge always picked the first shown)', async () => {
    fake.enqueue(
      { text: verdict('first', 'The first.'), usage },
      { text: verdict('first', 'The first.'), usage },
    );
    expect(await judgePairwise(harness(), input({ model: p.model }))).toEqual({
      status: 'ok',
      winner: 'tie',
      reason:
        'The orders disagree (A shown first: answer A is better; B shown first: answer B is better), so it is a tie. A shown first: The first. B shown first: The first.',
      orders: [order('ab', 'a', 'The first.'), order('ba', 'b', 'The first.')],
      model: p.model,
      input_tokens: 1000,
      output_tokens: 100,
      cost_usd: p.twoCalls,
    });
  });

  it.each([
    ['tie', 'tie', 'tie'],
    ['second', 'first', 'b'],
    ['tie', 'first', 'tie'],
  ] as const)('reads %s then %s as %s', async (first, second, winner) => {
    fake.enqueue({ text: verdict(first, 'One.'), usage }, { text: verdict(second, 'Two.'), usage });
    expect(await judgePairwise(harness(), input({ model: p.model }))).toMatchObject({ status: 'ok', winner });
  });

  it('retries a malformed reading once', async () => {
    fake.enqueue(
      { text: verdict('first', 'A.'), usage },
      { text: '{"reason": "B.", "winner": "A"}', usage },
      { text: verdict('second', 'A again.'), usage },
    );
    const result = await judgePairwise(harness(), input({ model: p.model }));
    expect(result).toMatchObject({ status: 'ok', winner: 'a', input_tokens: 1500, output_tokens: 150 });
    expect(fake.modelRequests()).toHaveLength(3);
  });

  it('is a judge_error when a reading is malformed twice, with everything spent', async () => {
    const bad = { text: 'B wins', usage };
    fake.enqueue({ text: verdict('first', 'A.'), usage }, bad, bad);
    expect(await judgePairwise(harness(), input({ model: p.model }))).toEqual({
      status: 'judge_error',
      error: 'B shown first: malformed verdict after 2 attempts: not JSON: "B wins"',
      model: p.model,
      input_tokens: 1500,
      output_tokens: 150,
      cost_usd: p.threeCalls,
    });
  });

  it('stops after a first reading that fails', async () => {
    fake.enqueue({ status: 401 });
    const result = await judgePairwise(harness(), input({ model: p.model }));
    expect(result).toMatchObject({ status: 'judge_error', input_tokens: 0, output_tokens: 0, cost_usd: 0 });
    expect(result.status === 'judge_error' && result.error).toMatch(
      /^A shown first: the judge model failed: /,
    );
    expect(fake.modelRequests()).toHaveLength(1);
  });

  it('sends the rubric when given one, else its default criteria', async () => {
    fake.enqueue({ text: verdict('tie', 'Same.') }, { text: verdict('tie', 'Same.') });
    await judgePairwise(harness(), input({ model: p.model, rubric: 'Prefer the shorter answer.' }));
    expect(extractText(fake.modelRequests()[0].body)).toContain(
      '<rubric>\nPrefer the shorter answer.\n</rubric>',
    );
  });
});

describe('the offline:demo pairwise judge', () => {
  const label = 'offline:demo judge (not AI): ';

  it('prefers the answer meeting more rules, in both orders, the same every time', async () => {
    const run = () => judgePairwise(llmFor({}), input());
    const first = await run();
    expect(first).toMatchObject({
      status: 'ok',
      winner: 'a',
      model: 'offline:demo',
      input_tokens: null,
      cost_usd: 0,
    });
    expect(await run()).toEqual(first);
    if (first.status !== 'ok') throw new Error('expected a verdict');
    expect(first.orders.map((o) => o.winner)).toEqual(['a', 'a']);
    for (const o of first.orders) expect(o.reason.startsWith(label)).toBe(true);
    // A: 13 words, central and bank of the query's key words, cites the article: (2/3 + 0 + 1) / 3.
    expect(first.reason).toBe(
      `${label}answer A scores 56% on the rules (key words 2 of 3 in the answer (missing: decide); cites 1 of the 1 listed articles; 13 words (sensible: 15–3000)); ` +
        'answer B 0% (key words 0 of 3 in the answer (missing: central, bank, decide); cites 0 of the 1 listed articles; 4 words (sensible: 15–3000)).',
    );
  });

  it('calls equal answers a tie', async () => {
    expect(await judgePairwise(llmFor({}), input({ answerB: ANSWER_A }))).toMatchObject({
      status: 'ok',
      winner: 'tie',
    });
  });

  it('prefers B when B is the better answer', async () => {
    expect(await judgePairwise(llmFor({}), input({ answerA: ANSWER_B, answerB: ANSWER_A }))).toMatchObject({
      winner: 'b',
    });
  });

  it('refuses an unknown judge model with a not_found error naming it', async () => {
    const err = await judgePairwise(llmFor({}), input({ model: 'openai:gpt-5' })).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect([err.status, err.message]).toEqual([
      404,
      'Judge model "openai:gpt-5" not found: Model "openai:gpt-5": provider "openai" is not configured',
    ]);
  });
});
