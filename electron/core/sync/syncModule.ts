import type Database from 'better-sqlite3';
import type { InvokeHandlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/result';
import type { AgentStateEvent } from '../../../shared/agent/state';
import type { syncInvokeChannels, SyncState } from '../../../shared/sync/api';
import type { acdInvokeChannels } from '../../../shared/acd/api';
import { AgentQueues } from '../acd/agentQueues';
import { userSchema, type User } from '../../../shared/sync/protocol';
import type { SyncStatus } from '../../../shared/sync/status';
import type { Clock, Scheduler, SecretStore } from '../adapters';
import type { SettingsService } from '../config/settingsService';
import type { CustomerService } from '../customer/customerService';
import type { CoreBus } from '../bus/coreBus';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';
import { OutboxAppended } from '../outbox/outboxEvents';
import type { BackoffPolicy } from '../adapters/backoff';
import type { Repositories } from '../store/repositories';
import { openBulkCustomerWriter } from './bulkCustomerWriter';
import { BulkPullApplier } from './bulkPullApplier';
import { ServerApi, type SessionTokens } from './serverApi';
import { adoptLocalRecords, customerCreateEntry, queueReferencedCustomersFirst, unknownCustomerOf } from './localDataClaim';
import { startRealtimeFeed } from './realtimeFeed';
import { ProvisioningApplier, type ProvisionedInfo } from './provisioningApplier';
import { ServerMirror } from './serverMirror';
import { metaCursorStore, SYNC_BACKOFF, SYNC_CURSOR_KEY, SyncEngine } from './syncEngine';

/** Secret-store name of the refresh token. */
export const REFRESH_TOKEN_SECRET = 'server.refreshToken';
/** Meta keys: the signed-in user and the server the cursor belongs to. */
const USER_KEY = 'sync.user';
const SERVER_KEY = 'sync.server';
/** Set while the first push to a new server has not prepared the outbox yet (see queueReferencedCustomersFirst). */
const FIRST_PUSH_KEY = 'sync.firstPushPending';

/** Everything the sync domain needs from the core. */
export interface SyncModuleDeps {
  db: Database.Database;
  settings: SettingsService;
  secrets: SecretStore;
  events: CoreEvents;
  /** The core bus: {@link OutboxAppended} wakes the push; the real-time feed listens to call and agent events. */
  bus: CoreBus;
  clock: Clock;
  /** Timers of the sync engine; the real timers when absent. */
  scheduler?: Scheduler;
  logger: Logger;
  /** The repositories (built once by the composition root). */
  repos: Pick<Repositories, 'meta' | 'outbox' | 'tickets' | 'tasks' | 'insight'>;
  customers: CustomerService;
  backoff?: BackoffPolicy;
  /** Called after sign-in and sign-out (the agent id follows the signed-in user). */
  onUserChanged?: () => void;
  /** The agent state change in force (sent first on the real-time feed). */
  latestAgentEvent?: () => AgentStateEvent | null;
  /** The agent id when nobody is signed in (`agent.id` or the SIP user): records made under it are adopted at sign-in. */
  localAgentId?: () => string;
  /** The better-sqlite3 binary built for this runtime (Electron), for the first sync's writer thread. */
  sqliteNativeBinding?: string;
  /** Called when the server provisioned a new SIP password for the same account (the phone re-registers). */
  onSipPassword?: () => void;
}

/** The sync domain as the composition root wires it. */
export interface SyncModule {
  handlers(): Pick<InvokeHandlers, keyof typeof syncInvokeChannels>;
  /** The agent's queues (queue login, live figures) ride on the same server session. */
  acdHandlers(): Pick<InvokeHandlers, keyof typeof acdInvokeChannels>;
  /** The state the status bar shows. */
  state(): SyncState;
  /** The signed-in user's id (kept while offline), or null. */
  userId(): string | null;
  /** The signed-in session's server API (requests outside sync, e.g. monitoring tokens), or null. */
  server(): ServerApi | null;
  /** Starts syncing when signed in (refresh token in the keychain) and pushes after local changes. */
  start(): Promise<void>;
  /** Stops timers and waits for a push or pull in flight. */
  stop(): Promise<void>;
  /** Resolves when the outbox is drained (tests). */
  whenIdle(): Promise<void>;
  /** A signed-in GET on the server (supervisor views); UNAUTHORIZED when signed out. */
  serverGet(path: string): Promise<unknown>;
  /** What the server provisioned for the signed-in user (team, queues, account without password). */
  provisioned(): ProvisionedInfo | null;
}

/**
 * The desktop's link to the central server: sign-in (refresh token in the OS keychain, never in
 * SQLite), the sync engine of the current session, the mirror that writes server state locally,
 * and the central settings layer. Local work never waits for any of it: the outbox takes every
 * change and this module drains it whenever the server is reachable.
 */
export function createSyncModule(deps: SyncModuleDeps): SyncModule {
  const { db, settings, events, clock, logger } = deps;
  const { meta, tickets } = deps.repos;
  const mirror = new ServerMirror({
    db,
    meta,
    outbox: deps.repos.outbox,
    tickets: deps.repos.tickets,
    tasks: deps.repos.tasks,
    insight: deps.repos.insight,
    customers: deps.customers,
    clock,
    logger: logger.child('mirror'),
    applyConfig: (values) => settings.setCentral(values),
    onTicket: (t) => events.emit('ticket:changed', t),
    onTask: (t) => events.emit('task:changed', t),
  });
  const bulk = new BulkPullApplier({
    customers: deps.customers,
    meta,
    clock,
    logger: logger.child('bulk'),
    applyCareful: (changes) => mirror.applyPulled(changes),
    openWriter: () => openBulkCustomerWriter(db, logger.child('bulk'), deps.sqliteNativeBinding),
  });
  // Once this desktop's first push to its server was prepared (queueReferencedCustomersFirst), a
  // record pointing to a local customer the server cannot know (demo data, a bulk load) takes that
  // customer's create ahead of it in the outbox: the server never gets the record without it.
  deps.repos.outbox.setBeforeAppend((change) => {
    const id = unknownCustomerOf(change, deps.customers, deps.repos.outbox);
    if (id === null || meta.get(SERVER_KEY) === null || meta.get(FIRST_PUSH_KEY) !== null) return;
    deps.repos.outbox.append(customerCreateEntry(deps.customers, id, user?.id ?? null));
    logger.info('local customer queued ahead of the record that points to it', { customer: id, entity: change.entity });
  });
  const provisioning = new ProvisioningApplier({
    settings,
    secrets: deps.secrets,
    meta,
    logger: logger.child('provisioning'),
    ...(deps.onSipPassword ? { onSipPassword: deps.onSipPassword } : {}),
  });
  const queues = new AgentQueues({ clock, logger: logger.child('queues'), onChange: (s) => events.emit('acd:queues', s) });
  let api: ServerApi | null = null;
  let engine: SyncEngine | null = null;
  let status: SyncStatus | null = null;
  let user: User | null = readUser();
  const unsubscribes: (() => void)[] = [];

  function readUser(): User | null {
    const parsed = userSchema.safeParse(meta.getJson<unknown>(USER_KEY, null));
    return parsed.success ? parsed.data : null;
  }

  const serverUrl = () => settings.get('server.url');

  function state(): SyncState {
    const url = serverUrl();
    const base: SyncStatus = status ?? {
      connection: url ? 'signed-out' : 'disabled',
      realtime: false,
      outboxDepth: deps.repos.outbox.count(true),
      pull: null,
      lastSyncAt: null,
      lastError: null,
      nextRetryAt: null,
    };
    // A session the server ended (refresh refused) shows as signed out: the UI offers the sign-in form.
    const active = engine !== null && base.connection !== 'signed-out';
    return { ...base, outboxDepth: deps.repos.outbox.count(true), serverUrl: url, user: active ? user : null };
  }

  const publish = () => events.emit('sync:state', state());

  function persistTokens(t: SessionTokens | null): void {
    const op = t ? deps.secrets.set(REFRESH_TOKEN_SECRET, t.refreshToken) : deps.secrets.delete(REFRESH_TOKEN_SECRET);
    op.catch((err: Error) => logger.warn('refresh token not saved', { error: err.message }));
  }

  /** A new session: the engine for `session` against the configured server. */
  function begin(session: ServerApi): void {
    api = session;
    queues.attach(session);
    const mine: SyncEngine = new SyncEngine({
      api: session,
      outbox: deps.repos.outbox,
      cursor: metaCursorStore(meta),
      clock,
      ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
      logger: logger.child('engine'),
      backoff: deps.backoff ?? { ...SYNC_BACKOFF, maxMs: settings.get('server.retryMaxSeconds') * 1000 },
      applyChanges: (changes) => mirror.applyPulled(changes),
      applyPage: (changes, how) => bulk.applyPage(changes, how),
      onPushResults: (results) => {
        mirror.adoptResults(results);
        for (const r of results) {
          if (r.status !== 'conflict' && r.status !== 'rejected') continue;
          logger.info('server decided differently', { entity: r.entity, id: r.entityId, status: r.status, fields: r.fields, reason: r.reason });
          events.emit('sync:notice', { kind: r.status, entity: r.entity, id: r.entityId, subject: subjectOf(r.record), fields: r.fields ?? [], reason: r.reason ?? null });
        }
      },
      onRealtime: (msg) => {
        if (msg.type === 'supervisor-board') {
          events.emit('supervisor:board-delta', { at: msg.at, queues: msg.queues as never[], agents: msg.agents as never[] });
          return;
        }
        if (engine === mine) queues.onRealtime(msg);
        if (msg.type !== 'ticket' || !msg.assignedToYou) return;
        const id = (msg.ticket as { id?: unknown } | null)?.id;
        // Already this agent's here (their own new ticket, or they took it): nothing to announce.
        if (typeof id === 'string' && user && tickets.get(id, clock.now())?.assignee === user.id) return;
        if (typeof id === 'string') events.emit('sync:notice', { kind: 'assigned', entity: 'ticket', id, subject: subjectOf(msg.ticket), fields: ['assignee'], reason: null });
      },
      beforePush: () => prepareFirstPush(),
      needsAnswerOf: (m) => mirror.needsAnswerOf(m),
      outgoing: (m) => mirror.outgoing(m),
      atomically: (fn) => db.transaction(fn)(),
      onStatus: (s) => {
        // A stopped session's last words (closing its channel) are not the state any more.
        if (engine !== mine) return;
        status = s;
        publish();
      },
    });
    engine = mine;
    mine.start();
  }

  /** The subject of a ticket, the title of a task or the name of a customer in a server answer. */
  function subjectOf(record: unknown): string | null {
    const r = record as { subject?: unknown; title?: unknown; name?: unknown } | null | undefined;
    const s = r?.subject ?? r?.title ?? r?.name;
    return typeof s === 'string' ? s : null;
  }

  /**
   * Fetches and applies the user's provisioning (SIP account, team, queues). A failure never
   * fails the sign-in: the last provisioning stays in force and the next start asks again.
   */
  async function provision(session: ServerApi): Promise<void> {
    try {
      const p = await session.provisioning();
      if (api !== session) return;
      await provisioning.apply(p);
    } catch (err) {
      logger.warn('provisioning not received', { error: (err as Error).message, code: (err as AppError).code });
    }
  }

  async function end(): Promise<void> {
    const e = engine;
    engine = null;
    api = null;
    status = null;
    queues.detach();
    if (e) await e.stop();
  }

  /**
   * Before the first push to a new server (after its first pull bound the customers it has under
   * the same code): the local customers that waiting records point to go first, so the server
   * links them (demo data and bulk loads never went through the outbox).
   */
  function prepareFirstPush(): void {
    if (meta.get(FIRST_PUSH_KEY) === null) return;
    try {
      const queued = queueReferencedCustomersFirst(db, deps.customers, deps.repos.outbox, user?.id ?? null);
      if (queued > 0) logger.info('local customers queued ahead of the records that point to them', { customers: queued });
    } catch (err) {
      logger.warn('local customers not queued first', { error: (err as Error).message });
    }
    meta.delete(FIRST_PUSH_KEY);
  }

  /** Forgets the cursor and mirrored configuration when the desktop moves to another server. */
  function claimServer(url: string): void {
    const previous = meta.get(SERVER_KEY);
    if (previous === url) return;
    // The new server has none of this desktop's history: it gets all of it, from sequence 1.
    if (previous !== null) deps.repos.outbox.markAllUnsent();
    meta.set(FIRST_PUSH_KEY, '1');
    meta.set(SERVER_KEY, url);
    meta.delete(SYNC_CURSOR_KEY);
    mirror.forgetConfig();
  }

  async function signIn(req: { url: string; username: string; password: string }): Promise<SyncState> {
    const url = req.url.replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new AppError('INVALID_PAYLOAD', `"${req.url}" is not a server address (http:// or https://)`);
    if (serverUrl() !== url) {
      const entry = settings.snapshot().entries.find((e) => e.key === 'server.url');
      if (entry?.locked || entry?.source === 'env') {
        throw new AppError('SETTING_LOCKED', `The server address is fixed (${entry.source}) to "${String(entry.value)}"`, { key: 'server.url' });
      }
    }
    const session = new ServerApi({ baseUrl: url, onTokens: persistTokens });
    const res = await session.login(req.username, req.password);
    await end();
    if (serverUrl() !== url) settings.set('server.url', url);
    claimServer(url);
    const local = deps.localAgentId?.();
    if (local) {
      const adopted = adoptLocalRecords(db, local, res.user.id);
      if (Object.keys(adopted).length > 0) logger.info('records made before sign-in adopted by the user', { from: local, to: res.user.id, ...adopted });
    }
    // Another user's provisioned account (a shared desktop) never stays for this one.
    if (user && user.id !== res.user.id) await provisioning.clear('another user signed in');
    user = res.user;
    meta.setJson(USER_KEY, res.user);
    begin(session);
    await provision(session);
    deps.onUserChanged?.();
    logger.info('signed in to the central server', { url, user: res.user.id, role: res.user.role });
    publish();
    return state();
  }

  async function signOut(): Promise<SyncState> {
    const session = api;
    await end();
    await session?.logout();
    await deps.secrets.delete(REFRESH_TOKEN_SECRET).catch(() => undefined);
    await provisioning.clear('signed out');
    user = null;
    meta.delete(USER_KEY);
    deps.onUserChanged?.();
    logger.info('signed out of the central server');
    publish();
    return state();
  }

  return {
    state,
    userId: () => user?.id ?? null,
    acdHandlers: () => ({
      'acd:queues': () => queues.state(),
      'acd:set-login': (req) => queues.setLogin(req.queueId, req.loggedIn),
    }),
    handlers: () => ({
      'sync:state': () => state(),
      'sync:sign-in': (req) => signIn(req),
      'sync:sign-out': () => signOut(),
      'sync:retry': () => {
        if (!engine) throw new AppError('UNAUTHORIZED', 'Not signed in to the central server');
        engine.retryNow();
        return state();
      },
    }),
    async start() {
      mirror.restoreConfig();
      provisioning.restore();
      // Local changes reach the outbox in the transaction that makes them; the outbox announces
      // them after the commit, which is the moment to push.
      unsubscribes.push(
        deps.bus.on(OutboxAppended, () => {
          if (engine) engine.notify();
          else publish();
        }),
        startRealtimeFeed({ bus: deps.bus, send: (m) => engine?.send(m), ...(deps.latestAgentEvent ? { latestAgentEvent: deps.latestAgentEvent } : {}) }),
        settings.onChange(() => {
          if (api && serverUrl() !== api.baseUrl) void signOut();
        }),
      );
      const url = serverUrl();
      const refreshToken = url ? await deps.secrets.get(REFRESH_TOKEN_SECRET).catch(() => null) : null;
      if (url && refreshToken && meta.get(SERVER_KEY) === url) {
        // The access token is not kept: the first request refreshes it.
        const session = new ServerApi({ baseUrl: url, tokens: { accessToken: '', refreshToken }, onTokens: persistTokens });
        begin(session);
        // An account the admin changed since the last start arrives without holding up the start.
        void provision(session);
      }
      publish();
    },
    async stop() {
      for (const u of unsubscribes.splice(0)) u();
      await end();
    },
    whenIdle: () => engine?.whenIdle() ?? Promise.resolve(),
    serverGet: async (path) => {
      if (!api) throw new AppError('UNAUTHORIZED', 'Sign in to the server first');
      return api.get(path);
    },
    provisioned: () => provisioning.info(),
    server: () => (engine ? api : null),
  };
}
