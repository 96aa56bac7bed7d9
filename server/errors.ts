import { AppError, type ErrorCode } from '../shared/api/result';

/** HTTP status of each error code the server answers with. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_PAYLOAD':
    case 'INVALID_SETTING':
    case 'UNKNOWN_SETTING':
    case 'MISSING_FIELD':
    case 'ILLEGAL_TRANSITION':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
    case 'UNKNOWN_CHANNEL':
      return 404;
    case 'CONFLICT':
    case 'CLIENT_ID_TAKEN':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'RATE_LIMITED':
      return 429;
    case 'UNAVAILABLE':
    case 'DISCONNECTED':
    case 'TIMEOUT':
      return 503;
    default:
      return 500;
  }
}

/** Shorthand for a 403. */
export function forbidden(message = 'You may not do this'): AppError {
  return new AppError('FORBIDDEN', message);
}
