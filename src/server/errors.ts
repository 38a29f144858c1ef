export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'upstream_error'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  upstream_error: 502,
  internal: 500,
};

/** The one error type services throw; the Fastify error handler turns it into `{detail}`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra JSON fields sent beside `detail` (e.g. the current draft on a 409). */
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = statusOf[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const badRequest = (detail: string) => new AppError('bad_request', detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new AppError('conflict', detail, extra);
export const forbidden = (detail = 'Forbidden') => new AppError('forbidden', detail);
