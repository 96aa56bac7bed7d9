import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/api/result';
import { describeUnsafe, findUnsafeValue } from '../shared/sync/safeValues';

/**
 * Refuses requests carrying text PostgreSQL cannot hold (NUL, lone surrogates) in the path, the
 * query or a JSON body with 400 `INVALID_PAYLOAD` before any route runs, so no endpoint answers 500
 * for them. A push's mutations are left to the push, which refuses them one by one (one bad record
 * must not hold back the rest); a CSV body is bytes, decoded and checked row by row by the import.
 */
export function refuseUnsafeInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const found =
      findUnsafeValue(req.params, 'path') ??
      findUnsafeValue(req.query, 'query') ??
      (Buffer.isBuffer(req.body) ? null : findUnsafeValue(withoutMutations(req.routeOptions.url, req.body), 'body'));
    if (found) throw new AppError('INVALID_PAYLOAD', describeUnsafe(found));
  });
}

function withoutMutations(route: string | undefined, body: unknown): unknown {
  if (route !== '/sync/push' || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { mutations: _m, ...rest } = body as Record<string, unknown>;
  return rest;
}
