import WebSocket from 'ws';
import { AppError } from '../../../shared/api/result';
import { MAX_PULL_LIMIT, clientIdTakenDetailsSchema, realtimeServerMessageSchema, type MutationResult, type PullChange, type RealtimeClientMessage, type PullResponse, type RealtimeServerMessage, type SyncMutation } from '../../../shared/sync/protocol';
import type { SyncStatus } from '../../../shared/sync/status';
import type { OutboxEntry } from '../../../shared/sync/outbox';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { MetaStore } from '../store/metaStore';
import { repeat, systemScheduler, type Scheduler, type TimerHandle } from '../adapters/scheduler';
import { backoffDelay, type BackoffPolicy } from '../adapters/backoff';
import type { PageHandover } from './bulkPullApplier';
import type { ServerApi } from './serverApi';

/** Where the pull cursor is kept (the `meta` table, see {@link metaCursorStore}). */
export interface CursorStore {
  get(): number;
  set(cursor: number): void;
}

/** New client ids taken in one push round at most (each refusal means another desktop raced us). */
const MAX_REKEYS = 3;
/** Changes asked for per pull request (the server's maximum: fewer round trips on a first sync). */
export const PULL_PAGE_SIZE = MAX_PULL_LIMIT;
/** Pulled changes written per transaction; the event loop runs between slices. */
const APPLY_SLICE = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Offline backoff: 1 s doubling to at most 30 s (hours offline cost one attempt per 30 s). */
export const SYNC_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, jitter: 0.3 };

/** The server calls the engine makes ({@link ServerApi}; a fake in unit tests). */
export type SyncServer = Pick<ServerApi, 'push' | 'pull' | 'signedIn' | 'accessToken' | 'baseUrl'>;

/** What the engine needs. */
export interface SyncEngineDeps {
  api: SyncServer;
  outbox: OutboxRepository;
  cursor: CursorStore;
  clock: Clock;
  /** Timers of retries and the real-time heartbeat; the real timers when absent. */
  scheduler?: Scheduler;
  logger: Logger;
  /** Applies one pulled page to the local store (in one transaction); called in order. */
  applyChanges: (changes: PullChange[]) => void;
  /**
   * Applies pulled pages in a pipeline instead (see BulkPullApplier): resolves when this thread's
   * share of the page is done, with a promise that settles once the page is written and
   * `how.commit` (which stores the cursor) has run. Replaces `applyChanges` when given.
   */
  applyPage?: (changes: PullChange[], how: PageHandover) => Promise<{ written: Promise<boolean> }>;
  /** Gets the server's answer for pushed entries (conflicts carry the record to adopt). */
  onPushResults?: (results: MutationResult[]) => void;
  /** Gets real-time messages (ticket updates, assignments, configuration, agent states). */
  onRealtime?: (msg: RealtimeServerMessage) => void;
  /** Runs `fn` in one local transaction (marking entries sent + adopting the answers). */
  atomically?: (fn: () => void) => void;
  /** Runs before each push, after any pull of that cycle (prepares the outbox; see syncModule). */
  beforePush?: () => void;
  /**
   * The entry (`entity:id`) whose server answer `m` needs before it can go (a ticket pointing to a
   * customer whose create is not answered yet), or null. A batch ends before such an entry when
   * the entry it needs is in the same batch: the next batch goes out once the answer is in.
   */
  needsAnswerOf?: (m: SyncMutation) => string | null;
  /** Rewrites a mutation for the wire (local customer ids to the server's). */
  outgoing?: (m: SyncMutation) => SyncMutation;
  /** Status for the status bar, on every change. */
  onStatus?: (status: SyncStatus) => void;
  backoff?: BackoffPolicy;
  /** Outbox entries per push (halved while the server answers 413). */
  batchSize?: number;
  /** Pulled changes per request ({@link PULL_PAGE_SIZE} by default). */
  pageSize?: number;
  /** Application heartbeat on the real-time channel. */
  heartbeatMs?: number;
  random?: () => number;
}

/**
 * The desktop side of sync. Drains the outbox to the server in sequence order while online, pulls
 * changes on connect and whenever the real-time channel says something changed, and keeps trying
 * with capped backoff through any outage: the outbox lives in SQLite, so nothing is lost while the
 * server is away, and an entry is marked sent only up to the server's acknowledged high-water mark.
 *
 * ```
 *   start --> connecting --(pull + push ok)--> online <--+
 *                 ^  |                          |        | notify() / realtime "changes"
 *                 |  +--(network error)--> offline (retry after backoff)
 *                 +-------------------------------+
 *   any --(refresh refused)--> signed-out (until signIn)
 * ```
 */
