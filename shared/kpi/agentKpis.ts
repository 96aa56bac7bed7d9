import type { AgentStateFact, QueueCallFact } from './facts';
import { ratio } from './stats';

/**
 * Agent time and agent KPIs (issue 12 items 1 and 6).
 *
 * State time: each stored state change lasts until the agent's next change (or the end of the
 * window, or `now` for the state in force), clipped to the window [from, to). The state in force
 * at `from` is the agent's last change before `from` (pass it in `events`). Not-ready time is also
 * split by reason.
 *
 * - occupancy = handling time / (handling time + ready time), handling = on-call + wrap-up (every
 *   call the agent was on, queued or not). Ringing counts as neither (the agent is not yet working
 *   the call, but not free for another). Null with no handling and no ready time.
 * - utilisation = handling time / logged-in time (every state but logged-out).
 * - calls and AHT per agent come from the queue calls they answered (`queueKpis` per agent).
 */
export interface AgentTime {
  agentId: string;
  /** ms per state in the window. */
  byState: Record<string, number>;
  /** ms of not-ready per reason code ('' when none). */
  notReadyByReason: Record<string, number>;
  loggedInMs: number;
  handlingMs: number;
  occupancy: number | null;
  utilisation: number | null;
  /** The state in force at the end of the window, and since when. */
  current: { state: string; reason: string | null; since: number } | null;
}

/** State time per agent over [from, to), with `now` capping the open state. */
export function agentTime(events: readonly AgentStateFact[], from: number, to: number, now: number): Map<string, AgentTime> {
  const byAgent = new Map<string, AgentStateFact[]>();
  for (const e of events) {
    const list = byAgent.get(e.agentId);
    if (list) list.push(e);
    else byAgent.set(e.agentId, [e]);
  }
  const out = new Map<string, AgentTime>();
  const end = Math.min(to, now);
  for (const [agentId, list] of byAgent) {
    list.sort((a, b) => a.at - b.at);
    const byState: Record<string, number> = {};
    const notReadyByReason: Record<string, number> = {};
    let current: AgentTime['current'] = null;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.at >= to) break;
      current = { state: e.state, reason: e.reason, since: e.at };
      const a = Math.max(e.at, from);
      const b = Math.min(list[i + 1]?.at ?? end, end);
      if (b <= a) continue;
      byState[e.state] = (byState[e.state] ?? 0) + (b - a);
      if (e.state === 'not-ready') notReadyByReason[e.reason ?? ''] = (notReadyByReason[e.reason ?? ''] ?? 0) + (b - a);
    }
    const handlingMs = (byState['on-call'] ?? 0) + (byState['wrap-up'] ?? 0);
    const loggedInMs = Object.entries(byState).reduce((s, [k, v]) => (k === 'logged-out' ? s : s + v), 0);
    out.set(agentId, {
      agentId,
      byState,
      notReadyByReason,
      loggedInMs,
      handlingMs,
      occupancy: ratio(handlingMs, handlingMs + (byState.ready ?? 0)),
      utilisation: ratio(handlingMs, loggedInMs),
      current,
    });
  }
  return out;
}

/** Queue calls grouped by the agent who answered them. */
export function callsByAgent(calls: readonly QueueCallFact[]): Map<string, QueueCallFact[]> {
  const m = new Map<string, QueueCallFact[]>();
  for (const c of calls) {
    if (c.outcome !== 'answered' || !c.agentId) continue;
    const list = m.get(c.agentId);
    if (list) list.push(c);
    else m.set(c.agentId, [c]);
  }
  return m;
}
