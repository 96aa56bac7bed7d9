/**
 * RFC 4028 section 7.4 for our own INVITEs: a 422 (Session Interval Too Small) names the other
 * side's Min-SE; the call is retried with Session-Expires and Min-SE raised to it (same Call-ID,
 * next CSeq, as for an authentication retry), instead of failing. sip.js 0.21 has no session timers.
 */
import { offerHeaders, parseMinSe, type SessionTimerConfig } from './sessionTimer';

/** The largest interval we agree to raise to (s): beyond it a 422 fails the call as any refusal. */
export const MAX_SESSION_INTERVAL_SECONDS = 7200;
/** How many 422s one call may answer with a retry (each must raise the interval). */
export const MAX_INTERVAL_RETRIES = 2;

/**
 * The interval to retry with after a 422 to an INVITE that offered `offeredSeconds`, or null when
 * there is nothing sensible to retry: no or bad Min-SE, not above what we offered (a broken peer
 * would loop), above {@link MAX_SESSION_INTERVAL_SECONDS}, or retries used up.
 */
export function intervalAfterTooSmall(minSeHeader: string | undefined, offeredSeconds: number, retriesSoFar: number): number | null {
  if (retriesSoFar >= MAX_INTERVAL_RETRIES) return null;
  const minSe = parseMinSe(minSeHeader);
  if (minSe === null || minSe <= offeredSeconds || minSe > MAX_SESSION_INTERVAL_SECONDS) return null;
  return minSe;
}

/** The headers of the retried INVITE: the caller's own headers, then the raised session-timer offer. */
export function retryInviteHeaders(userHeaders: string[], config: SessionTimerConfig, seconds: number): string[] {
  return [...userHeaders, ...offerHeaders({ ...config, minSeconds: Math.max(config.minSeconds, seconds) }, seconds)];
}

