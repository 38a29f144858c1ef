import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors';
import { LlmError } from './llm/types';

// Server-Sent Events over a hijacked Fastify reply: `data: {json}\n\n` events, `: ping` comment
// heartbeats, an AbortSignal that fires when the client goes away, and a final `done` event always.

export const HEARTBEAT_MS = 15_000;

export type SseSend = (event: Record<string, unknown>) => void;

export interface SseOptions {
  /** Comment heartbeat interval; tests shorten it. */
  heartbeatMs?: number;
}

/** What the handler returns is merged into the final `{"done": true, ...}` event. */
export type SseHandler = (send: SseSend, signal: AbortSignal) => Promise<Record<string, unknown> | undefined>;

/** A message safe to show the client: our own errors verbatim, anything else generic. */
export function clientMessage(err: unknown): string {
  if (err instanceof AppError || err instanceof LlmError) return err.message;
  return 'Internal server error';
}

/**
 * Streams the handler's events. Never throws: a handler failure becomes `{"error": …}` followed
 * by `{"done": true, "status": "error"}`. Resolves once the response has ended.
 */
export async function streamSse(
  req: FastifyRequest,
  reply: FastifyReply,
  handler: SseHandler,
  options: SseOptions = {},
): Promise<void> {
  const res = reply.raw;
  const aborter = new AbortController();
  reply.hijack();
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Reverse proxies (nginx) must not buffer the stream.
    'x-accel-buffering': 'no',
  });
  // Headers out now, so the client sees the stream open before the first token.
  res.flushHeaders();

  const open = () => !aborter.signal.aborted && !res.writableEnded && !res.destroyed;
  const onClose = () => {
    // `close` before we ended the response means the client disconnected.
    if (!res.writableEnded) aborter.abort(new LlmError('Client disconnected', 'aborted'));
  };
  res.on('close', onClose);
  const send: SseSend = (event) => {
    if (open()) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  const heartbeat = setInterval(() => {
    if (open()) res.write(': ping\n\n');
  }, options.heartbeatMs ?? HEARTBEAT_MS);

  try {
    const figures = await handler(send, aborter.signal);
    send({ done: true, status: 'ok', ...(figures ?? {}) });
  } catch (err) {
    if (!(err instanceof AppError || err instanceof LlmError)) req.log.error({ err }, 'stream failed');
    send({ error: clientMessage(err) });
    send({ done: true, status: 'error' });
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    if (!res.writableEnded) res.end();
  }
}
