import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { drain, llmFor, wireProtocolsAndThreads } from '../../../test/fake-upstream/llm-harness';
import {
  extractSystem,
  extractText,
  type FakeUpstream,
  startFakeUpstream,
} from '../../../test/fake-upstream/server';

// Streaming, usage, cost and tools through the real SDKs against the fake upstream over HTTP.

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

const prices: Record<string, { input: number; output: number } | null> = {
  openai: { input: 0.15, output: 0.6 },
  anthropic: { input: 3, output: 15 },
  compatible: null,
};

describe.each(wireProtocolsAndThreads)('$name wire format on the $thread', (p) => {
  const harness = () => llmFor(p.env(fake));

  it('streams the text in chunks and finishes with usage, cost and the model', async () => {
    fake.enqueue({
      chunks: ['Hello ', 'there, ', 'reader.'],
      usage: { input_tokens: 1000, output_tokens: 2000 },
    });
    const { events, finish, error } = await drain(harness().llm, { model: p.model });
    expect(error).toBeNull();
    expect(events.slice(0, -1)).toEqual([
      { type: 'text', text: 'Hello ' },
      { type: 'text', text: 'there, ' },
      { type: 'text', text: 'reader.' },
    ]);
    const price = prices[p.name];
    expect(finish).toEqual({
      type: 'finish',
      model: p.model,
      offline: false,
      usage: { input_tokens: 1000, output_tokens: 2000 },
      cost_usd: price ? (1000 * price.input + 2000 * price.output) / 1e6 : null,
      first_token_ms: expect.any(Number),
      finish_reason: 'stop',
    });
  });

  it.each([
    ['an empty string', ''],
    ['whitespace only', '  \n '],
  ])(
    'fails with "the model returned no text" when the answer is %s and no tool was called',
    async (_w, text) => {
      fake.enqueue({ text });
      const { error, finish } = await drain(harness().llm, { model: p.model });
      expect(finish).toBeNull();
      expect({ message: error?.message, kind: error?.kind }).toEqual({
        message: 'the model returned no text',
        kind: 'upstream',
      });
      // Not retried: the same request would most likely get the same empty answer.
      expect(fake.modelRequests()).toHaveLength(1);
    },
  );

  it('sends the system prompt, the conversation and the credentials upstream', async () => {
    await drain(harness().llm, {
      model: p.model,
      system: 'You are Auspex. Cite sources.',
      messages: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'Second question' },
      ],
    });
    expect(fake.modelRequests()).toHaveLength(1);
    const [req] = fake.modelRequests();
    expect(req.path).toBe(p.name === 'anthropic' ? '/v1/messages' : '/v1/chat/completions');
    expect(req.stream).toBe(true);
    expect(extractSystem(req.body)).toBe('You are Auspex. Cite sources.');
    expect(extractText(req.body)).toBe(
      'You are Auspex. Cite sources.\nFirst question\nFirst answer\nSecond question',
    );
    expect(req.body.model).toBe(p.model.split(':')[1]);
    if (p.name === 'anthropic') expect(req.headers['x-api-key']).toBe('sk-ant-test');
    if (p.name === 'openai') expect(req.headers.authorization).toBe('Bearer sk-test');
  });

  it('runs the tools the model calls, reports them, and sends their results back', async () => {
    const executed: unknown[] = [];
    const search = {
      name: 'search_articles',
      description: 'Search the corpus',
      inputSchema: z.object({ query: z.string() }),
      execute: async (input: { query: string }) => {
        executed.push(input);
        return { count: 2, first: 'Banks adopt AI' };
      },
    };
    fake.enqueue(
      {
        toolCalls: [
          { name: 'search_articles', input: { query: 'banks' } },
          { name: 'no_such_tool', input: {} },
        ],
      },
      { chunks: ['Two articles.'] },
    );
    const { events, finish } = await drain(harness().llm, { model: p.model, tools: [search], maxSteps: 3 });
    expect(executed).toEqual([{ query: 'banks' }]);
    // The call to an unknown tool never ran, so it is not reported.
    expect(events.slice(0, -1)).toEqual([
      { type: 'tool-call', name: 'search_articles', input: { query: 'banks' } },
      { type: 'tool-result', name: 'search_articles', output: { count: 2, first: 'Banks adopt AI' } },
      { type: 'text', text: 'Two articles.' },
    ]);
    expect(finish?.finish_reason).toBe('stop');
    const requests = fake.modelRequests();
    expect(requests).toHaveLength(2);
    expect(requests[0].body.tools).toHaveLength(1);
    expect(extractText(requests[1].body)).toContain('Banks adopt AI');
  });

  it('stops after maxSteps model calls even if the model keeps calling tools', async () => {
    const call = { toolCalls: [{ name: 'count', input: {} }] };
    fake.enqueue(call, call, call);
    let runs = 0;
    const count = {
      name: 'count',
      description: 'Counts',
      inputSchema: z.object({}),
      execute: async () => ++runs,
    };
    const { finish, events } = await drain(harness().llm, { model: p.model, tools: [count], maxSteps: 2 });
    expect(fake.modelRequests()).toHaveLength(2);
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(2);
    expect(finish?.finish_reason).toBe('tool-calls');
  });

  it('reports a tool that throws as a result carrying the error', async () => {
    fake.enqueue({ toolCalls: [{ name: 'broken', input: {} }] }, { text: 'Sorry.' });
    const broken = {
      name: 'broken',
      description: 'Fails',
      inputSchema: z.object({}),
      execute: async () => {
        throw new Error('index offline');
      },
    };
    const { events } = await drain(harness().llm, { model: p.model, tools: [broken], maxSteps: 2 });
    expect(events.filter((e) => e.type === 'tool-result')).toEqual([
      { type: 'tool-result', name: 'broken', output: { error: 'index offline' } },
    ]);
  });
});

