import type Database from 'better-sqlite3';
import { customerSchema } from '../../../shared/customer/schema';
import type { MutationResult, PullChange, SyncMutation } from '../../../shared/sync/protocol';
import { taskSchema, type Task } from '../../../shared/workflow/task';
import { ticketSchema, type Ticket } from '../../../shared/workflow/ticket';
import type { Clock } from '../adapters';
import type { CustomerService } from '../customers/customerService';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { MetaStore } from '../store/metaStore';
import { TaskRepository } from '../tasks/taskRepository';
import { TicketRepository } from '../tickets/ticketRepository';

/** A ticket as the server sends it (no computed `overdue`). */
const serverTicketSchema = ticketSchema.omit({ overdue: true });
/** A task as the server sends it (the reminder time is local). */
const serverTaskSchema = taskSchema.omit({ overdue: true, remindedAt: true });

/** Meta key of the central configuration last pulled. */
export const CENTRAL_CONFIG_KEY = 'sync.centralConfig';

/** What the mirror needs. */
export interface ServerMirrorDeps {
  db: Database.Database;
  meta: MetaStore;
  outbox: OutboxRepository;
  customers: CustomerService;
  clock: Clock;
  logger: Logger;
  /** Applies the central configuration as the settings' central layer. */
  applyConfig: (values: Record<string, unknown>) => void;
  /** Told about every ticket and task written from the server (UI events), after commit. */
  onTicket: (ticket: Ticket) => void;
  onTask: (task: Task) => void;
}

/** Records a push answer or a pull refers to, as touched by one step. */
interface Touched {
  tickets: Set<string>;
  tasks: Set<string>;
}

/**
 * The local store as a mirror of the central server: writes pulled changes and push answers into
 * SQLite without creating outbox rows (they are not local changes), and translates customer ids
 * at the wire (local ids stay local; the server has its own). A record with a local change still
 * waiting in the outbox is not overwritten: the push answer for that change brings the server's
 * version of it.
 */
export class ServerMirror {
  private readonly tickets: TicketRepository;
  private readonly tasks: TaskRepository;

  constructor(private readonly deps: ServerMirrorDeps) {
    this.tickets = new TicketRepository(deps.db);
    this.tasks = new TaskRepository(deps.db);
  }

  /** Applies the central configuration stored by an earlier pull (start-up, offline). */
  restoreConfig(): void {
    this.deps.applyConfig(this.deps.meta.getJson<Record<string, unknown>>(CENTRAL_CONFIG_KEY, {}));
  }

  /** Writes one pulled page in one transaction. A record that fails validation is logged and skipped. */
  applyPulled(changes: readonly PullChange[]): void {
    const touched: Touched = { tickets: new Set(), tasks: new Set() };
    let config: Record<string, unknown> | null = null;
    this.deps.db.transaction(() => {
      for (const c of changes) {
        try {
          if (c.entity === 'config') {
            config ??= this.deps.meta.getJson<Record<string, unknown>>(CENTRAL_CONFIG_KEY, {});
            const value = (c.record as { value?: unknown } | undefined)?.value;
            if (c.op === 'remove' || value === undefined) delete config[c.id];
            else config[c.id] = value;
          } else {
            this.applyOne(c, touched);
          }
        } catch (err) {
          this.deps.logger.warn('pulled change skipped', { entity: c.entity, id: c.id, error: (err as Error).message });
        }
      }
      if (config) this.deps.meta.setJson(CENTRAL_CONFIG_KEY, config);
    })();
    if (config) this.deps.applyConfig(config);
    this.announce(touched);
  }

  /** Adopts the server records of push answers (applied or conflict) for tickets and tasks. */
  adoptResults(results: readonly MutationResult[]): void {
    const touched: Touched = { tickets: new Set(), tasks: new Set() };
    this.deps.db.transaction(() => {
      for (const r of results) {
        if ((r.status !== 'applied' && r.status !== 'conflict' && r.status !== 'rejected') || r.record === undefined) continue;
        if (r.entity !== 'ticket' && r.entity !== 'task') continue;
        try {
          this.applyOne({ changeId: 0, entity: r.entity, id: r.entityId, op: 'upsert', record: r.record }, touched);
        } catch (err) {
          this.deps.logger.warn('push answer not adopted', { entity: r.entity, id: r.entityId, error: (err as Error).message });
        }
      }
    })();
    this.announce(touched);
  }

  /** A mutation as the server must see it: customer ids translated to the server's. */
  outgoing(m: SyncMutation): SyncMutation {
    const payload = m.payload as { record?: { customerId?: unknown } } | null;
    const local = payload?.record?.customerId;
    if (typeof local !== 'number') return m;
    const serverId = this.deps.customers.serverIdOf(local);
    return { ...m, payload: { ...payload, record: { ...payload!.record, customerId: serverId } } };
  }

  private applyOne(c: PullChange, touched: Touched): void {
    switch (c.entity) {
      case 'customer':
        if (c.op === 'remove') this.deps.customers.removeFromServer(Number(c.id));
        else this.deps.customers.adoptFromServer(customerSchema.parse(c.record));
        return;
      case 'ticket': {
        if (this.deps.outbox.hasUnsent('ticket', c.id)) return;
        if (c.op === 'remove') {
          this.tickets.remove(c.id);
          return;
        }
        const t = serverTicketSchema.parse(c.record);
        this.tickets.adopt({ ...t, customerId: this.localCustomer(t.customerId) }, this.deps.clock.now());
        touched.tickets.add(t.id);
        return;
      }
      case 'task': {
        if (this.deps.outbox.hasUnsent('task', c.id)) return;
        if (c.op === 'remove') {
          this.tasks.remove(c.id);
          return;
        }
        const t = serverTaskSchema.parse(c.record);
        this.tasks.adopt({ ...t, customerId: this.localCustomer(t.customerId) });
        touched.tasks.add(t.id);
        return;
      }
      case 'config':
      case 'user':
        // Configuration is collected per page (applyPulled); the user list is not kept on desktops.
        return;
    }
  }

  private localCustomer(serverId: number | null): number | null {
    return serverId === null ? null : this.deps.customers.localIdOf(serverId);
  }

  private announce(touched: Touched): void {
    const now = this.deps.clock.now();
    for (const id of touched.tickets) {
      const t = this.tickets.get(id, now);
      if (t) this.deps.onTicket(t);
    }
    for (const id of touched.tasks) {
      const t = this.tasks.get(id, now);
      if (t) this.deps.onTask(t);
    }
  }
}
