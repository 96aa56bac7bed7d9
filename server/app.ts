import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { AuthService } from './auth/authService';
import { TokenSigner, type Principal } from './auth/tokens';
import type { ServerConfig } from './config';
import type { Db } from './db/db';
import { refuseUnsafeInput } from './safeInput';
import { registerQueueRoutes } from './routes/queues';
import { registerProvisioningRoutes } from './routes/provisioning';
import { registerInsightRoutes } from './routes/insight';
import { CallListService } from './services/insight/callLists';
import { createServerLogger, type Logger } from './log';
import { registerAdminRoutes } from './routes/admin';
import { registerAuthRoutes } from './routes/auth';
import { createGuard, IMPORT_BODY_LIMIT, type RouteContext } from './routes/context';
import { registerDirectoryRoutes } from './routes/directory';
import { registerErrorHandlers } from './routes/errors';
import { registerReportRoutes } from './routes/reports';
import { registerSupervisorRoutes } from './routes/supervisor';
import { centreTimeZone } from './reports/timeZone';
import { BoardPublisher } from './reports/boardPublisher';
import { WallboardHub } from './reports/wallboardHub';
import { WallboardTokens } from './reports/wallboardToken';
import { registerWallboardRoutes } from './routes/supervisorWallboard';
import { registerMonitoringRoutes } from './routes/monitoring';
import { generateMonitorKey, monitorKeyFromPem } from './monitor/tokenSigner';
import { registerSyncRoutes } from './routes/sync';
import { ConfigService } from './services/configService';
import { CustomerService } from './services/customers';
import { InsightScheduler } from './services/insight/insightScheduler';
import { InsightService } from './services/insight/insightService';
import { OrderService } from './services/insight/orders';
import { PullService } from './services/pull';
import { PushService, type PushFaultPoint } from './services/push';
import { RealtimeHub } from './services/realtime';
import { ReportService } from './services/reports';
import { TicketReadService } from './services/ticketReads';
import { UserService } from './services/users';

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
  /** The centre's time zone for supervisor views (default: `CALLDESK_TIME_ZONE`, else the server's zone). */
  timeZone?: string;
  /** Recompute insight on schedule (default true; tests that drive the recompute themselves turn it off). */
  insightSchedule?: boolean;
}

/** Who the admin command line acts as when it goes through a running server's admin API. */
export { CLI_PRINCIPAL } from './routes/context';

/** The running server's parts. */
export interface CallDeskServer {
  app: FastifyInstance;
  users: UserService;
  config: ConfigService;
  customers: CustomerService;
  insight: InsightService;
  orders: OrderService;
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

/**
 * Builds the central server on a migrated database: HTTP API (sign-in, admin, directory, sync) and
 * the real-time WebSocket. Every route checks the caller's role, and reads check the caller's scope.
 * Routes live in `routes/*.ts` (one file per area); their SQL lives in `services/`.
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
  const insight = new InsightService(db, configService, now);
  const orders = new OrderService(db, () => insight.settings(), now);
  const insightScheduler = new InsightScheduler(insight, logger.child('insight'), now);
  const realtime = new RealtimeHub({ db, signer, users, config: configService, logger: logger.child('realtime'), heartbeatMs: config.heartbeatMs, now });
  await configService.seedDefaults();
  const monitorKey = config.monitorKeyPem ? monitorKeyFromPem(config.monitorKeyPem) : generateMonitorKey();
  // Desktops verify monitoring tokens with this key: publish it as central configuration (pull + real-time).
  if ((await configService.get('monitoring.serverKey')) !== monitorKey.publicKeyBase64) await configService.set('monitoring.serverKey', monitorKey.publicKeyBase64, 'server');
  await configService.listen();
  await realtime.start();

  const app = Fastify({ bodyLimit: config.bodyLimitBytes, logger: false, trustProxy: false });
  app.decorateRequest('principal', null);
  // CSV arrives as bytes: decoded like the desktop does (UTF-8/UTF-16 by BOM, else UTF-8, else GB18030).
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  refuseUnsafeInput(app);
  registerErrorHandlers(app, config.bodyLimitBytes, logger);

  const ctx: RouteContext = {
    need: createGuard(signer, options.localAdminToken),
    auth,
    users,
    config: configService,
    customers,
    tickets: new TicketReadService(db, configService),
    reports: new ReportService(db),
    push,
    pull,
    realtime,
  };
  app.get('/health', async () => ({ ok: true, db: db.kind }));
  registerAuthRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerDirectoryRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerQueueRoutes(app, { db, need: ctx.need, now });
  const timeZone = options.timeZone ?? centreTimeZone();
  registerSupervisorRoutes(app, { db, need: ctx.need, now, timeZone });
  const wallboards = new WallboardHub({ db, tokens: new WallboardTokens(config.tokenSecret), logger: logger.child('wallboard'), timeZone, now });
  registerWallboardRoutes(app, { need: ctx.need, tokens: new WallboardTokens(config.tokenSecret), hub: wallboards });
  const boards = new BoardPublisher({ db, hub: realtime, logger: logger.child('boards'), timeZone, now, onChange: () => void wallboards.refresh() });
  await boards.start();
  registerProvisioningRoutes(app, { db, need: ctx.need, now });
  registerMonitoringRoutes(app, ctx, monitorKey, logger.child('monitoring'), now);
  registerInsightRoutes(app, { need: ctx.need, insight, orders, lists: new CallListService(db, configService, insight, timeZone, now) });
  if (options.insightSchedule !== false) insightScheduler.start();

  return {
    app,
    users,
    config: configService,
    customers,
    insight,
    orders,
    push,
    pull,
    realtime,
    signer,
    async close() {
      await boards.stop();
      wallboards.stop();
      await insightScheduler.stop();
      await realtime.stop();
      await configService.stop();
      await app.close();
    },
  };
}
