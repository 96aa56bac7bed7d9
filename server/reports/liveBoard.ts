import { agentTime, callsByAgent } from '../../shared/kpi/agentKpis';
import { bucketStart } from '../../shared/kpi/buckets';
import type { QueueCallFact } from '../../shared/kpi/facts';
import type { AgentBoardRow, LiveBoard, QueueBoardRow } from '../../shared/kpi/board';
import { groupBy } from '../../shared/kpi/group';
import { queueKpis } from '../../shared/kpi/queueKpis';
import type { Queryable } from '../db/db';
import { loadAgentStates, loadQueueCalls, loadQueues } from './factsStore';
import { coversAgent, coversQueue, type SupervisorScope } from './scope';

/**
 * Builds the live queue and agent boards of a scope, "today" = since midnight in the centre's time
 * zone. Every number comes from the shared KPI module over the stored events.
 */
export async function buildLiveBoard(q: Queryable, scope: SupervisorScope, now: number, timeZone: string): Promise<LiveBoard> {
  const dayStart = bucketStart(now, 'day', timeZone);
  const queues = (await loadQueues(q)).filter((x) => coversQueue(scope, x.id));
  const { rows: people } = await q.query<{ id: string; display_name: string; team: string | null }>("SELECT id, display_name, team FROM users WHERE role = 'agent' AND NOT disabled ORDER BY id");
  const agents = people.filter((p) => coversAgent(scope, p.id));
  const agentIds = agents.map((a) => a.id);
  const [calls, states] = await Promise.all([
    queues.length > 0 ? loadQueueCalls(q, dayStart, now + 1, queues.map((x) => x.id), 60_000) : Promise.resolve([] as QueueCallFact[]),
    agentIds.length > 0 ? loadAgentStates(q, dayStart, now + 1, agentIds) : Promise.resolve([]),
  ]);
  const times = agentTime(states, dayStart, now + 1, now);
  const current = agentIds.length > 0 ? await currentCalls(q, agentIds, dayStart) : new Map<string, AgentBoardRow['currentCall']>();
  const extensions = agentIds.length > 0 ? await agentExtensions(q, agentIds) : new Map<string, string>();
  const byQueue = groupBy(calls, (c) => c.queueId);
  const queueRows = queues.map((info): QueueBoardRow => {
    const list = byQueue.get(info.id) ?? [];
    const agentsByState: Record<string, number> = {};
    for (const m of info.members) {
      const state = times.get(m)?.current?.state ?? 'logged-out';
      agentsByState[state] = (agentsByState[state] ?? 0) + 1;
    }
    const waiting = list.filter((c) => c.outcome === 'waiting').map((c) => c.enteredAt);
    return {
      id: info.id,
      name: info.name,
      slTargetSec: info.slTargetSec,
      slTargetPct: info.slTargetPct,
      shortAbandonSec: info.shortAbandonSec,
      kpis: queueKpis(list, info, now),
      agentsByState,
      oldestWaitingSince: waiting.length > 0 ? Math.min(...waiting) : null,
    };
  });
  const answered = callsByAgent(calls);
  const thresholds = new Map(queues.map((x) => [x.id, x] as const));
  const agentRows = agents.map((a): AgentBoardRow => {
    const t = times.get(a.id);
    const mine = answered.get(a.id) ?? [];
    const k = queueKpis(mine, thresholds.get(mine[0]?.queueId ?? '') ?? { slTargetSec: 20, slTargetPct: 80, shortAbandonSec: 5 }, now);
    return {
      id: a.id,
      name: a.display_name,
      team: a.team,
      state: t?.current?.state ?? 'logged-out',
      reason: t?.current?.reason ?? null,
      since: t?.current?.since ?? null,
      callsToday: k.answered,
      ahtTodayMs: k.ahtMs,
      occupancy: t?.occupancy ?? null,
      queues: queues.filter((x) => x.members.includes(a.id)).map((x) => x.id),
      currentCall: current.get(a.id) ?? null,
      extension: extensions.get(a.id) ?? a.id,
    };
  });
  return { at: now, dayStart, timeZone, queues: queueRows, agents: agentRows };
}

/**
 * Each agent's call in progress: the latest call their desktop reported today (`call_events`, sent
 * on the real-time channel), unless it has ended; since = its first event (ringing or dialling).
 */
async function currentCalls(q: Queryable, agentIds: string[], since: number): Promise<Map<string, AgentBoardRow['currentCall']>> {
  const { rows } = await q.query<{ user_id: string; call_id: string; kind: string; started: string; remote: string | null }>(
    `SELECT DISTINCT ON (e.user_id) e.user_id, e.call_id, e.kind, e.record->'data'->>'remote' AS remote,
        (SELECT min(at) FROM call_events f WHERE f.user_id = e.user_id AND f.call_id = e.call_id) AS started
     FROM call_events e WHERE e.user_id = ANY($1::text[]) AND e.at >= $2
     ORDER BY e.user_id, e.at DESC, e.received_at DESC`,
    [agentIds, since],
  );
  return new Map(rows.filter((r) => r.kind !== 'ended').map((r) => [r.user_id, { id: r.call_id, state: r.kind, since: Number(r.started), remote: r.remote }] as const));
}

/** The SIP user of each agent whose differs from their user id (`agent_extensions`). */
async function agentExtensions(q: Queryable, agentIds: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ agent_id: string; extension: string }>('SELECT agent_id, extension FROM agent_extensions WHERE agent_id = ANY($1::text[])', [agentIds]);
  return new Map(rows.map((r) => [r.agent_id, r.extension] as const));
}
