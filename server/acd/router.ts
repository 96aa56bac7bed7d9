import { AcdEngine, type AcdQueueLimits } from '../../shared/acd/engine';
import type { CallerTier, Offer } from '../../shared/acd/policy';
import { formatQueueOffer } from '../../shared/acd/offerHeader';
import { isQueueOpen, type Queue } from '../../shared/acd/queueConfig';
import { agentStateSchema } from '../../shared/agent/state';
import type { Db } from '../db/db';
import type { Logger } from '../log';
import { EVENTS_CHANNEL } from '../services/changes';
import { EvapiClient } from './evapi';
import { RouterLeadership } from './leader';
import { lookupCaller } from './callerLookup';
import { QueueEventWriter, waitingCalls, type QueueEvent } from './queueEvents';
import { ACD_CHANNEL, ACD_STATS_CHANNEL, QueueService } from './queueService';

/** Unchanged queue figures are published again this often (a desktop that connects gets them). */
const STATS_REFRESH_MS = 5000;

/** Options of {@link AcdRouter}. */
export interface AcdRouterOptions {
  db: Db;
  logger: Logger;
  /** Kamailio's evapi address. */
  evapi: { host: string; port: number };
  /** PostgreSQL URL for the leader lock; null on PGlite (one process: always the leader). */
  databaseUrl: string | null;
  now?: () => number;
  leaderPollMs?: number;
  /** Re-evaluation pace for timed rules (skill widening, owner window, max wait). */
  tickMs?: number;
  /** Benchmarks: one sample per offer made in answer to a Kamailio request (see {@link DecisionSample}). */
  probe?: (sample: DecisionSample) => void;
}

/**
 * How long one routing decision took: `transitMs` from Kamailio stamping its request (`ts`, wall
 * clock) to the router reading it, `decideMs` from reading it to sending the offer back.
 */
export interface DecisionSample {
  callId: string;
  transitMs: number | null;
  decideMs: number;
  /** False when the call had to wait for a free agent (the time then includes queue wait). */
  immediate: boolean;
}

/** Kamailio's handle on a suspended call, and what we know of the call's SIP side. */
interface CallLink {
  tindex: number;
  tlabel: number;
  /** The suspend Kamailio is waiting an answer for (stale answers are dropped by it). */
  attempt: number;
  answered: boolean;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/**
 * The ACD router (docs/acd.md): the one server instance holding the advisory lock connects to
 * Kamailio's evapi, keeps the queue state ({@link AcdEngine}), decides offers with the routing
 * policies, and writes every queue event to PostgreSQL with the server's clock. Agent states come
 * from the real-time channel (the `agent-state` notifications every instance LISTENs to).
 */
export class AcdRouter {
  private engine = new AcdEngine();
  private readonly links = new Map<string, CallLink>();
  /** Calls whose ring the router cancelled (the agent went not-ready); marked on their no-answer event. */
  private readonly revoked = new Set<string>();
  private queues = new Map<string, Queue>();
  private numbers = new Map<string, string>();
  private sentNumbers = new Set<string>();
  /** agent id -> SIP user, and back. */
  private extByAgent = new Map<string, string>();
  private agentByExt = new Map<string, string>();
  private readonly kam: EvapiClient;
  private readonly leadership: RouterLeadership;
  private readonly events: QueueEventWriter;
  private readonly queueService: QueueService;
  private readonly now: () => number;
  private readonly log: Logger;
  private unlisten: Array<() => Promise<void>> = [];
  private tick: NodeJS.Timeout | null = null;
  private active = false;
  private inbox: Promise<void> = Promise.resolve();
  private lastStats = { key: '', at: 0 };
  /** Kamailio's start time as it last said (`boot`); a new one means it restarted. */
  private kamailioBoot: string | null = null;
  /** Benchmarks: Kamailio requests not answered yet (call id -> when read, and transit). */
  private readonly asked = new Map<string, { readAt: number; transitMs: number | null }>();
  /** The call whose Kamailio request is being handled right now (benchmarks). */
  private handling: string | null = null;

  constructor(private readonly opts: AcdRouterOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
    this.events = new QueueEventWriter(opts.db, opts.logger.child('events'));
    this.queueService = new QueueService(opts.db, this.now);
    this.kam = new EvapiClient({
      ...opts.evapi,
      logger: opts.logger.child('evapi'),
      onConnect: () => this.onKamailioConnect(),
      onMessage: (m) => this.onKamailio(m),
    });
    this.leadership = new RouterLeadership({
      databaseUrl: opts.databaseUrl,
      logger: opts.logger.child('leader'),
      ...(opts.leaderPollMs ? { pollMs: opts.leaderPollMs } : {}),
      onLeader: () => this.becomeLeader(),
      onLost: () => this.stepDown(),
    });
  }

