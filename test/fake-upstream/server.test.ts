import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from './server';

// Proves each wire format with raw fetch, so SDK-level tests can trust the fake.

let fake: FakeUpstream;
beforeEach(async () => {
  if (!fake) fake = await startFakeUpstream();
  fake.reset();
});
afterAll(() => fake?.close());

const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
    signal,
  });

async function sse(res: Response): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    parser.feed(value);
  }
}

const openaiBody = (extra: object = {}) => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are Auspex.\n<article title="Banks adopt AI">text</article>' },
    { role: 'user', content: 'What changed?' },
  ],
  ...extra,
});

const anthropicBody = (extra: object = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'You are Auspex.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Title: Markets rally\nWhat changed?' }] }],
  ...extra,
});

describe('OpenAI Chat Completions', () => {
  it('answers non-streaming with text and usage, and records the request', async () => {
    fake.enqueue({ text: 'Hello there.', usage: { input_tokens: 11, output_tokens: 3 } });
    const res = await post('/v1/chat/completions', openaiBody());
    expect(res.status).toBe(200);
    const json: any = await res.json();
    expect(json.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Hello there.' },
      finish_reason: 'stop',
    });
    expect(json.usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      protocol: 'openai',
      stream: false,
      outcome: 'completed',
      body: openaiBody(),
    });
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('streams chunks, usage only when asked, then [DONE]', async () => {
    fake.enqueue({ chunks: ['Hel', 'lo'] }, { chunks: ['Hi'] });
    const withUsage = await sse(
      await post(
        '/v1/chat/completions',
        openaiBody({ stream: true, stream_options: { include_usage: true } }),
      ),
    );
    expect(withUsage.at(-1)!.data).toBe('[DONE]');
    const parsed = withUsage.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(parsed.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(parsed.at(-2).choices[0].finish_reason).toBe('stop');
    expect(parsed.at(-1).usage).toMatchObject({ completion_tokens: 2 });

    const noUsage = await sse(await post('/v1/chat/completions', openaiBody({ stream: true })));
    expect(noUsage.slice(0, -1).some((e) => 'usage' in JSON.parse(e.data))).toBe(false);
  });

  it('streams tool calls as deltas with finish_reason tool_calls', async () => {
    fake.enqueue({ toolCalls: [{ name: 'search_articles', input: { query: 'banks' } }] });
    const events = await sse(await post('/v1/chat/completions', openaiBody({ stream: true })));
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'search_articles' } });
    expect(JSON.parse(deltas.map((d) => d.function.arguments).join(''))).toEqual({ query: 'banks' });
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('answers by default with text derived from the system prompt, first article and question', async () => {
    const json: any = await (await post('/v1/chat/completions', openaiBody())).json();
    expect(json.choices[0].message.content).toBe(
      'Fake upstream reply. System prompt begins: "You are Auspex. <article title="Banks adopt AI">text</article>". ' +
        'First article: "Banks adopt AI". Last user message: "What changed?".',
    );
  });
});

describe('Anthropic Messages', () => {
  it('answers non-streaming with text and tool_use blocks', async () => {
    fake.enqueue({
      text: 'Looking.',
      toolCalls: [{ name: 'get_topic_articles', input: { topic: 'x' }, id: 't1' }],
    });
    const json: any = await (await post('/v1/messages', anthropicBody())).json();
    expect(json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 't1', name: 'get_topic_articles', input: { topic: 'x' } },
      ],
      stop_reason: 'tool_use',
    });
  });

  it('streams the event sequence with text and input_json_delta', async () => {
    fake.enqueue({
      chunks: ['A', 'B'],
      toolCalls: [{ name: 'search_articles', input: { query: 'q' } }],
      usage: { input_tokens: 7, output_tokens: 5 },
    });
    const events = await sse(await post('/v1/messages', anthropicBody({ stream: true })));
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = events.map((e) => JSON.parse(e.data));
    expect(data[0].message.usage.input_tokens).toBe(7);
    expect(data[3].delta).toEqual({ type: 'text_delta', text: 'A' });
    expect(data[6].content_block).toMatchObject({ type: 'tool_use', name: 'search_articles' });
    expect(JSON.parse(data[7].delta.partial_json + data[8].delta.partial_json)).toEqual({ query: 'q' });
    expect(data[10]).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } });
  });

  it('finds the first article title in Anthropic content blocks', async () => {
    const json: any = await (await post('/v1/messages', anthropicBody())).json();
    expect(json.content[0].text).toContain('First article: "Markets rally"');
    expect(json.content[0].text).toContain('System prompt begins: "You are Auspex.".');
    expect(json.content[0].text).toContain('Last user message: "Title: Markets rally What changed?"');
  });
});

describe('failures', () => {
  it.each([
    ['/v1/chat/completions', { status: 429, retryAfter: 2 }, 429, 'rate_limit_exceeded', '2'],
    ['/v1/chat/completions', { quota: true }, 429, 'insufficient_quota', null],
    ['/v1/chat/completions', { status: 500 }, 500, 'server_error', null],
    ['/v1/messages', { status: 429, retryAfter: 1 }, 429, 'rate_limit_error', '1'],
    ['/v1/messages', { quota: true }, 400, 'invalid_request_error', null],
    ['/v1/messages', { status: 401 }, 401, 'authentication_error', null],
  ])('%s %j answers %i %s', async (path, scenario, status, type, retryAfter) => {
    fake.enqueue(scenario);
    const res = await post(path, path.includes('chat') ? openaiBody() : anthropicBody());
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toBe(retryAfter);
    const json: any = await res.json();
    expect(json.error.type).toBe(type);
  });

  it('answers a raw body with its own content type instead of the protocol', async () => {
    fake.enqueue({
      raw: { contentType: 'text/html; charset=utf-8', body: '<html><body>Login</body></html>' },
    });
    const res = await post('/v1/chat/completions', openaiBody({ stream: true }));
    expect({ status: res.status, type: res.headers.get('content-type'), body: await res.text() }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<html><body>Login</body></html>',
    });
  });

  it('drops the connection after n text chunks', async () => {
    fake.enqueue({ chunks: ['one ', 'two ', 'three'], dropAfterChunks: 1 });
    const res = await post('/v1/chat/completions', openaiBody({ stream: true }));
    let received = '';
    await expect(async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += value;
      }
    }).rejects.toThrow();
    expect(received).toContain('"content":"one "');
    expect(received).not.toContain('two');
    expect(fake.requests[0].outcome).toBe('dropped');
  });

  it('records a client that gives up during a slow first byte as aborted', async () => {
    fake.enqueue({ firstByteDelayMs: 5_000 });
    const ac = new AbortController();
    const pending = post('/v1/chat/completions', openaiBody(), ac.signal);
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    await expect(pending).rejects.toThrow();
    await fake.idle();
    expect(fake.requests[0].outcome).toBe('aborted');
  });

  it('consumes the queue in order, then falls back to the default', async () => {
    fake.enqueue({ status: 500 }, { text: 'second' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/v1/chat/completions', openaiBody())).status);
    expect(statuses).toEqual([500, 200, 200]);
  });
});

describe('listing endpoints', () => {
  it('lists models and Ollama tags', async () => {
    expect(await (await fetch(`${fake.openaiBaseURL}/models`)).json()).toEqual({
      object: 'list',
      data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }],
    });
    const tags: any = await (await fetch(`${fake.url}/api/tags`)).json();
    expect(tags.models.map((m: any) => m.name)).toEqual(['llama3.2:latest']);
  });
});
