import type Database from 'better-sqlite3';
import type { OutboxEntity } from '../../../shared/sync/outbox';
import type { CustomerService } from '../customer/customerService';
import type { OutboxAppend, OutboxRepository } from '../outbox/outboxRepository';

/**
 * What a desktop made before it was signed in, made part of the signed-in user's work.
 *
 * Records carry the agent id in force when they were made: before sign-in that is the local one
 * (`agent.id` or the SIP user, e.g. "1001"), after it the server user ("alice"). The local id
 * stands for whoever works at this desktop, who has now said who they are: records never pushed
 * yet (their create still waits in the outbox) become the user's, so they stay in "My open
 * tickets" and "My day" and reach the server as the user's. Nothing the server has is ever
 * rewritten, so the server and every desktop see one identity for each record; the adoption
 * itself is kept (meta {@link ADOPTED_AGENT_KEY}, and the log).
 */

/** Meta key: the adoptions done at sign-in (`{ from, to, at, counts }`, newest last). */
export const ADOPTED_AGENT_KEY = 'sync.adoptedLocalAgent';

/**
 * The record fields that name an agent, per outbox entity and local table. Interactions and agent
 * state events are insert-only (a trigger refuses updates): their never-pushed rows are adopted
 * once, at sign-in, with the trigger lifted inside that one transaction.
 */
const AGENT_FIELDS: ReadonlyArray<{ entity: OutboxEntity; table: string; columns: Record<string, string>; insertOnlyTrigger?: string }> = [
  { entity: 'ticket', table: 'tickets', columns: { assignee: 'assignee', createdBy: 'created_by' } },
  { entity: 'task', table: 'tasks', columns: { assignee: 'assignee', createdBy: 'created_by' } },
  { entity: 'interaction', table: 'interactions', columns: { agentId: 'agent_id' }, insertOnlyTrigger: 'interactions_no_update' },
  { entity: 'agent-state-event', table: 'agent_state_events', columns: { agentId: 'agent_id' }, insertOnlyTrigger: 'agent_state_events_no_update' },
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
    for (const { entity, table, columns, insertOnlyTrigger } of AGENT_FIELDS) {
      const waiting = `id IN (SELECT entity_id FROM outbox WHERE entity = '${entity}' AND operation = 'create' AND sent_at IS NULL)`;
      let adopted = 0;
      const trigger = insertOnlyTrigger ? (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(insertOnlyTrigger) as { sql: string } | undefined) : undefined;
      if (trigger) db.exec(`DROP TRIGGER ${insertOnlyTrigger}`);
      for (const column of Object.values(columns)) adopted += db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ? AND ${waiting}`).run(to, from).changes;
      if (trigger) db.exec(trigger.sql);
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
    if (Object.keys(counts).length > 0) {
      const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(ADOPTED_AGENT_KEY) as { value: string } | undefined;
      const done = row ? (JSON.parse(row.value) as unknown[]) : [];
      done.push({ from, to, at: Date.now(), counts });
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ADOPTED_AGENT_KEY, JSON.stringify(done));
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
 * The local customer a change about to enter the outbox points to, when the server cannot know it
 * (see {@link unknownReferencedCustomers}), or null.
 */
export function unknownCustomerOf(change: OutboxAppend, customers: Pick<CustomerService, 'serverIdOf' | 'exists'>, outbox: Pick<OutboxRepository, 'forEntity'>): number | null {
  if (change.entity === 'customer') return null;
  const id = (change.payload as { record?: { customerId?: unknown } } | null)?.record?.customerId;
  if (typeof id !== 'number' || !Number.isInteger(id)) return null;
  return customers.exists(id) && customers.serverIdOf(id) === null && outbox.forEntity('customer', String(id)).length === 0 ? id : null;
}

/** The outbox create that gives the server a local customer it does not have. */
export function customerCreateEntry(customers: Pick<CustomerService, 'get'>, id: number, by: string | null): OutboxAppend {
  return { entity: 'customer', entityId: String(id), operation: 'create', baseVersion: null, payload: { record: customers.get(id), changed: [], by } };
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
    outbox.prepend(ids.map((id) => customerCreateEntry(customers, id, by)));
    return ids.length;
  })();
}
