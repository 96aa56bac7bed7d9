import type { Customer } from './schema';

/**
 * Customers in the outbox: which fields a desktop change can carry and how a change is diffed. The
 * payload of a pushed `customer` mutation is `customerPushPayloadSchema` in `shared/sync/payloads.ts`.
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
