import type { AgentStateFact, QueueCallFact, QueueThresholds, TicketFact } from '../../shared/kpi/facts';
import type { Queryable } from '../db/db';

/** A queue as the boards and reports need it. */
export interface QueueInfo extends QueueThresholds {
  id: string;
  name: string;
  maxWaitSec: number;
  members: string[];
}

/** Every queue with its thresholds and members. */
export async function loadQueues(q: Queryable): Promise<QueueInfo[]> {
  const { rows } = await q.query<{ id: string; name: string; sl_target_sec: number; sl_target_pct: number; short_abandon_sec: number; max_wait_sec: number; members: string[] | null }>(
    `SELECT q.id, q.name, q.sl_target_sec, q.sl_target_pct, q.short_abandon_sec, q.max_wait_sec,
       (SELECT array_agg(agent_id ORDER BY agent_id) FROM queue_members m WHERE m.queue_id = q.id) AS members
     FROM queues q ORDER BY q.id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, slTargetSec: r.sl_target_sec, slTargetPct: r.sl_target_pct, shortAbandonSec: r.short_abandon_sec, maxWaitSec: r.max_wait_sec, members: r.members ?? [] }));
}

interface CallRow {
  call_id: string;
  queue_id: string;
  entered_at: string | null;
  closed_at: string | null;
  caller: string | null;
  answered_wait: string | null;
  agent_id: string | null;
  abandon_wait: string | null;
  overflow_wait: string | null;
  transferred: boolean;
}

/**
 * The queued calls that entered (or were turned away by) a queue in [from, to), one fact per call
 * and queue, built from `queue_events` (the single source of queue figures) and, for talk, hold and
 * wrap-up, the agent's logged interaction of that SIP call (its latest revision with a wrap-up, else
 * the original). `queueIds` null = every queue. Events up to `settleMs` after `to` are read so a call
 * that entered before `to` and ended after it still gets its outcome. `withHandling` false skips the
 * interaction lookup (first-contact resolution needs only who called when).
 */
export async function loadQueueCalls(q: Queryable, from: number, to: number, queueIds: readonly string[] | null, settleMs = 86_400_000, withHandling = true): Promise<QueueCallFact[]> {
  const { rows } = await q.query<CallRow>(
    `SELECT call_id, queue_id,
        min(at) FILTER (WHERE kind = 'entered') AS entered_at,
        min(at) FILTER (WHERE kind = 'closed') AS closed_at,
        (array_agg(detail->>'from' ORDER BY id) FILTER (WHERE kind = 'entered'))[1] AS caller,
        max(wait_ms) FILTER (WHERE kind = 'answered') AS answered_wait,
        (array_agg(agent_id ORDER BY id DESC) FILTER (WHERE kind = 'answered'))[1] AS agent_id,
        max(wait_ms) FILTER (WHERE kind IN ('abandoned', 'ended') AND wait_ms IS NOT NULL) AS abandon_wait,
        max(wait_ms) FILTER (WHERE kind = 'overflowed') AS overflow_wait,
        bool_or(kind = 'transferred') AS transferred
     FROM queue_events
     WHERE at >= $1 AND at < $2 AND ($3::text[] IS NULL OR queue_id = ANY($3::text[]))
     GROUP BY call_id, queue_id`,
    [from, to + settleMs, queueIds ? [...queueIds] : null],
  );
  const calls: QueueCallFact[] = [];
  for (const r of rows) {
    const entered = r.entered_at !== null ? Number(r.entered_at) : r.closed_at !== null ? Number(r.closed_at) : null;
    if (entered === null || entered < from || entered >= to) continue;
    const base = { callId: r.call_id, queueId: r.queue_id, enteredAt: entered, caller: r.caller || null, transferred: r.transferred, talkMs: null, holdMs: null, wrapUpMs: null };
    if (r.entered_at === null) calls.push({ ...base, outcome: 'closed', waitMs: null, agentId: null });
    else if (r.answered_wait !== null) calls.push({ ...base, outcome: 'answered', waitMs: Number(r.answered_wait), agentId: r.agent_id });
    else if (r.abandon_wait !== null) calls.push({ ...base, outcome: 'abandoned', waitMs: Number(r.abandon_wait), agentId: null });
    else if (r.overflow_wait !== null) calls.push({ ...base, outcome: 'overflowed', waitMs: Number(r.overflow_wait), agentId: null });
    else calls.push({ ...base, outcome: 'waiting', waitMs: null, agentId: null });
  }
  if (withHandling) await attachHandling(q, calls);
  return calls;
}

/** Fills talk, hold, wrap-up and the transfer flag from the agents' logged interactions. */
async function attachHandling(q: Queryable, calls: QueueCallFact[]): Promise<void> {
  const answered = calls.filter((c) => c.outcome === 'answered');
  if (answered.length === 0) return;
  const { rows } = await q.query<{ sip: string; talk: number | null; hold: number | null; wrap: number | null; end_reason: string | null }>(
    // Joined on an unnested list (hash join): `= ANY(big array)` would compare every row with every id.
    `SELECT DISTINCT ON (i.record->>'sipCallId') i.record->>'sipCallId' AS sip,
        (i.record->>'talkMs')::bigint AS talk, (i.record->>'holdMs')::bigint AS hold, (i.record->>'wrapUpMs')::bigint AS wrap,
        i.record->>'endReason' AS end_reason
     FROM interactions i JOIN unnest($1::text[]) AS s(sip) ON s.sip = i.record->>'sipCallId'
     WHERE i.kind = 'call'
     ORDER BY i.record->>'sipCallId', (i.record->>'wrapUpMs') IS NULL, (i.record->>'createdAt')::bigint DESC`,
    [[...new Set(answered.map((c) => c.callId))]],
  );
  const bySip = new Map(rows.map((r) => [r.sip, r] as const));
  for (const c of answered) {
    const r = bySip.get(c.callId);
    if (!r || r.talk === null) continue;
    c.talkMs = Number(r.talk);
    c.holdMs = Number(r.hold ?? 0);
    c.wrapUpMs = Number(r.wrap ?? 0);
    if (r.end_reason === 'transferred') c.transferred = true;
  }
}

/** Agent state changes in [from, to) plus, per agent, the one in force at `from`. `agentIds` null = all. */
export async function loadAgentStates(q: Queryable, from: number, to: number, agentIds: readonly string[] | null): Promise<AgentStateFact[]> {
  const ids = agentIds ? [...agentIds] : null;
  const { rows } = await q.query<{ agent_id: string; to_state: string; reason: string | null; at: string }>(
    `(SELECT DISTINCT ON (agent_id) agent_id, to_state, record->>'toReason' AS reason, at FROM agent_state_events
       WHERE at < $1 AND ($3::text[] IS NULL OR agent_id = ANY($3::text[])) ORDER BY agent_id, at DESC, id DESC)
     UNION ALL
     (SELECT agent_id, to_state, record->>'toReason' AS reason, at FROM agent_state_events
       WHERE at >= $1 AND at < $2 AND ($3::text[] IS NULL OR agent_id = ANY($3::text[])))`,
    [from, to, ids],
  );
  return rows.map((r) => ({ agentId: r.agent_id, state: r.to_state, reason: r.reason, at: Number(r.at) })).sort((a, b) => a.at - b.at);
}

/** Tickets created in [from, to), assigned to or created by one of `agentIds` (null = all). */
export async function loadTickets(q: Queryable, from: number, to: number, agentIds: readonly string[] | null): Promise<TicketFact[]> {
  const { rows } = await q.query<{ id: string; type: string; category: string; priority: string; created_at: string; due_at: string; resolved_at: string | null; satisfaction: number | null }>(
    `SELECT id, type, category, priority, created_at, due_at, resolved_at, satisfaction FROM tickets
     WHERE created_at >= $1 AND created_at < $2 AND ($3::text[] IS NULL OR assignee = ANY($3::text[]) OR created_by = ANY($3::text[]))`,
    [from, to, agentIds ? [...agentIds] : null],
  );
  return rows.map((r) => ({ id: r.id, type: r.type, category: r.category, priority: r.priority, createdAt: Number(r.created_at), dueAt: Number(r.due_at), resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at), satisfaction: r.satisfaction }));
}
