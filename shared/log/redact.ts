/**
 * The one redaction rule set of CallDesk's logs, desktop core and central server alike: every
 * logger (`./logger.ts`) runs messages and fields through {@link redact} before any sink sees them.
 */

/** Keys whose values are secrets: never logged (SIP digest parts, tokens, password hashes). */
const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|cookie|credential|ha1|nonce|hash/i;
/** Keys whose values are personal data: masked. */
const PERSONAL_KEY = /phone|number|mobile|email|name|address|birthday|notes?$|caller|callee|remote|uri/i;

const MAX_DEPTH = 6;

/** Masks a personal value, keeping just enough to correlate log lines (last 4 characters). */
export function maskPersonal(value: string): string {
  if (value.length <= 4) return '***';
  return `***${value.slice(-4)}`;
}

/** Masks digit runs in free text (phone numbers in messages or SIP URIs). */
export function maskDigitsInText(text: string): string {
  return text.replace(/\+?\d[\d\s-]{5,}\d/g, (m) => maskPersonal(m.replace(/[\s-]/g, '')));
}

/**
 * Returns a copy of `value` with only the values under secret keys removed (no personal masking):
 * for configuration IT reads back, such as the settings in a diagnostics bundle.
 */
export function redactSecrets(value: unknown, depth = 0, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return value === undefined || value === '' ? value : '[redacted]';
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth]';
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1, key));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactSecrets(v, depth + 1, k);
  return out;
}

/** Returns a copy of `value` with secrets removed and personal data masked, safe to log. */
export function redact(value: unknown, depth = 0, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return value === undefined || value === '' ? value : '[redacted]';
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (key && PERSONAL_KEY.test(key)) return maskPersonal(value);
    return maskDigitsInText(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Error) return { name: value.name, message: maskDigitsInText(value.message) };
  if (depth >= MAX_DEPTH) return '[depth]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1, key));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, depth + 1, k);
    return out;
  }
  return String(value);
}
