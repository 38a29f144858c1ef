import { EventSourceParserStream } from 'eventsource-parser/stream';
import { send } from './http';

// Streams Server-Sent Events from a POST (EventSource cannot POST): each `data:` line is JSON.

export interface SseHandlers {
  onContent(chunk: string): void;
  /** The final `{"done": true, ...}` event. */
  onDone?(event: Record<string, unknown>): void;
  /** A `{"error": "..."}` event: the turn failed upstream (a done event still follows). */
  onError?(message: string): void;
}

/** Posts `body` and feeds the stream to the handlers; resolves when the stream ends. */
export async function postSse(
  path: string,
  body: unknown,
  handlers: SseHandlers,
  signal?: AbortSignal,
): Promise<void> {
  const res = await send('POST', path, body, { accept: 'text/event-stream', signal });
  await readEvents(res, (data) => {
    if (typeof data.content === 'string') handlers.onContent(data.content);
    if (typeof data.error === 'string') handlers.onError?.(data.error);
    if (data.done === true) handlers.onDone?.(data);
  });
}

/** GETs an event stream (a run's progress) and hands each JSON event over until `{"done": true}`. */
export async function getSse(
  path: string,
  onEvent: (data: Record<string, unknown>) => void,
  signal?: AbortSignal,
): Promise<void> {
  const res = await send('GET', path, undefined, { accept: 'text/event-stream', signal });
  await readEvents(res, onEvent);
}

async function readEvents(res: Response, onEvent: (data: Record<string, unknown>) => void): Promise<void> {
  if (!res.body) throw new Error('The server sent no stream');
  const events = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(value.data);
    } catch {
      continue; // Not JSON: ignore rather than break the stream.
    }
    onEvent(data);
    if (data.done === true) {
      await reader.cancel().catch(() => {});
      return;
    }
  }
}
