import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCsv } from '../../shared/customer/csvDecode';
import { sipAccountInputSchema } from '../../shared/sync/provisioning';
import { ProvisioningService } from '../services/provisioning';
import { ANY, type Guard } from './context';
import type { Db } from '../db/db';

const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * Provisioning (issue 14):
 * - `GET /me/provisioning` (signed in): the caller's SIP account with its password, team and queues;
 * - `GET /admin/sip-accounts` (admin): every assignment, never a password;
 * - `PUT /admin/sip-accounts/:id` / `DELETE` (admin): assign or remove one user's account;
 * - `POST /admin/sip-accounts/import` (admin): bulk CSV (`text/csv` bytes or `{csv}`), a report per row.
 */
export function registerProvisioningRoutes(app: FastifyInstance, ctx: { db: Db; need: Guard; now: () => number }): ProvisioningService {
  const service = new ProvisioningService(ctx.db, ctx.now);
  app.get('/me/provisioning', async (req, reply) => {
    const p = ctx.need(req, ...ANY);
    // Holds a password: never kept by a cache or proxy.
    void reply.header('cache-control', 'no-store');
    return service.forUser(p.id);
  });
  app.get('/admin/sip-accounts', async (req) => {
    ctx.need(req, 'admin');
    return service.list();
  });
  app.put('/admin/sip-accounts/:id', async (req) => {
    ctx.need(req, 'admin');
    return service.assign(idParams.parse(req.params).id, sipAccountInputSchema.parse(req.body));
  });
  app.delete('/admin/sip-accounts/:id', async (req, reply) => {
    ctx.need(req, 'admin');
    await service.remove(idParams.parse(req.params).id);
    return reply.status(204).send();
  });
  app.post('/admin/sip-accounts/import', async (req) => {
    ctx.need(req, 'admin');
    const csv = Buffer.isBuffer(req.body) ? decodeCsv(req.body).text : z.object({ csv: z.string().max(16 * 1024 * 1024) }).parse(req.body).csv;
    return service.importCsv(csv);
  });
  return service;
}
