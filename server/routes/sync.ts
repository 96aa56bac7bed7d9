import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/api/result';
import { MAX_PUSH_MUTATIONS, pullQuerySchema, pushRequestSchema } from '../../shared/sync/protocol';
import { ANY, type RouteContext } from './context';

/** Sync routes: outbox push, delta pull and the real-time WebSocket (`/realtime`). */
export function registerSyncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { need, push, pull, realtime } = ctx;
  app.post('/sync/push', async (req) => {
    const p = need(req, ...ANY);
    const raw = req.body as { mutations?: unknown } | null;
    if (raw && Array.isArray(raw.mutations) && raw.mutations.length > MAX_PUSH_MUTATIONS) {
      throw new AppError('PAYLOAD_TOO_LARGE', `At most ${MAX_PUSH_MUTATIONS} mutations per push`);
    }
    const { response } = await push.push(p, pushRequestSchema.parse(req.body));
    return response;
  });
  app.get('/sync/pull', async (req, reply) => {
    const p = need(req, ...ANY);
    const q = pullQuerySchema.parse(req.query);
    return reply.type('application/json; charset=utf-8').send(await pull.pullJson(p, q.cursor, q.limit));
  });
  app.get('/realtime', { websocket: true }, (socket) => realtime.accept(socket));
}
