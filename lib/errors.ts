// One error type for everything the API answers with. The message is safe to
// show; details (queries, stack traces, cluster answers) go to the server log.

export const ERROR_STATUS = {
  bad_request: 400,
  /** No session: sign in first. */
  unauthorized: 401,
  /** Signed in, but this is not for you (admin pages, cross-site requests). */
  forbidden: 403,
  not_found: 404,
  source_unavailable: 503,
  /** The audit trail could not be written, so the data it would record is not served. */
  audit_unavailable: 503,
  /** Too much of one kind of work at once (text exports): try again shortly. */
  busy: 503,
  /** Live follow: the cap of concurrent live streams (per user, or on this instance) is reached. */
  too_many_streams: 429,
  source_timeout: 504,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', 'Internal error', { cause: err });
}
