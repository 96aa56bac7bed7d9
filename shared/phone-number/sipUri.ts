/**
 * Reading SIP identity headers (`From`, `P-Asserted-Identity`, `Remote-Party-ID`) and `sip:`, `sips:`,
 * `tel:` URIs just far enough to get the caller's number out. Pure string code, no Node or DOM APIs.
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

/** Splits one name-addr or addr-spec into display name and URI text. */
function splitNameAddr(value: string): { displayName: string | null; uri: string; bracketed: boolean } {
  let rest = value.trim();
  let displayName: string | null = null;
  if (rest.startsWith('"')) {
    let i = 1;
    let name = '';
    while (i < rest.length && rest[i] !== '"') {
      if (rest[i] === '\\' && i + 1 < rest.length) i += 1;
      name += rest[i];
      i += 1;
    }
    displayName = name;
    rest = rest.slice(i + 1).trim();
  }
  const lt = rest.indexOf('<');
  if (lt >= 0) {
    const gt = rest.indexOf('>', lt);
    if (displayName === null) {
      const before = rest.slice(0, lt).trim();
      displayName = before === '' ? null : before;
    }
    return { displayName, uri: rest.slice(lt + 1, gt < 0 ? undefined : gt).trim(), bracketed: true };
  }
  return { displayName, uri: rest, bracketed: false };
}

/**
 * Parses one identity header value (or a bare URI or number). Returns null when nothing usable is
 * there. Without angle brackets, parameters after the host are header parameters (RFC 3261 20.10)
 * and are ignored, except for `tel:` URIs where they belong to the number.
 */
export function parseSipIdentity(value: string): SipIdentity | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const { displayName, uri, bracketed } = splitNameAddr(value);
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
