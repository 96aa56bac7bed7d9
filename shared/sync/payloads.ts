import { z } from 'zod';
import { agentStateEventSchema } from '../agent/state';
import { customerSchema } from '../customer/schema';
import { CUSTOMER_SYNC_FIELDS } from '../customer/sync';
import { interactionSchema } from '../interaction/interaction';
import { taskSchema } from '../task/task';
import { ticketSchema } from '../ticket/ticket';
import type { OutboxEntity } from './outbox';

/**
 * The payload of a pushed mutation, one schema per outbox entity. The desktop's outbox appends are
 * typed from them (`SyncPayload<'ticket'>` is what a ticket entry carries); the server validates each
 * pushed payload with them before applying it (`server/services/apply/`). Unknown extra keys are kept
 * (`passthrough`) where the server stores the payload as sent (interactions, agent state events, tasks).
 */

/** Payload of an `interaction` mutation: the entry; a correction also says who made it and what changed. */
export const interactionPushPayloadSchema = z
  .object({
    record: interactionSchema,
    by: z.string().nullable().optional(),
    changed: z.array(z.string()).optional(),
  })
  .passthrough();
/** A pushed interaction payload. */
export type InteractionPushPayload = z.input<typeof interactionPushPayloadSchema>;

/** Payload of an `agent-state-event` mutation: the event. */
export const agentStateEventPushPayloadSchema = z.object({ record: agentStateEventSchema }).passthrough();
/** A pushed agent state event payload. */
export type AgentStateEventPushPayload = z.input<typeof agentStateEventPushPayloadSchema>;

/** What a desktop sends for a ticket change: the record after its change and the fields it changed. */
export const ticketPushPayloadSchema = z.object({
  record: ticketSchema.omit({ overdue: true }).extend({ overdue: z.boolean().optional() }),
  changed: z.array(z.string()).default([]),
  by: z.string().optional(),
  /**
   * The server version the desktop had seen when it made the change (its last pulled or adopted
   * server version). Optional: without it the server derives it from the desktop's earlier results.
   */
  knownVersion: z.number().int().positive().optional(),
});
/** A pushed ticket payload (as the server reads it). */
export type TicketPushPayload = z.output<typeof ticketPushPayloadSchema>;

/** A task as pushed: without the desktop's computed `overdue` and local `remindedAt` (accepted if sent). */
export const taskPushRecordSchema = taskSchema
  .omit({ overdue: true, remindedAt: true })
  .extend({ overdue: z.boolean().optional(), remindedAt: z.number().nullable().optional() });
/** Payload of a `task` mutation: the record after the change, the fields it changed and who made it. */
export const taskPushPayloadSchema = z
  .object({
    record: taskPushRecordSchema,
    changed: z.array(z.string()).default([]),
    by: z.string().nullable().optional(),
  })
  .passthrough();
/** A pushed task payload. */
export type TaskPushPayload = z.input<typeof taskPushPayloadSchema>;

/**
 * Payload of a pushed `customer` mutation. `record` is the customer after the change as the
 * desktop stores it (its `id` is the desktop's local id and is ignored by the server); `changed`
 * lists the fields the change touched (empty for a create); `serverId` is the server's id of the
 * customer, null when the desktop does not know it yet (a create, or a change made before the
 * create's answer came back). A typed code that another customer already has is refused
 * (`rejected`, reason `exists`): two different customers are never merged.
 */
export const customerPushPayloadSchema = z.object({
  record: customerSchema,
  changed: z.array(z.enum(CUSTOMER_SYNC_FIELDS)).max(CUSTOMER_SYNC_FIELDS.length).default([]),
  by: z.string().max(100).nullable().default(null),
  serverId: z.number().int().positive().nullable().default(null),
  /**
   * A create whose code the desktop generated (the agent typed none). Desktops generate codes on
   * their own, so two may pick the same one: the server then gives the customer a code of its own
   * (`S` + its server id) instead of refusing, and the desktop adopts it with the answer.
   */
  codeGenerated: z.boolean().default(false),
});
/** A pushed customer payload. */
export type CustomerPushPayload = z.infer<typeof customerPushPayloadSchema>;

/** The payload schema of each outbox entity. */
export const syncPayloadSchemas = {
  interaction: interactionPushPayloadSchema,
  'agent-state-event': agentStateEventPushPayloadSchema,
  ticket: ticketPushPayloadSchema,
  task: taskPushPayloadSchema,
  customer: customerPushPayloadSchema,
} as const satisfies Record<OutboxEntity, z.ZodType>;

/** What a desktop writes as the payload of an outbox entry of entity `E` (the schema's input). */
export type SyncPayload<E extends OutboxEntity> = z.input<(typeof syncPayloadSchemas)[E]>;
