import { isWithheldWord, normalizePhoneNumber, type NormalizedNumber, type PhoneNormalizeOptions } from './normalize';
import { plainText } from '../text/plainText';
import { identityNumberText, parseSipIdentity, splitIdentityList, type SipIdentity } from './sipUri';

/** What the phone layer knows about an incoming call's caller, as raw header values. */
export interface CallerIdInput {
  /** `P-Asserted-Identity` header value(s): the network-asserted identity, trusted over From. */
  pAssertedIdentity?: string | readonly string[] | null;
  /** `From` header value (or the remote identity URI). */
  from?: string | null;
  /** `Privacy` header value (`id`, `user`, `none`). */
  privacy?: string | null;
  /** A plain number when the caller is not a SIP header (a dialled number, a test). */
  number?: string | null;
  /** A display name the phone layer already read, used when no header here carries one. */
  displayName?: string | null;
}

/** Longest caller display name resolved (a customer name holds 200 characters: quick-create takes it). */
export const MAX_CALLER_NAME = 200;

/** Where the caller's number came from. */
export type CallerIdSource = 'p-asserted-identity' | 'from' | 'number';

/** The caller as CallDesk understands it. */
export type CallerId =
  | { kind: 'number'; number: NormalizedNumber; displayName: string | null; source: CallerIdSource }
  | { kind: 'withheld'; displayName: string | null }
  | {
      kind: 'unrecognised';
      displayName: string | null;
      /** What the caller sent instead of a number (`alice`, `1001`), for display and search. */
      user: string;
    };

function asList(value: string | readonly string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  const values = typeof value === 'string' ? [value] : [...value];
  return values.flatMap((v) => (typeof v === 'string' ? splitIdentityList(v) : []));
}

function identityWithheld(identity: SipIdentity): boolean {
  return isWithheldWord(identity.user) || identity.host === 'anonymous.invalid' || (identity.user === '' && identity.displayName !== null && isWithheldWord(identity.displayName));
}

/** A display name as plain, bounded text (no bidi or control characters); null when none or withheld. */
function usableName(raw: string | null | undefined): string | null {
  const name = typeof raw === 'string' ? plainText(raw, MAX_CALLER_NAME) : '';
  return name !== '' && !isWithheldWord(name) ? name : null;
}

/**
 * Resolves the caller of an incoming call: P-Asserted-Identity first (each value in turn, `tel:`
 * and `sip:` alike), then From, then a plain number. The first source carrying a readable number
 * wins. Anonymous users (`anonymous@anonymous.invalid`, `Restricted`, `withheld`...) or `Privacy: id`
 * without any readable number give `withheld`; a SIP user that is no phone number (an internal
 * extension, `alice`) gives `unrecognised`. The display name is plain text (bidi and control
 * characters removed) of at most {@link MAX_CALLER_NAME} characters. Never throws.
 */
export function resolveCallerId(input: CallerIdInput, options: PhoneNormalizeOptions): CallerId {
  const sources: Array<{ source: CallerIdSource; identity: SipIdentity }> = [];
  for (const value of asList(input.pAssertedIdentity)) {
    const identity = parseSipIdentity(value);
    if (identity) sources.push({ source: 'p-asserted-identity', identity });
  }
  const from = typeof input.from === 'string' ? parseSipIdentity(input.from) : null;
  if (from) sources.push({ source: 'from', identity: from });
  // A plain number is read by the normaliser itself (`转` extensions, `(+86)`, full-width digits);
  // only a URI or name-addr given as the number goes through the identity parser.
  const plain = typeof input.number === 'string' && input.number.trim() !== '' ? input.number.trim() : null;
  const plainIsUri = plain !== null && (/^(sips?|tel):/i.test(plain) || plain.includes('<'));
  if (plain !== null && plainIsUri) {
    const identity = parseSipIdentity(plain);
    if (identity) sources.push({ source: 'number', identity });
  }
  const displayName = sources.map((s) => usableName(s.identity.displayName)).find((n) => n !== null) ?? usableName(input.displayName);

  let withheld = /(^|[;,\s])id($|[;,\s])/i.test(input.privacy ?? '');
  let unrecognised: string | null = null;
  for (const { source, identity } of sources) {
    if (identityWithheld(identity)) {
      withheld = true;
      continue;
    }
    const text = identityNumberText(identity);
    if (text !== null) {
      const normalized = normalizePhoneNumber(text, options);
      if (normalized.kind === 'number') return { kind: 'number', number: normalized, displayName, source };
      if (normalized.kind === 'withheld') withheld = true;
    }
    if (unrecognised === null && identity.user !== '') unrecognised = identity.user;
  }
  if (plain !== null && !plainIsUri) {
    const normalized = normalizePhoneNumber(plain, options);
    if (normalized.kind === 'number') return { kind: 'number', number: normalized, displayName, source: 'number' };
    if (normalized.kind === 'withheld') withheld = true;
    else if (unrecognised === null) unrecognised = plain;
  }
  if (withheld || (sources.length === 0 && plain === null)) return { kind: 'withheld', displayName };
  return { kind: 'unrecognised', displayName, user: unrecognised ?? '' };
}
