import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drain, llmFor, wireProtocolsAndThreads } from '../../../test/fake-upstream/llm-harness';
import { type FakeUpstream, type Scenario, startFakeUpstream } from '../../../test/fake-upstream/server';

// Retries (only before the first token), no-retries, timeouts and aborts, over real HTTP.
// Backoff waits are recorded by the harness instead of slept; the timeouts are real but short.

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

describe.each(wireProtocolsAndThreads)('$name wire format on the $thread', (p) => {
  const harness = (env: Record<string, string> = {}) =>
    llmFor({ ...p.env(fake), ...env }, { baseDelayMs: 100, maxDelayMs: 1000 });

  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    fake.enqueue({ status: 429, retryAfter: 2 }, { text: 'Recovered.' });
    const h = harness();
    const { text, error } = await drain(h.llm, { model: p.model });
    expect(error).toBeNull();
    expect(text).toBe('Recovered.');
    expect(fake.modelRequests()).toHaveLength(2);
    expect(h.sleeps).toEqual([2000]);
  });

  it('retries 500s with exponential backoff and jitter, then succeeds', async () => {
    fake.enqueue({ status: 500 }, { status: 503 }, { status: 500 }, { text: 'Third time lucky.' });
    const h = harness();
    const { text } = await drain(h.llm, { model: p.model });
    expect(text).toBe('Third time lucky.');
    expect(fake.modelRequests()).toHaveLength(4);
    // random() = 0.5: half the step plus a quarter -> 75, 150, 300.
    expect(h.sleeps).toEqual([75, 150, 300]);
  });

  it('gives up after LLM_MAX_RETRIES retries with the last error', async () => {
    fake.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const h = harness({ LLM_MAX_RETRIES: '2' });
    const { error } = await drain(h.llm, { model: p.model });
    expect(fake.modelRequests()).toHaveLength(3);
    expect(error).toMatchObject({ kind: 'upstream', status: 500 });
    expect(error?.message).toContain('HTTP 500');
  });

  it('does not wait for a Retry-After longer than it allows', async () => {
    fake.enqueue({ status: 429, retryAfter: 3600 });
    const h = harness();
    const { error } = await drain(h.llm, { model: p.model });
    expect(fake.modelRequests()).toHaveLength(1);
    expect(error?.kind).toBe('rate_limited');
    expect(error?.message).toContain('retry after 3600 s');
  });

  it.each<[string, Scenario, string]>([
    ['400', { status: 400 }, 'bad_request'],
    ['401', { status: 401 }, 'auth'],
    ['403', { status: 403 }, 'auth'],
    ['404', { status: 404 }, 'bad_request'],
    ['quota', { quota: true }, 'quota'],
  ])('never retries %s', async (_name, scenario, kind) => {
    fake.enqueue(scenario);
    const h = harness();
    const { error } = await drain(h.llm, { model: p.model });
    expect(fake.modelRequests()).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(error?.kind).toBe(kind);
  });

  it('does not retry a connection dropped after the first token', async () => {
    fake.enqueue({ chunks: ['Partial ', 'answer ', 'lost.'], dropAfterChunks: 1 });
    const { text, error } = await drain(harness().llm, { model: p.model });
    expect(text).toBe('Partial ');
    expect(error?.kind).toBe('upstream');
    expect(error?.message).toContain('dropped mid-answer');
    expect(fake.modelRequests().map((r) => r.outcome)).toEqual(['dropped']);
  });

  it('retries a connection dropped before the first token', async () => {
    fake.enqueue({ chunks: ['never seen'], dropAfterChunks: 0 }, { chunks: ['Fresh.'] });
    const { text, error } = await drain(harness().llm, { model: p.model });
    expect(error).toBeNull();
    expect(text).toBe('Fresh.');
    expect(fake.modelRequests().map((r) => r.outcome)).toEqual(['dropped', 'completed']);
  });

  it('fails with a first-token timeout when the first byte is too slow, and hangs up', async () => {
    fake.enqueue({ firstByteDelayMs: 5000 });
    const { error } = await drain(harness({ LLM_FIRST_TOKEN_TIMEOUT_MS: '150' }).llm, { model: p.model });
    expect(error?.kind).toBe('timeout');
    expect(error?.message).toContain('first-token timeout');
    await fake.idle();
    expect(fake.modelRequests().map((r) => r.outcome)).toEqual(['aborted']);
  });

  it('retries a connect timeout (no response headers in time), then fails with it', async () => {
    fake.enqueue({ firstByteDelayMs: 5000 }, { firstByteDelayMs: 5000 });
    const h = harness({ LLM_CONNECT_TIMEOUT_MS: '100', LLM_MAX_RETRIES: '1' });
    const { error } = await drain(h.llm, { model: p.model });
    expect(error?.kind).toBe('timeout');
    expect(error?.message).toMatch(
      /^no response headers from \w+ within 100 ms \(2 attempts, \d+\.\d s in all\)$/,
    );
    expect(fake.modelRequests()).toHaveLength(2);
  });

  // What a failure message says: what happened, where, and the real time it took (the figure is
  // matched, never bounded: tests do not assert on wall-clock time).
  const provider = p.name === 'compatible' ? 'local' : p.name;
  const setting = {
    openai: 'OPENAI_BASE_URL',
    anthropic: 'ANTHROPIC_BASE_URL',
    compatible: 'the baseURL of "local" in OPENAI_COMPATIBLE_PROVIDERS',
  }[p.name];
  const secs = String.raw`\d+\.\d s`;
  it.each<[string, Scenario[], Record<string, string>, RegExp]>([
    [
      'response headers that never come, after every attempt',
      [{ firstByteDelayMs: 5000 }, { firstByteDelayMs: 5000 }, { firstByteDelayMs: 5000 }],
      { LLM_CONNECT_TIMEOUT_MS: '100', LLM_MAX_RETRIES: '2' },
      new RegExp(`^no response headers from ${provider} within 100 ms \\(3 attempts, ${secs} in all\\)$`),
    ],
    [
      'a stream closed before the first token',
      [{ chunks: ['never seen'], dropAfterChunks: 0 }],
      { LLM_MAX_RETRIES: '0' },
      new RegExp(`^the connection to ${provider} closed before the first token \\(after ${secs}\\)$`),
    ],
    [
      'an HTML page answering 200',
      [{ raw: { contentType: 'text/html; charset=utf-8', body: '<html><body>Sign in</body></html>' } }],
      {},
      new RegExp(
        `^${provider} answered with text/html, not an API response \\(is ${setting} right\\?\\) \\(after ${secs}\\)$`,
      ),
    ],
  ])('says what happened for %s', async (_what, scenarios, env, message) => {
    fake.enqueue(...scenarios);
    const { error } = await drain(harness(env).llm, { model: p.model });
    expect(error?.message).toMatch(message);
    // A misconfigured address is not retried; the others were tried as often as allowed.
    expect(fake.modelRequests()).toHaveLength(scenarios.length);
  });

  it('fails with the total timeout when the answer streams for too long', async () => {
    fake.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `c${i} `), chunkDelayMs: 100 });
    const { text, error } = await drain(harness({ LLM_TOTAL_TIMEOUT_MS: '1000' }).llm, { model: p.model });
    expect(error?.kind).toBe('timeout');
    expect(error?.message).toContain('total timeout');
    expect(text.startsWith('c0 ')).toBe(true);
    expect(text).not.toContain('c49');
  });

  it("aborts the upstream request when the caller's signal aborts mid-stream", async () => {
    fake.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `c${i} `), chunkDelayMs: 50 });
    const ac = new AbortController();
    const { text, error } = await drain(harness().llm, { model: p.model, signal: ac.signal }, (e) => {
      if (e.type === 'text') ac.abort();
      return false;
    });
    expect(error?.kind).toBe('aborted');
    expect(text.startsWith('c0 ')).toBe(true);
    expect(text).not.toContain('c49');
    await fake.idle();
    expect(fake.modelRequests().map((r) => r.outcome)).toEqual(['aborted']);
  });

  it('aborts the upstream request while waiting for the first byte', async () => {
    fake.enqueue({ firstByteDelayMs: 5000 });
    const ac = new AbortController();
    const pending = drain(harness().llm, { model: p.model, signal: ac.signal });
    while (fake.modelRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const { error } = await pending;
    expect(error?.kind).toBe('aborted');
    await fake.idle();
    expect(fake.modelRequests().map((r) => r.outcome)).toEqual(['aborted']);
  });

  it('aborts the upstream request when the consumer stops reading', async () => {
    fake.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `c${i} `), chunkDelayMs: 50 });
    await drain(harness().llm, { model: p.model }, (e) => e.type === 'text');
    await fake.idle();
    expect(fake.modelRequests().map((r) => r.outcome)).toEqual(['aborted']);
  });
});
