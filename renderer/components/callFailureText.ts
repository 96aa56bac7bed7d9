import type { TFunction } from 'i18next';
import type { CallSnapshot } from '../../shared/phone/call';
import { CALL_FAILURES, callFailureOf, type CallFailure } from '../../shared/phone/callFailure';

/** The human text of a failure kind (`phone.failure.<kind>`), with the SIP code where the text names it. */
export function failureText(t: TFunction, failure: CallFailure, sipCode?: number): string {
  return t(`phone.failure.${failure}`, { code: sipCode ?? '' });
}

/** The human text of why an ended call failed, or null when it did not fail. */
export function callFailureText(t: TFunction, call: CallSnapshot): string | null {
  if (!call.end) return null;
  const failure = callFailureOf(call.end, call.direction);
  return failure ? failureText(t, failure, call.end.sipCode) : null;
}

/** The failure kind an action error carries in `details.failure` (set by the core), if any. */
export function failureOfDetails(details: unknown): { failure: CallFailure; sipCode?: number } | null {
  if (typeof details !== 'object' || details === null) return null;
  const d = details as { failure?: unknown; sipCode?: unknown };
  if (typeof d.failure !== 'string' || !(CALL_FAILURES as readonly string[]).includes(d.failure)) return null;
  return { failure: d.failure as CallFailure, ...(typeof d.sipCode === 'number' ? { sipCode: d.sipCode } : {}) };
}
