import { z } from 'zod';
import { AppError } from '../api/result';

/**
 * Wrap-up (after-call work): disposition codes in groups, and how wrap-up ends.
 *
 * - `optional`: the agent may skip wrap-up (going ready or not-ready ends it) unless a disposition
 *   or notes are required.
 * - `mandatory`: wrap-up ends only when the agent submits it.
 * - `time-boxed`: like mandatory, but after `wrapup.seconds` it completes by itself with the default
 *   disposition; the agent may extend it once by `wrapup.extendSeconds`.
 */
export const WRAPUP_MODES = ['optional', 'mandatory', 'time-boxed'] as const;
/** A wrap-up mode. */
export type WrapUpMode = (typeof WRAPUP_MODES)[number];

/** How a wrap-up ended. */
export const WRAPUP_COMPLETIONS = ['submitted', 'auto', 'skipped', 'interrupted'] as const;
/** How a wrap-up ended. */
export type WrapUpCompletion = (typeof WRAPUP_COMPLETIONS)[number];

/** A disposition or group code: lower-case letters, digits and `-`. */
export const dispositionCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or "-", e.g. resolved');

/** Schema of one disposition: a code and an optional label (else the UI translates `workflow.disposition.<code>`). */
export const dispositionSchema = z.object({ code: dispositionCodeSchema, label: z.string().trim().max(80).optional() });
/** One disposition. */
export type Disposition = z.infer<typeof dispositionSchema>;

/** Schema of one group of dispositions. Codes are unique across all groups. */
export const dispositionGroupSchema = z.object({
  code: dispositionCodeSchema,
  label: z.string().trim().max(80).optional(),
  dispositions: z.array(dispositionSchema).min(1).max(100),
});
/** A group of dispositions. */
export type DispositionGroup = z.infer<typeof dispositionGroupSchema>;

/** Schema of the configured disposition list (`wrapup.dispositions`): unique codes across groups. */
export const dispositionGroupsSchema = z
  .array(dispositionGroupSchema)
  .min(1)
  .max(50)
  .superRefine((groups, ctx) => {
    const seen = new Set<string>();
    for (const g of groups) {
      for (const d of g.dispositions) {
        if (seen.has(d.code)) ctx.addIssue({ code: 'custom', message: `disposition code "${d.code}" appears twice` });
        seen.add(d.code);
      }
    }
  });

/** The built-in dispositions. */
export const DEFAULT_DISPOSITIONS: DispositionGroup[] = [
  { code: 'resolved', dispositions: [{ code: 'answered-question' }, { code: 'issue-resolved' }, { code: 'order-placed' }] },
  { code: 'follow-up', dispositions: [{ code: 'callback-scheduled' }, { code: 'ticket-created' }, { code: 'escalated' }] },
  { code: 'other', dispositions: [{ code: 'wrong-number' }, { code: 'no-action' }, { code: 'other' }] },
];

/** Every disposition code of a configuration. */
export function dispositionCodes(groups: readonly DispositionGroup[]): string[] {
  return groups.flatMap((g) => g.dispositions.map((d) => d.code));
}

/** The wrap-up rules in force (from the `wrapup.*` settings). */
export interface WrapUpPolicy {
  mode: WrapUpMode;
  /** Time box (s) for `time-boxed`. */
  seconds: number;
  /** How much one extension adds (s). */
  extendSeconds: number;
  dispositionRequired: boolean;
  notesRequired: boolean;
  /** Used when a time-boxed wrap-up completes by itself (and when one is interrupted by a new call). */
  defaultDisposition: string;
  dispositions: DispositionGroup[];
}

/** What the agent submits (the part the policy checks). */
export interface WrapUpAnswer {
  disposition?: string | null | undefined;
  notes?: string | null | undefined;
}

/**
 * Checks a submitted wrap-up against the policy: an unknown disposition is refused
 * (`INVALID_PAYLOAD`), a missing required disposition or notes with `MISSING_FIELD`
 * (details.field says which).
 */
export function checkWrapUpAnswer(policy: WrapUpPolicy, answer: WrapUpAnswer): void {
  const disposition = answer.disposition ?? null;
  if (disposition !== null && !dispositionCodes(policy.dispositions).includes(disposition)) {
    throw new AppError('INVALID_PAYLOAD', `Unknown disposition "${disposition}"`, { field: 'disposition', value: disposition });
  }
  if (policy.dispositionRequired && disposition === null) {
    throw new AppError('MISSING_FIELD', 'A disposition is required to complete wrap-up', { field: 'disposition' });
  }
  if (policy.notesRequired && (answer.notes ?? '').trim() === '') {
    throw new AppError('MISSING_FIELD', 'Notes are required to complete wrap-up', { field: 'notes' });
  }
}

/** True when the agent may leave wrap-up without submitting it (optional mode, nothing required). */
export function canSkipWrapUp(policy: WrapUpPolicy): boolean {
  return policy.mode === 'optional' && !policy.dispositionRequired && !policy.notesRequired;
}

/** Schema of the wrap-up in progress, as shown by the wrap-up panel. */
export const wrapUpSnapshotSchema = z.object({
  /** The call interaction being wrapped up. */
  interactionId: z.string(),
  callId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  remoteNumber: z.string(),
  remoteName: z.string(),
  customerId: z.number().int().nullable(),
  /** Tickets already linked to the call (e.g. raised during it): the wrap-up shows them. */
  ticketIds: z.array(z.string()).default([]),
  mode: z.enum(WRAPUP_MODES),
  /** When wrap-up started = when the call ended (epoch ms). */
  startedAt: z.number(),
  /** When a time-boxed wrap-up completes by itself (epoch ms); null otherwise. The countdown is `deadline - now`. */
  deadline: z.number().nullable(),
  extended: z.boolean(),
  canExtend: z.boolean(),
  /** The agent may leave without submitting (optional mode, nothing required). */
  canSkip: z.boolean(),
  dispositionRequired: z.boolean(),
  notesRequired: z.boolean(),
  defaultDisposition: z.string(),
});
/** The wrap-up in progress. */
export type WrapUpSnapshot = z.infer<typeof wrapUpSnapshotSchema>;
