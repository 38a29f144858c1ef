import {
  type ModelMessage,
  Output,
  stepCountIs,
  streamText,
  type TextStreamPart,
  type ToolSet,
  tool,
} from 'ai';
import type { FastifyBaseLogger } from 'fastify';
import { costOf } from './catalog';
import { errorText } from './error-text';
import { type BackoffOptions, backoffMs, classify, type TimeoutKind, withElapsed } from './failures';
import { plainTextParts, toPrompt } from './plain-text';
import type { FetchFunction, Provider } from './providers';
import { modelWorkerStartFailure, remoteTextParts } from './remote-text';
import { LlmError, type ModelInfo, type StreamEvent, type StreamRequest } from './types';

// One streamed model call: our own retries (only before the first token), timeouts, tools, and
// exactly one `finish` event at the end — or an LlmError.

export interface StreamSettings {
  maxRetries: number;
  timeouts: { connectMs: number; firstTokenMs: number; totalMs: number };
  backoff: BackoffOptions;
  /** A Retry-After longer than this is not waited for: the call fails as rate limited. */
  maxRetryAfterMs: number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: FastifyBaseLogger;
  /** Plain-text calls' HTTP and parsing run on the model worker thread (MODEL_WORKER). */
  modelWorker: boolean;
}

const DEFAULT_MAX_STEPS = 5;

/** An answer with no text (or only whitespace) and no tool call. */
export const NO_TEXT = 'the model returned no text';

export async function* streamModel(
  s: StreamSettings,
  provider: Provider,
  info: ModelInfo,
  req: StreamRequest,
): AsyncGenerator<StreamEvent> {
  const started = performance.now();
  const total = new AbortController();
  const totalTimer = setTimeout(() => total.abort(), s.timeouts.totalMs);
  let firstTokenMs: number | null = null;
  // What the caller gets: the failure with the real time spent and how many attempts it took.
  const giveUp = (error: LlmError, attempt: number, timedOut: TimeoutKind | null) =>
    error.kind === 'aborted' || timedOut === 'total'
      ? error
      : withElapsed(error, attempt + 1, performance.now() - started);
  try {
    for (let attempt = 0; ; attempt++) {
      if (req.signal?.aborted) throw new LlmError(`${info.id}: the request was cancelled`, 'aborted');
      const ac = new AbortController();
      let timedOut: TimeoutKind | null = null;
      let responded = false;
      let unexpectedContentType: string | null = null;
      const fail = (why: TimeoutKind) => {
        timedOut ??= why;
        ac.abort();
      };
      const onCallerAbort = () => ac.abort();
      const onTotal = () => fail('total');
      req.signal?.addEventListener('abort', onCallerAbort);
      total.signal.addEventListener('abort', onTotal);
      if (total.signal.aborted) fail('total');
      let firstTokenTimer =
        firstTokenMs === null ? setTimeout(() => fail('first_token'), s.timeouts.firstTokenMs) : undefined;
      const markFirstToken = () => {
        if (firstTokenMs !== null) return;
        firstTokenMs = Math.round(performance.now() - started);
        clearTimeout(firstTokenTimer);
        firstTokenTimer = undefined;
      };

      let error: unknown;
      let failed = false;
      let empty = false;
      let finished = false;
      try {
        const parts = attemptParts(s, provider, info, req, ac.signal, {
          timedOut: () => fail('connect'),
          responded: (ok, type) => {
            responded = true;
            // A web page where the API should be (a proxy, a login page, a wrong path). Only
            // markup is flagged: some compatible servers stream with odd or missing types.
            if (ok && /html|xml/i.test(type) && !/json|event-stream/i.test(type)) {
              unexpectedContentType = type.split(';')[0].trim();
              ac.abort();
            }
          },
        });
        const invalidCalls = new Set<string>();
        let answered = false;
        for await (const part of parts) {
          if (part.type === 'text-delta') {
            markFirstToken();
            if (part.text.trim()) answered = true;
            if (part.text) yield { type: 'text', text: part.text };
          } else if (part.type === 'reasoning-delta' || part.type === 'tool-input-start') {
            markFirstToken();
          } else if (part.type === 'tool-call') {
            markFirstToken();
            // A call naming an unknown tool or with invalid input never ran: not reported.
            if (part.invalid) invalidCalls.add(part.toolCallId);
            else {
              answered = true;
              yield { type: 'tool-call', name: part.toolName, input: part.input };
            }
          } else if (part.type === 'tool-result') {
            yield { type: 'tool-result', name: part.toolName, output: part.output };
          } else if (part.type === 'tool-error') {
            if (!invalidCalls.has(part.toolCallId)) {
              yield { type: 'tool-result', name: part.toolName, output: { error: errorText(part.error) } };
            }
          } else if (part.type === 'error' || part.type === 'abort') {
            failed = true;
            error = part.type === 'error' ? part.error : new Error('aborted');
            break;
          } else if (part.type === 'finish') {
            if (!answered) {
              failed = empty = true;
              break;
            }
            finished = true;
            const usage = {
              input_tokens: part.totalUsage.inputTokens ?? null,
              output_tokens: part.totalUsage.outputTokens ?? null,
            };
            yield {
              type: 'finish',
              model: info.id,
              offline: false,
              usage,
              cost_usd: costOf(usage, info),
              first_token_ms: firstTokenMs,
              finish_reason: part.finishReason,
            };
          }
        }
        if (!failed && !finished) {
          failed = true;
          error = new Error('the stream ended without a finish');
        }
      } catch (err) {
        failed = true;
        error = err;
      } finally {
        clearTimeout(firstTokenTimer);
        req.signal?.removeEventListener('abort', onCallerAbort);
        total.signal.removeEventListener('abort', onTotal);
        // Also reached when our consumer stops early: the upstream call must not outlive it.
        if (!finished) ac.abort();
      }
      if (!failed) return;
      // Every caller would show or store an empty answer as a success; it is not one. Not retried:
      // the same request most likely gets the same answer.
      if (empty && unexpectedContentType === null) throw new LlmError(NO_TEXT, 'upstream');

      const failure = classify(error, {
        model: info.id,
        provider,
        responded,
        unexpectedContentType,
        timedOut,
        callerAborted: req.signal?.aborted === true,
        timeouts: s.timeouts,
        midStream: firstTokenMs !== null,
      });
      if (!failure.retryable || firstTokenMs !== null || attempt >= s.maxRetries) {
        throw giveUp(failure.error, attempt, timedOut);
      }
      if (failure.retryAfterMs !== null && failure.retryAfterMs > s.maxRetryAfterMs) {
        const asked = `asked to retry after ${Math.ceil(failure.retryAfterMs / 1000)} s`;
        throw giveUp(
          new LlmError(`${failure.error.message} (${asked})`, failure.error.kind, failure.error.status),
          attempt,
          timedOut,
        );
      }
      const delay = backoffMs(attempt, failure.retryAfterMs, s.backoff);
      const remaining = s.timeouts.totalMs - (performance.now() - started);
      if (delay >= remaining) throw giveUp(failure.error, attempt, timedOut);
      s.log.warn(
        { model: info.id, attempt: attempt + 1, delay_ms: delay, err: failure.error.message },
        'model call failed before the first token; retrying',
      );
      const stop = AbortSignal.any([total.signal, ...(req.signal ? [req.signal] : [])]);
      await s.sleep(delay, stop);
      if (total.signal.aborted) {
        throw new LlmError(
          `${info.id} did not finish within ${s.timeouts.totalMs} ms (total timeout)`,
          'timeout',
        );
      }
    }
  } finally {
    clearTimeout(totalTimer);
  }
}

