import { once } from 'node:events';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { type SseHandler, streamSse } from './sse';

// A bare Fastify server on loopback: the helper is exercised over a real socket.

let app: FastifyInstance;
let base: string;
let handler: SseHandler = async () => undefined;
let heartbeatMs = 15_000;

beforeAll(async () => {
  app = Fastify({ logger: false, forceCloseConnections: true });
  app.get('/stream', (req, reply) =>
    streamSse(req, reply, (send, signal) => handler(send, signal), { heartbeatMs }),
  );
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

/** Reads the whole stream: parsed `data` events and the raw text (to see comments). */
async function readAll(res: Response) {
  const events: unknown[] = [];
  const parser = createParser({ onEvent: (e: EventSourceMessage) => events.push(JSON.parse(e.data)) });
  let raw = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const text = decoder.decode(r.value, { stream: true });
    raw += text;
    parser.feed(text);
  }
  return { events, raw };
}

describe('streamSse', () => {
  it('sends data events, then done with the figures the handler returns', async () => {
    handler = async (send) => {
      send({ content: 'Hel' });
      send({ content: 'lo' });
      return { answer_length: 5 };
    };
    const res = await fetch(`${base}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await readAll(res)).events).toEqual([
      { content: 'Hel' },
      { content: 'lo' },
      { done: true, status: 'ok', answer_length: 5 },
    ]);
  });

  describe.each([
    ['an AppError', new AppError('not_found', 'Prompt "x" not found'), 'Prompt "x" not found'],
    ['an unexpected error', new Error('secret stack detail'), 'Internal server error'],
  ])('when the handler throws %s', (_label, error, shown) => {
    it('sends the error, then done', async () => {
      handler = async (send) => {
        send({ content: 'partial' });
        throw error;
      };
      const res = await fetch(`${base}/stream`);
      expect((await readAll(res)).events).toEqual([
        { content: 'partial' },
        { error: shown },
        { done: true, status: 'error' },
      ]);
    });
  });

  it('writes comment heartbeats while the handler works', async () => {
    heartbeatMs = 10;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    handler = async (send) => {
      await released;
      send({ content: 'after ping' });
      return undefined;
    };
    const res = await fetch(`${base}/stream`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let raw = '';
    // The handler only finishes once a heartbeat has reached the client.
    while (!raw.includes(': ping\n\n')) raw += decoder.decode((await reader.read()).value, { stream: true });
    release();
    for (let r = await reader.read(); !r.done; r = await reader.read()) raw += decoder.decode(r.value);
    heartbeatMs = 15_000;
    expect(raw.endsWith('data: {"content":"after ping"}\n\ndata: {"done":true,"status":"ok"}\n\n')).toBe(
      true,
    );
  });

  it('aborts the signal when the client disconnects', async () => {
    let sawAbort!: (reason: unknown) => void;
    const aborted = new Promise<unknown>((r) => {
      sawAbort = r;
    });
    handler = async (send, signal) => {
      send({ content: 'first' });
      await once(signal, 'abort');
      sawAbort(signal.reason);
      send({ content: 'never delivered' });
      return undefined;
    };
    const client = new AbortController();
    const res = await fetch(`${base}/stream`, { signal: client.signal });
    const reader = res.body!.getReader();
    await reader.read();
    client.abort();
    expect(await aborted).toMatchObject({ kind: 'aborted', message: 'Client disconnected' });
  });
});
