import { z } from 'zod';
import { queueOfferSchema } from '../acd/offerHeader';
import { callStateSchema } from './callState';

/** Whether the agent placed the call or received it. */
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
/** A call direction. */
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** Which header the remote identity was taken from. */
export const IDENTITY_SOURCES = ['p-asserted-identity', 'from', 'to'] as const;

/** Schema of the remote party of a call. */
export const remoteIdentitySchema = z.object({
  /** The dialable number or SIP user part (`+8613800138000`, `1002`); empty when anonymous. */
  number: z.string(),
  /** Display name when the header carried one, else ''. */
  displayName: z.string(),
  /** The full URI (`sip:1002@pbx.example`, `tel:+86...`). */
  uri: z.string(),
  source: z.enum(IDENTITY_SOURCES),
});
/** The remote party of a call. */
export type RemoteIdentity = z.infer<typeof remoteIdentitySchema>;

/** Where a caller identity was read: a P-Asserted-Identity value, From, To (outbound), or a number given as text. */
export const CALLER_SOURCES = ['p-asserted-identity', 'from', 'to', 'number'] as const;

/** Schema of one identity the caller presented, as the one SIP identity parser read it (shared/phone-number/sipUri.ts). */
export const callerCandidateSchema = z.object({
  source: z.enum(CALLER_SOURCES),
  /** The dialable text it carries (`+8613800138000`, `+86755` phone-context applied, `;ext=` kept); null when the user part is no number. */
  numberText: z.string().max(2000).nullable(),
  /** The user part as received (`alice`, `1001`), shown and searched when there is no number. */
  user: z.string().max(2000),
  /** An anonymous identity (`anonymous@anonymous.invalid`, `Restricted`, `withheld`...). */
  withheld: z.boolean(),
});
/** One identity the caller presented. */
export type CallerCandidate = z.infer<typeof callerCandidateSchema>;

/**
 * Schema of the parsed caller identity of a call: every identity header read once by the phone when
 * the INVITE arrived (P-Asserted-Identity values first, then From; To for outbound calls), so screen
 * pop, the renderer and CTI never parse SIP headers again: they only normalise `numberText` to E.164
 * with the agent's settings (shared/phone-number/callerId.ts `resolveCaller`).
 */
export const callerIdentitySchema = z.object({
  /** The identities in order of trust. */
  candidates: z.array(callerCandidateSchema).max(12),
  /** `Privacy: id` was asked: without a readable number the caller is withheld. */
  privacyId: z.boolean(),
  /** The first usable display name as plain text (at most 200 characters); null when none or withheld. */
  displayName: z.string().max(200).nullable(),
  /** A number given as plain text instead of a header (a dialled number), read by the normaliser; null from a SIP call. */
  plain: z.string().max(200).nullable(),
});
/** The parsed caller identity of a call. */
export type CallerIdentity = z.infer<typeof callerIdentitySchema>;

/**
 * Why a call ended.
 * - `local-hangup` / `remote-hangup`: an established call ended by BYE from that side.
 * - `busy`: the callee answered 486/600 to our INVITE.
 * - `no-answer`: our outbound call was not answered (ring timeout, 408/480/487 from the far end).
 * - `cancelled`: the agent cancelled an outbound call before it was answered.
 * - `missed`: an inbound call that was never answered (caller cancelled, or our ring timeout).
 * - `rejected`: the agent rejected an inbound call (486/603), or the callee declined ours (603).
 * - `transferred`: the call left this agent by a completed transfer.
 * - `replaced`: the call was replaced by another one (INVITE with Replaces, attended transfer).
 * - `media-timeout`: no media from the other side (RTP/RTCP, or ICE failed/disconnected) for longer than
 *   `sip.mediaTimeoutSeconds`: the other side vanished without BYE; we sent the BYE.
 * - `session-expired`: the SIP session timer (RFC 4028) ran out without a refresh; we sent the BYE.
 * - `failed`: anything else; `sipCode` says which response, `message` why.
 */
export const END_REASONS = [
  'local-hangup',
  'remote-hangup',
  'busy',
  'no-answer',
  'cancelled',
  'missed',
  'rejected',
  'transferred',
  'replaced',
  'media-timeout',
  'session-expired',
  'failed',
] as const;
/** A reason a call ended. */
export type EndReasonKind = (typeof END_REASONS)[number];

/** Schema of the end of a call. */
export const callEndSchema = z.object({
  reason: z.enum(END_REASONS),
  /** The SIP status code involved, when there was one. */
  sipCode: z.number().int().optional(),
  /** Free text for diagnostics (reason phrase, error message). */
  message: z.string().optional(),
});
/** How a call ended. */
export type CallEnd = z.infer<typeof callEndSchema>;

/** Schema of one hold interval (epoch ms); `end` absent while holding. */
export const holdIntervalSchema = z.object({ start: z.number(), end: z.number().optional() });

/** Schema of the timestamps of a call (epoch ms). */
export const callTimesSchema = z.object({
  created: z.number(),
  ringing: z.number().optional(),
  answered: z.number().optional(),
  holds: z.array(holdIntervalSchema),
  ended: z.number().optional(),
});
/** The timestamps of a call. */
export type CallTimes = z.infer<typeof callTimesSchema>;

/**
 * Schema of the media health of an established call, as the media watchdog sees it.
 * - `ok`: media from the other side arrives.
 * - `silent`: nothing arrived for a while (the agent is warned; the call ends at the media timeout).
 * - `paused`: the call is on hold (either side): silence is expected and never ends the call.
 */
