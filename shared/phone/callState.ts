import { z } from 'zod';
import { defineStateMachine, type TransitionTable } from '../state-machine/stateMachine';

/**
 * The state of one call, for both directions.
 *
 * ```
 *   outbound:  dialing --(18x)--> ringing --(2xx)--> active
 *                 |                  |                 |  ^
 *                 +------(2xx)-------|---------------->|  |
 *   inbound:          ringing --(answer)--> answering -+  |
 *                        |                     |       v  |
 *                        |                     |      held (local hold; resume -> active)
 *                        v                     v       |
 *                      ended <-----------------+-------+  (any live state may end)
 * ```
 *
 * - `dialing`: outbound INVITE sent, nothing heard back yet.
 * - `ringing`: inbound call alerting the agent, or outbound call alerting the remote party.
 * - `answering`: the agent answered an inbound call; waiting for the ACK / media.
 * - `active`: established, media flowing (remote hold is a flag on the snapshot, not a state).
 * - `held`: established and put on hold by the agent.
 * - `ended`: terminal; the snapshot carries the end reason.
 */
export const CALL_STATES = ['dialing', 'ringing', 'answering', 'active', 'held', 'ended'] as const;
/** A call state. */
export type CallState = (typeof CALL_STATES)[number];
/** Schema of a call state. */
export const callStateSchema = z.enum(CALL_STATES);

/** Every legal move: from -> the states it may go to. Anything else is refused. */
export const CALL_TRANSITIONS: TransitionTable<CallState> = {
  dialing: ['ringing', 'active', 'ended'],
  ringing: ['answering', 'active', 'ended'],
  answering: ['active', 'ended'],
  active: ['held', 'ended'],
  held: ['active', 'ended'],
  ended: [],
};

/** Thrown by {@link transition} for a move outside the table. */
export class IllegalCallTransition extends Error {
  readonly from: CallState;
  readonly to: CallState;
  constructor(from: CallState, to: CallState) {
    super(`Illegal call state transition ${from} -> ${to}`);
    this.name = 'IllegalCallTransition';
    this.from = from;
    this.to = to;
  }
}

const callMachine = defineStateMachine(CALL_TRANSITIONS, (from, to) => new IllegalCallTransition(from, to));
/** True when `from -> to` is in the transition table. */
export const canTransition = callMachine.can;
/** Returns `to` when the move is legal; throws {@link IllegalCallTransition} otherwise. */
export const transition = callMachine.transition;

/** True for states in which the call has a confirmed dialog (media may flow). */
export function isEstablished(state: CallState): boolean {
  return state === 'active' || state === 'held';
}

/** True for every state but `ended`. */
export function isLive(state: CallState): boolean {
  return state !== 'ended';
}
