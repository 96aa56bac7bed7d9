import type Database from 'better-sqlite3';
import { customerSchema, type Customer } from '../../../shared/customer/schema';
import { SERVER_HISTORY_AUTHOR } from '../../../shared/sync/api';
import type { MutationResult, PullChange, SyncMutation } from '../../../shared/sync/protocol';
import { taskSchema, type Task } from '../../../shared/task/task';
import { ticketSchema, type Ticket } from '../../../shared/ticket/ticket';
import { assertNever } from '../../../shared/api/result';
import type { Clock } from '../adapters';
import type { CustomerService } from '../customer/customerService';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { MetaStore } from '../store/metaStore';
import type { InsightRepository } from '../insight/insightRepository';
import type { TaskRepository } from '../task/taskRepository';
import type { TicketRepository } from '../ticket/ticketRepository';

/** A ticket as the server sends it (no computed `overdue`). */
const serverTicketSchema = ticketSchema.omit({ overdue: true });
/** A task as the server sends it (the reminder time is local). */
const serverTaskSchema = taskSchema.omit({ overdue: true, remindedAt: true });

/** Ticket fields whose server-side changes are written into the local history. */
const SERVER_TRACKED_FIELDS = ['type', 'priority', 'status', 'category', 'subject', 'description', 'customerId', 'assignee', 'resolution', 'satisfaction'] as const;

/** Meta key of the central configuration last pulled. */
export const CENTRAL_CONFIG_KEY = 'sync.centralConfig';

/**
 * Meta key of pulled customers not stored yet because their code belongs locally to another
 * customer (one created on this desktop whose push is not answered or was refused for that code,
 * or one whose code changed on the server in a change not pulled yet). Retried after every pull
 * page and push answer; kept across restarts.
 */
export const DEFERRED_CUSTOMERS_KEY = 'sync.deferredCustomers';

/** Where a pulled customer goes: a local customer, a new one, or not now. */
type PulledCustomerTarget = { kind: 'local'; id: number } | { kind: 'new' } | { kind: 'wait' } | { kind: 'defer'; holder: number };

/** What the mirror needs. */
export interface ServerMirrorDeps {
  db: Database.Database;
  meta: MetaStore;
  outbox: OutboxRepository;
  tickets: TicketRepository;
  tasks: TaskRepository;
  /** Customer insight (entity `insight`, keyed by the server customer id). */
  insight: InsightRepository;
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
  /** Deferred customers of the running transaction (see {@link DEFERRED_CUSTOMERS_KEY}). */
  private deferred: Map<number, Customer> | null = null;
  private deferredDirty = false;

  constructor(private readonly deps: ServerMirrorDeps) {}

  private get tickets(): TicketRepository {
    return this.deps.tickets;
  }

  private get tasks(): TaskRepository {
    return this.deps.tasks;
  }

  /** Applies the central configuration stored by an earlier pull (start-up, offline). */
  restoreConfig(): void {
    this.deps.applyConfig(this.deps.meta.getJson<Record<string, unknown>>(CENTRAL_CONFIG_KEY, {}));
  }

  /** Drops the central configuration of a server this desktop left (a new server's pull brings its own). */
  forgetConfig(): void {
    this.deps.meta.delete(CENTRAL_CONFIG_KEY);
    this.deps.applyConfig({});
  }

  /** Writes one pulled page in one transaction. A record that fails validation is logged and skipped. */
  applyPulled(changes: readonly PullChange[]): void {
    const touched: Touched = { tickets: new Set(), tasks: new Set() };
    let config: Record<string, unknown> | null = null;
    this.deps.db.transaction(() => {
      this.deferred = null;
      this.deferredDirty = false;
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
      this.finishDeferred();
      if (config) this.deps.meta.setJson(CENTRAL_CONFIG_KEY, config);
    })();
    if (config) this.deps.applyConfig(config);
    this.announce(touched);
  }

