import { z } from 'zod';

/**
 * Queue configuration as admins manage it (server admin API and CLI) and as the router reads it.
 * Times are whole seconds.
 */

/** A queue id: lower-case letters, digits and `-` (used in SIP config and URLs). */
export const queueIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or "-", e.g. sales');

/** A number (SIP user part) a queue answers, or a forward target: digits, letters, `+`, `-`, `_`, `.`. */
export const dialTargetSchema = z.string().regex(/^\+?[A-Za-z0-9_.-]{1,40}$/, 'must be a SIP user or number of 1 to 40 characters (letters, digits, + - _ .)');

/** How the router chooses among eligible agents. */
export const ROUTING_POLICIES = ['longest-idle', 'skills'] as const;
/** A routing policy. */
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/** Wrap-up after a queue call: the agent ends it (`agent`), it ends after `wrapUpSec` (`timed`), or none. */
export const WRAP_UP_MODES = ['agent', 'timed', 'none'] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
/** Days of the week as keys of {@link OpeningHours}. */
export const WEEK_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Opening hours: per week day, a list of [from, to) local times in `timeZone`. A day not listed is closed. */
export const openingHoursSchema = z
  .object({
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone, e.g. Asia/Shanghai'),
    week: z.partialRecord(z.enum(WEEK_DAYS), z.array(z.tuple([hhmm, hhmm]).refine(([a, b]) => a < b, 'the end must be after the start'))),
  })
  .strict();
/** Opening hours of a queue. */
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** A queue's settings (without id, numbers and members). */
export const queueSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    /** Higher first when an agent could take calls from several queues. */
    priority: z.number().int().min(0).max(100).default(0),
    policy: z.enum(ROUTING_POLICIES).default('longest-idle'),
    /** Skills policy: one skill level lower becomes eligible every this many seconds of waiting. */
    widenAfterSec: z.number().int().min(1).max(3600).default(20),
    /** Owner first: a known caller's owner is preferred for this long (0: off). */
    ownerFirstSec: z.number().int().min(0).max(3600).default(0),
    /** VIP callers (customer level `vip`) go ahead of the others in this queue. */
    vipFirst: z.boolean().default(true),
    /** Service level: answered within `slTargetSec` for `slTargetPct` % of calls. */
    slTargetSec: z.number().int().min(1).max(3600).default(20),
    slTargetPct: z.number().int().min(1).max(100).default(80),
    /** Calls abandoned before this many seconds are short abandons (not counted against the SL). */
    shortAbandonSec: z.number().int().min(0).max(600).default(5),
    wrapUpMode: z.enum(WRAP_UP_MODES).default('agent'),
    wrapUpSec: z.number().int().min(0).max(3600).default(30),
    /** How long an offered agent rings before it counts as no answer. */
    ringTimeoutSec: z.number().int().min(5).max(120).default(15),
    /** After this long waiting the call goes to `overflowTarget` (0: no limit). */
    maxWaitSec: z.number().int().min(0).max(86_400).default(600),
    overflowTarget: dialTargetSchema.nullable().default(null),
    /** Null: always open. */
    hours: openingHoursSchema.nullable().default(null),
    closedTarget: dialTargetSchema.nullable().default(null),
  })
  .strict();
/** A queue's settings. */
export type QueueSettings = z.infer<typeof queueSettingsSchema>;

/** A member agent of a queue. */
export const queueMemberSchema = z.object({ agentId: z.string().min(1).max(80), skill: z.number().int().min(1).max(10).default(5) }).strict();
/** A queue member. */
export type QueueMember = z.infer<typeof queueMemberSchema>;

/** A queue as stored: settings, the numbers it answers, its members. */
export const queueSchema = queueSettingsSchema.extend({
  id: queueIdSchema,
  numbers: z.array(dialTargetSchema).max(20).default([]),
  members: z.array(queueMemberSchema).max(1000).default([]),
});
/** A queue. */
export type Queue = z.infer<typeof queueSchema>;

/** Body of a queue creation: id + settings + numbers + members. */
export const createQueueSchema = queueSchema;
/** Body of a queue update: any subset of settings, numbers, members (replaced whole). */
export const updateQueueSchema = queueSettingsSchema
  .partial()
  .extend({ numbers: z.array(dialTargetSchema).max(20).optional(), members: z.array(queueMemberSchema).max(1000).optional() })
  .strict();

function minutes(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

/** True when `hours` (null: always open) is open at epoch ms `at`. */
export function isQueueOpen(hours: OpeningHours | null, at: number): boolean {
  if (!hours) return true;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as (typeof WEEK_DAYS)[number];
  const now = Number(get('hour')) * 60 + Number(get('minute'));
  return (hours.week[day] ?? []).some(([from, to]) => now >= minutes(from) && now < minutes(to));
}
