import { AppError } from '../../shared/api/result';
import type { MyQueue } from '../../shared/acd/agentQueues';
import { createQueueSchema, updateQueueSchema, type Queue, type QueueMember } from '../../shared/acd/queueConfig';
import type { Db, Queryable } from '../db/db';

/** Channel the router LISTENs on: queue configuration changed. */
export const ACD_CHANNEL = 'calldesk_acd';
/** Channel the router NOTIFYs its live queue figures on; every instance's real-time hub LISTENs. */
export const ACD_STATS_CHANNEL = 'calldesk_acd_stats';

interface QueueRow {
  id: string;
  name: string;
  priority: number;
  policy: Queue['policy'];
  widen_after_sec: number;
  owner_first_sec: number;
  vip_first: boolean;
  sl_target_sec: number;
  sl_target_pct: number;
  short_abandon_sec: number;
  wrap_up_mode: Queue['wrapUpMode'];
  wrap_up_sec: number;
  ring_timeout_sec: number;
  max_wait_sec: number;
  overflow_target: string | null;
  hours: Queue['hours'];
  closed_target: string | null;
}

/** Settings columns, in the order of {@link settingsParams}. */
const COLUMNS = [
  'name', 'priority', 'policy', 'widen_after_sec', 'owner_first_sec', 'vip_first', 'sl_target_sec', 'sl_target_pct', 'short_abandon_sec',
  'wrap_up_mode', 'wrap_up_sec', 'ring_timeout_sec', 'max_wait_sec', 'overflow_target', 'hours', 'closed_target',
] as const;

function settingsParams(q: Queue): unknown[] {
  return [
    q.name, q.priority, q.policy, q.widenAfterSec, q.ownerFirstSec, q.vipFirst, q.slTargetSec, q.slTargetPct, q.shortAbandonSec,
    q.wrapUpMode, q.wrapUpSec, q.ringTimeoutSec, q.maxWaitSec, q.overflowTarget, q.hours === null ? null : JSON.stringify(q.hours), q.closedTarget,
  ];
}

function toQueue(r: QueueRow, numbers: string[], members: QueueMember[]): Queue {
  return {
    id: r.id,
    name: r.name,
    priority: r.priority,
    policy: r.policy,
    widenAfterSec: r.widen_after_sec,
    ownerFirstSec: r.owner_first_sec,
    vipFirst: r.vip_first,
    slTargetSec: r.sl_target_sec,
    slTargetPct: r.sl_target_pct,
    shortAbandonSec: r.short_abandon_sec,
    wrapUpMode: r.wrap_up_mode,
    wrapUpSec: r.wrap_up_sec,
    ringTimeoutSec: r.ring_timeout_sec,
    maxWaitSec: r.max_wait_sec,
    overflowTarget: r.overflow_target,
    hours: r.hours,
    closedTarget: r.closed_target,
    numbers,
    members,
  };
}

/**
 * Queues as admins manage them (admin API, CLI). Every change tells the router (NOTIFY on
 * {@link ACD_CHANNEL} in the same transaction) so it routes by the new settings at once.
 */
