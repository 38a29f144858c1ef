import { APICallError } from 'ai';
import { errorText } from './error-text';
import type { Provider } from './providers';
import { LlmError } from './types';

// Turns whatever a model call failed with into an LlmError, and decides whether it may be retried.

export type TimeoutKind = 'connect' | 'first_token' | 'total';

export interface Failure {
  error: LlmError;
  /** Transient: worth another attempt if no token has arrived yet. */
  retryable: boolean;
  /** What the upstream asked us to wait (Retry-After), in ms. */
  retryAfterMs: number | null;
}

export interface FailureContext {
  model: string;
  provider: Pick<Provider, 'name' | 'kind'>;
  /** The attempt got response headers (so the upstream was reached). */
  responded: boolean;
  /** The content type of a 200 that is a web page (text/html …) rather than an API response, or null. */
  unexpectedContentType: string | null;
  timedOut: TimeoutKind | null;
  callerAborted: boolean;
  timeouts: { connectMs: number; firstTokenMs: number; totalMs: number };
  /** A token had already been streamed when the failure happened. */
  midStream: boolean;
}

const QUOTA_PATTERN = /insufficient_quota|billing|credit balance|quota exceeded|exceeded your current quota/i;

export function classify(err: unknown, c: FailureContext): Failure {
  const final = (error: LlmError): Failure => ({ error, retryable: false, retryAfterMs: null });
  if (c.callerAborted) return final(new LlmError(`${c.model}: the request was cancelled`, 'aborted'));
  if (c.unexpectedContentType) {
    // Something else answers at that address (a web server, a login page): retrying cannot help.
    return final(
      new LlmError(
        `${c.provider.name} answered with ${c.unexpectedContentType}, not an API response ` +
          `(is ${addressSetting(c.provider)} right?)`,
        'config',
      ),
    );
  }
  if (c.timedOut === 'total') {
    return final(
      new LlmError(`${c.model} did not finish within ${c.timeouts.totalMs} ms (total timeout)`, 'timeout'),
    );
  }
  if (c.timedOut === 'first_token') {
    // Not retried: another full wait on a slow upstream is worse than a clear error now.
    return final(
      new LlmError(
        `${c.model} sent no answer within ${c.timeouts.firstTokenMs} ms (first-token timeout)`,
        'timeout',
      ),
    );
  }
  if (c.timedOut === 'connect') {
    return {
      error: new LlmError(
        `no response headers from ${c.provider.name} within ${c.timeouts.connectMs} ms`,
        'timeout',
      ),
      retryable: true,
      retryAfterMs: null,
    };
  }

  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    const detail = upstreamMessage(err);
    if (status === undefined || status < 400) {
      // No status: the connection failed. A success status: the body broke while streaming.
      const error = c.midStream
        ? new LlmError(`${c.model}: the connection dropped mid-answer: ${detail}`, 'upstream')
        : c.responded
          ? new LlmError(`the connection to ${c.provider.name} closed before the first token`, 'upstream')
          : new LlmError(`${c.model} could not be reached: ${detail}`, 'upstream');
      return {
        error,
        retryable: true,
        retryAfterMs: null,
      };
    }
    if (QUOTA_PATTERN.test(`${err.responseBody ?? ''} ${err.message}`)) {
      return final(
        new LlmError(
          `${c.model}: quota or billing limit reached (HTTP ${status}): ${detail}`,
          'quota',
          status,
        ),
      );
    }
    if (status === 401 || status === 403) {
      return final(
        new LlmError(
          `${c.model}: the provider refused the credentials (HTTP ${status}): ${detail}`,
          'auth',
          status,
        ),
      );
    }
    if (status === 429) {
      return {
        error: new LlmError(`${c.model} is rate limited (HTTP 429): ${detail}`, 'rate_limited', status),
        retryable: true,
        retryAfterMs: retryAfterMs(err.responseHeaders),
      };
    }
    if (status === 408 || status === 409 || status >= 500) {
      return {
        error: new LlmError(`${c.model}: upstream error (HTTP ${status}): ${detail}`, 'upstream', status),
        retryable: true,
        retryAfterMs: retryAfterMs(err.responseHeaders),
      };
    }
    return final(
      new LlmError(`${c.model} rejected the request (HTTP ${status}): ${detail}`, 'bad_request', status),
    );
  }

  if (err instanceof LlmError) return final(err);
  return final(new LlmError(`${c.model} failed: ${errorText(err)}`, 'upstream'));
}

/** The environment setting that holds a provider's address, for messages that blame the address. */
function addressSetting(p: Pick<Provider, 'name' | 'kind'>): string {
  if (p.kind === 'openai') return 'OPENAI_BASE_URL';
  if (p.kind === 'anthropic') return 'ANTHROPIC_BASE_URL';
  if (p.kind === 'ollama') return 'OLLAMA_HOST';
  return `the baseURL of "${p.name}" in OPENAI_COMPATIBLE_PROVIDERS`;
}

/**
 * The failure as the caller will see it, with the real time spent and, after retries, the number
 * of attempts: "(after 0.3 s)", "(3 attempts, 7.1 s in all)".
 */
export function withElapsed(error: LlmError, attempts: number, elapsedMs: number): LlmError {
  const s = `${(elapsedMs / 1000).toFixed(1)} s`;
  const tally = attempts > 1 ? `(${attempts} attempts, ${s} in all)` : `(after ${s})`;
  return new LlmError(`${error.message} ${tally}`, error.kind, error.status);
}

/** Retry-After in ms from `retry-after-ms`, or `retry-after` as seconds or an HTTP date; null if absent. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const get = (name: string) =>
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim() || undefined;
  const ms = get('retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = get('retry-after');
  if (value === undefined) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/** Exponential backoff with equal jitter; never shorter than what Retry-After asked for. */
export function backoffMs(attempt: number, retryAfter: number | null, o: BackoffOptions): number {
  const exp = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
  const jittered = Math.round(exp / 2 + o.random() * (exp / 2));
  return Math.max(jittered, retryAfter ?? 0);
}

function upstreamMessage(err: APICallError): string {
  const message = err.message || 'no detail';
  // The SDK's generic wording hides the cause of a broken body stream.
  if (message === 'Failed to process successful response' && err.cause instanceof Error) {
    return `${message} (${err.cause.message})`;
  }
  return message;
}
