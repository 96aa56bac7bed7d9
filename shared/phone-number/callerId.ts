import { isWithheldWord, normalizePhoneNumber, type NormalizedNumber, type PhoneNormalizeOptions } from './normalize';
import { plainText } from '../text/plainText';
import type { CallDirection, CallerCandidate, CallerIdentity, RemoteIdentity } from '../phone/call';
import { identityNumberText, parseSipIdentity, remoteIdentity, splitIdentityList, type IdentityHeaders, type SipIdentity } from './sipUri';

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
  /** The caller identity the phone already parsed (the call snapshot's `caller`): the headers above are then not read. */
  caller?: CallerIdentity | null;
}

/** Longest caller display name resolved (a customer name holds 200 characters: quick-create takes it). */
export const MAX_CALLER_NAME = 200;

/** Where the caller's number came from. */
export type CallerIdSource = CallerCandidate['source'];

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

function candidate(source: CallerIdSource, identity: SipIdentity): CallerCandidate {
  return { source, numberText: identityNumberText(identity), user: identity.user.slice(0, 2000), withheld: identityWithheld(identity) };
}

/**
 * Reads the caller's identity headers once (the one SIP identity parser, sipUri.ts): each
 * P-Asserted-Identity value in turn (`tel:` and `sip:` alike), then From, then a URI given as the
 * number; `Privacy: id`; the first usable display name. The phone does this when an INVITE arrives
 * and puts the result on the call snapshot; nothing after it parses SIP headers again.
 */
export function parseCallerIdentity(input: CallerIdInput): CallerIdentity {
  const candidates: CallerCandidate[] = [];
  const names: Array<string | null> = [];
  const add = (source: CallerIdSource, value: string) => {
    const identity = parseSipIdentity(value);
    if (!identity || candidates.length >= 12) return;
    candidates.push(candidate(source, identity));
    names.push(identity.displayName);
  };
  for (const value of asList(input.pAssertedIdentity)) add('p-asserted-identity', value);
  if (typeof input.from === 'string') add('from', input.from);
  // A plain number is read by the normaliser itself (`转` extensions, `(+86)`, full-width digits);
  // only a URI or name-addr given as the number goes through the identity parser.
  const plain = typeof input.number === 'string' && input.number.trim() !== '' ? input.number.trim() : null;
  const plainIsUri = plain !== null && (/^(sips?|tel):/i.test(plain) || plain.includes('<'));
  if (plain !== null && plainIsUri) add('number', plain);
  return {
    candidates,
    privacyId: /(^|[;,\s])id($|[;,\s])/i.test(input.privacy ?? ''),
    displayName: names.map(usableName).find((n) => n !== null) ?? null,
    plain: plain !== null && !plainIsUri ? plain.slice(0, 200) : null,
  };
}

/** The identities of a call, read from its headers once. */
export interface CallIdentity {
  remote: RemoteIdentity;
  caller: CallerIdentity;
}

/**
 * The identities of a new call, each header read once: the remote party shown on the card
 * ({@link remoteIdentity}) and the caller identity screen pop resolves. Inbound calls read
 * P-Asserted-Identity, From and Privacy; outbound calls read To.
 */
export function callIdentity(direction: CallDirection, headers: IdentityHeaders & { privacy?: string | undefined }): CallIdentity {
  const remote = remoteIdentity(direction, headers);
  if (direction === 'outbound') {
    const to = parseCallerIdentity({ from: headers.to ?? null });
    return { remote, caller: { ...to, candidates: to.candidates.map((c) => ({ ...c, source: 'to' as const })) } };
  }
  return { remote, caller: parseCallerIdentity({ pAssertedIdentity: headers.pAssertedIdentity ?? null, from: headers.from ?? null, privacy: headers.privacy ?? null }) };
}

/**
 * Resolves a parsed caller identity to the caller as CallDesk understands it, with the agent's
 * number settings: the first identity carrying a readable number wins, then a plain number.
 * Anonymous users or `Privacy: id` without any readable number give `withheld`; a SIP user that is
 * no phone number (an internal extension, `alice`) gives `unrecognised`. Parses no SIP header.
 */
export function resolveCaller(identity: CallerIdentity, options: PhoneNormalizeOptions, fallbackName?: string | null): CallerId {
  const displayName = identity.displayName ?? usableName(fallbackName);
  let withheld = identity.privacyId;
  let unrecognised: string | null = null;
  for (const c of identity.candidates) {
    if (c.withheld) {
      withheld = true;
      continue;
    }
    if (c.numberText !== null) {
      const normalized = normalizePhoneNumber(c.numberText, options);
      if (normalized.kind === 'number') return { kind: 'number', number: normalized, displayName, source: c.source };
      if (normalized.kind === 'withheld') withheld = true;
    }
    if (unrecognised === null && c.user !== '') unrecognised = c.user;
  }
  if (identity.plain !== null) {
    const normalized = normalizePhoneNumber(identity.plain, options);
    if (normalized.kind === 'number') return { kind: 'number', number: normalized, displayName, source: 'number' };
    if (normalized.kind === 'withheld') withheld = true;
    else if (unrecognised === null) unrecognised = identity.plain;
  }
  if (withheld || (identity.candidates.length === 0 && identity.plain === null)) return { kind: 'withheld', displayName };
  return { kind: 'unrecognised', displayName, user: unrecognised ?? '' };
}

/**
 * Resolves the caller of an incoming call: the parsed identity the call carries (`caller`, from the
 * call snapshot) when given, else the raw headers read here by {@link parseCallerIdentity}. The
 * display name is plain text (bidi and control characters removed) of at most
 * {@link MAX_CALLER_NAME} characters. Never throws.
 */
export function resolveCallerId(input: CallerIdInput, options: PhoneNormalizeOptions): CallerId {
  return resolveCaller(input.caller ?? parseCallerIdentity(input), options, input.displayName);
}
