import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../../shared/api/result';
import { httpStatusOf } from '../errors';
import type { Logger } from '../log';

/**
 * Maps every failure to `{ error: { code, message, details? } }` with its HTTP status (`errors.ts`);
 * unexpected errors are logged and answered `INTERNAL` without their text.
 */
export function registerErrorHandlers(app: FastifyInstance, bodyLimitBytes: number, logger: Logger): void {
  app.setErrorHandler((err: unknown, req, reply) => {
    const e = err as { code?: string; statusCode?: number; message?: string };
    let code: ErrorCode;
    let message = e.message ?? 'Error';
    let details: unknown;
    if (err instanceof AppError) {
      code = err.code;
      details = err.details;
    } else if (err instanceof z.ZodError) {
      code = 'INVALID_PAYLOAD';
      message = err.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ');
    } else if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
      code = 'PAYLOAD_TOO_LARGE';
      message = `The request is larger than the limit of ${bodyLimitBytes} bytes: send fewer changes per request`;
    } else if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      code = e.statusCode === 415 ? 'INVALID_PAYLOAD' : e.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_PAYLOAD';
    } else {
      code = 'INTERNAL';
      logger.error('request failed', { url: req.url, error: message });
      message = 'Internal server error';
    }
    if (code === 'RATE_LIMITED') {
      const after = (details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (after !== undefined) void reply.header('retry-after', String(after));
    }
    void reply.status(httpStatusOf(code)).send({ error: details === undefined ? { code, message } : { code, message, details } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
