import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import type { Logger } from '../log';
import { signMonitorToken, type MonitorSigningKey } from '../monitor/tokenSigner';
import type { RouteContext } from './context';

const tokenRequestSchema = z.object({
  /** The agent's user id. */
  agent: z.string().trim().min(1).max(100),
  /** The agent's call (desktop call id, as the real-time feed reports it). */
  call: z.string().trim().min(1).max(100),
});

/**
 * Listen / whisper / barge (docs/monitoring.md):
 * - `GET /monitoring/key` (any signed-in user): the public key desktops verify tokens with;
 * - `POST /monitoring/token` `{agent, call}` (supervisor, admin): a short-lived token for one agent's
 *   call, only when the caller's scope covers the agent (admin: everyone; supervisor: their own
 *   team). Out of scope: 403, logged.
 */
export function registerMonitoringRoutes(app: FastifyInstance, ctx: RouteContext, key: MonitorSigningKey, logger: Logger, now: () => number): void {
  app.get('/monitoring/key', async (req) => {
    ctx.need(req);
    return { publicKey: key.publicKeyBase64, algorithm: 'Ed25519' };
  });
  app.post('/monitoring/token', async (req) => {
    const p = ctx.need(req, 'supervisor', 'admin');
    const body = tokenRequestSchema.parse(req.body);
    const agent = await ctx.users.find(body.agent);
    const inScope = agent !== null && !agent.disabled && (p.role === 'admin' || (p.team !== null && agent.team === p.team));
    if (!inScope) {
      logger.warn('monitoring token refused: agent out of scope', { supervisor: p.id, team: p.team, agent: body.agent, callId: body.call });
      throw new AppError('FORBIDDEN', `Agent ${body.agent} is not in your team`);
    }
    logger.info('monitoring token issued', { supervisor: p.id, agent: body.agent, callId: body.call });
    return { token: signMonitorToken({ supervisor: p.id, agent: body.agent, call: body.call }, key, now()) };
  });
}
