import type { RemoteIdentity } from '../phone/call';
import { plainText } from '../text/plainText';

/**
 * Reading SIP identity headers (`From`, `P-Asserted-Identity`, `Remote-Party-ID`) and `sip:`, `sips:`,
 * `tel:` URIs just far enough to get the caller's number out, and the remote identity of a call
 * (the one SIP identity parser of CallDesk). Pure string code, no Node or DOM APIs.
 */

/** One identity: `"Zhang Wei" <sip:+8613800138000@pbx.example.com;user=phone>`. */
export interface SipIdentity {
  displayName: string | null;
  scheme: 'sip' | 'sips' | 'tel' | null;
  /** The user part (or the tel: number) without its own parameters, percent-decoded. */
  user: string;
  host: string | null;
  /** Parameters of the user part (`phone-context`, `ext`, `isub`), lower-case keys. */
  userParams: Record<string, string>;
  /** URI parameters after the host (`user=phone`, `transport=ws`), lower-case keys. */
  uriParams: Record<string, string>;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseParams(parts: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    out[key] = eq < 0 ? '' : decode(trimmed.slice(eq + 1).trim());
  }
  return out;
}

/** One name-addr (`"Name" <uri>;params`) or addr-spec split into its display name and URI text. */
export interface NameAddr {
  /** The display name, quoted-string unescaped; null when there is none. Raw: may hold any character. */
  displayName: string | null;
  /** The URI text between the angle brackets (or the whole addr-spec), not decoded. */
  uri: string;
  /** True when the URI was in angle brackets (then parameters after `>` are header parameters). */
  bracketed: boolean;
}

/**
 * Reads a quoted-string (RFC 3261 25.1) starting at `start` (on the opening `"`): `\x` is a
 * quoted-pair standing for `x`. Returns the unescaped text and the index after the closing quote,
 * or null when the quote is never closed.
 */
function readQuotedString(value: string, start: number): { text: string; end: number } | null {
  let text = '';
  for (let i = start + 1; i < value.length; i += 1) {
    const ch = value[i] as string;
    if (ch === '\\') {
      if (i + 1 >= value.length) return null;
      text += value[i + 1];
      i += 1;
    } else if (ch === '"') {
      return { text, end: i + 1 };
    } else {
      text += ch;
    }
  }
  return null;
}

/**
 * Splits one name-addr or addr-spec (RFC 3261 20.10, 25.1): `display-name = *(token LWS) /
 * quoted-string` then `<addr-spec>`, or a bare addr-spec. A quoted display name may contain `<`,
 * `>`, `,`, `;` and escaped quotes: it is read as a quoted-string first, so its content is never
 * taken for the URI. An unterminated quoted-string or an unclosed `<` is malformed: null.
 */
export function parseNameAddr(value: string): NameAddr | null {
  const text = value.trim();
  let displayName: string | null = null;
  let rest = text;
  if (text.startsWith('"')) {
    const quoted = readQuotedString(text, 0);
    if (!quoted) return null;
    displayName = quoted.text;
    rest = text.slice(quoted.end).trimStart();
    if (rest !== '' && !rest.startsWith('<')) return null;
  }
  const lt = rest.indexOf('<');
  if (lt < 0) return { displayName, uri: rest.trim(), bracketed: false };
  const gt = rest.indexOf('>', lt + 1);
  if (gt < 0) return null;
  if (displayName === null) {
    const tokens = rest.slice(0, lt).trim();
    if (tokens.includes('"') || tokens.includes('>')) return null;
    displayName = tokens === '' ? null : tokens;
  }
  return { displayName, uri: rest.slice(lt + 1, gt).trim(), bracketed: true };
}

/**
 * Parses one identity header value (or a bare URI or number). Returns null when nothing usable is
 * there. Without angle brackets, parameters after the host are header parameters (RFC 3261 20.10)
 * and are ignored, except for `tel:` URIs where they belong to the number.
 */
export function parseSipIdentity(value: string): SipIdentity | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const nameAddr = parseNameAddr(value);
  if (!nameAddr) return null;
  const { displayName, uri, bracketed } = nameAddr;
  const schemeMatch = /^(sips?|tel):/i.exec(uri);
  const cleanName = displayName && displayName.trim() !== '' ? displayName.trim() : null;
  if (!schemeMatch) {
    if (uri === '') return cleanName === null ? null : { displayName: cleanName, scheme: null, user: '', host: null, userParams: {}, uriParams: {} };
    const [user = '', ...params] = uri.split(';');
    return { displayName: cleanName, scheme: null, user: decode(user.trim()), host: null, userParams: parseParams(params), uriParams: {} };
  }
  const scheme = (schemeMatch[1] ?? '').toLowerCase() as 'sip' | 'sips' | 'tel';
  const body = uri.slice(schemeMatch[0].length);
  if (scheme === 'tel') {
    const [user = '', ...params] = body.split(';');
    return { displayName: cleanName, scheme, user: decode(user.trim()), host: null, userParams: parseParams(params), uriParams: {} };
  }
  const at = body.lastIndexOf('@');
  const userPart = at >= 0 ? body.slice(0, at) : '';
  const hostPart = at >= 0 ? body.slice(at + 1) : body;
  const [userText = '', ...userParams] = userPart.split(';');
  const userPassword = userText.split(':')[0] ?? '';
  const hostAndParams = hostPart.split('?')[0] ?? '';
  const [host = '', ...uriParams] = hostAndParams.split(';');
  return {
    displayName: cleanName,
    scheme,
    user: decode(userPassword.trim()),
    host: host.trim().toLowerCase() || null,
    userParams: parseParams(userParams),
    uriParams: bracketed ? parseParams(uriParams) : {},
  };
}

/**
 * Splits a header that may carry several identities separated by commas (P-Asserted-Identity may
 * carry a `sip:` and a `tel:` one). Commas inside quotes or angle brackets do not split.
 */
export function splitIdentityList(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] as string;
    if (ch === '\\' && quoted && i + 1 < value.length) {
      current += ch + value[i + 1];
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth += 1;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    if (ch === ',' && !quoted && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/**
 * The dialable text an identity carries: its user part when that looks like a telephone number
 * (digits with visual separators, optionally `+`), with a global `phone-context` (`+86755`) put in
 * front of a local number and `;ext=` kept as an extension. Null when the user part is not a number
 * (`alice`, `anonymous`). `user=phone` confirms a number but is not required: many PBXs omit it.
 */
export function identityNumberText(identity: SipIdentity): string | null {
  const user = identity.user.trim();
  if (!/^\+?[\d\-.() ]+$/.test(user) || !/\d/.test(user)) return null;
  let text = user;
  const context = identity.userParams['phone-context'];
  if (!user.startsWith('+') && context && /^\+[\d\-.() ]+$/.test(context)) {
    text = `${context.replace(/[^\d+]/g, '')}${user.replace(/\D/g, '')}`;
  }
  const ext = identity.userParams['ext'];
  return ext && /^\d+$/.test(ext) ? `${text};ext=${ext}` : text;
}

// ---------------------------------------------------------------- the remote identity of a call

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
 * (above: RFC 3261 quoted strings and escapes); the display name comes
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
