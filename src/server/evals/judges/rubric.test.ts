import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { llmFor, wireProtocols } from '../../../../test/fake-upstream/llm-harness';
import {
  extractText,
  type FakeUpstream,
  type Scenario,
  startFakeUpstream,
} from '../../../../test/fake-upstream/server';
import { AppError } from '../../errors';
import { LlmError } from '../../llm/types';
import { judgeRubric, type RubricInput } from './rubric';
import type { LlmRubricConfig } from './types';

// The llm-rubric judge against the real fake upstream, in each wire format the registry speaks.

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

const articles = [
  { title: 'Rates held at 4%', url: 'https://news.example/rates', text: 'The central bank held rates.' },
  { title: 'Markets calm', url: 'https://news.example/markets', text: 'Stocks were flat on Tuesday.' },
];

const input = (config: Partial<LlmRubricConfig> = {}): RubricInput => ({
  query: 'What did the central bank decide?',
  articles,
  answer: 'The bank held rates at 4% [Rates held](https://news.example/rates).',
  config: { type: 'llm-rubric', rubric: 'Names the decision and cites an article.', scale: '1-5', ...config },
});

const usage = { input_tokens: 1000, output_tokens: 200 };

// Cost of one call of 1000 input and 200 output tokens at the catalog's prices (USD per Mtok):
// gpt-4o-mini 0.15 / 0.6 -> 0.00015 + 0.00012; claude-sonnet-4-5 3 / 15 -> 0.003 + 0.003;
// the compatible server's model has no price, so its cost is unknown.
const costs = [
  { name: 'openai', one: 0.00027, two: 0.00054 },
  { name: 'anthropic', one: 0.006, two: 0.012 },
  { name: 'compatible', one: null, two: null },
];

