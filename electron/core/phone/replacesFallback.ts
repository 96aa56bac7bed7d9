/**
 * Attended transfer to a transferee that does not support Replaces (RFC 3891), e.g. baresip 1.0:
 * such a phone mangles a Refer-To carrying `?Replaces=` (it sends the header inside the Request-URI
 * and no Replaces header), so the transfer target just sees a new call ringing. For these peers the
 * transferor refers to the target's contact with a URI parameter naming the consultation call
 * instead; the target (a CallDesk agent) takes that call over exactly as for Replaces.
 */
import type { URI } from 'sip.js';

/** The Request-URI parameter naming the Call-ID of the call an INVITE takes over. */
export const TAKEOVER_PARAM = 'x-calldesk-replaces';

/** True when a peer listed the `replaces` option tag (Supported header values of its INVITE or 2xx). */
export function peerSupportsReplaces(supported: string[]): boolean {
  return supported.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === 'replaces'));
}

/** The Refer-To target for a transferee without Replaces: the consult party's contact, naming the consultation call. */
export function takeoverReferTarget(consultTarget: URI, consultCallId: string): URI {
  const uri = consultTarget.clone();
  uri.setParam(TAKEOVER_PARAM, encodeURIComponent(consultCallId));
  return uri;
}

/** The Call-ID an incoming INVITE's Request-URI asks to take over, or null. */
export function takeoverCallId(requestUri: URI): string | null {
  const v = requestUri.getParam(TAKEOVER_PARAM);
  if (!v) return null;
  try {
    return decodeURIComponent(v);
  } catch {
    return null;
  }
}
