import type { CallDirection, CallEnd } from './call';

/**
 * How a call that was never answered ended, from the final SIP response to the INVITE.
 * `cancelledBy` says who stopped ringing: `local` (the agent or our ring timeout), `remote`
 * (the caller's CANCEL), or undefined when a final response came without a CANCEL.
 */
export function unansweredEnd(
  direction: CallDirection,
  statusCode: number | undefined,
  cancelledBy: 'local' | 'local-timeout' | 'remote' | undefined,
): CallEnd {
  if (direction === 'inbound') {
    // Inbound: anything the agent did not answer and did not reject is a missed call.
    return statusCode === undefined ? { reason: 'missed' } : { reason: 'missed', sipCode: statusCode };
  }
  if (cancelledBy === 'local') return { reason: 'cancelled', sipCode: 487 };
  if (cancelledBy === 'local-timeout') return { reason: 'no-answer', sipCode: statusCode ?? 487 };
  if (statusCode === undefined) return { reason: 'failed' };
  if (statusCode === 486 || statusCode === 600) return { reason: 'busy', sipCode: statusCode };
  if (statusCode === 408 || statusCode === 480 || statusCode === 487) return { reason: 'no-answer', sipCode: statusCode };
  if (statusCode === 603) return { reason: 'rejected', sipCode: statusCode };
  return { reason: 'failed', sipCode: statusCode };
}
