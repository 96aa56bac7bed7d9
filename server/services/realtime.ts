import type { WebSocket } from 'ws';
import { z } from 'zod';
import { describeUnsafe, findUnsafeValue, isSaneEpochMs } from '../../shared/sync/safeValues';
import { agentStateEventSchema } from '../../shared/agent/state';
import { realtimeClientMessageSchema, type RealtimeServerMessage } from '../../shared/sync/protocol';
import type { Db } from '../db/db';
import type { Principal, TokenSigner } from '../auth/tokens';
import type { Logger } from '../log';
import { queueStatsSchema } from '../../shared/acd/agentQueues';
import { ACD_STATS_CHANNEL } from '../acd/queueService';
import { EVENTS_CHANNEL, latestChangeId, type ChangeNotification } from './changes';
import type { ConfigService } from './configService';
import { Visibility } from './scope';
import { rowToTicket, type TicketRow } from './tickets';
import { toUser, type UserService } from './users';

/** An agent state change relayed between instances (to supervisors). */
interface AgentStateNotification {
  kind: 'agent-state';
  userId: string;
  event: z.infer<typeof agentStateEventSchema>;
}

type Notification = ChangeNotification | AgentStateNotification;

/** The router's NOTIFY payload on {@link ACD_STATS_CHANNEL}. */
const queueStatsNoteSchema = z.object({ at: z.number(), queues: z.array(queueStatsSchema) });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

interface Connection {
  socket: WebSocket;
  principal: Principal;
  alive: boolean;
}

/** Options of the real-time hub. */
export interface RealtimeOptions {
  db: Db;
  signer: TokenSigner;
  users: UserService;
  config: ConfigService;
  logger: Logger;
  /** Ping interval; a socket that misses one pong is dropped. */
  heartbeatMs: number;
  /** How long a new socket may take to authenticate. */
  authTimeoutMs?: number;
  now?: () => number;
}

/**
 * The real-time channel (`/realtime`). A desktop authenticates with its access token in the first
 * message, then:
 * - sends agent state changes and call events, stored (insert-only, idempotent by id) for reporting
 *   and acknowledged;
 * - receives `changes` (pull now), `ticket` (a ticket it may see changed; `assignedToYou` when it
 *   was just assigned to this user), `config` and, for supervisors, `agent-state`.
 *
 * Fan-out goes through PostgreSQL NOTIFY (sent in the writing transaction, so only committed
 * changes are announced) and every instance LISTENs: several stateless instances behind a load
 * balancer reach every connected desktop. On PGlite the same calls stay inside the process.
 * Heartbeats: WebSocket pings every `heartbeatMs`, and an application `ping` answered by `pong`.
 */
