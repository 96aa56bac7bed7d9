import { z } from 'zod';
import type { SyncPayload } from './payloads';

/**
 * The outbox: every local create or change, written in the same SQLite transaction as the record,
 * for the sync client to push. Each entry carries the client id, a per-client sequence number (the
 * server applies each exactly once, in order) and the record's base version (conflict detection).
 */

/**
 * Entities that go through the outbox. `customer`: `create` and `update` (a reassignment is an
 * `update` whose `changed` includes `ownerId`). Each entity's payload has its schema in
 * `./payloads.ts` (`SyncPayload<E>`).
 */
export const OUTBOX_ENTITIES = ['interaction', 'agent-state-event', 'ticket', 'task', 'customer'] as const;
/** An outbox entity. */
export type OutboxEntity = (typeof OUTBOX_ENTITIES)[number];

/** Operations: `create` carries the whole record; `update`/`transition`/`link`/`complete` the record after the change plus the changed fields. */
export const OUTBOX_OPERATIONS = ['create', 'update', 'transition', 'link', 'complete'] as const;
/** An outbox operation. */
export type OutboxOperation = (typeof OUTBOX_OPERATIONS)[number];

/** Schema of one outbox entry (the payload as stored: each entity's schema is in `./payloads.ts`). */
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
/** One outbox entry of entity `E`, its payload typed by that entity. */
export type OutboxEntryOf<E extends OutboxEntity> = Omit<z.infer<typeof outboxEntrySchema>, 'entity' | 'payload'> & { entity: E; payload: SyncPayload<E> };
/** One outbox entry (a union over the entities: `entry.entity` narrows `entry.payload`). */
export type OutboxEntry = { [E in OutboxEntity]: OutboxEntryOf<E> }[OutboxEntity];
/** One change to record in the outbox: entity, record id, operation, base version and its entity's payload. */
export type OutboxAppend = { [E in OutboxEntity]: Pick<OutboxEntryOf<E>, 'entity' | 'entityId' | 'operation' | 'baseVersion' | 'payload'> }[OutboxEntity];