  /** True while this instance routes. */
  get isLeader(): boolean {
    return this.active;
  }

  /** True while connected to Kamailio. */
  get connected(): boolean {
    return this.kam.connected;
  }

  /** The router's view of an agent (state, call, missed), for diagnostics and tests. */
  agent(agentId: string): Readonly<{ state: string; callId: string | null; missed: boolean }> | undefined {
    const a = this.engine.agent(agentId);
    return a ? { state: a.state, callId: a.callId, missed: a.missed } : undefined;
  }

  /** Calls the router holds (waiting, ringing or talking). */
  get callCount(): number {
    return this.engine.allCalls().length;
  }

  /** Starts competing for the router lock. */
  async start(): Promise<void> {
    await this.leadership.start();
  }

  /** Stops routing, releases the lock, writes pending events. */
  async stop(): Promise<void> {
    await this.leadership.stop();
    await this.events.flush();
  }

  /** Resolves when every queue event so far is written (tests). */
  flush(): Promise<void> {
    return this.events.flush();
  }

  private async becomeLeader(): Promise<void> {
    this.engine = new AcdEngine();
    this.links.clear();
    await this.reloadQueues();
    await this.loadAgentStates();
    await this.restoreWaitingCalls();
    this.unlisten.push(await this.opts.db.listen(ACD_CHANNEL, () => void this.reloadQueues().then(() => this.route())));
    this.unlisten.push(await this.opts.db.listen(EVENTS_CHANNEL, (payload) => this.onNotification(payload)));
    this.active = true;
    this.kam.start();
    this.tick = setInterval(() => this.route(), this.opts.tickMs ?? 250);
    this.tick.unref();
  }

  private async stepDown(): Promise<void> {
    this.active = false;
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    await this.kam.close();
    for (const u of this.unlisten.splice(0)) await u().catch(() => undefined);
  }

  private async reloadQueues(): Promise<void> {
    const list = await this.queueService.list();
    this.queues = new Map(list.map((q) => [q.id, q]));
    this.numbers = new Map(list.flatMap((q) => q.numbers.map((n) => [n, q.id] as const)));
    this.extByAgent = await this.queueService.extensions();
    this.agentByExt = new Map([...this.extByAgent].map(([a, e]) => [e, a]));
    const logouts = await this.queueService.logouts();
    this.engine.setQueues(list.map((q) => toLimits(q, logouts.get(q.id))));
    if (this.kam.connected) this.pushNumbers();
  }

  /** The latest reported state of every agent (server receive time). */
  private async loadAgentStates(): Promise<void> {
    const { rows } = await this.opts.db.query<{ pushed_by: string; to_state: string; record: { fromState?: unknown }; received_at: string }>(
      `SELECT DISTINCT ON (pushed_by) pushed_by, to_state, record, received_at FROM agent_state_events ORDER BY pushed_by, at DESC, received_at DESC`,
    );
    for (const r of rows) {
      const to = agentStateSchema.safeParse(r.to_state);
      const from = agentStateSchema.safeParse(r.record.fromState);
      if (to.success) this.engine.agentState(r.pushed_by, to.data, from.success ? from.data : null, Number(r.received_at));
    }
  }

  private async restoreWaitingCalls(): Promise<void> {
    const horizon = Math.max(3600, ...[...this.queues.values()].map((q) => q.maxWaitSec)) * 1000;
    for (const c of await waitingCalls(this.opts.db, this.now(), horizon)) {
      const call = this.engine.enter({ callId: c.callId, queueId: c.queueId, at: c.enteredAt, tier: c.tier, ownerId: c.ownerId, seq: c.seq, attempts: c.attempts });
      if (c.offeredTo) this.engine.restoreOffer(call.callId, c.offeredTo);
      this.links.set(c.callId, { tindex: c.tindex, tlabel: c.tlabel, attempt: c.attempt, answered: false });
    }
    if (this.links.size > 0) this.log.info('restored waiting calls from the queue events', { calls: this.links.size });
  }

  private onNotification(payload: string): void {
    let note: { kind?: string; userId?: string; event?: { toState?: unknown; fromState?: unknown } };
    try {
      note = JSON.parse(payload) as typeof note;
    } catch {
      return;
    }
    if (note.kind !== 'agent-state' || !note.userId || !note.event) return;
    const to = agentStateSchema.safeParse(note.event.toState);
    if (!to.success) return;
    const from = agentStateSchema.safeParse(note.event.fromState);
    this.engine.agentState(note.userId, to.data, from.success ? from.data : null, this.now());
    if (to.data === 'not-ready' || to.data === 'logged-out') this.revokeOffer(note.userId, to.data);
    this.route();
  }

