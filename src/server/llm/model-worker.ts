import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './model-worker-protocol';
import { partToWire, toWire } from './model-worker-protocol';
import { plainTextParts } from './plain-text';
import { buildModel } from './provider-models';

// The model worker: plain-text model calls' HTTP, SSE parsing and the provider's stream transforms
// run on this thread, so a run's 50 concurrent calls do not compete with the server thread's
// retrieval, storing and scoring for one core. Timeouts, retries and error wording stay with the
// caller (stream.ts); this only runs one attempt and reports what happened.

const port = parentPort!;
const calls = new Map<number, AbortController>();
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.t === 'abort') calls.get(m.id)?.abort();
  else void run(m);
});
// Loaded: from now on a failure is this worker stopping, not the worker failing to start.
send({ t: 'ready', id: 0 });

async function run(m: Extract<ToWorker, { t: 'call' }>) {
  const ac = new AbortController();
  calls.set(m.id, ac);
  const fetchReporting: typeof fetch = async (input, init) => {
    send({ t: 'fetching', id: m.id });
    const res = await fetch(input, init);
    send({ t: 'response', id: m.id, ok: res.ok, contentType: res.headers.get('content-type') });
    return res;
  };
  try {
    const parts = plainTextParts(buildModel(m.spec, m.modelId, fetchReporting), {
      prompt: m.prompt,
      maxOutputTokens: m.maxOutputTokens,
      abortSignal: ac.signal,
    });
    for await (const part of parts) send({ t: 'part', id: m.id, part: partToWire(part) });
    send({ t: 'end', id: m.id });
  } catch (err) {
    send({ t: 'error', id: m.id, error: toWire(err) });
  } finally {
    calls.delete(m.id);
  }
}
