import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RouteContext } from './context';

const reportQuerySchema = z.object({ since: z.coerce.number().default(0), limit: z.coerce.number().int().min(1).max(5000).default(1000) });

/** Reporting routes (`/reports/*`) for supervisors and admins. */
export function registerReportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { need, reports } = ctx;
  app.get('/reports/agent-events', async (req) => {
    need(req, 'supervisor', 'admin');
    const q = reportQuerySchema.parse(req.query);
    return reports.agentEvents(q.since, q.limit);
  });
  app.get('/reports/call-events', async (req) => {
    need(req, 'supervisor', 'admin');
    const q = reportQuerySchema.parse(req.query);
    return reports.callEvents(q.since, q.limit);
  });
}