describe.each(wireProtocols.map((p) => ({ ...p, ...costs.find((c) => c.name === p.name)! })))(
  '$name wire format',
  (p) => {
    const harness = (env: Record<string, string> = {}) =>
      llmFor({ ...p.env(fake), ...env }, { baseDelayMs: 100, maxDelayMs: 1000 });
    const spent = (calls: 1 | 2) => ({
      model: p.model,
      input_tokens: 1000 * calls,
      output_tokens: 200 * calls,
      cost_usd: calls === 1 ? p.one : p.two,
    });

    it('turns a 1–5 verdict into a rating, a score and a pass, with the judge tokens and cost', async () => {
      fake.enqueue({ text: '{"reason": "Names the decision and cites it.", "rating": 4}', usage });
      const verdict = await judgeRubric(harness(), input({ model: p.model }));
      expect(verdict).toEqual({
        status: 'ok',
        pass: true,
        score: 0.75,
        rating: 4,
        reason: 'Names the decision and cites it.',
        ...spent(1),
      });
    });

    it.each([
      [3, 4, false, 0.5],
      [3, 3, true, 0.5],
      [1, 4, false, 0],
      [5, 5, true, 1],
    ])('rating %i with pass_at %i passes: %s (score %d)', async (rating, passAt, pass, score) => {
      fake.enqueue({ text: JSON.stringify({ reason: 'Because.', rating }), usage });
      const verdict = await judgeRubric(harness(), input({ model: p.model, pass_at: passAt }));
      expect(verdict).toMatchObject({ status: 'ok', rating, pass, score });
    });

    it.each([
      [true, 1],
      [false, 0],
    ])('reads a pass-fail verdict (pass: %s)', async (pass, score) => {
      fake.enqueue({ text: JSON.stringify({ reason: 'Checked.', pass }), usage });
      const verdict = await judgeRubric(harness(), input({ model: p.model, scale: 'pass-fail' }));
      expect(verdict).toEqual({ status: 'ok', pass, score, rating: null, reason: 'Checked.', ...spent(1) });
    });

    it('asks for structured output and shows the query, titles, answer and rubric, bodies only when asked', async () => {
      fake.enqueue(
        { text: '{"reason": "Fine.", "rating": 5}' },
        { text: '{"reason": "Fine.", "rating": 5}' },
      );
      const h = harness();
      await judgeRubric(h, input({ model: p.model }));
      await judgeRubric(h, input({ model: p.model, include_bodies: true }));
      const [without, withBodies] = fake.modelRequests();
      const text = extractText(without.body);
      for (const part of [
        'What did the central bank decide?',
        '[1] Rates held at 4% — https://news.example/rates',
        '[2] Markets calm — https://news.example/markets',
        'The bank held rates at 4%',
        'Names the decision and cites an article.',
      ]) {
        expect(text).toContain(part);
      }
      expect(text).not.toContain('The central bank held rates.');
      expect(extractText(withBodies.body)).toContain('The central bank held rates.');
      expect(extractText(withBodies.body)).toContain('Stocks were flat on Tuesday.');
      // The schema reaches the provider: OpenAI json_schema, Anthropic output_config, compatible JSON mode.
      const format =
        p.name === 'anthropic'
          ? without.body.output_config?.format?.type
          : without.body.response_format?.type;
      expect(format).toBe(p.name === 'compatible' ? 'json_object' : 'json_schema');
    });

    it('retries a malformed verdict once, telling the model why, and sums both calls', async () => {
      fake.enqueue(
        { text: 'I would say 4 out of 5.', usage },
        { text: '{"reason": "Good.", "rating": 4}', usage },
      );
      const verdict = await judgeRubric(harness(), input({ model: p.model }));
      expect(verdict).toEqual({
        status: 'ok',
        pass: true,
        score: 0.75,
        rating: 4,
        reason: 'Good.',
        ...spent(2),
      });
      const second = extractText(fake.modelRequests()[1].body);
      expect(second).toContain('I would say 4 out of 5.');
      expect(second).toContain('That reply was not a valid verdict (not JSON: "I would say 4 out of 5.")');
    });

    it('retries an empty reply like a malformed one; its tokens are unknown, so the sums are too', async () => {
      fake.enqueue({ text: '  ', usage }, { text: '{"reason": "Good.", "rating": 4}', usage });
      const verdict = await judgeRubric(harness(), input({ model: p.model }));
      expect(verdict).toEqual({
        status: 'ok',
        pass: true,
        score: 0.75,
        rating: 4,
        reason: 'Good.',
        model: p.model,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
      });
      const retry = fake.modelRequests()[1].body;
      expect(extractText(retry)).toContain('(not JSON: (empty reply))');
      // No empty assistant turn (providers refuse one): the correction joins the first user turn.
      expect(retry.messages.map((m: { role: string }) => m.role)).toEqual(
        p.name === 'anthropic' ? ['user'] : ['system', 'user', 'user'],
      );
    });

    it.each<[string, string, string]>([
      ['not JSON', 'Pass!', 'not JSON: "Pass!"'],
      [
        'a rating out of range',
        '{"reason": "Great.", "rating": 7}',
        'wrong shape: rating: Too big: expected number to be <=5',
      ],
      [
        'a fractional rating',
        '{"reason": "Great.", "rating": 3.5}',
        'wrong shape: rating: Invalid input: expected int, received number',
      ],
      [
        'no reason',
        '{"rating": 5}',
        'wrong shape: reason: Invalid input: expected string, received undefined',
      ],
      ['an empty reason', '{"reason": " ", "rating": 5}', 'wrong shape: reason: the reason is empty'],
      ['an array', '[5]', 'wrong shape: the reply: Invalid input: expected object, received array'],
    ])('stores %s twice as a judge_error, never a pass', async (_name, text, why) => {
      fake.enqueue({ text, usage }, { text, usage });
      const verdict = await judgeRubric(harness(), input({ model: p.model }));
      expect(verdict).toEqual({
        status: 'judge_error',
        error: `malformed verdict after 2 attempts: ${why}`,
        ...spent(2),
      });
      expect(fake.modelRequests()).toHaveLength(2);
    });

    it('stores a pass-fail verdict without its pass as a judge_error', async () => {
      const text = '{"reason": "Looks fine.", "verdict": "pass"}';
      fake.enqueue({ text, usage }, { text, usage });
      const verdict = await judgeRubric(harness(), input({ model: p.model, scale: 'pass-fail' }));
      expect(verdict).toEqual({
        status: 'judge_error',
        error:
          'malformed verdict after 2 attempts: wrong shape: pass: Invalid input: expected boolean, received undefined',
        ...spent(2),
      });
    });

    it('waits out a 429 as the upstream asked, then judges', async () => {
      fake.enqueue({ status: 429, retryAfter: 1 }, { text: '{"reason": "Fine.", "pass": true}', usage });
      const h = harness();
      const verdict = await judgeRubric(h, input({ model: p.model, scale: 'pass-fail' }));
      expect(verdict).toEqual({
        status: 'ok',
        pass: true,
        score: 1,
        rating: null,
        reason: 'Fine.',
        ...spent(1),
      });
      expect(h.sleeps).toEqual([1000]);
      expect(fake.modelRequests()).toHaveLength(2);
    });

    it.each<[string, Scenario[], string]>([
      ['a refused key', [{ status: 401 }], 'the provider refused the credentials (HTTP 401)'],
      ['rate limits past the retries', [{ status: 429 }, { status: 429 }], 'is rate limited (HTTP 429)'],
    ])('returns a judge_error for %s, with nothing counted', async (_name, scenarios, why) => {
      fake.enqueue(...scenarios);
      const verdict = await judgeRubric(harness({ LLM_MAX_RETRIES: '1' }), input({ model: p.model }));
      expect(verdict).toMatchObject({
        status: 'judge_error',
        model: p.model,
        input_tokens: 0,
        output_tokens: 0,
      });
      expect(verdict.status === 'judge_error' && verdict.error).toContain(why);
      expect(verdict.status === 'judge_error' && verdict.error).toMatch(/^the judge model failed: /);
    });

    it('uses EVAL_JUDGE_MODEL when the config names no model', async () => {
      fake.enqueue({ text: '{"reason": "Fine.", "rating": 2}', usage });
      const verdict = await judgeRubric(harness({ EVAL_JUDGE_MODEL: p.model }), input());
      expect(verdict).toMatchObject({ status: 'ok', rating: 2, model: p.model });
      expect(fake.modelRequests()).toHaveLength(1);
    });

    it('rethrows a cancellation instead of storing a verdict', async () => {
      fake.enqueue({ text: '{"reason": "Fine.", "rating": 2}', firstByteDelayMs: 5_000 });
      const ac = new AbortController();
      const pending = judgeRubric(harness(), { ...input({ model: p.model }), signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
      await expect(pending).rejects.toBeInstanceOf(LlmError);
    });
  },
);

describe('the judge model', () => {
  it.each([
    [
      'mistral:large',
      'Judge model "mistral:large" not found: Model "mistral:large": provider "mistral" is not configured',
    ],
    [
      'offline:other',
      'Judge model "offline:other" not found: Unknown model "offline:other"; the offline model is offline:demo',
    ],
  ])('%s is a not_found error naming it', async (model, detail) => {
    const h = llmFor({});
    const err = await judgeRubric(h, input({ model })).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({
      code: 'not_found',
      status: 404,
      message: detail,
    });
  });

  it('names EVAL_JUDGE_MODEL when that is what is unknown', async () => {
    const h = llmFor({ EVAL_JUDGE_MODEL: 'openai:gpt-4.1' });
    await expect(judgeRubric(h, input())).rejects.toThrow(/^Judge model "openai:gpt-4.1" not found: /);
  });
});

describe('an older Anthropic model without native structured output', () => {
  it('answers through the JSON tool, and the verdict is read the same way', async () => {
    const p = wireProtocols.find((w) => w.name === 'anthropic')!;
    fake.enqueue({ toolCalls: [{ name: 'json', input: { reason: 'Through the tool.', rating: 3 } }], usage });
    const model = 'anthropic:claude-sonnet-4-0';
    const verdict = await judgeRubric(llmFor(p.env(fake)), input({ model }));
    // claude-sonnet-4-0 at 3 / 15 USD per Mtok: 0.003 + 0.003.
    expect(verdict).toEqual({
      status: 'ok',
      pass: false,
      score: 0.5,
      rating: 3,
      reason: 'Through the tool.',
      model,
      input_tokens: 1000,
      output_tokens: 200,
      cost_usd: 0.006,
    });
    expect(fake.modelRequests()[0].body.tools.map((t: { name: string }) => t.name)).toEqual(['json']);
  });
});
