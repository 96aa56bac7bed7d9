import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/api/result';
import { loginRequestSchema, refreshRequestSchema } from '../../shared/sync/protocol';
import { toUser } from '../services/users';
import { ANY, type RouteContext } from './context';

/** Sign-in (`/auth/*`), the caller's own user (`/me`) and the central configuration (`/config`). */
export function registerAuthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { need, auth, users } = ctx;
  app.post('/auth/login', async (req) => {
    const body = loginRequestSchema.parse(req.body);
    return auth.login(body.username, body.password, req.ip);
  });
  app.post('/auth/refresh', async (req) => auth.refresh(refreshRequestSchema.parse(req.body).refreshToken));
  app.post('/auth/logout', async (req, reply) => {
    await auth.logout(refreshRequestSchema.parse(req.body).refreshToken);
    return reply.status(204).send();
  });
  app.get('/me', async (req) => {
    const p = need(req, ...ANY);
    const u = await users.find(p.id);
    if (!u) throw new AppError('NOT_FOUND', 'Your user no longer exists');
    return toUser(u);
  });
  // Read by everyone, written by admins (routes/admin.ts).
  app.get('/config', async (req) => {
    need(req, ...ANY);
    return ctx.config.all();
  });
}
