import type { CallDirection, CallEnd } from './call';

/**
 * Why a call failed, in words an agent can act on (each has a `phone.failure.<kind>` text in
 * every language). The SIP status code and the raw detail stay in the log and in Diagnostics.
 * - `codecs`: the other side supports none of our audio codecs (488, 606, 415, an SDP without a
 *   common codec).
 * - `not-found`: the PBX does not know the number (404, 410, 484, 604).
 * - `busy`: the other side is busy (486, 600).
 * - `no-answer`: nobody answered or the phone is unreachable (408, 480, 487).
 * - `declined`: the other side declined (603).
 * - `forbidden`: the PBX refused us (401, 403, 407): account or permissions.
 * - `pbx-error`: the PBX or a trunk failed (5xx).
 * - `media`: our audio could not be set up (microphone, WebRTC, an SDP the media engine refused).
 * - `network`: the connection to the PBX broke or timed out.
 * - `other`: any other failure.
 */
export const CALL_FAILURES = ['codecs', 'not-found', 'busy', 'no-answer', 'declined', 'forbidden', 'pbx-error', 'media', 'network', 'other'] as const;
/** A kind of call failure. */
export type CallFailure = (typeof CALL_FAILURES)[number];

/** The failure a final SIP status code (>= 300) stands for. */
export function callFailureFromSip(code: number): CallFailure {
  if (code === 488 || code === 606 || code === 415) return 'codecs';
  if (code === 404 || code === 410 || code === 484 || code === 604) return 'not-found';
  if (code === 486 || code === 600) return 'busy';
  if (code === 408 || code === 480 || code === 487) return 'no-answer';
  if (code === 603) return 'declined';
  if (code === 401 || code === 403 || code === 407) return 'forbidden';
  if (code >= 500 && code < 600) return 'pbx-error';
  return 'other';
}

/** Words in WebRTC/sip.js errors that mean "no common codec" rather than a general media problem. */
const CODEC_ERROR = /codec|no (common|matching) (payload|format)|payload type|m-line.*port 0/i;
/** Words in WebRTC/sip.js/media host errors: SDP, peer connection, devices. */
const MEDIA_ERROR = /sdp|description|fingerprint|dtls|ice|rtcpeerconnection|getusermedia|microphone|notallowed|notfound|media/i;
/** Words of a broken or slow transport. */
const NETWORK_ERROR = /transport|websocket|network|timed? ?out|disconnect|connection/i;

/** The failure a thrown error stands for (its message is only read here, never shown). */
export function callFailureFromError(message: string): CallFailure {
  if (CODEC_ERROR.test(message)) return 'codecs';
  if (MEDIA_ERROR.test(message)) return 'media';
  if (NETWORK_ERROR.test(message)) return 'network';
  return 'other';
}

/**
 * The failure behind a call's end, or undefined when the call did not fail (hung up, transferred,
 * missed, cancelled, rejected by the agent...). Busy, no-answer and declined outbound calls are
 * failures of the call the agent tried to make, so they are described too.
 */
export function callFailureOf(end: CallEnd, direction: CallDirection): CallFailure | undefined {
  switch (end.reason) {
    case 'failed':
      if (end.sipCode !== undefined && end.sipCode >= 300) return callFailureFromSip(end.sipCode);
      return end.message ? callFailureFromError(end.message) : 'other';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return direction === 'outbound' ? 'no-answer' : undefined;
    case 'rejected':
      return direction === 'outbound' ? 'declined' : undefined;
    default:
      return undefined;
  }
}
