import { z } from 'zod';

/**
 * The outbox: every local create or change, written in the same SQLite transaction as the record,
 * for the sync client to push. Each entry carries the client id, a per-client sequence number (the
 * server applies each exactly once, in order) and the record's base version (conflict detection).
 */

/**
 * Entities that go through the outbox. `customer`: `create` and `update` (a reassignment is an
 * `update` whose `changed` includes `ownerId`); payload {@link CustomerOutboxPayload}.
 */
export const OUTBOX_ENTITIES = ['interaction', 'agent-state-event', 'ticket', 'task', 'customer'] as const;
/** An outbox entity. */
export type OutboxEntity = (typeof OUTBOX_ENTITIES)[number];

/** Operations: `create` carries the whole record; `update`/`transition`/`link`/`complete` the record after the change plus the changed fields. */
export const OUTBOX_OPERATIONS = ['create', 'update', 'transition', 'link', 'complete'] as const;
/** An outbox operation. */
export type OutboxOperation = (typeof OUTBOX_OPERATIONS)[number];

/** Schema of one outbox entry. */
export const outboxEntrySchema = z.object({
  clientId: z.string(),
  seq: z.number().int().positive(),
  entity: z.enum(OUTBOX_ENTITIES),
  entityId: z.string(),
  operation: z.enum(OUTBOX_OPERATIONS),
  /** The record version the change was made on; null for a create. */
  baseVersion: z.number().int().nullable(),
  payload: z.unknown(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
});
/** One outbox entry. */
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/**
 * Payload of a `customer` outbox entry as the desktop stores it: the customer after the change
 * (local ids), the fields the change touched (empty for a create) and who made it. On the wire the
 * sync engine adds `serverId` (the central server's id of the customer, null before the server has
 * it) and `record.id` stays the desktop's local id, which the server ignores.
 */
export interface CustomerOutboxPayload {
  record: unknown;
  changed: string[];
  by: string | null;
  /** Set at the wire only (see above). */
  serverId?: number | null;
  /** A create whose code was generated on the desktop (the server may replace a taken one). */
  codeGenerated?: boolean;
}
