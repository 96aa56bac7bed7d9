import type { CallEnd, CallSnapshot, CallTimes, TransferStatus } from '../../../shared/phone/call';
import { coreEvent } from '../bus/coreBus';

/**
 * The call lifecycle the phone reports on the core bus, each event at most once per call, in this
 * order (a call skips what did not happen to it):
 *
 * ```
 *   CallDialing (outbound) | CallRinging (inbound offered to the agent; outbound on 180/183)
 *     -> CallAnswered -> (CallHeld -> CallResumed)* -> CallTransferred? -> CallEnded
 * ```
 * `CallEnded` comes exactly once for every call the phone created, also for calls that never rang
 * (do-not-disturb, refused) and calls lost when the phone stopped. Held/resumed come once per
 * hold interval. Each carries the call's snapshot after the change.
 */
export interface CallEventBase {
  call: CallSnapshot;
  /** When it happened (epoch ms, the phone's clock). */
  at: number;
}

/** An outbound call was placed (INVITE sent). */
export const CallDialing = coreEvent<CallEventBase>('call.dialing');
/** An inbound call rings for the agent, or an outbound call rings at the far end (`call.direction`). */
export const CallRinging = coreEvent<CallEventBase>('call.ringing');
/** The call is established (2xx). */
export const CallAnswered = coreEvent<CallEventBase>('call.answered');
/** The agent put the call on hold (one per hold interval). */
export const CallHeld = coreEvent<CallEventBase>('call.held');
/** The agent took the call off hold. */
export const CallResumed = coreEvent<CallEventBase>('call.resumed');
/** The call left this agent by a completed transfer (followed by {@link CallEnded}). */
export const CallTransferred = coreEvent<CallEventBase & { transfer: TransferStatus | null }>('call.transferred');
/** The call ended; `reason` and `times` repeat the snapshot's `end` and `times`. */
export const CallEnded = coreEvent<CallEventBase & { reason: CallEnd; times: CallTimes }>('call.ended');
