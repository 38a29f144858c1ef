import { Worker } from 'node:worker_threads';
import { APICallError } from '@ai-sdk/provider';
import type { TextStreamPart, ToolSet } from 'ai';
import { type FromWorker, fromWire, partFromWire, type ToWorker } from './model-worker-protocol';
import type { PlainTextCall } from './plain-text';
import type { ProviderSpec } from './provider-models';

// The server thread's side of the model worker: one worker per process, started on the first
// call, holding the process open only while a call is in flight. A call's parts come back as
// plainTextParts would give them; the worker stopping fails the calls it had, as a dropped
// connection (retried before the first token). A worker that cannot start is not started again.

type Queued = FromWorker | { t: 'fail'; error: Error };

interface Handle {
  w: Worker;
  routes: Map<number, (m: Queued) => void>;
  started: boolean;
}

let current: Handle | null = null;
let startFailure: Error | null = null;
let nextId = 1;

/** Why the model worker could not start in this process, or null (callers then stay in-process). */
export const modelWorkerStartFailure = (): Error | null => startFailure;

function modelWorker(): Handle {
  if (current) return current;
  const h: Handle = {
    w: new Worker(new URL('./model-worker.mjs', import.meta.url)),
    routes: new Map(),
    started: false,
  };
  h.w.on('message', (m: FromWorker) => {
    if (m.t === 'ready') h.started = true;
    else h.routes.get(m.id)?.(m);
  });
  const stopped = (why: string) => {
    if (current === h) current = null;
    if (!h.started) startFailure ??= new Error(`the model worker did not start: ${why}`);
    const error = new APICallError({
      message: `the model worker stopped: ${why}`,
      url: '',
      requestBodyValues: undefined,
      isRetryable: true,
    });
    for (const push of h.routes.values()) push({ t: 'fail', error });
  };
  h.w.on('error', (err) => stopped(err.message));
  h.w.on('exit', (code) => stopped(`exit code ${code}`));
  // After the listeners: adding a 'message' listener refs the worker again.
  h.w.unref();
  current = h;
  return h;
}

export interface RemoteWatch {
  /** The worker is sending the request: the connect timeout starts now, not at the worker's start. */
  fetching(): void;
  responded(ok: boolean, contentType: string | null): void;
}

export async function* remoteTextParts(
  spec: ProviderSpec,
  modelId: string,
  call: PlainTextCall,
  watch: RemoteWatch,
): AsyncGenerator<TextStreamPart<ToolSet>> {
  if (call.abortSignal.aborted) throw abortError();
  const h = modelWorker();
  const id = nextId++;
  const queue: Queued[] = [];
  let wake: (() => void) | null = null;
  const push = (m: Queued) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  h.routes.set(id, push);
  if (h.routes.size === 1) h.w.ref();
  const post = (m: ToWorker) => {
    if (current === h) h.w.postMessage(m);
  };
  let settled = false;
  // The request stops now, and text already queued is not passed on after the abort.
  const onAbort = () => {
    settled = true;
    post({ t: 'abort', id });
    queue.length = 0;
    push({ t: 'fail', error: abortError() });
  };
  call.abortSignal.addEventListener('abort', onAbort, { once: true });
  try {
    post({ t: 'call', id, spec, modelId, prompt: call.prompt, maxOutputTokens: call.maxOutputTokens });
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if (m.t === 'fetching') watch.fetching();
      else if (m.t === 'response') watch.responded(m.ok, m.contentType);
      else if (m.t === 'part') yield partFromWire(m.part);
      else if (m.t === 'end') {
        settled = true;
        return;
      } else if (m.t === 'error') {
        settled = true;
        throw fromWire(m.error);
      } else if (m.t === 'fail') throw m.error;
    }
  } finally {
    call.abortSignal.removeEventListener('abort', onAbort);
    // Also reached when the consumer stops reading early: the upstream request must stop too.
    if (!settled) post({ t: 'abort', id });
    h.routes.delete(id);
    if (h.routes.size === 0) h.w.unref();
  }
}

const abortError = () => new DOMException('This operation was aborted', 'AbortError');
