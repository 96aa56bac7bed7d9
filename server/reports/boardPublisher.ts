import type { AgentBoardRow, LiveBoard, QueueBoardRow } from '../../shared/kpi/board';
import type { Principal } from '../auth/tokens';
import type { Db } from '../db/db';
import type { Logger } from '../log';
import { EVENTS_CHANNEL } from '../services/changes';
import type { RealtimeHub } from '../services/realtime';
import { buildLiveBoard } from './liveBoard';
import { supervisorScope, type SupervisorScope } from './scope';

/** Options of the board publisher. */
export interface BoardPublisherOptions {
  db: Db;
  hub: RealtimeHub;
  logger: Logger;
  timeZone: string;
  now: () => number;
  /** How often the newest queue event id is checked (ms; the router writes queue events without NOTIFY). */
  queueCheckMs?: number;
  /** Changes closer together than this are sent as one delta (ms). */
  coalesceMs?: number;
  /** Called on every change (the wallboards refresh). */
  onChange?: () => void;
}

/**
 * Pushes the live boards to supervisors and admins over the real-time channel (no polling by the
 * screens): on every agent state change, synced change (interactions, tickets) and new queue event,
 * the board of each scope with a connected supervisor is rebuilt from the stored events and the
 * rows that changed since the last push to that scope are sent as one `supervisor-board` message.
 * Agents never get one.
 */
export class BoardPublisher {
  private unlisten: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private lastQueueEvent = -1;
  private readonly last = new Map<string, { queues: Map<string, string>; agents: Map<string, string> }>();

  constructor(private readonly opts: BoardPublisherOptions) {}

  /** Starts listening. */
  async start(): Promise<void> {
    this.unlisten = await this.opts.db.listen(EVENTS_CHANNEL, () => this.poke());
    // The newest queue event now is the baseline: a queue event written from here on is a change,
    // even one written before the first timer tick.
    await this.checkQueueEvents();
    this.timer = setInterval(() => void this.checkQueueEvents(), this.opts.queueCheckMs ?? 250);
    this.timer.unref();
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.timer = this.pending = null;
    await this.unlisten?.();
    this.unlisten = null;
    await this.running;
  }

  /** Something changed: publish soon (changes within `coalesceMs` go out together). */
  poke(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.publish();
    }, this.opts.coalesceMs ?? 50);
  }

  private async checkQueueEvents(): Promise<void> {
    try {
      const { rows } = await this.opts.db.query<{ id: string | null }>('SELECT max(id) AS id FROM queue_events');
      const id = Number(rows[0]?.id ?? 0);
      if (id !== this.lastQueueEvent) {
        const first = this.lastQueueEvent === -1;
        this.lastQueueEvent = id;
        if (!first) this.poke();
      }
    } catch (err) {
      this.opts.logger.debug('queue event check failed', { error: (err as Error).message });
    }
  }

  private async publish(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.publishOnce()
      .catch((err: Error) => this.opts.logger.warn('board publish failed', { error: err.message }))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
    await this.running;
  }

  private async publishOnce(): Promise<void> {
    this.opts.onChange?.();
    const watchers = this.opts.hub.principals().filter((p) => p.role !== 'agent');
    if (watchers.length === 0) return;
    const scopes = new Map<string, SupervisorScope>();
    const scopeOf = new Map<string, string>();
    for (const p of watchers) {
      const s = await supervisorScope(p, this.opts.db);
      scopes.set(s.key, s);
      scopeOf.set(principalKey(p), s.key);
    }
    const now = this.opts.now();
    const deltas = new Map<string, { at: number; queues: QueueBoardRow[]; agents: AgentBoardRow[] }>();
    for (const [key, scope] of scopes) {
      const board = await buildLiveBoard(this.opts.db, scope, now, this.opts.timeZone);
      const delta = this.diff(key, board);
      if (delta.queues.length > 0 || delta.agents.length > 0) deltas.set(key, delta);
    }
    if (deltas.size === 0) return;
    this.opts.hub.publish((p) => {
      if (p.role === 'agent') return null;
      const d = deltas.get(scopeOf.get(principalKey(p)) ?? '');
      return d ? { type: 'supervisor-board', at: d.at, queues: d.queues, agents: d.agents } : null;
    });
  }

  /** Rows that differ from the last push to this scope (the time-ticking fields are left to the screen). */
  private diff(key: string, board: LiveBoard): { at: number; queues: QueueBoardRow[]; agents: AgentBoardRow[] } {
    const prev = this.last.get(key) ?? { queues: new Map<string, string>(), agents: new Map<string, string>() };
    const queues = board.queues.filter((q) => {
      const sig = JSON.stringify({ ...q, kpis: { ...q.kpis, longestWaitNowMs: null } });
      if (prev.queues.get(q.id) === sig) return false;
      prev.queues.set(q.id, sig);
      return true;
    });
    const agents = board.agents.filter((a) => {
      const sig = JSON.stringify(a);
      if (prev.agents.get(a.id) === sig) return false;
      prev.agents.set(a.id, sig);
      return true;
    });
    this.last.set(key, prev);
    return { at: board.at, queues, agents };
  }
}

function principalKey(p: Principal): string {
  return `${p.role}:${p.id}:${p.team ?? ''}`;
}
