import crypto from 'node:crypto';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../shared/api/result';
import { loginRequestSchema, MAX_PUSH_MUTATIONS, pullQuerySchema, pushRequestSchema, refreshRequestSchema, type UserRole } from '../shared/sync/protocol';
import { AuthService } from './auth/authService';
import { TokenSigner, type Principal } from './auth/tokens';
import type { ServerConfig } from './config';
import type { Db } from './db/db';
import { httpStatusOf } from './errors';
import { refuseUnsafeInput } from './safeInput';
import { registerQueueRoutes } from './routes/queues';
import { createServerLogger, type Logger } from './log';
import { ConfigService } from './services/configService';
import { CustomerService, customerImportSchema } from './services/customers';
import { PullService } from './services/pull';
import { PushService, type PushFaultPoint } from './services/push';
import { RealtimeHub } from './services/realtime';
import { Visibility } from './services/scope';
import { rowToTicket, type TicketRow } from './services/tickets';
import { createUserSchema, toUser, updateUserSchema, UserService } from './services/users';
import { decodeCsv } from '../shared/customer/csvDecode';

/** Extra wiring for tests and the admin CLI. */
export interface BuildServerOptions {
  logger?: Logger;
  now?: () => number;
  /** Crash injection inside a push (tests). */
  fault?: (point: PushFaultPoint) => void | Promise<void>;
  /**
   * Per-launch token of the admin command line on this machine (written to the PGlite lock file):
   * admin routes accept it as `Bearer` and act as the user `cli`.
   */
  localAdminToken?: string;
}

/** Who the admin command line acts as when it goes through a running server's admin API. */
export const CLI_PRINCIPAL: Principal = { id: 'cli', role: 'admin', team: null };