  private onKamailioConnect(): void {
    this.sentNumbers.clear();
    this.kam.send({ cmd: 'hello' });
    this.pushNumbers();
    this.route();
  }

  /** Tells Kamailio which numbers are queue numbers (and which no longer are). */
  private pushNumbers(): void {
    for (const n of this.sentNumbers) if (!this.numbers.has(n)) this.kam.send({ cmd: 'number', number: n, queue: '' });
    for (const [n, q] of this.numbers) this.kam.send({ cmd: 'number', number: n, queue: q });
    this.sentNumbers = new Set(this.numbers.keys());
  }

  private onKamailio(raw: Record<string, unknown>): void {
    if (!this.active) return;
    // Suspending events carry Kamailio's transaction ids beside the event body `d` (built with jansson).
    const m = typeof raw.d === 'object' && raw.d !== null ? { ...(raw.d as Record<string, unknown>), tindex: raw.tindex, tlabel: raw.tlabel } : raw;
    const at = this.now();
    const callId = str(m.callid);
    if (this.opts.probe && (m.event === 'new' || m.event === 'noanswer')) {
      const ts = Number(m.ts);
      this.asked.set(callId, { readAt: performance.now(), transitMs: Number.isFinite(ts) && ts > 0 ? Date.now() - ts * 1000 : null });
    }
    // The caller's customer is looked up at once, beside the other lookups (PostgreSQL pool), not
    // behind them: a serial lookup per new call made every later message (ended, answered) wait,
    // and agents were released late under load (bench: 50 calls/s).
    const caller = m.event === 'new' ? lookupCaller(this.opts.db, str(m.from)) : null;
    caller?.catch(() => undefined);
    // One message at a time, in arrival order: a CANCEL right behind its INVITE must not overtake it
    // while the caller's customer is looked up.
    this.inbox = this.inbox.then(async () => {
      this.handling = callId;
      switch (m.event) {
        case 'new':
          await this.onNew(m, callId, at, caller!);
          break;
        case 'noanswer':
          this.onNoAnswer(m, callId, at);
          break;
        case 'answered':
          this.onAnswered(callId, this.agentOf(str(m.agent)), at);
          break;
        case 'abandon':
          this.finish(callId, 'abandoned', at, { by: 'caller' });
          break;
        case 'ended':
          this.finish(callId, 'ended', at, { by: str(m.by) || 'unknown' });
          break;
        case 'timeout':
          this.finish(callId, 'overflowed', at, { why: 'sip-wait-timer', target: 'hunt-list' });
          break;
        case 'boot':
          this.onKamailioBoot(str(m.boot), at);
          break;
        case 'stale': {
          const link = this.links.get(callId);
          // Kamailio no longer waits for this call (gone while no router listened): forget it.
          if (link && link.attempt === num(m.attempt) && !link.answered) this.finish(callId, 'ended', at, { reason: 'gone' });
          break;
        }
        default:
          this.log.debug('unknown evapi message', { message: m });
      }
      this.route();
      this.handling = null;
    }).catch((err: Error) => this.log.error('evapi message failed', { error: err.message, event: m.event }));
  }

  private async onNew(m: Record<string, unknown>, callId: string, at: number, lookup: Promise<{ tier: CallerTier; ownerId: string | null }>): Promise<void> {
    const link: CallLink = { tindex: num(m.tindex), tlabel: num(m.tlabel), attempt: num(m.attempt), answered: false };
    const queueId = this.numbers.get(str(m.number));
    const queue = queueId ? this.queues.get(queueId) : undefined;
    if (!queue) {
      this.kam.send({ cmd: 'reject', callid: callId, tindex: link.tindex, tlabel: link.tlabel, attempt: link.attempt, code: 404, reason: 'No such queue' });
      return;
    }
    if (this.engine.call(callId)) this.engine.remove(callId);
    this.links.set(callId, link);
    if (!isQueueOpen(queue.hours, at)) {
      this.events.write({ callId, queueId: queue.id, kind: 'closed', at, detail: { target: queue.closedTarget } });
      this.leave(callId, queue.closedTarget);
      return;
    }
    const caller = await lookup;
    const call = this.engine.enter({ callId, queueId: queue.id, at, tier: caller.tier, ownerId: caller.ownerId });
    this.write({ callId, queueId: queue.id, kind: 'entered', at, detail: { number: str(m.number), from: str(m.from), seq: call.seq, tier: caller.tier, ownerId: caller.ownerId, ...this.ids(link) } });
  }

