import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import type { WallboardHub } from '../reports/wallboardHub';
import { wallboardPage } from '../reports/wallboardPage';
import { wallboardSpecSchema, type WallboardTokens } from '../reports/wallboardToken';
import type { Guard } from './context';

const tokenQuery = z.object({ token: z.string().min(1).max(4000) });

/**
 * Wallboards (issue 12 item 5): an admin makes a read-only token for chosen queues and KPIs
 * (`POST /supervisor/wallboards`); a TV opens `GET /wallboard?token=…` (the page) which streams from
 * `/wallboard/socket?token=…`. The token grants nothing else (no API route accepts it).
 */
export function registerWallboardRoutes(app: FastifyInstance, deps: { need: Guard; tokens: WallboardTokens; hub: WallboardHub }): void {
  app.post('/supervisor/wallboards', async (req, reply) => {
    deps.need(req, 'admin');
    const spec = wallboardSpecSchema.parse(req.body);
    const token = deps.tokens.sign(spec);
    void reply.status(201);
    return { token, path: `/wallboard?token=${encodeURIComponent(token)}`, spec };
  });
  app.get('/wallboard', async (req, reply) => {
    const { token } = tokenQuery.parse(req.query);
    const spec = deps.tokens.verify(token);
    if (!spec) throw new AppError('UNAUTHORIZED', 'This wallboard link is not valid: ask an administrator for a new one');
    const nonce = crypto.randomBytes(16).toString('base64');
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'`)
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store');
    return wallboardPage(spec, nonce);
  });
  app.get('/wallboard/socket', { websocket: true }, (socket, req) => {
    const parsed = tokenQuery.safeParse(req.query);
    if (!parsed.success) {
      socket.close(4401, 'token required');
      return;
    }
    deps.hub.accept(socket, parsed.data.token);
  });
}
