import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../../shared/customer/schema';
import { decodeCsv } from '../../shared/customer/csvDecode';
import { callListFilterSchema, callListParamsSchema, callListQuerySchema, callListTasksSchema } from '../../shared/insight/callLists';
import type { CallListService } from '../services/insight/callLists';
import type { InsightService } from '../services/insight/insightService';
import type { OrderService } from '../services/insight/orders';
import { ANY, IMPORT_BODY_LIMIT, type Guard } from './context';

/** What the insight routes need. */
export interface InsightRouteContext {
  need: Guard;
  insight: InsightService;
  orders: OrderService;
  lists: CallListService;
}

/**
 * Customer insight (issue 13): purchase history import (shop/ERP API and CSV), settings, recompute
 * on demand, one customer's insight, the manual lifecycle stage, the lists that drive calls (read in
 * the caller's scope, turned into follow-up tasks by supervisors and admins).
 */
export function registerInsightRoutes(app: FastifyInstance, ctx: InsightRouteContext): void {
  const { need, insight, orders, lists } = ctx;
  app.post('/admin/orders', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    need(req, 'admin');
    return orders.importBatch(req.body);
  });
  app.post('/admin/orders/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    need(req, 'admin');
    const text = Buffer.isBuffer(req.body) ? decodeCsv(req.body).text : z.object({ csv: z.string().min(1) }).parse(req.body).csv;
    const { source } = z.object({ source: z.string().min(1).max(50).regex(/^[A-Za-z0-9_.-]+$/).default('csv') }).parse(req.query);
    return orders.importCsv(text, source);
  });
  app.get('/admin/insight/settings', async (req) => {
    need(req, 'admin', 'supervisor');
    return insight.settings();
  });
  app.put('/admin/insight/settings', async (req) => {
    need(req, 'admin');
    return insight.setSettings(req.body);
  });
  app.post('/admin/insight/recompute', async (req) => {
    need(req, 'admin', 'supervisor');
    return insight.recompute();
  });
  app.get('/customers/:id/insight', async (req) => {
    const p = need(req, ...ANY);
    const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(req.params);
    return { insight: await insight.get(p, id) };
  });
  app.put('/customers/:id/lifecycle', async (req) => {
    const p = need(req, 'admin', 'supervisor');
    const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(req.params);
    const { stage } = z.object({ stage: z.enum(LIFECYCLE_STAGES).nullable() }).parse(req.body);
    await insight.setLifecycleOverride(p, id, stage);
    return { insight: await insight.get(p, id) };
  });
  app.get('/insight/lists/:kind', async (req) => {
    const p = need(req, ...ANY);
    const { kind } = callListParamsSchema.parse(req.params);
    return lists.page(p, kind, callListQuerySchema.parse(req.query));
  });
  app.post('/insight/lists/:kind/tasks', async (req) => {
    const p = need(req, 'admin', 'supervisor');
    const { kind } = callListParamsSchema.parse(req.params);
    const { months } = callListFilterSchema.parse(req.query);
    return lists.toTasks(p, kind, months, callListTasksSchema.parse(req.body ?? {}));
  });
}
