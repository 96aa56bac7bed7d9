import type { RemoteIdentity } from './call';

/** Header values a remote identity can be read from (raw, as received). */
export interface IdentityHeaders {
  pAssertedIdentity?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A parsed name-addr (`"Name" <uri>;params`) or addr-spec. */
export interface NameAddr {
  displayName: string;
  uri: string;
}

/** Parses a name-addr or addr-spec header value; null when it holds no sip:, sips: or tel: URI. */
export function parseNameAddr(value: string): NameAddr | null {
  const v = value.trim();
  const angle = /^(.*?)<([^>]*)>/.exec(v);
  let displayName = '';
  let uri: string;
  if (angle) {
    displayName = (angle[1] ?? '').trim();
    if (displayName.startsWith('"') && displayName.endsWith('"') && displayName.length >= 2) {
      displayName = displayName.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    uri = (angle[2] ?? '').trim();
  } else {
    uri = (v.split(';')[0] ?? '').trim();
  }
  if (!/^(sips?|tel):/i.test(uri)) return null;
  return { displayName, uri };
}

/** The user part of a sip(s) URI or the number of a tel URI, percent-decoded; '' when none. */
export function uriNumber(uri: string): string {
  const tel = /^tel:([^;?]*)/i.exec(uri);
  if (tel) return safeDecode(tel[1] ?? '');
  const sip = /^sips?:([^@;?]*)@/i.exec(uri);
  return sip ? safeDecode(sip[1] ?? '') : '';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The remote identity of a call: P-Asserted-Identity (network-asserted, trusted) is preferred over
 * From (caller-supplied) for inbound calls; outbound calls use To. The first PAI value that parses
 * wins (a PAI may list a sip: and a tel: URI).
 */
export function remoteIdentity(direction: 'inbound' | 'outbound', headers: IdentityHeaders): RemoteIdentity {
  if (direction === 'inbound' && headers.pAssertedIdentity) {
    for (const part of splitHeaderList(headers.pAssertedIdentity)) {
      const parsed = parseNameAddr(part);
      if (parsed) return { ...parsed, number: uriNumber(parsed.uri), source: 'p-asserted-identity' };
    }
  }
  const raw = direction === 'inbound' ? headers.from : headers.to;
  const parsed = raw ? parseNameAddr(raw) : null;
  const source = direction === 'inbound' ? 'from' : 'to';
  if (!parsed) return { number: '', displayName: '', uri: raw ?? '', source };
  return { ...parsed, number: uriNumber(parsed.uri), source };
}

/** Splits a comma-separated header list, ignoring commas inside quotes and angle brackets. */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && quoted) {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    if (c === ',' && !quoted && depth === 0) {
      if (current.trim()) parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
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
