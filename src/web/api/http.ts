import type { z } from 'zod';
import { errorResponse } from '../../shared/common';
import { labelledMessage } from '../lib/field-labels';

// The one way the web app talks to the server: same-origin fetch with the session cookie,
// JSON in and out, every response parsed with the shared zod schema of its route.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** The whole JSON error body (a 409 carries the current draft beside `detail`). */
    readonly body: unknown,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

let onUnauthorized: (() => void) | null = null;
/** Called when a signed-in request answers 401 (the session ended): the app sends the user to /login. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

let signOutPending = false;
/**
 * From the logout until the sign-in page has forgotten the user (forgetSession), a 401 is expected:
 * the handler is held back so that it cannot send the page being left to /login?next=.
 */
export function setSigningOut(pending: boolean): void {
  signOutPending = pending;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status text.
  }
  const parsed = errorResponse.safeParse(body);
  const detail = parsed.success ? parsed.data.detail : `${res.status} ${res.statusText || 'error'}`;
  return new ApiError(res.status, detail, body);
}

export interface RequestOptions {
  signal?: AbortSignal;
  accept?: string;
  /** Let the request outlive the page (a save sent while the tab closes or reloads). */
  keepalive?: boolean;
}

/** Sends one request; a non-2xx answer becomes an ApiError with the server's `detail`. */
export async function send(method: string, path: string, body?: unknown, opts: RequestOptions = {}) {
  const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
      keepalive: opts.keepalive,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'The server cannot be reached; check your connection and try again', null);
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && !path.startsWith('/api/auth/') && !signOutPending) onUnauthorized?.();
    throw error;
  }
  return res;
}

/** A JSON request whose answer is checked against the route's shared schema. */
export async function api<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S,
  body?: unknown,
  opts?: RequestOptions,
): Promise<z.output<S>> {
  const res = await send(method, path, body, opts);
  const json = res.status === 204 ? undefined : await res.json();
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(res.status, `Unexpected answer from ${method} ${path.split('?')[0]}`, json);
  }
  return parsed.data;
}

/** A request whose answer body does not matter (DELETE, logout). */
export async function sendNoContent(method: string, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

/** What to tell the user: the server's field errors under the form's own labels, else its detail. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const parsed = errorResponse.safeParse(err.body);
  const fieldErrors = parsed.success ? parsed.data.errors : undefined;
  if (!fieldErrors?.length) return err.detail;
  return fieldErrors.map((e) => labelledMessage(e.path, e.message)).join('; ');
}
