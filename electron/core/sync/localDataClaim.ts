import type Database from 'better-sqlite3';
import type { OutboxEntity } from '../../../shared/sync/outbox';
import type { CustomerService } from '../customers/customerService';
import type { OutboxRepository } from '../outbox/outboxRepository';

/**
 * What a desktop made before it was signed in, made part of the signed-in user's work.
 *
 * Records carry the agent id in force when they were made: before sign-in that is the local one
 * (`agent.id` or the SIP user, e.g. "1001"), after it the server user ("alice"). Tickets and tasks
 * never pushed yet (their create still waits in the outbox) become the user's, so they stay in "My
 * open tickets" and "My day" and reach the server as the user's.
 */

/**
 * The record fields that name an agent, per outbox entity and local table. Interactions and agent
 * state events are insert-only records of what happened (who took the call, under which id) and
 * stay as they were written.
 */
const AGENT_FIELDS: ReadonlyArray<{ entity: OutboxEntity; table: string; columns: Record<string, string> }> = [
  { entity: 'ticket', table: 'tickets', columns: { assignee: 'assignee', createdBy: 'created_by' } },
  { entity: 'task', table: 'tasks', columns: { assignee: 'assignee', createdBy: 'created_by' } },
];

/** Records adopted per entity. */
export type AdoptedCounts = Partial<Record<OutboxEntity, number>>;

/**
 * Gives the records made under the local agent id `from` and not pushed yet to the user `to`: the
 * local rows and the payloads of their waiting outbox entries, in one transaction.
 */
export function adoptLocalRecords(db: Database.Database, from: string, to: string): AdoptedCounts {
  const counts: AdoptedCounts = {};
  if (from === to) return counts;
  db.transaction(() => {
    for (const { entity, table, columns } of AGENT_FIELDS) {
      const waiting = `id IN (SELECT entity_id FROM outbox WHERE entity = '${entity}' AND operation = 'create' AND sent_at IS NULL)`;
      let adopted = 0;
      for (const column of Object.values(columns)) adopted += db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ? AND ${waiting}`).run(to, from).changes;
      const entries = db.prepare('SELECT id, payload_json FROM outbox WHERE entity = ? AND sent_at IS NULL').all(entity) as Array<{ id: number; payload_json: string }>;
      const update = db.prepare('UPDATE outbox SET payload_json = ? WHERE id = ?');
      for (const e of entries) {
        const payload = JSON.parse(e.payload_json) as { record?: Record<string, unknown> } | null;
        const record = payload?.record;
        if (!record || typeof record !== 'object') continue;
        let touched = false;
        for (const field of Object.keys(columns)) {
          if (record[field] !== from) continue;
          record[field] = to;
          touched = true;
        }
        if (touched) update.run(JSON.stringify(payload), e.id);
      }
      if (adopted > 0) counts[entity] = adopted;
    }
  })();
  return counts;
}

/**
 * Local customers that waiting tickets, tasks and interactions point to but the server cannot know:
 * not bound to a server customer and never in the outbox themselves (demo data, bulk loads made
 * before sync). Their ids, oldest first.
 */
export function unknownReferencedCustomers(db: Database.Database, customers: Pick<CustomerService, 'serverIdOf' | 'exists'>, outbox: Pick<OutboxRepository, 'forEntity'>): number[] {
  const rows = db.prepare("SELECT payload_json FROM outbox WHERE sent_at IS NULL AND entity IN ('ticket', 'task', 'interaction')").all() as Array<{ payload_json: string }>;
  const ids = new Set<number>();
  for (const r of rows) {
    const id = (JSON.parse(r.payload_json) as { record?: { customerId?: unknown } } | null)?.record?.customerId;
    if (typeof id === 'number' && Number.isInteger(id)) ids.add(id);
  }
  return [...ids].filter((id) => customers.exists(id) && customers.serverIdOf(id) === null && outbox.forEntity('customer', String(id)).length === 0).sort((a, b) => a - b);
}

/**
 * Puts a create of every customer from {@link unknownReferencedCustomers} in the outbox ahead of
 * everything waiting, so the server has each customer before the records that point to it (an
 * interaction is insert-only: it could never get its customer later). Only while the server has
 * acknowledged nothing of this client (the first sync with a server), as the waiting entries are
 * renumbered. Runs after the first pull, which has already bound customers the server has under
 * the same code. Returns how many customers were queued.
 */
export function queueReferencedCustomersFirst(db: Database.Database, customers: Pick<CustomerService, 'serverIdOf' | 'exists' | 'get'>, outbox: OutboxRepository, by: string | null): number {
  return db.transaction(() => {
    const ids = unknownReferencedCustomers(db, customers, outbox);
    if (ids.length === 0) return 0;
    outbox.prepend(
      ids.map((id) => ({
        entity: 'customer' as const,
        entityId: String(id),
        operation: 'create' as const,
        baseVersion: null,
        payload: { record: customers.get(id), changed: [], by },
      })),
    );
    return ids.length;
  })();
}
