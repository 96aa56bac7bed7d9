import { z } from 'zod';
import { callerIdentitySchema, type CallSnapshot } from '../phone/call';
import { MAX_REMOTE_DISPLAY_NAME } from '../phone-number/sipUri';
import { birthdayStatus, daysSinceLastContact, isDormant, localDate } from './helpers';
import { customerSchema, customerSummarySchema, type Customer } from './schema';

/** When the customer card pops: on ringing (default), on answer, or only when the agent asks. */
export const SCREEN_POP_TRIGGERS = ['ring', 'answer', 'manual'] as const;
/** A screen pop trigger. */
export type ScreenPopTrigger = (typeof SCREEN_POP_TRIGGERS)[number];

/**
 * What a mapped SIP header is for: `customer-code` (its value is a customer code, e.g. `X-Account`),
 * `phone` (its value is a number to match, e.g. a forwarded original caller), `display` (shown on
 * the card only: queue, IVR choice).
 */
export const HEADER_USES = ['customer-code', 'phone', 'display'] as const;
/** Use of a mapped SIP header. */
export type HeaderUse = (typeof HEADER_USES)[number];

/** One SIP header mapping. `label` names it on the card (`account`, `queue`, `ivr`, or free text). */
export const headerMappingSchema = z.object({
  header: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'must be a SIP header name such as X-Account'),
  use: z.enum(HEADER_USES),
  label: z.string().trim().min(1).max(40),
});
/** One SIP header mapping. */
export type HeaderMapping = z.infer<typeof headerMappingSchema>;

/** Header mappings when none are configured. */
export const DEFAULT_HEADER_MAPPINGS: HeaderMapping[] = [
  { header: 'X-Account', use: 'customer-code', label: 'account' },
  { header: 'X-Queue', use: 'display', label: 'queue' },
  { header: 'X-IVR-Path', use: 'display', label: 'ivr' },
];

/**
 * What the screen pop gets about an incoming call: from a call, the caller identity the phone parsed
 * from the INVITE (`caller`; then no header is parsed again), or raw header values (a caller known
 * only by its headers or a number).
 */
export const incomingCallSnapshotSchema = z.object({
  callId: z.string().min(1).max(200),
  /** The caller identity on the call snapshot: when present, `from`, `pAssertedIdentity`, `privacy` and `number` are not read. */
  caller: callerIdentitySchema.optional(),
  /** Raw `From` header value or remote identity URI. */
  from: z.string().max(2000).nullable().optional(),
  /** Raw `P-Asserted-Identity` value(s). */
  pAssertedIdentity: z.union([z.string().max(2000), z.array(z.string().max(2000)).max(10)]).nullable().optional(),
  /** Raw `Privacy` header value. */
  privacy: z.string().max(200).nullable().optional(),
  /** A number already extracted by the phone layer, used when no header carries one. */
  number: z.string().max(200).nullable().optional(),
  /** The display name the phone layer read (P-Asserted-Identity or From), used when no header here carries one. */
  displayName: z.string().max(MAX_REMOTE_DISPLAY_NAME).nullable().optional(),
  /** Other SIP headers by name (any case); only mapped ones are used. */
  headers: z.record(z.string(), z.union([z.string().max(2000), z.array(z.string().max(2000)).max(10)])).default({}),
});
/** An incoming call as the screen pop sees it. */
export type IncomingCallSnapshot = z.input<typeof incomingCallSnapshotSchema>;

/**
 * The screen pop's view of a call (core bridge and the agent's "look up" button alike): the caller
 * identity the phone parsed once from the INVITE (P-Asserted-Identity already preferred), its
 * display name (so a caller with no match gets a quick-create form prefilled with it) and the mapped
 * headers. No SIP header is handed on to be parsed again.
 */
export function popSnapshotOf(call: CallSnapshot): IncomingCallSnapshot {
  return {
    callId: call.id,
    caller: call.caller,
    number: call.remote.number || null,
    displayName: call.remote.displayName.slice(0, MAX_REMOTE_DISPLAY_NAME) || null,
    headers: call.headers,
  };
}

/** Who is calling, for the card header. */
export const popCallerSchema = z.object({
  kind: z.enum(['number', 'withheld', 'unrecognised']),
  e164: z.string().nullable(),
  /** The number formatted for display (national for local numbers), or what was sent instead. */
  display: z.string(),
  displayName: z.string().nullable(),
});
/** Who is calling. */
export type PopCaller = z.infer<typeof popCallerSchema>;

/** A mapped header value shown on the card. */
export const popHeaderSchema = z.object({ header: z.string(), label: z.string(), value: z.string() });
/** A mapped header value shown on the card. */
export type PopHeader = z.infer<typeof popHeaderSchema>;

/** Facts the card shows next to a matched customer. */
export const popInsightSchema = z.object({
  daysSinceLastContact: z.number().int().nullable(),
  dormant: z.boolean(),
  birthday: z.enum(['today', 'this-week']).nullable(),
});
/** Facts the card shows next to a matched customer. */
export type PopInsight = z.infer<typeof popInsightSchema>;

/**
 * The card facts of a customer at `now`: days since the last contact, dormant after `dormantDays`,
 * birthday today or this week in the agent's time zone (`utcOffsetMinutes` east of UTC). The one
 * implementation: the core's screen pop and the renderer (a customer picked or created) use it.
 */
export function customerInsight(customer: Pick<Customer, 'lastContactAt' | 'birthday'>, now: number, opts: { dormantDays: number; utcOffsetMinutes: number }): PopInsight {
  return {
    daysSinceLastContact: daysSinceLastContact(customer.lastContactAt, now),
    dormant: isDormant(customer.lastContactAt, now, opts.dormantDays),
    birthday: birthdayStatus(customer.birthday, localDate(now, opts.utcOffsetMinutes)),
  };
}

const popBase = {
  callId: z.string(),
  trigger: z.enum(SCREEN_POP_TRIGGERS),
  caller: popCallerSchema,
  headers: z.array(popHeaderSchema),
};

/**
 * The screen pop for one call: `match` (one customer: the card), `multiple` (a chooser, most
 * recently contacted first), `none` (a quick-create form prefilled with the number), `withheld`
 * (no number: open search).
 */
export const screenPopResultSchema = z.discriminatedUnion('kind', [
  z.object({ ...popBase, kind: z.literal('match'), matchedBy: z.enum(['header', 'phone']), customer: customerSchema, insight: popInsightSchema }),
  z.object({ ...popBase, kind: z.literal('multiple'), matchedBy: z.enum(['header', 'phone']), candidates: z.array(customerSummarySchema) }),
  z.object({ ...popBase, kind: z.literal('none'), prefill: z.object({ name: z.string(), phone: z.string().nullable() }) }),
  z.object({ ...popBase, kind: z.literal('withheld') }),
]);
/** The screen pop for one call. */
export type ScreenPopResult = z.infer<typeof screenPopResultSchema>;