export class QueueService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every queue with its numbers and members, by id. */
  async list(q: Queryable = this.db): Promise<Queue[]> {
    const { rows } = await q.query<QueueRow>('SELECT * FROM queues ORDER BY id');
    const { rows: nums } = await q.query<{ queue_id: string; number: string }>('SELECT queue_id, number FROM queue_numbers ORDER BY number');
    const { rows: mems } = await q.query<{ queue_id: string; agent_id: string; skill: number }>('SELECT queue_id, agent_id, skill FROM queue_members ORDER BY agent_id');
    return rows.map((r) =>
      toQueue(
        r,
        nums.filter((n) => n.queue_id === r.id).map((n) => n.number),
        mems.filter((m) => m.queue_id === r.id).map((m) => ({ agentId: m.agent_id, skill: m.skill })),
      ),
    );
  }

  /** One queue, or NOT_FOUND. */
  async get(id: string): Promise<Queue> {
    const found = (await this.list()).find((q) => q.id === id);
    if (!found) throw new AppError('NOT_FOUND', `No queue "${id}"`);
    return found;
  }

  /** Creates a queue; an id or a number already in use is refused (CONFLICT) and nothing is written. */
  async create(input: unknown): Promise<Queue> {
    const q = createQueueSchema.parse(input);
    const at = this.now();
    await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO queues (id, ${COLUMNS.join(', ')}, created_at, updated_at)
         VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}, $${COLUMNS.length + 2}, $${COLUMNS.length + 2}) ON CONFLICT (id) DO NOTHING`,
        [q.id, ...settingsParams(q), at],
      );
      if (rowCount === 0) throw new AppError('CONFLICT', `A queue "${q.id}" exists already`);
      await this.writeNumbersAndMembers(tx, q.id, q.numbers, q.members);
      await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'queues']);
    });
    return this.get(q.id);
  }

  /** Changes settings; `numbers` and `members`, when given, replace the lists whole. */
  async update(id: string, input: unknown): Promise<Queue> {
    // Zod fills defaults in a partial schema too: keep only the fields the caller sent.
    const parsed = updateQueueSchema.parse(input);
    const sent = new Set(Object.keys(input as object));
    const change = Object.fromEntries(Object.entries(parsed).filter(([k]) => sent.has(k))) as typeof parsed;
    const current = await this.get(id);
    const next = createQueueSchema.parse({ ...current, ...change, id });
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE queues SET ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = $${COLUMNS.length + 2} WHERE id = $1`,
        [id, ...settingsParams(next), this.now()],
      );
      await this.writeNumbersAndMembers(tx, id, change.numbers, change.members);
      await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'queues']);
    });
    return this.get(id);
  }

  /** Deletes a queue (its numbers and members with it; its events stay). */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query('DELETE FROM queues WHERE id = $1', [id]);
      if (rowCount === 0) throw new AppError('NOT_FOUND', `No queue "${id}"`);
      await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'queues']);
    });
  }

  /** Sets the SIP user an agent is rung at (null: their user id). */
  async setExtension(agentId: string, extension: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (extension === null) await tx.query('DELETE FROM agent_extensions WHERE agent_id = $1', [agentId]);
      else await tx.query('INSERT INTO agent_extensions (agent_id, extension) VALUES ($1, $2) ON CONFLICT (agent_id) DO UPDATE SET extension = EXCLUDED.extension', [agentId, extension]);
      await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'queues']);
    });
  }

  /** The queues `agentId` is a member of, and whether they are logged in to each. */
  async agentQueues(agentId: string): Promise<MyQueue[]> {
    const { rows } = await this.db.query<{ id: string; name: string; out: boolean }>(
      `SELECT q.id, q.name, (l.agent_id IS NOT NULL) AS out FROM queue_members m JOIN queues q ON q.id = m.queue_id
       LEFT JOIN queue_logouts l ON l.queue_id = m.queue_id AND l.agent_id = m.agent_id WHERE m.agent_id = $1 ORDER BY q.priority DESC, q.id`,
      [agentId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, loggedIn: !r.out }));
  }

  /**
   * Logs `agentId` in to or out of a queue they are a member of (NOT_FOUND otherwise), records the
   * change in `queue_agent_events` (only when it is one) and tells the router.
   */
  async setLogin(queueId: string, agentId: string, loggedIn: boolean, by: string): Promise<MyQueue[]> {
    await this.db.transaction(async (tx) => {
      const { rowCount: member } = await tx.query('SELECT 1 FROM queue_members WHERE queue_id = $1 AND agent_id = $2', [queueId, agentId]);
      if (member === 0) throw new AppError('NOT_FOUND', `${agentId} is not a member of the queue "${queueId}"`);
      const at = this.now();
      const { rowCount: changed } = loggedIn
        ? await tx.query('DELETE FROM queue_logouts WHERE queue_id = $1 AND agent_id = $2', [queueId, agentId])
        : await tx.query('INSERT INTO queue_logouts (queue_id, agent_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [queueId, agentId, at]);
      if (!changed) return;
      await tx.query('INSERT INTO queue_agent_events (queue_id, agent_id, kind, at, by) VALUES ($1, $2, $3, $4, $5)', [queueId, agentId, loggedIn ? 'login' : 'logout', at, by]);
      await tx.query('SELECT pg_notify($1, $2)', [ACD_CHANNEL, 'logins']);
    });
    return this.agentQueues(agentId);
  }

  /** `queue id` -> agents logged out of it. */
  async logouts(): Promise<Map<string, Set<string>>> {
    const { rows } = await this.db.query<{ queue_id: string; agent_id: string }>('SELECT queue_id, agent_id FROM queue_logouts');
    const out = new Map<string, Set<string>>();
    for (const r of rows) out.set(r.queue_id, (out.get(r.queue_id) ?? new Set()).add(r.agent_id));
    return out;
  }

  /** agent id -> SIP user, for agents whose extension differs from their id. */
  async extensions(): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ agent_id: string; extension: string }>('SELECT agent_id, extension FROM agent_extensions');
    return new Map(rows.map((r) => [r.agent_id, r.extension]));
  }

  private async writeNumbersAndMembers(tx: Queryable, id: string, numbers: string[] | undefined, members: QueueMember[] | undefined): Promise<void> {
    if (numbers) {
      await tx.query('DELETE FROM queue_numbers WHERE queue_id = $1', [id]);
      for (const n of new Set(numbers)) {
        const { rowCount } = await tx.query('INSERT INTO queue_numbers (number, queue_id) VALUES ($1, $2) ON CONFLICT (number) DO NOTHING', [n, id]);
        if (rowCount === 0) throw new AppError('CONFLICT', `The number ${n} belongs to another queue`);
      }
    }
    if (members) {
      await tx.query('DELETE FROM queue_members WHERE queue_id = $1', [id]);
      const seen = new Set<string>();
      for (const m of members) {
        if (seen.has(m.agentId)) throw new AppError('INVALID_PAYLOAD', `The agent ${m.agentId} is listed twice`);
        seen.add(m.agentId);
        await tx.query('INSERT INTO queue_members (queue_id, agent_id, skill) VALUES ($1, $2, $3)', [id, m.agentId, m.skill]);
      }
    }
  }
}
