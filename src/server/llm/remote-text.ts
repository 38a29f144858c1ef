import { Worker } from 'node:worker_threads';
import type { TextStreamPart, ToolSet } from 'ai';
import { type FromWorker, fromWire, partFromWire, type ToWorker } from './model-worker-protocol';
import type { PlainTextCall } from './plain-text';
import type { ProviderSpec } from './provider-models';

// The server thread's side of the model worker: one worker per process, started on the first
// call, holding the process open only while a call is in flight. A call's parts come back as
// plainTextParts would give them; the worker stopping fails the calls it had.

interface Route {
  push(m: FromWorker | { t: 'fail'; error: Error }): void;
}

interface Handle {
  w: Worker;
  routes: Map<number, Route>;
}

let current: Handle | null = null;
let nextId = 1;

function modelWorker(): Handle {
  if (current) return current;
  const h: Handle = { w: new Worker(new URL('./model-worker.mjs', import.meta.url)), routes: new Map() };
  h.w.unref();
  h.w.on('message', (m: FromWorker) => h.routes.get(m.id)?.push(m));
  const stopped = (error: Error) => {
    if (current === h) current = null;
    for (const r of h.routes.values()) r.push({ t: 'fail', error });
  };
  h.w.on('error', (err) => stopped(new Error(`the model worker failed: ${err.message}`)));
  h.w.on('exit', (code) => stopped(new Error(`the model worker stopped (exit code ${code})`)));
  current = h;
  return h;
}

export interface ResponseSeen {
  ok: boolean;
  contentType: string | null;
}

export async function* remoteTextParts(
  spec: ProviderSpec,
  modelId: string,
  call: PlainTextCall,
  onResponse: (r: ResponseSeen) => void,
): AsyncGenerator<TextStreamPart<ToolSet>> {
  if (call.abortSignal.aborted) throw abortError();
  const h = modelWorker();
  const id = nextId++;
  const queue: (FromWorker | { t: 'fail'; error: Error })[] = [];
  let wake: (() => void) | null = null;
  const route: Route = {
    push(m) {
      queue.push(m);
      wake?.();
      wake = null;
    },
  };
  h.routes.set(id, route);
  if (h.routes.size === 1) h.w.ref();
  const post = (m: ToWorker) => h.w.postMessage(m);
  // Aborted here at once; the worker is told to stop its request too (finally).
  const onAbort = () => route.push({ t: 'fail', error: abortError() });
  call.abortSignal.addEventListener('abort', onAbort, { once: true });
  let settled = false;
  try {
    post({ t: 'call', id, spec, modelId, prompt: call.prompt, maxOutputTokens: call.maxOutputTokens });
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if (m.t === 'response') onResponse(m);
      else if (m.t === 'part') yield partFromWire(m.part);
      else if (m.t === 'end') {
        settled = true;
        return;
      } else if (m.t === 'error') {
        settled = true;
        throw fromWire(m.error);
      } else throw m.error;
    }
  } finally {
    call.abortSignal.removeEventListener('abort', onAbort);
    if (!settled && current === h) post({ t: 'abort', id });
    h.routes.delete(id);
    if (h.routes.size === 0) h.w.unref();
  }
}

const abortError = () => new DOMException('This operation was aborted', 'AbortError');