export class RealtimeHub {
  private readonly connections = new Set<Connection>();
  private unlisten: Array<() => Promise<void>> = [];
  /** The ACD router's latest queue figures, sent to each desktop as it connects. */
  private queueStats: RealtimeServerMessage | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly opts: RealtimeOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
  }

  /** Starts listening for notifications and the heartbeat. */
  async start(): Promise<void> {
    this.unlisten.push(await this.opts.db.listen(EVENTS_CHANNEL, (payload) => void this.onNotification(payload)));
    this.unlisten.push(await this.opts.db.listen(ACD_STATS_CHANNEL, (payload) => this.onQueueStats(payload)));
    this.timer = setInterval(() => this.heartbeat(), this.opts.heartbeatMs);
    this.timer.unref();
  }

  /** Closes every socket and stops listening. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.connections) c.socket.close(1001, 'server stopping');
    this.connections.clear();
    for (const u of this.unlisten.splice(0)) await u();
  }

  /** The principals of the authenticated sockets on this instance (one per socket). */
  principals(): Principal[] {
    return [...this.connections].map((c) => c.principal);
  }

  /** Sends `msg(principal)` to every authenticated socket whose principal `msg` answers for (null: skip). */
  publish(msg: (p: Principal) => RealtimeServerMessage | null): void {
    for (const c of this.connections) {
      const m = msg(c.principal);
      if (m) this.send(c.socket, m);
    }
  }

  /** Number of authenticated sockets on this instance. */
  get size(): number {
    return this.connections.size;
  }

  /** Takes over a new socket. */
  accept(socket: WebSocket): void {
    let conn: Connection | null = null;
    let authing: Promise<Connection | null> | null = null;
    const authTimer = setTimeout(() => {
      if (!conn) socket.close(4401, 'authenticate first');
    }, this.opts.authTimeoutMs ?? 5000);
    socket.on('pong', () => {
      if (conn) conn.alive = true;
    });
    socket.on('close', () => {
      clearTimeout(authTimer);
      if (conn) this.connections.delete(conn);
      void authing?.then((c) => c && this.connections.delete(c));
    });
    socket.on('error', (err) => this.log.debug('socket error', { error: err.message }));
    socket.on('message', (data) => {
      void (async () => {
        let msg: z.infer<typeof realtimeClientMessageSchema>;
        try {
          msg = realtimeClientMessageSchema.parse(JSON.parse(String(data)));
        } catch {
          this.send(socket, { type: 'error', code: 'INVALID_PAYLOAD', message: 'Unreadable message' });
          return;
        }
        const unsafe = findUnsafeValue(msg) ?? ('event' in msg && !isSaneEpochMs(msg.event.at) ? { path: 'event.at', kind: 'bad-date' as const } : null);
        if (unsafe) {
          this.send(socket, { type: 'error', code: 'INVALID_PAYLOAD', message: describeUnsafe(unsafe) });
          return;
        }
        if (!authing) {
          if (msg.type !== 'auth') {
            socket.close(4401, 'authenticate first');
            return;
          }
          authing = this.authenticate(socket, msg.token);
          conn = await authing;
          if (conn) clearTimeout(authTimer);
          return;
        }
        // Messages sent right behind the auth wait for it.
        const c = await authing;
        if (c) await this.handle(c, msg);
      })().catch((err: Error) => {
        this.log.warn('realtime message failed', { error: err.message });
        this.send(socket, { type: 'error', code: 'INTERNAL', message: 'The server could not handle this message' });
      });
    });
  }

  /** Checks the token and the user; registers the connection and says `ready`, or closes 4401. */
  private async authenticate(socket: WebSocket, token: string): Promise<Connection | null> {
    const p = this.opts.signer.verify(token);
    const user = p ? await this.opts.users.find(p.id) : null;
    if (!p || !user || user.disabled) {
      socket.close(4401, 'invalid token');
      return null;
    }
    if (socket.readyState !== socket.OPEN) return null;
    const conn: Connection = { socket, principal: p, alive: true };
    this.connections.add(conn);
    this.send(socket, { type: 'ready', user: toUser(user), latest: await latestChangeId(this.opts.db), heartbeatMs: this.opts.heartbeatMs });
    if (this.queueStats) this.send(socket, this.queueStats);
    return conn;
  }

  private async handle(conn: Connection, msg: z.infer<typeof realtimeClientMessageSchema>): Promise<void> {
    const now = this.now();
    switch (msg.type) {
      case 'auth':
        return;
      case 'ping':
        this.send(conn.socket, msg.at === undefined ? { type: 'pong' } : { type: 'pong', at: msg.at });
        return;
      case 'agent-state': {
        const e = msg.event;
        await this.opts.db.transaction(async (tx) => {
          const { rowCount } = await tx.query(
            `INSERT INTO agent_state_events (id, agent_id, to_state, at, record, pushed_by, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
            [e.id, e.agentId, e.toState, e.at, JSON.stringify(e), conn.principal.id, now],
          );
          if (rowCount === 1) {
            const note: AgentStateNotification = { kind: 'agent-state', userId: conn.principal.id, event: e };
            await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(note)]);
          }
        });
        this.send(conn.socket, { type: 'ack', id: e.id });
        return;
      }
      case 'call-event': {
        const e = msg.event;
        await this.opts.db.query(
          `INSERT INTO call_events (id, user_id, call_id, kind, at, record, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [e.id, conn.principal.id, e.callId, e.kind, e.at, JSON.stringify(e), now],
        );
        this.send(conn.socket, { type: 'ack', id: e.id });
        return;
      }
    }
  }

  private async onNotification(payload: string): Promise<void> {
    if (this.connections.size === 0) return;
    let note: Notification;
    try {
      note = JSON.parse(payload) as Notification;
    } catch {
      return;
    }
    try {
      if (note.kind === 'agent-state') {
        for (const c of this.connections) {
          if (c.principal.role !== 'agent' || c.principal.id === note.userId) this.send(c.socket, { type: 'agent-state', event: note.event, userId: note.userId });
        }
        return;
      }
      for (const c of this.connections) this.send(c.socket, { type: 'changes', latest: note.latest, entities: note.entities });
      if (note.tickets.length > 0) await this.fanOutTickets(note);
      if (note.config.length > 0) {
        const all = await this.opts.config.all();
        for (const key of note.config) {
          const value = (all as Record<string, unknown>)[key];
          for (const c of this.connections) this.send(c.socket, { type: 'config', key, value });
        }
      }
    } catch (err) {
      this.log.warn('fan-out failed', { error: (err as Error).message });
    }
  }

  /** The router's queue figures: kept for desktops that connect later, pushed to every desktop now. */
  private onQueueStats(payload: string): void {
    const parsed = queueStatsNoteSchema.safeParse(safeJson(payload));
    if (!parsed.success) {
      this.log.warn('unreadable queue figures', { error: parsed.error.message });
      return;
    }
    this.queueStats = { type: 'queue-stats', at: parsed.data.at, queues: parsed.data.queues };
    for (const c of this.connections) this.send(c.socket, this.queueStats);
  }

  private async fanOutTickets(note: ChangeNotification): Promise<void> {
    const { rows } = await this.opts.db.query<TicketRow>('SELECT * FROM tickets WHERE id = ANY($1::text[])', [note.tickets]);
    const tickets = rows.map(rowToTicket);
    const scopes = await this.opts.config.scopes();
    const assigned = new Set(note.assigned);
    const { rows: people } = await this.opts.db.query<{ id: string; team: string | null }>('SELECT id, team FROM users');
    const teams = new Map(people.map((u) => [u.id, u.team] as const));
    for (const c of this.connections) {
      const vis = Visibility.fromDirectory(c.principal, scopes, teams);
      for (const t of tickets) {
        if (!vis.ticket(t)) continue;
        this.send(c.socket, { type: 'ticket', ticket: t, assignedToYou: assigned.has(t.id) && t.assignee === c.principal.id });
      }
    }
  }

  private heartbeat(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        this.log.info('realtime peer missed a heartbeat: dropped', { user: c.principal.id });
        c.socket.terminate();
        this.connections.delete(c);
        continue;
      }
      c.alive = false;
      try {
        c.socket.ping();
      } catch {
        // The close handler removes it.
      }
    }
  }

  private send(socket: WebSocket, msg: RealtimeServerMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  }
}