  /**
   * Adopts the server records of push answers: tickets and tasks (applied, conflict, rejected with
   * a record) and customers (applied, conflict, rejected with a record). A customer answer binds
   * the server id to the local customer that made the change (the entity id), so a create is never
   * matched to another customer by code; its fields are adopted unless a later local change still
   * waits to be pushed.
   */
  adoptResults(results: readonly MutationResult[]): void {
    const touched: Touched = { tickets: new Set(), tasks: new Set() };
    this.deps.db.transaction(() => {
      this.deferred = null;
      this.deferredDirty = false;
      for (const r of results) {
        if (r.entity === 'customer') {
          this.adoptCustomerResult(r);
          continue;
        }
        if ((r.status !== 'applied' && r.status !== 'conflict' && r.status !== 'rejected') || r.record === undefined) continue;
        if (r.entity !== 'ticket' && r.entity !== 'task') continue;
        try {
          this.applyOne({ changeId: 0, entity: r.entity, id: r.entityId, op: 'upsert', record: r.record }, touched);
        } catch (err) {
          this.deps.logger.warn('push answer not adopted', { entity: r.entity, id: r.entityId, error: (err as Error).message });
        }
      }
      this.finishDeferred();
    })();
    this.announce(touched);
  }

  /**
   * A mutation as the server must see it: customer ids translated to the server's. A `customer`
   * entry gets `serverId` (null while the server does not have the customer; the server then
   * resolves it from this client's create) next to its record; `record.id` stays the local id,
   * which the server ignores.
   */
  outgoing(m: SyncMutation): SyncMutation {
    if (m.entity === 'customer') {
      const local = Number(m.entityId);
      const serverId = Number.isInteger(local) ? this.deps.customers.serverIdOf(local) : null;
      return { ...m, payload: { ...(m.payload as Record<string, unknown>), serverId } };
    }
    const payload = m.payload as { record?: { customerId?: unknown } } | null;
    const local = payload?.record?.customerId;
    if (typeof local !== 'number') return m;
    const serverId = this.deps.customers.serverIdOf(local);
    return { ...m, payload: { ...payload, record: { ...payload!.record, customerId: serverId } } };
  }

  /**
   * The customer entry (`customer:<local id>`) whose push answer `m` needs: a record pointing to a
   * local customer the server does not know yet goes after that customer's create is answered
   * (its server id bound), never with a null customer in its place.
   */
  needsAnswerOf(m: SyncMutation): string | null {
    if (m.entity === 'customer') return null;
    const local = (m.payload as { record?: { customerId?: unknown } } | null)?.record?.customerId;
    if (typeof local !== 'number' || this.deps.customers.serverIdOf(local) !== null) return null;
    return `customer:${local}`;
  }

