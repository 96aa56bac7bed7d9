import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import { REPORT_GRAINS } from '../../shared/kpi/buckets';
import { reportColumnLabel } from '../../shared/kpi/labels';
import { reportTable, toCsv } from '../../shared/kpi/report';
import { LANGUAGES } from '../../shared/settings/definitions';
import type { Db } from '../db/db';
import { buildReport } from '../reports/historical';
import { buildLiveBoard } from '../reports/liveBoard';
import { supervisorScope } from '../reports/scope';
import type { Guard } from './context';

/** What the supervisor routes need. */
export interface SupervisorRouteDeps {
  db: Db;
  need: Guard;
  now: () => number;
  timeZone: string;
}

/** Longest report range (a bigger one is refused: ask for a coarser grain in several parts). */
const MAX_RANGE_MS = 400 * 86_400_000;

const reportQuerySchema = z
  .object({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
    grain: z.enum(REPORT_GRAINS).default('day'),
    by: z.enum(['queue', 'agent']).default('queue'),
    queues: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
    tz: z.string().min(1).max(100).optional(),
    lang: z.enum(LANGUAGES).default('en-US'),
  })
  .refine((q) => q.to > q.from, { message: '"to" must be after "from"', path: ['to'] })
  .refine((q) => q.to - q.from <= MAX_RANGE_MS, { message: 'the range is longer than 400 days', path: ['to'] });

/**
 * Supervisor views (issue 12): `GET /supervisor/board` (live queue and agent boards),
 * `GET /supervisor/report` (historical, JSON) and `GET /supervisor/report.csv` (the same table as on
 * screen). Supervisors see their team's agents and queues, admins everything, agents nothing (403).
 */
export function registerSupervisorRoutes(app: FastifyInstance, deps: SupervisorRouteDeps): void {
  const { db, need, now } = deps;
  app.get('/supervisor/board', async (req) => {
    const scope = await supervisorScope(need(req, 'supervisor', 'admin'), db);
    return buildLiveBoard(db, scope, now(), deps.timeZone);
  });
  const report = async (query: unknown, principal: ReturnType<Guard>) => {
    const q = reportQuerySchema.parse(query);
    const scope = await supervisorScope(principal, db);
    try {
      return { q, report: await buildReport(db, scope, { from: q.from, to: q.to, grain: q.grain, by: q.by, queues: q.queues, timeZone: q.tz ?? deps.timeZone }, now()) };
    } catch (err) {
      if (err instanceof RangeError) throw new AppError('INVALID_PAYLOAD', err.message);
      throw err;
    }
  };
  app.get('/supervisor/report', async (req) => (await report(req.query, need(req, 'supervisor', 'admin'))).report);
  app.get('/supervisor/report.csv', async (req, reply) => {
    const { q, report: r } = await report(req.query, need(req, 'supervisor', 'admin'));
    const csv = toCsv(reportTable(r, (c) => reportColumnLabel(q.lang, c)));
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="calldesk-report-${q.by}-${q.grain}.csv"`);
    return csv;
  });
}
