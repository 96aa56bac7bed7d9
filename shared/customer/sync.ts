import { z } from 'zod';
import { customerSchema, type Customer } from './schema';

/**
 * Customers in the outbox: which fields a desktop change can carry, how a change is diffed, and
 * the shape of a pushed `customer` mutation's payload (the server validates it with this schema).
 */

/** Fields a desktop change can set on a customer (everything but ids, versions and timestamps). */
export const CUSTOMER_SYNC_FIELDS = [
  'code',
  'name',
  'company',
  'type',
  'status',
  'level',
  'source',
  'creditRating',
  'points',
  'ownerId',
  'tags',
  'birthday',
  'preferredLanguage',
  'preferences',
  'notes',
  'contactPermissions',
  'lifetimeValue',
  'lifecycleStage',
  'lastContactAt',
  'phones',
  'emails',
  'addresses',
] as const;
/** A syncable customer field. */
export type CustomerSyncField = (typeof CUSTOMER_SYNC_FIELDS)[number];

/** The syncable fields whose values differ between two versions of a customer, in field order. */
export function changedCustomerFields(before: Customer, after: Customer): CustomerSyncField[] {
  return CUSTOMER_SYNC_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

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