/** The running server's parts. */
export interface CallDeskServer {
  app: FastifyInstance;
  users: UserService;
  config: ConfigService;
  customers: CustomerService;
  push: PushService;
  pull: PullService;
  realtime: RealtimeHub;
  signer: TokenSigner;
  /** Stops the HTTP server and the real-time hub (the database stays open: its owner closes it). */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Largest customer CSV accepted by the import (bytes). */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * Builds the central server on a migrated database: HTTP API (sign-in, admin, directory, sync) and
 * the real-time WebSocket. Every route checks the caller's role, and reads check the caller's scope.
 */
export async function buildServer(config: ServerConfig, db: Db, options: BuildServerOptions = {}): Promise<CallDeskServer> {
  const logger = options.logger ?? createServerLogger('server', config.logLevel);
  const now = options.now ?? Date.now;
  const signer = new TokenSigner(config.tokenSecret, config.accessTtlSeconds, now);
  const users = new UserService(db, config.passwordCost, now);
  const configService = new ConfigService(db, now);
  const auth = new AuthService(db, users, signer, config.loginLimit, config.refreshTtlDays * 86_400_000, logger.child('auth'), config.passwordCost, now);
  const customers = new CustomerService(db, configService, now);
  const push = new PushService({ db, config: configService, logger: logger.child('push'), now, ...(options.fault ? { fault: options.fault } : {}) });
  const pull = new PullService(db, configService);
  const realtime = new RealtimeHub({ db, signer, users, config: configService, logger: logger.child('realtime'), heartbeatMs: config.heartbeatMs, now });
  await configService.seedDefaults();
  await configService.listen();
  await realtime.start();

  const app = Fastify({ bodyLimit: config.bodyLimitBytes, logger: false, trustProxy: false });
  app.decorateRequest('principal', null);
  // CSV arrives as bytes: decoded like the desktop does (UTF-8/UTF-16 by BOM, else UTF-8, else GB18030).
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  refuseUnsafeInput(app);

  app.setErrorHandler((err: unknown, req, reply) => {
    const e = err as { code?: string; statusCode?: number; message?: string };
    let code: ErrorCode;
    let message = e.message ?? 'Error';
    let details: unknown;
    if (err instanceof AppError) {
      code = err.code;
      details = err.details;
    } else if (err instanceof z.ZodError) {
      code = 'INVALID_PAYLOAD';
      message = err.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ');
    } else if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
      code = 'PAYLOAD_TOO_LARGE';
      message = `The request is larger than the limit of ${config.bodyLimitBytes} bytes: send fewer changes per request`;
    } else if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      code = e.statusCode === 415 ? 'INVALID_PAYLOAD' : e.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_PAYLOAD';
    } else {
      code = 'INTERNAL';
      logger.error('request failed', { url: req.url, error: message });
      message = 'Internal server error';
    }
    if (code === 'RATE_LIMITED') {
      const after = (details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (after !== undefined) void reply.header('retry-after', String(after));
    }
    void reply.status(httpStatusOf(code)).send({ error: details === undefined ? { code, message } : { code, message, details } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });

  /** Authenticates the request and checks its role; throws 401/403. */
  const need = (req: FastifyRequest, ...roles: UserRole[]): Principal => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (\S+)$/.exec(header);
    const local = m && options.localAdminToken && roles.includes('admin') && sameSecret(m[1]!, options.localAdminToken) ? CLI_PRINCIPAL : null;
    const p = local ?? (m ? signer.verify(m[1]!) : null);
    if (!p) throw new AppError('UNAUTHORIZED', 'Sign in first (missing, invalid or expired access token)');
    if (roles.length > 0 && !roles.includes(p.role)) throw new AppError('FORBIDDEN', `This needs the role ${roles.join(' or ')}`);
    req.principal = p;
    return p;
  };
  const ANY: UserRole[] = [];

  app.get('/health', async () => ({ ok: true, db: db.kind }));

  // ---- sign-in ----
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

  // ---- configuration (read by everyone, written by admins) ----
  app.get('/config', async (req) => {
    need(req, ...ANY);
    return configService.all();
  });

  // ---- admin ----
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
    return { key, value: await configService.set(key, value, p.id) };
  });
  app.post('/admin/customers/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    need(req, 'admin');
    const body = Buffer.isBuffer(req.body) ? { csv: decodeCsv(req.body).text } : customerImportSchema.parse(req.body);
    return customers.importCsv(body);
  });

  // ---- directory reads (scope-checked) ----
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
    const { rows } = await db.query<TicketRow>('SELECT * FROM tickets WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', `No ticket ${id}`);
    const t = rowToTicket(row);
    const vis = await Visibility.of(p, await configService.scopes(), db);
    if (!vis.ticket(t)) throw new AppError('FORBIDDEN', 'This ticket is outside your scope');
    const { rows: history } = await db.query('SELECT at, by, action, changes FROM ticket_history WHERE ticket_id = $1 ORDER BY id', [id]);
    return { ticket: t, history };
  });
  app.get('/tickets', async (req) => {
    const p = need(req, ...ANY);
    const q = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).parse(req.query);
    const vis = await Visibility.of(p, await configService.scopes(), db);
    const cond = vis.ticketSql(2);
    const { rows } = await db.query<TicketRow>(`SELECT * FROM tickets WHERE ${cond.sql} ORDER BY updated_at DESC, id LIMIT $1`, [q.limit, ...cond.params]);
    return rows.map(rowToTicket);
  });

  // ---- reporting (supervisors) ----
  app.get('/reports/agent-events', async (req) => {
    need(req, 'supervisor', 'admin');
    const q = z.object({ since: z.coerce.number().default(0), limit: z.coerce.number().int().min(1).max(5000).default(1000) }).parse(req.query);
    const { rows } = await db.query<{ record: unknown }>('SELECT record FROM agent_state_events WHERE at >= $1 ORDER BY at, id LIMIT $2', [q.since, q.limit]);
    return rows.map((r) => r.record);
  });
  app.get('/reports/call-events', async (req) => {
    need(req, 'supervisor', 'admin');
    const q = z.object({ since: z.coerce.number().default(0), limit: z.coerce.number().int().min(1).max(5000).default(1000) }).parse(req.query);
    const { rows } = await db.query<{ user_id: string; record: unknown }>('SELECT user_id, record FROM call_events WHERE at >= $1 ORDER BY at, id LIMIT $2', [q.since, q.limit]);
    return rows.map((r) => ({ userId: r.user_id, ...(r.record as object) }));
  });

  // ---- sync ----
  app.post('/sync/push', async (req) => {
    const p = need(req, ...ANY);
    const raw = req.body as { mutations?: unknown } | null;
    if (raw && Array.isArray(raw.mutations) && raw.mutations.length > MAX_PUSH_MUTATIONS) {
      throw new AppError('PAYLOAD_TOO_LARGE', `At most ${MAX_PUSH_MUTATIONS} mutations per push`);
    }
    const { response } = await push.push(p, pushRequestSchema.parse(req.body));
    return response;
  });
  app.get('/sync/pull', async (req, reply) => {
    const p = need(req, ...ANY);
    const q = pullQuerySchema.parse(req.query);
    return reply.type('application/json; charset=utf-8').send(await pull.pullJson(p, q.cursor, q.limit));
  });

  // ---- real time ----
  app.get('/realtime', { websocket: true }, (socket) => realtime.accept(socket));

  registerQueueRoutes(app, { db, need, now });

  return {
    app,
    users,
    config: configService,
    customers,
    push,
    pull,
    realtime,
    signer,
    async close() {
      await realtime.stop();
      await configService.stop();
      await app.close();
    },
  };
}

/** Compares secrets in constant time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