export class SyncEngine {
  private readonly backoff: BackoffPolicy;
  private running = false;
  private again = false;
  private pullWanted = true;
  private started = false;
  private attempt = 0;
  private timer: TimerHandle | null = null;
  private batchSize: number;
  private ws: WebSocket | null = null;
  private wsAttempt = 0;
  private wsTimer: TimerHandle | null = null;
  private heartbeat: (() => void) | null = null;
  private readonly scheduler: Scheduler;
  private lastHeard = 0;
  private idleWaiters: Array<() => void> = [];
  private current: Promise<void> = Promise.resolve();
  private state: SyncStatus = { connection: 'connecting', realtime: false, outboxDepth: 0, pull: null, lastSyncAt: null, lastError: null, nextRetryAt: null };

  constructor(private readonly deps: SyncEngineDeps) {
    this.backoff = deps.backoff ?? SYNC_BACKOFF;
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.batchSize = deps.batchSize ?? 200;
  }

  /** Starts syncing (pull, push, real-time channel). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.pullWanted = true;
    this.refreshDepth();
    this.kick();
  }

  /**
   * Stops every timer, closes the real-time channel and waits for a push or pull in flight to
   * settle, so the caller may close the database afterwards. The outbox stays as it is.
   */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.closeRealtime();
    await this.current;
  }

  /**
   * Call after writing outbox entries: pushes soon. While offline the entries wait for the retry
   * already scheduled (a save during an outage never costs an attempt of its own).
   */
  notify(): void {
    this.refreshDepth();
    if (this.timer) return;
    this.kick();
  }

  /** Tries now, without waiting for the scheduled retry (the agent asked for it). */
  retryNow(): void {
    this.refreshDepth();
    this.kick();
  }

  /**
   * Sends a message on the real-time channel (a call event, an agent state change for the
   * supervisor view). Returns false when the channel is down: real-time events are best effort;
   * what must arrive goes through the outbox.
   */
  send(message: RealtimeClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN || !this.state.realtime) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  /** The current status. */
  status(): SyncStatus {
    return { ...this.state };
  }

  /** Resolves when the outbox is drained and nothing is pending (tests, sign-out). */
  whenIdle(): Promise<void> {
    if (!this.running && !this.again && this.deps.outbox.count(true) === 0 && !this.pullWanted) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
    this.current = this.cycle();
  }

  private async cycle(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        if (!this.deps.api.signedIn) {
          this.setStatus({ connection: 'signed-out', lastError: 'Not signed in to the server' });
          return;
        }
        if (this.pullWanted) {
          this.pullWanted = false;
          await this.pullAll();
        }
        this.deps.beforePush?.();
        await this.pushAll();
        this.attempt = 0;
        this.setStatus({ connection: 'online', lastSyncAt: this.deps.clock.now(), lastError: null, nextRetryAt: null });
        this.openRealtime();
      } while (this.again && this.started);
      this.settleIdle();
    } catch (err) {
      if (this.started) this.failed(err);
    } finally {
      this.running = false;
    }
  }

  private failed(err: unknown): void {
    const e = err instanceof AppError ? err : new AppError('INTERNAL', (err as Error).message);
    this.refreshDepth();
    if (e.code === 'UNAUTHORIZED') {
      this.setStatus({ connection: 'signed-out', lastError: e.message, nextRetryAt: null });
      this.deps.logger.warn('sync signed out', { error: e.message });
      return;
    }
    const delay = backoffDelay(this.attempt++, this.backoff, this.deps.random);
    this.setStatus({ connection: 'offline', lastError: e.message, nextRetryAt: this.deps.clock.now() + delay });
    this.deps.logger.info('sync failed; retrying', { code: e.code, error: e.message, delayMs: delay });
    this.pullWanted = true;
    if (this.started) {
      this.timer = this.scheduler.setTimeout(() => {
        this.timer = null;
        this.kick();
      }, delay);
    }
  }

  /**
   * Pulls every page after the stored cursor; the cursor advances only after a page is applied.
   * The next page is requested before this one is written (a first sync of a million customers:
   * the server and the network work while SQLite does), and a page is written in slices with the
   * event loop free between them (UI requests, SIP and timers keep answering). A slice written
   * again after a crash is harmless: pulled changes are upserts by server id.
   */
  private async pullAll(): Promise<void> {
    const pageSize = this.deps.pageSize ?? PULL_PAGE_SIZE;
    let next: Promise<PullResponse> | null = this.deps.api.pull(this.deps.cursor.get(), pageSize);
    if (this.deps.applyPage) return this.pullPipelined(next, pageSize, this.deps.applyPage);
    while (this.started && next) {
      const page: PullResponse = await next;
      next = page.hasMore ? this.deps.api.pull(page.cursor, pageSize) : null;
      // Awaited on the next turn; until then (or if this one fails or sync stops) never unhandled.
      next?.catch(() => undefined);
      for (let start = 0; start < page.changes.length && this.started; start += APPLY_SLICE) {
        this.deps.applyChanges(page.changes.slice(start, start + APPLY_SLICE));
        await yieldToEventLoop();
      }
      if (!this.started) return;
      this.deps.cursor.set(page.cursor);
      this.setStatus({ pull: page.hasMore ? { cursor: page.cursor, latest: page.latest } : null });
    }
  }

  /**
   * {@link pullAll} with pages handed to `applyPage`: while one page is written (in a writer
   * thread), the next is fetched and prepared; at most two pages wait to be written. The cursor
   * moves when a page is committed, in order. Returns once every page handed over is settled.
   */
  private async pullPipelined(first: Promise<PullResponse>, pageSize: number, applyPage: NonNullable<SyncEngineDeps['applyPage']>): Promise<void> {
    let next: Promise<PullResponse> | null = first;
    const pending: Promise<boolean>[] = [];
    let failure: unknown = null;
    try {
      while (this.started && next) {
        while (pending.length >= 2) await pending.shift();
        if (failure) throw failure;
        const page: PullResponse = await next;
        next = page.hasMore ? this.deps.api.pull(page.cursor, pageSize) : null;
        next?.catch(() => undefined);
        const { written } = await applyPage(page.changes, {
          last: !page.hasMore,
          stopped: () => !this.started,
          commit: () => {
            this.deps.cursor.set(page.cursor);
            this.setStatus({ pull: page.hasMore ? { cursor: page.cursor, latest: page.latest } : null });
          },
        });
        written.catch((err: unknown) => (failure ??= err));
        pending.push(written);
      }
    } catch (err) {
      await Promise.allSettled(pending);
      throw err;
    }
    for (const written of pending) await written;
  }

  /** Pushes unsent entries in order until none are left. */
  private async pushAll(): Promise<void> {
    let clientId = this.deps.outbox.clientId();
    let rekeys = 0;
    // Set after a copied profile was detected: first push only the entries before it (the same
    // changes the server has, so their answers are adopted), then take a new client id.
    let divergedAt: number | null = null;
    while (this.started) {
      const unsent = this.deps.outbox.unsent(this.batchSize).filter((e) => e.clientId === clientId);
      const batch = this.untilUnansweredDependency(divergedAt === null ? unsent : unsent.filter((e) => e.seq < divergedAt!));
      this.refreshDepth();
      if (batch.length === 0) {
        if (divergedAt === null) return;
        divergedAt = null;
        clientId = this.rekey('other-desktop');
        continue;
      }
      let res;
      try {
        const outgoing = this.deps.outgoing ?? ((m: SyncMutation) => m);
        res = await this.deps.api.push(clientId, batch.map((e) => outgoing(toMutation(e))));
      } catch (err) {
        if (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE' && this.batchSize > 1) {
          this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
          this.deps.logger.info('push too large: smaller batches', { batchSize: this.batchSize });
          continue;
        }
        if (err instanceof AppError && err.code === 'CLIENT_ID_TAKEN' && rekeys++ < MAX_REKEYS) {
          const details = clientIdTakenDetailsSchema.safeParse(err.details);
          const at = details.success ? details.data.divergedAt : undefined;
          if (at !== undefined && at > batch[0]!.seq && divergedAt === null) {
            divergedAt = at;
            continue;
          }
          divergedAt = null;
          clientId = this.rekey(details.success ? details.data.reason : null);
          continue;
        }
        throw err;
      }
      const before = batch[0]!.seq - 1;
      // Only this batch is marked sent: a later entry the server already has (an answer lost
      // earlier) is pushed again and gets its stored answer, which the mirror adopts.
      const through = Math.min(res.highWater, batch[batch.length - 1]!.seq);
      // Marked sent and the server's records adopted together: a crash in between would leave a
      // create acknowledged but its server id never bound.
      const atomically = this.deps.atomically ?? ((fn: () => void) => fn());
      atomically(() => {
        if (through > before) this.deps.outbox.markSentThrough(through);
        this.deps.onPushResults?.(res.results.filter((r) => r.status !== 'retry'));
      });
      this.refreshDepth();
      if (res.highWater < batch[0]!.seq) {
        // The server is missing an earlier entry this outbox no longer has unsent (marked sent by a
        // previous run that lost its answer?): it cannot make progress on its own.
        throw new AppError('CONFLICT', `The server expects sequence ${res.highWater + 1}; the outbox starts at ${batch[0]!.seq}`);
      }
      this.batchSize = Math.min(this.deps.batchSize ?? 200, this.batchSize * 2);
    }
  }

  /**
   * The server says this client id is not ours (another user's, or a copied profile's): take a new
   * one and renumber the unsent entries under it, so they are applied instead of being taken for
   * replays.
   */
  private rekey(reason: string | null): string {
    const r = this.deps.outbox.rekey();
    this.deps.logger.warn('client id taken by another desktop or user: pushing under a new one', { reason, from: r.from, to: r.to, resent: r.resent });
    this.refreshDepth();
    return r.to;
  }

  /** The entries of `batch` before the first one that needs the answer to an earlier one of it. */
  private untilUnansweredDependency(batch: OutboxEntry[]): OutboxEntry[] {
    const needs = this.deps.needsAnswerOf;
    if (!needs) return batch;
    const earlier = new Set<string>();
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      const needed = needs(toMutation(e));
      if (needed !== null && earlier.has(needed)) return batch.slice(0, i);
      earlier.add(`${e.entity}:${e.entityId}`);
    }
    return batch;
  }

  private openRealtime(): void {
    if (this.ws || !this.started || this.wsTimer) return;
    const token = this.deps.api.accessToken;
    if (!token) return;
    const url = this.deps.api.baseUrl.replace(/^http/, 'ws') + '/realtime';
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('message', (data) => {
      this.lastHeard = this.deps.clock.now();
      let msg: RealtimeServerMessage;
      try {
        msg = realtimeServerMessageSchema.parse(JSON.parse(String(data)));
      } catch {
        return;
      }
      if (msg.type === 'ready') {
        this.wsAttempt = 0;
        this.setStatus({ realtime: true });
        this.startHeartbeat(ws);
        if (msg.latest > this.deps.cursor.get()) this.requestPull();
      } else if (msg.type === 'changes') {
        if (msg.latest > this.deps.cursor.get()) this.requestPull();
      }
      this.deps.onRealtime?.(msg);
    });
    ws.on('error', (err) => this.deps.logger.debug('realtime error', { error: err.message }));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopHeartbeat();
      this.setStatus({ realtime: false });
      if (!this.started) return;
      const delay = backoffDelay(this.wsAttempt++, this.backoff, this.deps.random);
      this.wsTimer = this.scheduler.setTimeout(() => {
        this.wsTimer = null;
        // The channel going down usually means the server did: check by syncing (which reopens it).
        this.pullWanted = true;
        this.kick();
      }, delay);
    });
  }

  private requestPull(): void {
    this.pullWanted = true;
    this.kick();
  }

  private startHeartbeat(ws: WebSocket): void {
    this.stopHeartbeat();
    const every = this.deps.heartbeatMs ?? 15_000;
    this.lastHeard = this.deps.clock.now();
    this.heartbeat = repeat(this.scheduler, every, () => {
      if (this.deps.clock.now() - this.lastHeard > every * 2) {
        this.deps.logger.info('realtime silent: reconnecting');
        ws.terminate();
        return;
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ping', at: this.deps.clock.now() }));
    });
  }

  private stopHeartbeat(): void {
    this.heartbeat?.();
    this.heartbeat = null;
  }

  private closeRealtime(): void {
    if (this.wsTimer) this.scheduler.clearTimeout(this.wsTimer);
    this.wsTimer = null;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.terminate();
    this.setStatus({ realtime: false });
  }

  private refreshDepth(): void {
    this.setStatus({ outboxDepth: this.deps.outbox.count(true) });
  }

  private settleIdle(): void {
    if (this.deps.outbox.count(true) > 0 || this.pullWanted) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    const next = { ...this.state, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    try {
      this.deps.onStatus?.(this.status());
    } catch (err) {
      this.deps.logger.warn('sync status listener failed', { error: (err as Error).message });
    }
  }
}

/** What a push carries for an outbox entry. */
export function toMutation(e: OutboxEntry): SyncMutation {
  return { clientId: e.clientId, seq: e.seq, entity: e.entity, entityId: e.entityId, operation: e.operation, baseVersion: e.baseVersion, payload: e.payload, createdAt: e.createdAt };
}

/** Keeps the pull cursor in the `meta` table under `sync.cursor`. */
export function metaCursorStore(meta: MetaStore): CursorStore {
  return {
    get: () => Number(meta.get(SYNC_CURSOR_KEY) ?? 0),
    set: (cursor) => meta.set(SYNC_CURSOR_KEY, String(cursor)),
  };
}

/** Meta key of the pull cursor. */
export const SYNC_CURSOR_KEY = 'sync.cursor';