  private applyOne(c: PullChange, touched: Touched): void {
    switch (c.entity) {
      case 'customer': {
        if (c.op === 'remove') {
          this.setDeferred(Number(c.id), null);
          this.deps.customers.removeFromServer(Number(c.id));
          return;
        }
        const record = customerSchema.parse(c.record);
        this.setDeferred(record.id, null);
        this.storePulledCustomer(record);
        return;
      }
      case 'ticket': {
        if (this.deps.outbox.hasUnsent('ticket', c.id)) return;
        if (c.op === 'remove') {
          this.tickets.remove(c.id);
          return;
        }
        const t = serverTicketSchema.parse(c.record);
        const now = this.deps.clock.now();
        const before = this.tickets.get(t.id, now);
        const after = { ...t, customerId: this.localCustomer(t.customerId) };
        this.tickets.adopt(after, now);
        if (before) this.recordServerChanges(before, after, now);
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
      case 'insight':
        if (c.op === 'remove') this.deps.insight.remove(Number(c.id));
        else this.deps.insight.upsert(Number(c.id), c.record, c.changeId);
        return;
      case 'config':
      case 'user':
        // Configuration is collected per page (applyPulled); the user list is not kept on desktops.
        return;
    }
  }

  /** What the server changed on a ticket this desktop had, in its local history (the drawer shows it). */
  private recordServerChanges(before: Ticket, after: Omit<Ticket, 'overdue'>, now: number): void {
    const changes = SERVER_TRACKED_FIELDS.filter((f) => before[f] !== after[f]).map((f) => ({ field: f, from: before[f], to: after[f] }));
    if (changes.length === 0) return;
    const action = changes.some((c) => c.field === 'status') ? 'status' : 'updated';
    this.tickets.addHistory(after.id, now, SERVER_HISTORY_AUTHOR, action, changes);
  }

  /** Stores a pulled customer, or defers it (see {@link DEFERRED_CUSTOMERS_KEY}); true when handled for good. */
  private storePulledCustomer(record: Customer): boolean {
    const target = this.targetForPulled(record);
    switch (target.kind) {
      case 'wait':
        return true;
      case 'defer':
        if (!this.deferredList().has(record.id)) this.deps.logger.info('pulled customer deferred: its code belongs to another local customer', { serverId: record.id, holder: target.holder });
        this.setDeferred(record.id, record);
        return false;
      case 'new':
        this.deps.customers.adoptFromServer(record, null);
        return true;
      case 'local': {
        // A deferred copy can be older than what a push answer has brought since.
        const known = this.deps.customers.get(target.id).serverVersion;
        if (known === null || record.serverVersion === null || known <= record.serverVersion) this.deps.customers.adoptFromServer(record, target.id);
        return true;
      }
      default:
        return assertNever(target, 'pulled customer target');
    }
  }

  /**
   * Where a pulled server customer goes: the local customer bound to its server id (`wait` while a
   * local change to it still waits in the outbox: that push's answer brings the server's state);
   * else the local customer with its code if that one was never pushed (data that existed before
   * sync: the same customer); else a new local customer. `defer` when its code belongs locally to
   * a customer created on this desktop or bound to another server customer: a different customer,
   * never merged.
   */
  private targetForPulled(record: Customer): PulledCustomerTarget {
    const { customers, outbox } = this.deps;
    const bound = customers.localIdOf(record.id);
    if (bound !== null) return outbox.hasUnsent('customer', String(bound)) ? { kind: 'wait' } : { kind: 'local', id: bound };
    const same = customers.findByCode(record.code);
    if (!same) return { kind: 'new' };
    if (customers.serverIdOf(same.id) !== null || outbox.forEntity('customer', String(same.id)).length > 0) return { kind: 'defer', holder: same.id };
    return { kind: 'local', id: same.id };
  }

  /**
   * Replaces (or with null removes) the deferred copy of a server customer. The list is read once
   * per transaction (a first sync pulls millions of customers) and written back by
   * {@link finishDeferred}.
   */
  private setDeferred(serverId: number, record: Customer | null): void {
    const deferred = this.deferredList();
    if (record) deferred.set(serverId, record);
    else if (!deferred.delete(serverId)) return;
    this.deferredDirty = true;
  }

  private deferredList(): Map<number, Customer> {
    if (this.deferred) return this.deferred;
    const map = new Map<number, Customer>();
    for (const raw of this.deps.meta.getJson<unknown[]>(DEFERRED_CUSTOMERS_KEY, [])) {
      const parsed = customerSchema.safeParse(raw);
      if (parsed.success) map.set(parsed.data.id, parsed.data);
    }
    return (this.deferred = map);
  }

  /** Stores deferred customers whose code is free now, then saves the list (inside the caller's transaction). */
  private finishDeferred(): void {
    try {
      const deferred = this.deferredList();
      for (const record of [...deferred.values()]) {
        try {
          if (this.storePulledCustomer(record)) this.setDeferred(record.id, null);
        } catch (err) {
          this.deps.logger.warn('deferred customer dropped', { serverId: record.id, error: (err as Error).message });
          this.setDeferred(record.id, null);
        }
      }
      if (this.deferredDirty) this.deps.meta.setJson(DEFERRED_CUSTOMERS_KEY, [...deferred.values()]);
    } finally {
      this.deferred = null;
      this.deferredDirty = false;
    }
  }

  /**
   * Binds and adopts the server record of a customer push answer (see {@link adoptResults}). A
   * refusal with a record (a change to a customer this desktop has from the server) reverts the
   * local copy; a refused create carries none and binds nothing (its code is another customer's).
   */
  private adoptCustomerResult(r: MutationResult): void {
    if (r.status === 'retry' || r.record === undefined) return;
    try {
      const record = customerSchema.parse(r.record);
      const local = Number(r.entityId);
      const { customers, outbox } = this.deps;
      if (!Number.isInteger(local)) return;
      if (r.status === 'rejected' && customers.serverIdOf(local) !== record.id) return;
      const holder = customers.localIdOf(record.id);
      if (holder !== null && holder !== local) {
        this.deps.logger.warn('push answer names a server customer bound to another local customer', { serverId: record.id, localId: local, holder });
        return;
      }
      if (!customers.exists(local)) return;
      customers.bindToServer(local, record.id);
      if (outbox.hasUnsent('customer', r.entityId)) return;
      customers.adoptFromServer(record, local);
    } catch (err) {
      this.deps.logger.warn('push answer not adopted', { entity: r.entity, id: r.entityId, error: (err as Error).message });
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
