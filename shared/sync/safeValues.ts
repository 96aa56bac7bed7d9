import { z } from 'zod';

/**
 * Values that cannot round-trip between the desktop, the wire and the server's database, and what
 * each side does about them. The rule, per kind of value:
 *
 * | value                                   | why it breaks                                   | desktop contract        | server                         |
 * |-----------------------------------------|-------------------------------------------------|-------------------------|--------------------------------|
 * | NUL (U+0000) in text                    | PostgreSQL text and jsonb cannot hold it        | cleaned (removed)       | rejected (`invalid`, 400)      |
 * | lone surrogate (U+D800-U+DFFF unpaired) | not Unicode: UTF-8 turns it into U+FFFD, jsonb   | cleaned (U+FFFD)        | rejected (`invalid`, 400)      |
 * |                                         | refuses its `\ud800` escape                     |                         |                                |
 * | NaN, Infinity                           | JSON has no such number (becomes null)          | rejected (schemas)      | cannot arrive (JSON)           |
 * | a date outside 1970-01-01..2100-01-01   | nonsense, and 1e308 overflows BIGINT columns    | rejected (schemas)      | rejected (`invalid`)           |
 * | a date that is not whole milliseconds   | BIGINT columns refuse it                        | rejected (schemas)      | rejected (`invalid`)           |
 *
 * Text is cleaned on the desktop because it is what a person typed or pasted (or a phone system
 * sent): dropping an invisible NUL loses nothing anyone can see. The server never cleans: it was
 * not there when the text was written, so it refuses the one change with a reason and the desktop
 * shows it; everything queued behind it still goes through.
 */

/** The earliest date a record may carry (epoch ms): 1970-01-01. */
export const EPOCH_MS_MIN = 0;
/** The latest date a record may carry (epoch ms): 2100-01-01. */
export const EPOCH_MS_MAX = Date.UTC(2100, 0, 1);

/** A date as records carry it: whole epoch milliseconds between 1970 and 2100. */
export const epochMsSchema = z
  .number()
  .int('must be whole milliseconds')
  .min(EPOCH_MS_MIN, 'must be a date after 1970-01-01')
  .max(EPOCH_MS_MAX, 'must be a date before 2100-01-01');

/** True for a date {@link epochMsSchema} accepts. */
export function isSaneEpochMs(value: number): boolean {
  return Number.isInteger(value) && value >= EPOCH_MS_MIN && value <= EPOCH_MS_MAX;
}

/** Why a value cannot round-trip. */
export type UnsafeKind = 'nul' | 'lone-surrogate' | 'non-finite' | 'bad-date' | 'too-deep';

/** The first unsafe value found, with its path (`record.notes`, `record.headers["x"]`). */
export interface UnsafeValue {
  path: string;
  kind: UnsafeKind;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What is wrong with a piece of text, or null when it round-trips. */
export function unsafeTextKind(text: string): 'nul' | 'lone-surrogate' | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'lone-surrogate';
  return null;
}

/** The text without NUL characters and with every lone surrogate replaced by U+FFFD. */
export function cleanText(text: string): string {
  if (unsafeTextKind(text) === null) return text;
  return text.replace(/\u0000/g, '').replace(LONE_SURROGATES, '\uFFFD');
}

/** Deepest nesting accepted (records are a few levels deep; this only stops runaway input). */
const MAX_DEPTH = 32;

const join = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(cleanText(key))}]`;

/**
 * The first string (value or object key) or number in `value` that cannot round-trip, or null.
 * Walks plain JSON-like data: objects, arrays, strings, numbers, booleans, null.
 */
export function findUnsafeValue(value: unknown, path = ''): UnsafeValue | null {
  return walk(value, path, 0);
}

function walk(value: unknown, path: string, depth: number): UnsafeValue | null {
  if (typeof value === 'string') {
    const kind = unsafeTextKind(value);
    return kind ? { path: path || 'value', kind } : null;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path: path || 'value', kind: 'non-finite' };
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return { path: path || 'value', kind: 'too-deep' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], join(path, i), depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const keyKind = unsafeTextKind(k);
    if (keyKind) return { path: join(path, k), kind: keyKind };
    const found = walk(v, join(path, k), depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A copy of `value` with every string and object key cleaned ({@link cleanText}). Values that need
 * no cleaning are returned as they are (the same object when nothing changed).
 */
export function cleanValue<T>(value: T): T {
  return clean(value, 0) as T;
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const c = clean(v, depth + 1);
      if (c !== v) changed = true;
      return c;
    });
    return changed ? out : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const ck = cleanText(k);
    const cv = clean(v, depth + 1);
    if (ck !== k || cv !== v) changed = true;
    out[ck] = cv;
  }
  return changed ? out : value;
}

/** An English sentence for logs and server answers (the desktop translates by `kind`). */
export function describeUnsafe(u: UnsafeValue): string {
  switch (u.kind) {
    case 'nul':
      return `${u.path} contains a NUL character (U+0000), which cannot be stored`;
    case 'lone-surrogate':
      return `${u.path} contains an unpaired UTF-16 surrogate (not valid Unicode text)`;
    case 'non-finite':
      return `${u.path} is not a finite number`;
    case 'bad-date':
      return `${u.path} is not a date between 1970-01-01 and 2100-01-01 in whole milliseconds`;
    case 'too-deep':
      return `${u.path} is nested too deeply`;
  }
}
