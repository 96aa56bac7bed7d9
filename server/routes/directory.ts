import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ANY, type RouteContext } from './context';

/** Directory reads (`/customers`, `/tickets`), each checked against the caller's scope by its service. */
export function registerDirectoryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { need, customers, tickets } = ctx;
  app.get('/customers/:id', async (req) => {
    const p = need(req, ...ANY);
    const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(req.params);
    return customers.get(p, id);
  });
  app.get('/customers', async (req) => {
    const p = need(req, ...ANY);
    const q = z.object({ q: z.string().max(200).default(''), limit: z.coerce.number().int().min(1).max(500).default(50) }).parse(req.query);
    return customers.search(p, q.q, q.limit);
  });
  app.get('/tickets/:id', async (req) => {
    const p = need(req, ...ANY);
    const { id } = z.object({ id: z.string().min(1).max(100) }).parse(req.params);
    return tickets.get(p, id);
  });
  app.get('/tickets', async (req) => {
    const p = need(req, ...ANY);
    const q = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).parse(req.query);
    return tickets.list(p, q.limit);
  });
}