  /**
   * Kamailio said its start time. A different one than before means it restarted: the suspended
   * transactions of the calls waiting in queue (or ringing an agent) died with it, and those callers
   * got no final answer (docs/acd.md "Kamailio restart"). They leave the queue now, recorded as
   * `ended` with `reason: sip-server-restart`, instead of holding agents and positions. Answered
   * calls stay: their BYE still crosses the new Kamailio (Record-Route) and ends them.
   */
  private onKamailioBoot(boot: string, at: number): void {
    const before = this.kamailioBoot;
    this.kamailioBoot = boot;
    if (before === null || before === boot) return;
    const lost = this.engine.allCalls().filter((c) => !this.links.get(c.callId)?.answered);
    this.log.warn('Kamailio restarted: its waiting calls are gone', { calls: lost.length });
    for (const c of lost) this.finish(c.callId, 'ended', at, { reason: 'gone', why: 'sip-server-restart' });
  }

  private onNoAnswer(m: Record<string, unknown>, callId: string, at: number): void {
    const link = this.links.get(callId);
    if (link) Object.assign(link, { tindex: num(m.tindex), tlabel: num(m.tlabel), attempt: num(m.attempt) });
    const agentId = this.agentOf(str(m.agent));
    const call = this.engine.noAnswer(callId, agentId);
    if (!call || !link) {
      this.kam.send({ cmd: 'reject', callid: callId, tindex: num(m.tindex), tlabel: num(m.tlabel), attempt: num(m.attempt), code: 480, reason: 'Not queued' });
      return;
    }
    const revoked = this.revoked.delete(callId);
    this.write({ callId, queueId: call.queueId, kind: 'no-answer', agentId, at, detail: { code: num(m.code), ...(revoked ? { revoked: true } : {}), ...this.ids(link) } });
  }

  private onAnswered(callId: string, reported: string, at: number): void {
    const link = this.links.get(callId);
    const call = this.engine.call(callId);
    if (!call || !link || link.answered) return;
    link.answered = true;
    // The agent this router offered the call to answered it: Kamailio names only the SIP user, which
    // several agents may share (agent_extensions); taking that name would leave the offered agent
    // reserved for good. Kamailio's name is used when there was no offer (the hunt list).
    const agentId = call.offeredTo ?? reported;
    this.engine.answered(callId, agentId);
    this.write({ callId, queueId: call.queueId, kind: 'answered', agentId, at, waitMs: at - call.enteredAt });
  }

  /** The call leaves the queue (abandoned, ended, overflowed elsewhere): event, agent released. */
  private finish(callId: string, kind: 'abandoned' | 'ended' | 'overflowed', at: number, detail: Record<string, unknown>): void {
    const call = this.engine.call(callId);
    if (!call) return;
    const link = this.links.get(callId);
    if (kind === 'ended' && !link?.answered && detail.reason !== 'gone') kind = 'abandoned';
    const agentId = call.offeredTo;
    this.write({ callId, queueId: call.queueId, kind, agentId, at, ...(link?.answered ? {} : { waitMs: at - call.enteredAt }), detail: { ...detail, ...(link?.answered ? {} : { ringing: agentId }) } });
    this.engine.remove(callId, link?.answered ? at : undefined);
    this.links.delete(callId);
    this.revoked.delete(callId);
    this.asked.delete(callId);
  }

  /** Offers waiting calls to free agents; sends overdue calls to their overflow target. */
  private route(): void {
    if (!this.active) return;
    const at = this.now();
    if (this.kam.connected) this.routeNow(at);
    this.publishStats(at);
  }

  private routeNow(at: number): void {
    for (const o of this.engine.overdue(at)) {
      const q = this.queues.get(o.call.queueId);
      const target = q?.overflowTarget ?? null;
      this.write({ callId: o.call.callId, queueId: o.call.queueId, kind: 'overflowed', at, waitMs: at - o.call.enteredAt, detail: { why: o.why, target } });
      this.leave(o.call.callId, target);
    }
    for (const offer of this.engine.route(at)) this.offer(offer, at);
  }

