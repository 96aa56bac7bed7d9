import { z } from 'zod';
import { AppError } from '../api/result';
import { defineStateMachine, type TransitionTable } from '../state-machine/stateMachine';

/**
 * Tickets: complaints, inquiries, service requests and feedback, with a priority, an SLA due time,
 * a status machine and a history of every change.
 */

/** Ticket types. */
export const TICKET_TYPES = ['complaint', 'inquiry', 'service-request', 'feedback'] as const;
/** A ticket type. */
export type TicketType = (typeof TICKET_TYPES)[number];

/** Priorities, most urgent first. */
export const TICKET_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
/** A priority. */
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/**
 * Ticket statuses.
 *
 * ```
 *   new --> open --> pending (waiting on customer)
 *    |       ^  \      |  ^
 *    |       |   \     v  |
 *    |       |    +-> resolved --> closed
 *    +-------|------->   |           |
 *    (new -> pending)    |  reopen   |  reopen
 *            +-----------+-----------+
 * ```
 */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
/** A ticket status. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Every legal status move. Anything else (e.g. new -> closed) is refused. */
export const TICKET_TRANSITIONS: TransitionTable<TicketStatus> = {
  new: ['open', 'pending', 'resolved'],
  open: ['pending', 'resolved'],
  pending: ['open', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

/** Statuses in which a ticket still needs work (and can be overdue). */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending'];

/** Thrown for a status move outside the table (code `ILLEGAL_TRANSITION`). */
export class IllegalTicketTransition extends AppError {
  readonly from: TicketStatus;
  readonly to: TicketStatus;
  constructor(from: TicketStatus, to: TicketStatus) {
    super('ILLEGAL_TRANSITION', `A ticket cannot go from ${from} to ${to}`, { entity: 'ticket', from, to, allowed: TICKET_TRANSITIONS[from] });
    this.name = 'IllegalTicketTransition';
    this.from = from;
    this.to = to;
  }
}

const ticketMachine = defineStateMachine(TICKET_TRANSITIONS, (from, to) => new IllegalTicketTransition(from, to));
/** True when `from -> to` is in the table. */
export const canTransitionTicket = ticketMachine.can;
/** Returns `to` when the move is legal; throws {@link IllegalTicketTransition} otherwise. */
export const transitionTicket = ticketMachine.transition;

/** Customer satisfaction, 1 (very unhappy) to 5 (very happy). */
export const satisfactionSchema = z.number().int().min(1).max(5);

/** What resolving requires (from the `tickets.*` settings). */
export interface ResolvePolicy {
  requireResolution: boolean;
  requireSatisfaction: boolean;
}

/** Refuses a resolve without the resolution text or satisfaction the policy requires (`MISSING_FIELD`). */
export function checkResolve(policy: ResolvePolicy, input: { resolution?: string | null | undefined; satisfaction?: number | null | undefined }): void {
  if (policy.requireResolution && (input.resolution ?? '').trim() === '') {
    throw new AppError('MISSING_FIELD', 'A resolution is required to resolve a ticket', { field: 'resolution' });
  }
  if (policy.requireSatisfaction && (input.satisfaction === undefined || input.satisfaction === null)) {
    throw new AppError('MISSING_FIELD', 'The customer satisfaction (1-5) is required to resolve a ticket', { field: 'satisfaction' });
  }
}

/** Schema of one SLA rule: time to resolve for a priority, optionally only for one type. */
export const slaRuleSchema = z.object({
  priority: z.enum(TICKET_PRIORITIES),
  type: z.enum(TICKET_TYPES).optional(),
  minutes: z.number().int().min(1).max(60 * 24 * 365),
});
/** One SLA rule. */
export type SlaRule = z.infer<typeof slaRuleSchema>;

/** Built-in SLA: P1 4 h, P2 8 h, P3 24 h, P4 72 h; complaints faster (P1 2 h, P2 4 h). */
export const DEFAULT_SLA_RULES: SlaRule[] = [
  { priority: 'P1', minutes: 4 * 60 },
  { priority: 'P2', minutes: 8 * 60 },
  { priority: 'P3', minutes: 24 * 60 },
  { priority: 'P4', minutes: 72 * 60 },
  { priority: 'P1', type: 'complaint', minutes: 2 * 60 },
  { priority: 'P2', type: 'complaint', minutes: 4 * 60 },
];

/** Fallback when no rule matches a priority. */
const FALLBACK_MINUTES: Record<TicketPriority, number> = { P1: 240, P2: 480, P3: 1440, P4: 4320 };

/** Minutes to resolve: the rule for this type and priority, else for the priority, else the built-in figure. */
export function slaMinutes(rules: readonly SlaRule[], type: TicketType, priority: TicketPriority): number {
  const exact = rules.find((r) => r.priority === priority && r.type === type);
  if (exact) return exact.minutes;
  const general = rules.find((r) => r.priority === priority && r.type === undefined);
  return general ? general.minutes : FALLBACK_MINUTES[priority];
}

/** The SLA due time (epoch ms) of a ticket created at `createdAt`. */
export function slaDueAt(rules: readonly SlaRule[], type: TicketType, priority: TicketPriority, createdAt: number): number {
  return createdAt + slaMinutes(rules, type, priority) * 60_000;
}

/**
 * True when an open ticket is past its due time. A pending ticket (waiting on the customer) is never
 * overdue: its SLA clock is paused (see {@link dueAfterTransition}).
 */
export function isOverdue(ticket: { status: TicketStatus; dueAt: number }, now: number): boolean {
  return ticket.status !== 'pending' && OPEN_TICKET_STATUSES.includes(ticket.status) && ticket.dueAt < now;
}

/** The SLA clock fields of a ticket: its due time and, while pending, when it entered pending. */
export interface SlaClock {
  dueAt: number;
  /** When the ticket entered `pending` (epoch ms); null when it is not pending. */
  pendingSince: number | null;
}

/**
 * The SLA clock after a status move made at `at` (epoch ms). Time spent in `pending` (waiting on the
 * customer) does not count against the SLA:
 *
 * - entering `pending` records `pendingSince = at`; the due time stays;
 * - leaving `pending` (to open, resolved, ...) moves the due time later by the time spent pending
 *   (`at - pendingSince`, never negative) and clears `pendingSince`;
 * - any other move leaves the clock alone (and `pendingSince` null).
 *
 * The ONE rule for the desktop (ticket service) and the central server (ticket merge), so both
 * compute the same due time from the same moves. A pending ticket without `pendingSince` (one that
 * became pending before the clock was kept) resumes without a shift.
 */
export function dueAfterTransition(ticket: { status: TicketStatus } & SlaClock, to: TicketStatus, at: number): SlaClock {
  const wasPending = ticket.status === 'pending';
  const isPending = to === 'pending';
  if (isPending && !wasPending) return { dueAt: ticket.dueAt, pendingSince: at };
  if (wasPending && !isPending) {
    const paused = ticket.pendingSince === null ? 0 : Math.max(0, at - ticket.pendingSince);
    return { dueAt: ticket.dueAt + paused, pendingSince: null };
  }
  return { dueAt: ticket.dueAt, pendingSince: isPending ? ticket.pendingSince : null };
}

/**
 * The due time after a type or priority change: the SLA of the new type and priority from
 * `createdAt`, plus the pending time already credited to the ticket (what its current due time holds
 * beyond the SLA of its current type and priority, never negative). Desktop and server both use it,
 * so a re-prioritised ticket keeps the pauses it earned.
 */
export function dueAfterSlaChange(
  rules: readonly SlaRule[],
  before: { type: TicketType; priority: TicketPriority; createdAt: number; dueAt: number },
  type: TicketType,
  priority: TicketPriority,
): number {
  const credited = Math.max(0, before.dueAt - slaDueAt(rules, before.type, before.priority, before.createdAt));
  return slaDueAt(rules, type, priority, before.createdAt) + credited;
}

/** A ticket category code. */
export const ticketCategorySchema = z.string().trim().min(1).max(60);

/** Schema of a ticket as stored and shown. */
export const ticketSchema = z.object({
  id: z.string(),
  type: z.enum(TICKET_TYPES),
  priority: z.enum(TICKET_PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  category: z.string(),
  subject: z.string(),
  description: z.string(),
  customerId: z.number().int().nullable(),
  assignee: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  dueAt: z.number(),
  /** When the ticket entered `pending` (its SLA clock is paused since); null when not pending. */
  pendingSince: z.number().nullable().default(null),
  resolution: z.string().nullable(),
  satisfaction: satisfactionSchema.nullable(),
  resolvedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  /** Linked interactions (root ids). */
  interactionIds: z.array(z.string()),
  /** Local revision; a change must name the version it was made on. */
  version: z.number().int().positive(),
  /** Computed when read: open and past its due time. */
  overdue: z.boolean(),
});
/** A ticket. */
export type Ticket = z.infer<typeof ticketSchema>;

/** Schema of one field change in the history. */
export const ticketChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
/** What a history entry records. */
export const TICKET_ACTIONS = ['created', 'updated', 'status', 'linked'] as const;
/** Schema of one history entry: who changed what, when. */
export const ticketHistorySchema = z.object({
  id: z.number().int(),
  ticketId: z.string(),
  at: z.number(),
  by: z.string(),
  action: z.enum(TICKET_ACTIONS),
  changes: z.array(ticketChangeSchema),
});
/** One history entry. */
export type TicketHistoryEntry = z.infer<typeof ticketHistorySchema>;

/**
 * Schema of `ticket:create`. `fromInteractionId` prefills customer and link from a logged call;
 * `fromCallId` names a live call (app call id) the ticket is raised during: the ticket is linked to
 * the call's log entry as soon as the call is logged (at once when it already is).
 */
export const ticketCreateSchema = z.object({
  type: z.enum(TICKET_TYPES),
  priority: z.enum(TICKET_PRIORITIES).default('P3'),
  category: z.string().trim().max(60).default(''),
  subject: z.string().trim().min(1, 'a subject is required').max(200),
  description: z.string().max(20_000).default(''),
  customerId: z.number().int().positive().nullable().optional(),
  /** Default: the current agent. */
  assignee: z.string().trim().min(1).max(100).nullable().optional(),
  interactionIds: z.array(z.string().min(1).max(100)).max(50).default([]),
  fromInteractionId: z.string().min(1).max(100).optional(),
  fromCallId: z.string().min(1).max(200).optional(),
});
/** A new ticket. */
export type TicketCreate = z.output<typeof ticketCreateSchema>;

/** Schema of `ticket:draft`: a prefilled ticket for a call (by app call id) or an interaction. */
export const ticketDraftRequestSchema = z
  .object({ callId: z.string().min(1).max(100).optional(), interactionId: z.string().min(1).max(100).optional() })
  .refine((v) => v.callId !== undefined || v.interactionId !== undefined, 'give a callId or an interactionId');
/** Answer of `ticket:draft`. */
export const ticketDraftSchema = z.object({
  type: z.enum(TICKET_TYPES),
  priority: z.enum(TICKET_PRIORITIES),
  subject: z.string(),
  description: z.string(),
  customerId: z.number().int().nullable(),
  interactionIds: z.array(z.string()),
  /** What the SLA due time would be if created now. */
  dueAt: z.number(),
});
/** A prefilled ticket for the create form (`ticket:draft`). */
export type TicketDraft = z.infer<typeof ticketDraftSchema>;

/** Schema of `ticket:update`: field changes made on `version`. */
export const ticketUpdateSchema = z.object({
  id: z.string().min(1).max(100),
  version: z.number().int().positive(),
  changes: z
    .object({
      type: z.enum(TICKET_TYPES),
      priority: z.enum(TICKET_PRIORITIES),
      category: z.string().trim().max(60),
      subject: z.string().trim().min(1).max(200),
      description: z.string().max(20_000),
      customerId: z.number().int().positive().nullable(),
      assignee: z.string().trim().min(1).max(100).nullable(),
    })
    .partial()
    .default({}),
  linkInteractionIds: z.array(z.string().min(1).max(100)).max(50).default([]),
});
/** A ticket update. */
export type TicketUpdate = z.output<typeof ticketUpdateSchema>;

/** Schema of `ticket:transition`: a status change made on `version`. */
export const ticketTransitionSchema = z.object({
  id: z.string().min(1).max(100),
  version: z.number().int().positive(),
  to: z.enum(TICKET_STATUSES),
  resolution: z.string().max(20_000).optional(),
  satisfaction: satisfactionSchema.optional(),
});
/** A status change. */
export type TicketTransition = z.output<typeof ticketTransitionSchema>;

/** Ticket list views. */
export const TICKET_VIEWS = ['my-open', 'overdue', 'by-customer', 'open'] as const;
/** Schema of `ticket:list`. `by-customer` needs `customerId` (all statuses, newest first). */
export const ticketListSchema = z
  .object({
    view: z.enum(TICKET_VIEWS),
    customerId: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .refine((v) => v.view !== 'by-customer' || v.customerId !== undefined, 'the by-customer view needs a customerId');
/** A ticket list request. */
export type TicketListRequest = z.output<typeof ticketListSchema>;
/** Answer of `ticket:list`. */
export const ticketPageSchema = z.object({ items: z.array(ticketSchema), total: z.number().int().nonnegative() });
/** Answer of `ticket:get`. */
export const ticketWithHistorySchema = z.object({ ticket: ticketSchema, history: z.array(ticketHistorySchema) });
