import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decodeCsv } from '../../shared/customer/csvDecode';
import { customerImportSchema } from '../services/customers';
import { createUserSchema, updateUserSchema } from '../services/users';
import { IMPORT_BODY_LIMIT, type RouteContext } from './context';

/** Admin routes (`/admin/*`): users and roles, central configuration, customer import. */
export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { need, users, customers } = ctx;
  app.get('/admin/users', async (req) => {
    need(req, 'admin');
    return users.list();
  });
  app.post('/admin/users', async (req, reply) => {
    need(req, 'admin');
    const user = await users.create(createUserSchema.parse(req.body));
    return reply.status(201).send(user);
  });
  app.patch('/admin/users/:id', async (req) => {
    need(req, 'admin');
    const { id } = z.object({ id: z.string().min(1).max(100) }).parse(req.params);
    return users.update(id, updateUserSchema.parse(req.body));
  });
  app.put('/admin/config/:key', async (req) => {
    const p = need(req, 'admin');
    const { key } = z.object({ key: z.string().min(1).max(100) }).parse(req.params);
    const { value } = z.object({ value: z.unknown() }).parse(req.body);
    return { key, value: await ctx.config.set(key, value, p.id) };
  });
  app.post('/admin/customers/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    need(req, 'admin');
    const body = Buffer.isBuffer(req.body) ? { csv: decodeCsv(req.body).text } : customerImportSchema.parse(req.body);
    return customers.importCsv(body);
  });
}