describe('offline:demo', () => {
  it('streams the caller-supplied text and finishes labelled offline, with no tokens and no cost', async () => {
    const text = 'x'.repeat(170);
    const { events, finish } = await drain(llmFor({}).llm, { model: 'offline:demo', offline: () => text });
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text.length)).toEqual([
      80, 80, 10,
    ]);
    expect(finish).toEqual({
      type: 'finish',
      model: 'offline:demo',
      offline: true,
      usage: { input_tokens: null, output_tokens: null },
      cost_usd: 0,
      first_token_ms: expect.any(Number),
      finish_reason: 'stop',
    });
    expect(fake.requests).toEqual([]);
  });

  it('is the model used when nothing is configured and the request names none', async () => {
    const { finish } = await drain(llmFor({}).llm);
    expect(finish?.model).toBe('offline:demo');
  });
});

describe('model ids', () => {
  it.each([
    ['openai:gpt-4o-mini', 'provider "openai" is not configured'],
    ['gpt-4o-mini', 'must look like provider:model'],
    ['offline:other', 'the offline model is offline:demo'],
  ])('%s is refused with a config error', async (model, message) => {
    const { error } = await drain(llmFor({}).llm, { model });
    expect(error?.kind).toBe('config');
    expect(error?.message).toContain(message);
  });
});

describe.each(wireProtocolsAndThreads.filter((p) => p.name === 'anthropic'))(
  'an error event inside an $name stream on the $thread',
  (p) => {
    it('is reported with its type and message, not as an object', async () => {
      const events = [
        [
          'message_start',
          {
            type: 'message_start',
            message: {
              id: 'm1',
              type: 'message',
              role: 'assistant',
              content: [],
              model: 'claude-sonnet-4-5',
              stop_reason: null,
              usage: { input_tokens: 10, output_tokens: 0 },
            },
          },
        ],
        ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
      ];
      fake.enqueue({
        raw: {
          contentType: 'text/event-stream',
          body: events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join(''),
        },
      });
      const { error } = await drain(llmFor(p.env(fake)).llm, { model: p.model });
      expect(error?.message).toMatch(
        /^anthropic:claude-sonnet-4-5 failed: overloaded_error: Overloaded \(after \d+\.\d s\)$/,
      );
    });
  },
);
