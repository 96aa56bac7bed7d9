import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { queueLoginParamsSchema, queueLoginSchema } from '../../shared/acd/agentQueues';
import { dialTargetSchema } from '../../shared/acd/queueConfig';
import type { UserRole } from '../../shared/sync/protocol';
import type { Principal } from '../auth/tokens';
import type { Db } from '../db/db';
import { QueueService } from '../acd/queueService';

/** What the queue routes need from the server. */
export interface QueueRoutesContext {
  db: Db;
  /** The server's role check: the caller's principal, or a thrown 401/403. */
  need: (req: FastifyRequest, ...roles: UserRole[]) => Principal;
  now: () => number;
}

const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * Queue administration and queue events (issue 11, docs/acd.md):
 * - `GET /admin/queues`, `GET /admin/queues/:id` (supervisor, admin);
 * - `POST /admin/queues`, `PATCH /admin/queues/:id`, `DELETE /admin/queues/:id` (admin);
 * - `PUT /admin/agents/:id/extension` `{extension: string | null}` (admin): the SIP user an agent is rung at;
 * - `GET /reports/queue-events?since=&queue=&limit=` (supervisor, admin): the stored queue events;
 * - `GET /acd/my-queues` (any signed-in user): the queues they are a member of, logged in or not;
 * - `PUT /acd/my-queues/:id` `{loggedIn}` (any signed-in user): logs them in to or out of that queue.
 */
export function registerQueueRoutes(app: FastifyInstance, ctx: QueueRoutesContext): QueueService {
  const queues = new QueueService(ctx.db, ctx.now);
  app.get('/admin/queues', async (req) => {
    ctx.need(req, 'supervisor', 'admin');
    return queues.list();
  });
  app.get('/admin/queues/:id', async (req) => {
    ctx.need(req, 'supervisor', 'admin');
    return queues.get(idParams.parse(req.params).id);
  });
  app.post('/admin/queues', async (req, reply) => {
    ctx.need(req, 'admin');
    return reply.status(201).send(await queues.create(req.body));
  });
  app.patch('/admin/queues/:id', async (req) => {
    ctx.need(req, 'admin');
    return queues.update(idParams.parse(req.params).id, req.body);
  });
  app.delete('/admin/queues/:id', async (req, reply) => {
    ctx.need(req, 'admin');
    await queues.remove(idParams.parse(req.params).id);
    return reply.status(204).send();
  });
  app.get('/acd/my-queues', async (req) => {
    const me = ctx.need(req, 'agent', 'supervisor', 'admin');
    return queues.agentQueues(me.id);
  });
  app.put('/acd/my-queues/:id', async (req) => {
    const me = ctx.need(req, 'agent', 'supervisor', 'admin');
    const { id } = queueLoginParamsSchema.parse(req.params);
    const { loggedIn } = queueLoginSchema.parse(req.body);
    return queues.setLogin(id, me.id, loggedIn, me.id);
  });
  app.put('/admin/agents/:id/extension', async (req) => {
    ctx.need(req, 'admin');
    const { id } = idParams.parse(req.params);
    const { extension } = z.object({ extension: dialTargetSchema.nullable() }).strict().parse(req.body);
    await queues.setExtension(id, extension);
    return { agentId: id, extension };
  });
  app.get('/reports/queue-events', async (req) => {
    ctx.need(req, 'supervisor', 'admin');
    const q = z
      .object({ since: z.coerce.number().default(0), queue: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(5000).default(1000) })
      .parse(req.query);
    const { rows } = await ctx.db.query<{ id: string; call_id: string; queue_id: string; kind: string; agent_id: string | null; at: string; wait_ms: string | null; detail: unknown }>(
      `SELECT id, call_id, queue_id, kind, agent_id, at, wait_ms, detail FROM queue_events
       WHERE at >= $1 AND ($2::text IS NULL OR queue_id = $2) ORDER BY id LIMIT $3`,
      [q.since, q.queue ?? null, q.limit],
    );
    return rows.map((r) => ({ id: Number(r.id), callId: r.call_id, queueId: r.queue_id, kind: r.kind, agentId: r.agent_id, at: Number(r.at), waitMs: r.wait_ms === null ? null : Number(r.wait_ms), detail: r.detail }));
  });
  return queues;
}
