import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { identityNumberText, parseSipIdentity } from './sipUri';

/**
 * Phone number normalisation: whatever an agent typed, a CSV held or a PBX sent becomes one E.164
 * string, so numbers stored in a dozen formats match the caller ID in yet another. Pure: no Node or
 * DOM APIs. Uses libphonenumber-js with full ("max") metadata so validity checks are exact.
 */

/** How to read numbers that carry no country code. */
export interface PhoneNormalizeOptions {
  /** ISO 3166 region used for national numbers (`0755 8888 1234` with `CN`). */
  defaultRegion: string;
  /**
   * Digits a PBX puts in front of outside numbers (an outside-line `9`). Stripped only when the
   * number is not valid with them and is valid without them, so a real number is never cut.
   */
  pbxPrefixes?: readonly string[];
}

/** Why a string could not be read as a phone number. */
export const PHONE_INVALID_REASONS = ['empty', 'no-digits', 'too-short', 'too-long', 'unparseable'] as const;
/** A reason from {@link PHONE_INVALID_REASONS}. */
export type PhoneInvalidReason = (typeof PHONE_INVALID_REASONS)[number];

/** A number that was read. `valid` is false for numbers of a possible length in an unknown range. */
export interface NormalizedNumber {
  kind: 'number';
  /**
   * The match key: E.164 (`+8675588881234`), or for a short code (`95588`) its literal digits,
   * never a `+`, so a short code only ever matches the same short code.
   */
  e164: string;
  /** National format for display (`0755 8888 1234`). */
  national: string;
  /** International format for display (`+86 755 8888 1234`). */
  international: string;
  /** Region of the number when known (`CN`). */
  region: string | null;
  /** Extension (`8012`), not part of the match key. */
  extension: string | null;
  valid: boolean;
  /** True for a service short code (`95588`, `10086`): no country, kept and matched as typed. */
  shortCode: boolean;
}

/** The outcome of normalising one string. */
export type PhoneNormalization =
  | NormalizedNumber
  | { kind: 'withheld' }
  | { kind: 'invalid'; reason: PhoneInvalidReason };

const WITHHELD_WORDS = new Set([
  'anonymous',
  'withheld',
  'restricted',
  'private',
  'unavailable',
  'unknown',
  'blocked',
  'anonymous caller',
  'private number',
  'unknown number',
  'number withheld',
  '匿名',
  '隐藏号码',
  '未知号码',
  '私人号码',
]);

/** True for the words PBXs and carriers use for a withheld or unavailable caller ID. */
export function isWithheldWord(value: string): boolean {
  return WITHHELD_WORDS.has(value.trim().toLowerCase());
}

const EXTENSION_MARKERS = /\s*(?:;\s*ext=|,|#|\bext\.?|\bextension|\bx\.?|转|分机号?)\s*(\d{1,8})\s*$/iu;
const DASH_EXTENSION = /^(.*\d)\s*-\s*(\d{1,6})$/u;
const MAX_INPUT = 100;

/** Full-width digits and signs (common in Chinese input) become ASCII; exotic spaces become plain. */
function fold(input: string): string {
  return input.normalize('NFKC').replace(/[\u00a0\u2000-\u200b\u3000]/g, ' ');
}

function isSupported(region: string): region is CountryCode {
  return /^[A-Z]{2}$/.test(region) && isSupportedCountry(region as CountryCode);
}

/** Digits of a service short code: 5 or 6 (95588, 10086, 12315, 955xx). 3-4 digits are PBX extensions. */
const SHORT_CODE = /^\d{5,6}$/;

/**
 * True when the text is a service short code: 5 or 6 digits with at most spaces or dashes between
 * them, no `+` or international prefix. Only asked once the text is neither a valid nor a possible
 * number, so a real number is never read as a short code.
 */
function isShortCode(body: string): boolean {
  const text = body.trim();
  return /^[\d\s-]+$/.test(text) && SHORT_CODE.test(text.replace(/\D/g, ''));
}

/**
 * Builds the result. The display formats are computed on first read: formatting costs more than
 * parsing, and bulk paths (imports, matching) mostly need only the E.164 key.
 */
function toResult(parsed: PhoneNumber, extension: string | null, valid: boolean): NormalizedNumber {
  const ext = extension ?? parsed.ext ?? null;
  let national: string | undefined;
  let international: string | undefined;
  return {
    kind: 'number',
    e164: parsed.number,
    get national() {
      return (national ??= parsed.formatNational().replace(/ ext\. \d+$/, ''));
    },
    get international() {
      return (international ??= parsed.formatInternational().replace(/ ext\. \d+$/, ''));
    },
    region: parsed.country ?? null,
    extension: ext ? String(ext) : null,
    valid,
    shortCode: false,
  };
}

function tryParse(text: string, region: CountryCode): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, region);
  } catch {
    return undefined;
  }
}

