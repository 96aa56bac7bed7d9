/**
 * The facts every KPI is computed from, one shape for the live boards, the wallboard, the reports
 * and the exports (the server builds them from PostgreSQL: `queue_events` for queue calls, the
 * interaction log for talk/hold/wrap-up, `agent_state_events` for agent time, `tickets`).
 */

/** Where a queued call stands, from its queue events. */
export const QUEUE_CALL_OUTCOMES = ['waiting', 'answered', 'abandoned', 'overflowed', 'closed'] as const;
/** A queued call's outcome (`waiting`: still in the queue, possibly ringing an agent). */
export type QueueCallOutcome = (typeof QUEUE_CALL_OUTCOMES)[number];

/** One call that reached a queue. */
export interface QueueCallFact {
  callId: string;
  queueId: string;
  /** When it entered the queue (server clock, epoch ms); for `closed`, when it was turned away. */
  enteredAt: number;
  outcome: QueueCallOutcome;
  /** Entered -> answered / abandoned / overflowed (ms); null while waiting and for `closed`. */
  waitMs: number | null;
  /** The agent who answered. */
  agentId: string | null;
  /** The caller's number (first-contact resolution); null when anonymous. */
  caller: string | null;
  /** The call was transferred by the agent who answered it. */
  transferred: boolean;
  /** From the agent's interaction log; null until the agent's desktop has logged the call. */
  talkMs: number | null;
  holdMs: number | null;
  wrapUpMs: number | null;
}

/** A queue's thresholds that KPIs depend on (from the queue's settings). */
export interface QueueThresholds {
  /** Service level threshold T (seconds). */
  slTargetSec: number;
  /** Target share within T (percent), for colouring. */
  slTargetPct: number;
  /** Abandons before this many seconds are short abandons (seconds). */
  shortAbandonSec: number;
}

/** Agent states that count as handling work (occupancy, utilisation). */
export const HANDLING_STATES = ['on-call', 'wrap-up'] as const;

/** One stored agent state change. */
export interface AgentStateFact {
  agentId: string;
  state: string;
  /** Not-ready reason code. */
  reason: string | null;
  at: number;
}

/** A ticket as the KPIs need it. */
export interface TicketFact {
  id: string;
  type: string;
  category: string;
  priority: string;
  createdAt: number;
  dueAt: number;
  resolvedAt: number | null;
  /** 1..5, null when the customer did not rate. */
  satisfaction: number | null;
}