let reportedWorkerFailure = false;
/** A model worker that could not start leaves this process's calls on the server thread, said once. */
function workerUnavailable(log: FastifyBaseLogger): boolean {
  const failure = modelWorkerStartFailure();
  if (failure && !reportedWorkerFailure) {
    reportedWorkerFailure = true;
    log.error({ err: failure }, 'model calls stay on the server thread');
  }
  return failure !== null;
}

interface ConnectWatch {
  /** No response headers within the connect timeout. */
  timedOut(): void;
  responded(ok: boolean, contentType: string): void;
}

/**
 * One attempt's stream parts: streamText where tools or structured output need its steps, else
 * the provider model's own stream (see plain-text.ts), on the model worker unless it is turned off.
 */
async function* attemptParts(
  s: StreamSettings,
  provider: Provider,
  info: ModelInfo,
  req: StreamRequest,
  signal: AbortSignal,
  watch: ConnectWatch,
): AsyncGenerator<TextStreamPart<ToolSet>> {
  const plainText = !req.tools?.length && !req.output;
  const plain = () => ({
    prompt: toPrompt(req.system, req.messages),
    maxOutputTokens: req.maxOutputTokens,
    abortSignal: signal,
  });
  if (plainText && s.modelWorker && !workerUnavailable(s.log)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      yield* remoteTextParts(provider.spec, info.model, plain(), {
        fetching: () => {
          timer = setTimeout(watch.timedOut, s.timeouts.connectMs);
        },
        responded: (ok, type) => {
          clearTimeout(timer);
          watch.responded(ok, type ?? '');
        },
      });
    } finally {
      clearTimeout(timer);
    }
    return;
  }
  const model = provider.model(
    info.model,
    connectTimed(s.timeouts.connectMs, watch.timedOut, (res) =>
      watch.responded(res.ok, res.headers.get('content-type') ?? ''),
    ),
  );
  if (plainText) {
    yield* plainTextParts(model, plain());
    return;
  }
  yield* streamText({
    model,
    system: req.system,
    messages: req.messages as ModelMessage[],
    tools: toolSet(req),
    ...(req.tools?.length ? { stopWhen: stepCountIs(req.maxSteps ?? DEFAULT_MAX_STEPS) } : {}),
    maxOutputTokens: req.maxOutputTokens,
    ...(req.output ? { output: Output.object({ schema: req.output }) } : {}),
    // We retry ourselves, and only before the first token.
    maxRetries: 0,
    abortSignal: signal,
    // Errors arrive as stream parts; the SDK's default handler would print them.
    onError: () => {},
  }).fullStream;
}

function toolSet(req: StreamRequest): ToolSet | undefined {
  if (!req.tools?.length) return undefined;
  return Object.fromEntries(
    req.tools.map((t) => [
      t.name,
      tool({ description: t.description, inputSchema: t.inputSchema, execute: (input) => t.execute(input) }),
    ]),
  );
}

/**
 * fetch with a deadline on the response headers; `onTimeout` aborts the whole attempt, and
 * `onResponse` sees the headers (to tell "never reached" from "reached, then closed").
 */
function connectTimed(ms: number, onTimeout: () => void, onResponse: (res: Response) => void): FetchFunction {
  return async (input, init) => {
    const timer = setTimeout(onTimeout, ms);
    try {
      const res = await fetch(input, init);
      onResponse(res);
      return res;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Resolves after ms, or early when the signal aborts (the caller then checks why). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