/**
 * Normalises one phone number to E.164.
 *
 * Handles national and international formats, the trunk prefix `0`, `00`/`011`/`+` international
 * prefixes, any separators (spaces, dashes, dots, brackets, `(0)`), full-width digits, extensions
 * (`ext.`, `x`, `#`, `;ext=`, `转`, `分机`, and a trailing `-8012` after a complete number), configured
 * PBX prefixes, `tel:`/`sip:` URIs (user part, `phone-context`, `;ext=`) and withheld markers
 * (`anonymous`, `withheld`, ...). A service short code (`95588`: 5 or 6 digits that are no number of
 * the region) is kept as its literal digits (`shortCode: true`) and matches only itself. Never throws.
 */
export function normalizePhoneNumber(input: string, options: PhoneNormalizeOptions): PhoneNormalization {
  const region: CountryCode = isSupported(options.defaultRegion) ? options.defaultRegion : 'US';
  let text = fold(typeof input === 'string' ? input : '').trim();
  if (text === '') return { kind: 'invalid', reason: 'empty' };
  if (isWithheldWord(text)) return { kind: 'withheld' };
  if (text.length > MAX_INPUT * 4) return { kind: 'invalid', reason: 'too-long' };
  if (/^(sips?|tel):/i.test(text) || text.includes('<')) {
    const identity = parseSipIdentity(text);
    if (!identity) return { kind: 'invalid', reason: 'unparseable' };
    if (isWithheldWord(identity.user) || identity.host === 'anonymous.invalid') return { kind: 'withheld' };
    const numberText = identityNumberText(identity);
    if (numberText === null) return { kind: 'invalid', reason: identity.user === '' ? 'empty' : 'unparseable' };
    text = numberText;
  }
  if (text.length > MAX_INPUT) return { kind: 'invalid', reason: 'too-long' };
  if (!/\d/.test(text)) return { kind: 'invalid', reason: 'no-digits' };

  let body = text;
  let extension: string | null = null;
  const marked = EXTENSION_MARKERS.exec(body);
  if (marked && marked.index > 0) {
    extension = marked[2] ?? marked[1] ?? null;
    body = body.slice(0, marked.index);
  }
  body = body.replace(/\(0\)/g, ' ');
  if (/[a-z]{2,}/i.test(body.replace(/^(tel|sip|sips):/i, ''))) return { kind: 'invalid', reason: 'unparseable' };

  const international = /^\s*\+/.test(body);
  const digits = body.replace(/\D/g, '');
  if (digits.length < 3) return { kind: 'invalid', reason: 'too-short' };
  if (digits.length > 20) return { kind: 'invalid', reason: 'too-long' };

  const candidates: Array<{ text: string; extension: string | null }> = [];
  candidates.push({ text: international ? `+${digits}` : digits, extension });
  if (!international) {
    for (const prefix of options.pbxPrefixes ?? []) {
      if (prefix && /^\d+$/.test(prefix) && digits.startsWith(prefix) && digits.length > prefix.length + 3) {
        candidates.push({ text: digits.slice(prefix.length), extension });
      }
    }
  }
  if (extension === null) {
    const dashed = DASH_EXTENSION.exec(body);
    if (dashed?.[1] && dashed[2]) {
      const main = dashed[1].replace(/\D/g, '');
      candidates.push({ text: international ? `+${main}` : main, extension: dashed[2] });
    }
  }

  let possible: NormalizedNumber | null = null;
  for (const candidate of candidates) {
    const parsed = tryParse(candidate.text, region);
    if (!parsed) continue;
    if (parsed.isValid()) return toResult(parsed, candidate.extension, true);
    if (possible === null && parsed.isPossible()) possible = toResult(parsed, candidate.extension, false);
  }
  if (possible) return possible;
  if (extension === null && isShortCode(body)) return { kind: 'number', e164: digits, national: digits, international: digits, region: null, extension: null, valid: true, shortCode: true };
  return { kind: 'invalid', reason: digits.length < 5 ? 'too-short' : 'unparseable' };
}

/** The E.164 match key of a number, or null when it cannot be read. */
export function toE164(input: string, options: PhoneNormalizeOptions): string | null {
  const result = normalizePhoneNumber(input, options);
  return result.kind === 'number' ? result.e164 : null;
}

/** Only the digits of a string (full-width digits folded), for fragment search. */
export function phoneDigits(input: string): string {
  return fold(input).replace(/\D/g, '');
}
