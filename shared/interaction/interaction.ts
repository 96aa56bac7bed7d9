import { z } from 'zod';
import { epochMsSchema } from '../sync/safeValues';
import { END_REASONS, holdIntervalSchema, type CallSnapshot } from '../phone/call';
import { qualitySummarySchema } from '../phone/quality';
import { WRAPUP_COMPLETIONS } from '../agent/wrapup';

/**
 * Interactions: the insert-only contact log. Every call is logged when it ends; visits, emails,
 * SMS and notes are logged by hand. Nothing is ever updated: the wrap-up of a call and every
 * correction is a new entry linked to the one it revises (`revisionOf`); a list shows only the
 * latest revision of each contact (the "head").
 */

/** Kinds of contact. */
export const INTERACTION_KINDS = ['call', 'visit', 'email', 'sms', 'note'] as const;
/** A kind of contact. */
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
/** Kinds the agent logs by hand. */
export const MANUAL_INTERACTION_KINDS = ['visit', 'email', 'sms', 'note'] as const;

/** Why an entry exists: the original record, its wrap-up, or a correction. */
export const REVISION_KINDS = ['original', 'wrap-up', 'correction'] as const;
/** A revision kind. */
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** Schema of one interaction entry as stored and shown. */
export const interactionSchema = z.object({
  id: z.string(),
  kind: z.enum(INTERACTION_KINDS),
  /** The id of the first entry of this contact (itself for an original). */
  rootId: z.string(),
  /** The entry this one revises (wrap-up or correction); null for an original. */
  revisionOf: z.string().nullable(),
  revisionKind: z.enum(REVISION_KINDS),
  /** Why a correction was made. */
  correctionReason: z.string().nullable(),
  customerId: z.number().int().nullable(),
  agentId: z.string(),
  direction: z.enum(['inbound', 'outbound']).nullable(),
  /** The agent's own address (SIP AOR), for calls. */
  localNumber: z.string().nullable(),
  /** The other party's number (calls, SMS) or address (email). */
  remoteNumber: z.string().nullable(),
  remoteName: z.string().nullable(),
  /** The queue from the mapped queue header, if any. */
  queue: z.string().nullable(),
  /** Mapped SIP headers of the call. */
  headers: z.record(z.string(), z.string()),
  callId: z.string().nullable(),
  sipCallId: z.string().nullable(),
  /** When the contact happened: offered time for calls, the given time for manual entries (epoch ms). */
  occurredAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  holds: z.array(holdIntervalSchema),
  ringMs: z.number().int().nonnegative().nullable(),
  talkMs: z.number().int().nonnegative().nullable(),
  holdMs: z.number().int().nonnegative().nullable(),
  wrapUpMs: z.number().int().nonnegative().nullable(),
  endReason: z.enum(END_REASONS).nullable(),
  endSipCode: z.number().int().nullable(),
  disposition: z.string().nullable(),
  wrapUpCompletion: z.enum(WRAPUP_COMPLETIONS).nullable(),
  subject: z.string(),
  notes: z.string(),
  quality: qualitySummarySchema.nullable(),
  /** Keys the other side pressed during the call (RFC 4733, in-band or SIP INFO), in order: an IVR's or a caller's input. */
  dtmfReceived: z.string().max(512).default(''),
  /** Tickets linked when this entry was written (wrap-up), by id. */
  ticketIds: z.array(z.string()),
  createdAt: z.number(),
});
/** One interaction entry. */
export type Interaction = z.infer<typeof interactionSchema>;

/** Call durations derived from the SIP timestamps of a call (ms). */
export interface CallDurations {
  /** When the call was offered: when it started ringing (inbound) or was dialled (outbound). */
  offeredAt: number;
  answeredAt: number | null;
  endedAt: number;
  /** Offered -> answered, or offered -> ended when never answered. */
  ringMs: number;
  /** Answered -> ended minus time on hold; 0 when never answered. */
  talkMs: number;
  /** Sum of the hold intervals (an open interval ends with the call). */
  holdMs: number;
}

/**
 * Computes a call's durations from its snapshot timestamps, so the log agrees with the SIP
 * signalling to the millisecond. A call without `times.ended` is taken as ending at `now`.
 */
export function callDurations(call: Pick<CallSnapshot, 'direction' | 'times'>, now?: number): CallDurations {
  const t = call.times;
  const offeredAt = call.direction === 'inbound' ? (t.ringing ?? t.created) : t.created;
  const endedAt = t.ended ?? now ?? offeredAt;
  const answeredAt = t.answered ?? null;
  let holdMs = 0;
  for (const h of t.holds) holdMs += Math.max(0, Math.min(h.end ?? endedAt, endedAt) - h.start);
  const talkMs = answeredAt === null ? 0 : Math.max(0, endedAt - answeredAt - holdMs);
  const ringMs = Math.max(0, (answeredAt ?? endedAt) - offeredAt);
  return { offeredAt, answeredAt, endedAt, ringMs, talkMs, holdMs };
}

/** Schema of `interaction:list`: the head entries of one customer, newest first, paged by a cursor. */
export const interactionListSchema = z.object({
  customerId: z.number().int().positive(),
  limit: z.number().int().min(1).max(500).default(5),
  /** Continue after this entry (the last one of the previous page). */
  after: z.object({ occurredAt: z.number(), id: z.string() }).optional(),
});
/** Answer of `interaction:list`: a page and the customer's total number of contacts. */
export const interactionPageSchema = z.object({ items: z.array(interactionSchema), total: z.number().int().nonnegative() });

/** Schema of `interaction:add`: a contact logged by hand. */
export const interactionAddSchema = z.object({
  kind: z.enum(MANUAL_INTERACTION_KINDS),
  customerId: z.number().int().positive(),
  /** When it happened (epoch ms); default now. */
  occurredAt: epochMsSchema.optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  /** Phone number (SMS) or email address of the other side. */
  remote: z.string().trim().max(256).optional(),
  subject: z.string().trim().max(200).default(''),
  notes: z.string().max(20_000).default(''),
});
/** A contact logged by hand. */
export type InteractionAdd = z.output<typeof interactionAddSchema>;

/** Schema of `interaction:correct`: a new entry replacing the latest revision `id`. */
export const interactionCorrectSchema = z.object({
  id: z.string().min(1).max(100),
  reason: z.string().trim().min(1, 'a reason is required').max(500),
  changes: z
    .object({
      customerId: z.number().int().positive().nullable(),
      disposition: z.string().max(40).nullable(),
      subject: z.string().trim().max(200),
      notes: z.string().max(20_000),
      occurredAt: epochMsSchema,
    })
    .partial()
    .refine((c) => Object.keys(c).length > 0, 'nothing to correct'),
});
/** A correction. */
export type InteractionCorrect = z.output<typeof interactionCorrectSchema>;

/** Schema of `interaction:get`: an entry and its whole revision chain, oldest first. */
export const interactionWithRevisionsSchema = z.object({ entry: interactionSchema, revisions: z.array(interactionSchema) });
