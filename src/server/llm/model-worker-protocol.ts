import { APICallError, type LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { TextStreamPart, ToolSet } from 'ai';
import { errorText } from './error-text';
import type { ProviderSpec } from './provider-models';

// The messages between the server thread (remote-text.ts) and the model worker (model-worker.ts),
// and how an error crosses between them: structured clone keeps neither classes nor `cause`.

export type ToWorker =
  | {
      t: 'call';
      id: number;
      spec: ProviderSpec;
      modelId: string;
      prompt: LanguageModelV3Prompt;
      maxOutputTokens: number | undefined;
    }
  | { t: 'abort'; id: number };

export type FromWorker =
  | { t: 'ready'; id: 0 }
  | { t: 'fetching'; id: number }
  | { t: 'response'; id: number; ok: boolean; contentType: string | null }
  | { t: 'part'; id: number; part: TextStreamPart<ToolSet> }
  | { t: 'end'; id: number }
  | { t: 'error'; id: number; error: WireError };

export interface WireError {
  name: string;
  message: string;
  cause: string | null;
  /** Set for an APICallError: what failures.ts reads of it. */
  api: {
    url: string;
    statusCode: number | undefined;
    responseHeaders: Record<string, string> | undefined;
    responseBody: string | undefined;
    isRetryable: boolean;
    data: unknown;
  } | null;
}

export function toWire(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(errorText(err));
  const cause = e.cause instanceof Error ? e.cause.message : e.cause == null ? null : String(e.cause);
  const api = APICallError.isInstance(err)
    ? {
        url: err.url,
        statusCode: err.statusCode,
        responseHeaders: err.responseHeaders,
        responseBody: err.responseBody,
        isRetryable: err.isRetryable,
        data: safeData(err.data),
      }
    : null;
  return { name: e.name, message: e.message, cause, api };
}

export function fromWire(w: WireError): Error {
  const cause = w.cause === null ? undefined : new Error(w.cause);
  if (w.api) {
    return new APICallError({
      message: w.message,
      url: w.api.url,
      // The request body stays in the worker: nothing here reads it back.
      requestBodyValues: undefined,
      statusCode: w.api.statusCode,
      responseHeaders: w.api.responseHeaders,
      responseBody: w.api.responseBody,
      isRetryable: w.api.isRetryable,
      data: w.api.data,
      cause,
    });
  }
  const err = new Error(w.message, { cause });
  err.name = w.name;
  return err;
}

/** Parts carry errors too (a broken chunk): those cross as WireErrors and come back as errors. */
export function partToWire(part: TextStreamPart<ToolSet>): TextStreamPart<ToolSet> {
  return part.type === 'error' ? { type: 'error', error: toWire(part.error) } : part;
}

export function partFromWire(part: TextStreamPart<ToolSet>): TextStreamPart<ToolSet> {
  return part.type === 'error' ? { type: 'error', error: fromWire(part.error as WireError) } : part;
}

function safeData(data: unknown): unknown {
  try {
    return structuredClone(data);
  } catch {
    return undefined;
  }
}
