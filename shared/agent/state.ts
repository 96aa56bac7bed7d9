import { z } from 'zod';
import { AppError } from '../api/result';
import { defineStateMachine, type TransitionTable } from '../state-machine/stateMachine';

/**
 * The agent's availability state.
 *
 * ```
 *                 +------------------- logged-out <-------------------+
 *                 | (log in)              |  ^  (log out)               |
 *                 v                       |  |                          |
 *   +-------->  ready  <---------------> not-ready(reason) <---+       |
 *   |             |  \      (switch)     /   |   ^  (reason     |       |
 *   |   (ring)    |   \                 /    |   |   change)    |       |
 *   |             v    v               v     |   +--------------+       |
 *   |          ringing --(answer)--> on-call <---- (dial out, from any   |
 *   |             |                    |          available state)      |
 *   |             | (ring ends unanswered: back to the state before,   |
 *   |             |  or not-ready(missed-call) when configured)         |
 *   |             v                    v (call ends)                    |
 *   +---------- (back) <------------ wrap-up --(complete)--> ready / not-ready / logged-out
 *                                      |  ^
 *                                      |  +-- a call rings during wrap-up and is missed: back to wrap-up
 *                                      +----> ringing / on-call (a new call interrupts wrap-up)
 * ```
 *
 * - `logged-out`: not working; calls may still reach the softphone (see `agent.notReadyInbound`).
 * - `ready`: available for calls.
 * - `not-ready`: unavailable, with a reason code (`break`, `lunch`, ..., `missed-call`).
 * - `ringing`: an inbound call is alerting the agent.
 * - `on-call`: at least one call is live (dialling, talking or held).
 * - `wrap-up`: after-call work for the call that just ended.
 */
export const AGENT_STATES = ['logged-out', 'ready', 'not-ready', 'ringing', 'on-call', 'wrap-up'] as const;
/** An agent state. */
export type AgentState = (typeof AGENT_STATES)[number];
/** Schema of an agent state. */
export const agentStateSchema = z.enum(AGENT_STATES);

/** The states an agent chooses by hand (one click or one shortcut). The others follow the phone. */
export const MANUAL_AGENT_STATES = ['ready', 'not-ready', 'logged-out'] as const;
/** A state the agent may choose. */
export type ManualAgentState = (typeof MANUAL_AGENT_STATES)[number];

/** Every legal move: from -> the states it may go to. Anything else is refused. */
export const AGENT_TRANSITIONS: TransitionTable<AgentState> = {
  'logged-out': ['ready', 'not-ready', 'ringing', 'on-call'],
  ready: ['not-ready', 'logged-out', 'ringing', 'on-call'],
  'not-ready': ['ready', 'not-ready', 'logged-out', 'ringing', 'on-call'],
  ringing: ['on-call', 'ready', 'not-ready', 'logged-out', 'wrap-up'],
  'on-call': ['wrap-up', 'ready', 'not-ready', 'logged-out'],
  'wrap-up': ['ready', 'not-ready', 'logged-out', 'ringing', 'on-call'],
};

/** Thrown for an agent state move outside the table (code `ILLEGAL_TRANSITION`). */
export class IllegalAgentTransition extends AppError {
  readonly from: AgentState;
  readonly to: AgentState;
  constructor(from: AgentState, to: AgentState) {
    super('ILLEGAL_TRANSITION', `Illegal agent state change ${from} -> ${to}`, { entity: 'agent', from, to });
    this.name = 'IllegalAgentTransition';
    this.from = from;
    this.to = to;
  }
}

const agentMachine = defineStateMachine(AGENT_TRANSITIONS, (from, to) => new IllegalAgentTransition(from, to));
/** True when `from -> to` is in the transition table. */
export const canTransitionAgent = agentMachine.can;
/** Returns `to` when the move is legal; throws {@link IllegalAgentTransition} otherwise. */
export const transitionAgent = agentMachine.transition;

/** True for the states in which the agent is handling a call (the phone drives them). */
export function isCallState(state: AgentState): boolean {
  return state === 'ringing' || state === 'on-call' || state === 'wrap-up';
}

/** A not-ready reason code: lower-case letters, digits and `-`. */
export const reasonCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or "-", e.g. break');

/** The reason the workflow uses after a missed ring; always accepted even when not configured. */
export const MISSED_CALL_REASON = 'missed-call';

/** The reason the agent starts with when no phone (SIP account) is configured; set by the system only. */
export const NO_PHONE_REASON = 'no-phone';

/** Schema of one configured not-ready reason: a code and an optional label (else the UI translates the code). */
export const notReadyReasonSchema = z.object({ code: reasonCodeSchema, label: z.string().trim().max(60).optional() });
/** One not-ready reason. */
export type NotReadyReason = z.infer<typeof notReadyReasonSchema>;

/** Built-in not-ready reasons (their labels live in i18n under `workflow.notReady.<code>`). */
export const DEFAULT_NOT_READY_REASONS: NotReadyReason[] = [
  { code: 'break' },
  { code: 'lunch' },
  { code: 'training' },
  { code: 'meeting' },
  { code: MISSED_CALL_REASON },
];

/** What not-ready (and logged-out, and wrap-up) means for a new inbound call. */
export const NOT_READY_INBOUND = ['keep-ringing', 'reject-busy'] as const;
/** Not-ready inbound behaviour. */
export type NotReadyInbound = (typeof NOT_READY_INBOUND)[number];

/** Schema of one state-change event (insert-only; supervisors read them). */
export const agentStateEventSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  fromState: agentStateSchema.nullable(),
  fromReason: z.string().nullable(),
  toState: agentStateSchema,
  toReason: z.string().nullable(),
  /** When the new state was entered (epoch ms). */
  at: z.number(),
  /** How long the agent was in the previous state (ms); null for the first event. */
  previousMs: z.number().int().nonnegative().nullable(),
  /** The call that caused the change, when one did. */
  callId: z.string().nullable(),
  /** Why the system changed the state (`missed-ring`, `wrap-up-auto`, `restored`...), null for the agent's own choice. */
  cause: z.string().nullable(),
});
/** One agent state change. */
export type AgentStateEvent = z.infer<typeof agentStateEventSchema>;

/** Schema of a state the agent asked for while handling a call: applied when the call work is done. */
export const pendingAgentStateSchema = z.object({ state: z.enum(MANUAL_AGENT_STATES), reason: z.string().nullable() });
/** A pending manual state. */
export type PendingAgentState = z.infer<typeof pendingAgentStateSchema>;