  private offer(o: Offer, at: number): void {
    const link = this.links.get(o.callId);
    const call = this.engine.call(o.callId)!;
    const queue = this.queues.get(call.queueId);
    if (!link) return;
    const target = this.extByAgent.get(o.agentId) ?? o.agentId;
    this.write({ callId: o.callId, queueId: call.queueId, kind: 'offered', agentId: o.agentId, at, waitMs: at - call.enteredAt, detail: { reason: o.reason, vip: o.vip, attempt: link.attempt } });
    const hdr = formatQueueOffer({ queueId: call.queueId, queueName: queue?.name ?? call.queueId, reason: o.reason, vip: o.vip, waitedMs: at - call.enteredAt });
    this.kam.send({ cmd: 'offer', callid: o.callId, tindex: link.tindex, tlabel: link.tlabel, attempt: link.attempt, target, ring: queue?.ringTimeoutSec ?? 15, queue: call.queueId, reason: o.reason, hdr });
    const asked = this.asked.get(o.callId);
    if (asked && this.opts.probe) {
      this.asked.delete(o.callId);
      this.opts.probe({ callId: o.callId, transitMs: asked.transitMs, decideMs: performance.now() - asked.readAt, immediate: this.handling === o.callId });
    }
  }

  /**
   * Publishes each queue's unanswered calls and longest wait (NOTIFY on {@link ACD_STATS_CHANNEL};
   * every instance's real-time hub pushes it to its desktops) when they change, and every
   * {@link STATS_REFRESH_MS} anyway so that a desktop connecting later gets figures that are fresh.
   */
  private publishStats(at: number): void {
    const oldest = new Map<string, { waiting: number; since: number }>([...this.queues.keys()].map((id) => [id, { waiting: 0, since: at }]));
    for (const c of this.engine.allCalls()) {
      if (this.links.get(c.callId)?.answered) continue;
      const q = oldest.get(c.queueId);
      if (!q) continue;
      q.waiting += 1;
      q.since = Math.min(q.since, c.enteredAt);
    }
    const key = JSON.stringify([...oldest]);
    if (key === this.lastStats.key && at - this.lastStats.at < STATS_REFRESH_MS) return;
    this.lastStats = { key, at };
    const queues = [...oldest].map(([id, q]) => ({ id, waiting: q.waiting, longestWaitMs: q.waiting > 0 ? at - q.since : 0 }));
    this.opts.db.query('SELECT pg_notify($1, $2)', [ACD_STATS_CHANNEL, JSON.stringify({ at, queues })]).catch((err: Error) => this.log.warn('queue figures not published', { error: err.message }));
  }

  /**
   * The agent a call is ringing at went not-ready or logged out: Kamailio cancels that ring, and the
   * agent's 487 comes back as a no-answer, which re-offers the call at its original position at once
   * (instead of after the ring timeout).
   */
  private revokeOffer(agentId: string, state: string): void {
    const callId = this.engine.agent(agentId)?.callId;
    const link = callId ? this.links.get(callId) : undefined;
    const call = callId ? this.engine.call(callId) : undefined;
    if (!callId || !link || !call || link.answered || call.offeredTo !== agentId || !this.kam.connected) return;
    this.revoked.add(callId);
    this.log.info('offer revoked: the agent is no longer available', { callId, agentId, state });
    this.kam.send({ cmd: 'revoke', callid: callId, attempt: link.attempt });
  }

  /** Sends a waiting call elsewhere (a number or another queue's number), or refuses it (480). */
  private leave(callId: string, target: string | null): void {
    const link = this.links.get(callId);
    this.links.delete(callId);
    if (!link) return;
    const ids = { callid: callId, tindex: link.tindex, tlabel: link.tlabel, attempt: link.attempt };
    if (target) this.kam.send({ cmd: 'forward', ...ids, target });
    else this.kam.send({ cmd: 'reject', ...ids, code: 480, reason: 'Queue unavailable' });
  }

  private write(e: QueueEvent): void {
    this.events.write(e);
  }

  private ids(link: CallLink): Record<string, number> {
    return { tindex: link.tindex, tlabel: link.tlabel, attempt: link.attempt };
  }

  private agentOf(extension: string): string {
    return this.agentByExt.get(extension) ?? extension;
  }
}

/** The queue as the engine routes it: only members logged in to it (`out`: those logged out). */
function toLimits(q: Queue, out: ReadonlySet<string> = new Set()): AcdQueueLimits {
  return {
    id: q.id,
    priority: q.priority,
    policy: q.policy,
    widenAfterSec: q.widenAfterSec,
    ownerFirstSec: q.ownerFirstSec,
    vipFirst: q.vipFirst,
    maxWaitSec: q.maxWaitSec,
    members: new Map(q.members.filter((m) => !out.has(m.agentId)).map((m) => [m.agentId, m.skill])),
  };
}
