import type { QueueKpis } from './queueKpis';

/** The live boards' rows (`GET /supervisor/board`, pushed as `supervisor-board` deltas on the real-time channel). */

/** One row of the live queue board. */
export interface QueueBoardRow {
  id: string;
  name: string;
  slTargetSec: number;
  slTargetPct: number;
  shortAbandonSec: number;
  /** Today (centre time zone) so far. */
  kpis: QueueKpis;
  /** Members by their current state. */
  agentsByState: Record<string, number>;
  /** When the oldest waiting call entered (the screen ticks the longest wait from it). */
  oldestWaitingSince: number | null;
}

/** One row of the live agent board. */
export interface AgentBoardRow {
  id: string;
  name: string;
  team: string | null;
  state: string;
  reason: string | null;
  since: number | null;
  /** Today's queue calls answered, their AHT, and today's occupancy. */
  callsToday: number;
  ahtTodayMs: number | null;
  occupancy: number | null;
  queues: string[];
  /**
   * The call in progress from the desktop's call events (the desktop's call id, state, when it
   * started, the other party), or null. The id is what a monitoring token names (docs/monitoring.md).
   */
  currentCall: { id: string; state: string; since: number; remote: string | null } | null;
  /** The SIP user the agent's desktop registers as (rung for queue calls and monitoring legs). */
  extension: string;
}

/** The live board in one scope. */
export interface LiveBoard {
  at: number;
  dayStart: number;
  timeZone: string;
  queues: QueueBoardRow[];
  agents: AgentBoardRow[];
}

/** Applies a pushed delta to a board: rows replaced by id (new ones appended). */
export function applyBoardDelta(board: LiveBoard, delta: { at: number; queues: readonly QueueBoardRow[]; agents: readonly AgentBoardRow[] }): LiveBoard {
  const merge = <R extends { id: string }>(rows: readonly R[], changed: readonly R[]): R[] => {
    const byId = new Map(changed.map((r) => [r.id, r] as const));
    const out = rows.map((r) => byId.get(r.id) ?? r);
    for (const r of changed) if (!rows.some((x) => x.id === r.id)) out.push(r);
    return out;
  };
  return { ...board, at: Math.max(board.at, delta.at), queues: merge(board.queues, delta.queues), agents: merge(board.agents, delta.agents) };
}