export const mediaHealthSchema = z.object({
  state: z.enum(['ok', 'silent', 'paused']),
  /** When media from the other side was last seen (epoch ms). */
  lastMediaAt: z.number().optional(),
  /** When the call ends by itself unless media comes back (epoch ms), while silent. */
  endsAt: z.number().optional(),
});
/** The media health of a call. */
export type MediaHealth = z.infer<typeof mediaHealthSchema>;

/** Schema of a transfer in progress or finished. */
export const transferStatusSchema = z.object({
  kind: z.enum(['blind', 'attended']),
  target: z.string(),
  state: z.enum(['requested', 'accepted', 'succeeded', 'failed']),
  sipCode: z.number().int().optional(),
});
/** A transfer of this call. */
export type TransferStatus = z.infer<typeof transferStatusSchema>;

/** Schema of one call as the UI and the CTI layer see it. */
export const callSnapshotSchema = z.object({
  /** Stable id of the call inside this app (not the SIP Call-ID). */
  id: z.string(),
  /** The SIP Call-ID (diagnostics, correlation with PBX logs). */
  sipCallId: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  remote: remoteIdentitySchema,
  /** The caller identity parsed once from the INVITE (screen pop, renderer and CTI read it here). */
  caller: callerIdentitySchema,
  state: callStateSchema,
  muted: z.boolean(),
  /** The remote party put us on hold (its offer was sendonly/inactive). */
  remoteHold: z.boolean(),
  /** An inbound call ringing while another call is live (call waiting). */
  waiting: z.boolean(),
  times: callTimesSchema,
  end: callEndSchema.optional(),
  /** INVITE headers named in `sip.mappedHeaders`, by the configured name. */
  headers: z.record(z.string(), z.string()),
  /** Auto-answer due at this time (epoch ms), when one is scheduled. */
  autoAnswerAt: z.number().optional(),
  transfer: transferStatusSchema.optional(),
  /** The call this one consults for an attended transfer, or was created by a REFER from. */
  linkedCallId: z.string().optional(),
  /** DTMF digits received from the other side: SIP INFO, or RFC 4733/in-band heard by the media engine. */
  dtmfReceived: z.string(),
  /** Media health of an established call (absent before answer and without a media watchdog). */
  media: mediaHealthSchema.optional(),
  /** An inbound call offered by a queue: which queue and why this agent (docs/acd.md). */
  queue: queueOfferSchema.optional(),
});
/** One call. */
export type CallSnapshot = z.infer<typeof callSnapshotSchema>;

/** Registration states shown in the status bar. */
export const REGISTRATION_STATES = ['unconfigured', 'registering', 'registered', 'failed', 'disconnected', 'unregistered'] as const;
/** A registration state. */
export type RegistrationStateName = (typeof REGISTRATION_STATES)[number];

/** Why registration failed or the account is disconnected. */
export const REGISTRATION_FAILURES = ['wrong-password', 'forbidden', 'timeout', 'network', 'no-password', 'rejected', 'certificate'] as const;
/** A registration failure reason. */
export type RegistrationFailure = (typeof REGISTRATION_FAILURES)[number];

/** Why a server certificate was refused: unknown issuer or self-signed, expired, not valid yet, wrong name. */
export const CERTIFICATE_PROBLEMS = ['untrusted', 'expired', 'not-yet-valid', 'name-mismatch', 'other'] as const;
/** A certificate problem. */
export type CertificateProblem = (typeof CERTIFICATE_PROBLEMS)[number];

/** The problem an OpenSSL/Node certificate error code stands for. */
export function certificateProblem(code: string): CertificateProblem {
  if (code === 'CERT_HAS_EXPIRED') return 'expired';
  if (code === 'CERT_NOT_YET_VALID') return 'not-yet-valid';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'name-mismatch';
  if (/SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|UNTRUSTED/.test(code)) return 'untrusted';
  return 'other';
}

/** Schema of the registration state. */
export const registrationSchema = z.object({
  state: z.enum(REGISTRATION_STATES),
  reason: z.enum(REGISTRATION_FAILURES).optional(),
  /** With reason `certificate`: which server's certificate was refused and why (OpenSSL code kept for IT). */
  certificate: z.object({ host: z.string(), problem: z.enum(CERTIFICATE_PROBLEMS), code: z.string() }).optional(),
  sipCode: z.number().int().optional(),
  /** The account's address of record (`sip:1001@pbx.example`), '' when unconfigured. */
  aor: z.string(),
  /** When the state was entered (epoch ms). */
  since: z.number(),
  /** When the current registration expires (epoch ms), while registered. */
  expiresAt: z.number().optional(),
  /** When the next reconnect attempt happens (epoch ms), while disconnected. */
  nextAttemptAt: z.number().optional(),
  /** Reconnect attempts since the transport was lost. */
  attempt: z.number().int().nonnegative(),
});
/** The registration state. */
export type Registration = z.infer<typeof registrationSchema>;

/** Schema of the whole phone state pushed on `phone:state`. */
export const phoneStateSchema = z.object({
  registration: registrationSchema,
  calls: z.array(callSnapshotSchema),
  doNotDisturb: z.boolean(),
  /** Whether a media host (the renderer's media engine) is connected. */
  mediaReady: z.boolean(),
});
/** The phone state as the UI mirrors it. */
export type PhoneState = z.infer<typeof phoneStateSchema>;

/** DTMF tones a user may send. */
export const dtmfSchema = z.string().regex(/^[0-9A-Da-d*#,]{1,32}$/, 'DTMF tones are 0-9, A-D, * and #');
