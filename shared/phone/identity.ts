import { parseNameAddr, parseSipIdentity, splitIdentityList } from '../phone-number/sipUri';
import { plainText } from '../text/plainText';
import type { RemoteIdentity } from './call';

/** Header values a remote identity can be read from (raw, as received). */
export interface IdentityHeaders {
  pAssertedIdentity?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Longest display name kept for a call (more is cut with `…`); the card truncates further. */
export const MAX_REMOTE_DISPLAY_NAME = 500;

function identityOf(value: string, source: RemoteIdentity['source']): RemoteIdentity | null {
  const nameAddr = parseNameAddr(value);
  if (!nameAddr || !/^(sips?|tel):/i.test(nameAddr.uri)) return null;
  const identity = parseSipIdentity(value);
  return {
    number: identity?.user ?? '',
    displayName: plainText(nameAddr.displayName ?? '', MAX_REMOTE_DISPLAY_NAME),
    uri: nameAddr.bracketed ? nameAddr.uri : (nameAddr.uri.split(';')[0] ?? ''),
    source,
  };
}

/**
 * The remote identity of a call: P-Asserted-Identity (network-asserted, trusted) is preferred over
 * From (caller-supplied) for inbound calls; outbound calls use To. The first PAI value that parses
 * wins (a PAI may list a sip: and a tel: URI); without a display name of its own, From's is shown. Headers are read by the one name-addr parser
 * (`shared/phone-number/sipUri.ts`, RFC 3261 quoted strings and escapes); the display name comes
 * back as plain text (bidi and control characters removed, at most {@link MAX_REMOTE_DISPLAY_NAME}).
 */
export function remoteIdentity(direction: 'inbound' | 'outbound', headers: IdentityHeaders): RemoteIdentity {
  const raw = direction === 'inbound' ? headers.from : headers.to;
  const source = direction === 'inbound' ? 'from' : 'to';
  const own = (raw ? identityOf(raw, source) : null) ?? { number: '', displayName: '', uri: raw ?? '', source };
  if (direction === 'inbound' && headers.pAssertedIdentity) {
    for (const part of splitIdentityList(headers.pAssertedIdentity)) {
      const parsed = identityOf(part, 'p-asserted-identity');
      if (parsed) return parsed.displayName === '' ? { ...parsed, displayName: own.displayName } : parsed;
    }
  }
  return own;
}

/** Normalises a dial string: a sip:/sips: URI stays; a number loses spaces, dashes, dots and brackets. */
export function normaliseDialTarget(target: string): { kind: 'uri' | 'number'; value: string } | null {
  const t = target.trim();
  if (/^sips?:[^\s@]+@[^\s@]+$/i.test(t)) return { kind: 'uri', value: t };
  const digits = t.replace(/[\s().-]/g, '');
  if (/^\+?[0-9A-Za-z*#_]{1,64}$/.test(digits)) return { kind: 'number', value: digits };
  return null;
}

/**
 * Reads `answer-after=N` from a Call-Info header (`<uri>;answer-after=5`); seconds or null.
 * Used when `sip.autoAnswer.honourCallInfo` is on.
 */
export function callInfoAnswerAfter(callInfo: string | undefined): number | null {
  if (!callInfo) return null;
  const m = /;\s*answer-after\s*=\s*(\d{1,4})/i.exec(callInfo);
  return m ? Number(m[1]) : null;
}
