/**
 * Result and error types that cross the API boundary. Nothing ever throws across a transport:
 * every invoke answers a {@link Result}.
 */

/** Every error code the API can answer with. Add new codes here, never ad-hoc strings. */
export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'INVALID_SETTING',
  'SETTING_LOCKED',
  'UNKNOWN_SETTING',
  'DB_TOO_NEW',
  'DB_ERROR',
  'CONFIG_INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'TIMEOUT',
  'DISCONNECTED',
  'INTERNAL',
  'ILLEGAL_TRANSITION',
  'MISSING_FIELD',
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'CLIENT_ID_TAKEN',
  'UPDATE_FEED_INVALID',
  'UPDATE_CHECKSUM',
] as const;

/** A machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error shape that crosses the boundary. `details` must be JSON. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** A successful or failed answer to an invoke call. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** An error with a typed code, thrown inside a layer and turned into a failed Result at its edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Builds a successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed result. */
export function fail(code: ErrorCode, message: string, details?: unknown): Result<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** Converts anything thrown into an ApiError without leaking stack traces. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) {
    return err.details === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: err.details };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** Used at the end of exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new AppError('INTERNAL', `Unexpected ${what}: ${JSON.stringify(value)}`);
}
