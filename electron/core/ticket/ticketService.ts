import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { AppError, assertNever } from '../../../shared/api/result';
import type { Interaction } from '../../../shared/interaction/interaction';
import {
  checkResolve,
  dueAfterSlaChange,
  dueAfterTransition,
  slaDueAt,
  transitionTicket,
  type SlaRule,
  type Ticket,
  type TicketCreate,
  type TicketDraft,
  type TicketHistoryEntry,
  type TicketListRequest,
  type TicketTransition,
  type TicketUpdate,
} from '../../../shared/ticket/ticket';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { TicketRecord, TicketRepository } from './ticketRepository';

/** The `tickets.*` settings in force. */
export interface TicketPolicy {
  slaRules: SlaRule[];
  categories: string[];
  requireResolution: boolean;
  requireSatisfaction: boolean;
}

/** Everything the service needs. */
export interface TicketServiceDeps {
  db: Database.Database;
  repo: TicketRepository;
  outbox: OutboxRepository;
  clock: Clock;
  agentId: () => string;
  policy: () => TicketPolicy;
  /** Finds an interaction by id (links, prefill). */
  interaction: (id: string) => Interaction | null;
  /** Called after a ticket change is committed (event `ticket:changed`). */
  onChanged?: (ticket: Ticket) => void;
  logger: Logger;
}


const EDITABLE = ['type', 'priority', 'category', 'subject', 'description', 'customerId', 'assignee'] as const;

/**
 * Tickets: create (optionally prefilled from a call), edit, move through the status machine, list.
 * Every change is one transaction with its history entry and its outbox row, and names the version
 * it was made on (CONFLICT when someone changed the ticket first).
 */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  /** A ticket prefilled from an interaction: its customer, a subject naming the caller, the link. */
  draftFromInteraction(interactionId: string): TicketDraft {
    const entry = this.deps.interaction(interactionId);
    if (!entry) throw new AppError('NOT_FOUND', `No interaction ${interactionId}`);
    const who = entry.remoteName || entry.remoteNumber || '';
    const policy = this.deps.policy();
    return {
      type: 'inquiry',
      priority: 'P3',
      subject: who,
      description: entry.notes,
      customerId: entry.customerId,
      interactionIds: [entry.rootId],
      dueAt: slaDueAt(policy.slaRules, 'inquiry', 'P3', this.deps.clock.now()),
    };
  }

  /** Creates a ticket (status `new`, SLA due time from type and priority). */
  create(req: TicketCreate): Ticket {
    const ticket = this.deps.db.transaction(() => this.createInTx(req))();
    this.changed(ticket);
    return ticket;
  }

  /** {@link create} inside the caller's transaction (no event emitted: call {@link changed} after commit). */
  createInTx(req: TicketCreate): Ticket {
    const now = this.deps.clock.now();
    const policy = this.deps.policy();
    this.checkCategory(req.category, policy);
    const from = req.fromInteractionId ? this.deps.interaction(req.fromInteractionId) : null;
    if (req.fromInteractionId && !from) throw new AppError('NOT_FOUND', `No interaction ${req.fromInteractionId}`);
    const by = this.deps.agentId();
    const record: TicketRecord = {
      id: randomUUID(),
      type: req.type,
      priority: req.priority,
      status: 'new',
      category: req.category,
      subject: req.subject,
      description: req.description,
      customerId: req.customerId !== undefined ? req.customerId : (from?.customerId ?? null),
      assignee: req.assignee !== undefined ? req.assignee : by,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
      dueAt: slaDueAt(policy.slaRules, req.type, req.priority, now),
      pendingSince: null,
      resolution: null,
      satisfaction: null,
      resolvedAt: null,
      closedAt: null,
      version: 1,
    };
    this.deps.repo.insert(record);
    const links = this.resolveLinks([...(from ? [from.rootId] : []), ...req.interactionIds]);
    for (const l of links) this.deps.repo.link(record.id, l, now);
    this.deps.repo.addHistory(record.id, now, by, 'created', [
      ...EDITABLE.map((f) => ({ field: f, from: null, to: record[f] })),
      { field: 'status', from: null, to: 'new' },
      { field: 'dueAt', from: null, to: record.dueAt },
      ...(links.length > 0 ? [{ field: 'interactionIds', from: null, to: links }] : []),
    ]);
    const ticket = this.require(record.id);
    this.deps.outbox.append({ entity: 'ticket', entityId: ticket.id, operation: 'create', baseVersion: null, payload: { record: payloadOf(ticket), by } });
    return ticket;
  }

  /** Changes fields and/or links interactions; refuses a stale version (CONFLICT). */
  update(req: TicketUpdate): Ticket {
    const ticket = this.deps.db.transaction(() => this.updateInTx(req))();
    this.changed(ticket);
    return ticket;
  }

  /** {@link update} inside the caller's transaction. */
  updateInTx(req: TicketUpdate): Ticket {
    const now = this.deps.clock.now();
    const before = this.requireVersion(req.id, req.version);
    const policy = this.deps.policy();
    if (req.changes.category !== undefined) this.checkCategory(req.changes.category, policy);
    const by = this.deps.agentId();
    const next: TicketRecord = { ...strip(before), ...req.changes, updatedAt: now, version: before.version + 1 };
    const changes: TicketHistoryEntry['changes'] = [];
    for (const f of EDITABLE) if (next[f] !== before[f]) changes.push({ field: f, from: before[f], to: next[f] });
    if (next.type !== before.type || next.priority !== before.priority) {
      next.dueAt = dueAfterSlaChange(policy.slaRules, before, next.type, next.priority);
      changes.push({ field: 'dueAt', from: before.dueAt, to: next.dueAt });
    }
    const links = this.resolveLinks(req.linkInteractionIds).filter((l) => this.deps.repo.link(before.id, l, now));
    if (changes.length === 0 && links.length === 0) return before;
    if (!this.deps.repo.update(next, before.version)) throw conflict(before.id);
    if (changes.length > 0) this.deps.repo.addHistory(before.id, now, by, 'updated', changes);
    if (links.length > 0) this.deps.repo.addHistory(before.id, now, by, 'linked', [{ field: 'interactionIds', from: before.interactionIds, to: [...before.interactionIds, ...links] }]);
    const after = this.require(before.id);
    this.deps.outbox.append({
      entity: 'ticket',
      entityId: after.id,
      operation: changes.length > 0 ? 'update' : 'link',
      baseVersion: before.version,
      payload: { record: payloadOf(after), changed: [...changes.map((c) => c.field), ...(links.length > 0 ? ['interactionIds'] : [])], by, ...this.known(after.id) },
    });
    return after;
  }

  /** Ids of the tickets linked to an interaction (root id): the wrap-up shows them as already linked. */
  linkedTo(interactionRootId: string): string[] {
    return this.deps.repo.idsLinkedTo(interactionRootId);
  }

  /** Links an interaction to a ticket at its current version (wrap-up), inside the caller's transaction. */
  linkInTx(ticketId: string, interactionId: string): Ticket {
    const t = this.require(ticketId);
    return this.updateInTx({ id: ticketId, version: t.version, changes: {}, linkInteractionIds: [interactionId] });
  }

  /**
   * Moves a ticket to another status. Refuses a move outside the status table and a resolve without
   * the resolution and satisfaction the policy requires (ILLEGAL_TRANSITION, MISSING_FIELD). The SLA
   * clock pauses while the ticket is pending: leaving `pending` moves the due time later by the time
   * spent there (`dueAfterTransition`, the same rule as the server's merge).
   */
  transition(req: TicketTransition): Ticket {
    const ticket = this.deps.db.transaction(() => {
      const now = this.deps.clock.now();
      const before = this.requireVersion(req.id, req.version);
      transitionTicket(before.status, req.to);
      const next: TicketRecord = { ...strip(before), status: req.to, updatedAt: now, version: before.version + 1, ...dueAfterTransition(before, req.to, now) };
      if (req.to === 'resolved') {
        checkResolve(this.deps.policy(), req);
        next.resolution = req.resolution?.trim() || null;
        next.satisfaction = req.satisfaction ?? null;
        next.resolvedAt = now;
      } else if (req.to === 'closed') {
        next.closedAt = now;
      } else if (before.status === 'resolved' || before.status === 'closed') {
        // Reopened: the old resolution no longer holds; the history keeps it.
        next.resolution = null;
        next.satisfaction = null;
        next.resolvedAt = null;
        next.closedAt = null;
      }
      if (!this.deps.repo.update(next, before.version)) throw conflict(before.id);
      const changes: TicketHistoryEntry['changes'] = [{ field: 'status', from: before.status, to: req.to }];
      for (const f of ['resolution', 'satisfaction', 'dueAt'] as const) if (next[f] !== before[f]) changes.push({ field: f, from: before[f], to: next[f] });
      const by = this.deps.agentId();
      this.deps.repo.addHistory(before.id, now, by, 'status', changes);
      const after = this.require(before.id);
      this.deps.outbox.append({ entity: 'ticket', entityId: after.id, operation: 'transition', baseVersion: before.version, payload: { record: payloadOf(after), changed: changes.map((c) => c.field), by, ...this.known(after.id) } });
      return after;
    })();
    this.changed(ticket);
    return ticket;
  }

  /** The server version this desktop last saw of a ticket, for the server's field merge (absent before the first sync). */
  private known(id: string): { knownVersion?: number } {
    const v = this.deps.repo.serverVersion(id);
    return v === null ? {} : { knownVersion: v };
  }

  /** One ticket with its history; NOT_FOUND when unknown. */
  get(id: string): { ticket: Ticket; history: TicketHistoryEntry[] } {
    return { ticket: this.require(id), history: this.deps.repo.history(id) };
  }

  /** A ticket list view: my open tickets, overdue, open, or one customer's. */
  list(req: TicketListRequest): { items: Ticket[]; total: number } {
    const now = this.deps.clock.now();
    switch (req.view) {
      case 'my-open':
        return this.deps.repo.listOpenFor(this.deps.agentId(), now, req.limit, req.offset);
      case 'overdue':
        return this.deps.repo.listOverdue(now, req.limit, req.offset);
      case 'open':
        return this.deps.repo.listOpen(now, req.limit, req.offset);
      case 'by-customer':
        return this.deps.repo.listByCustomer(req.customerId ?? 0, now, req.limit, req.offset);
      default:
        return assertNever(req.view, 'ticket view');
    }
  }

  /** Tells listeners about a ticket committed by a caller's transaction. */
  changed(ticket: Ticket): void {
    try {
      this.deps.onChanged?.(ticket);
    } catch (err) {
      this.deps.logger.warn('ticket listener failed', { error: (err as Error).message });
    }
  }

  private require(id: string): Ticket {
    const t = this.deps.repo.get(id, this.deps.clock.now());
    if (!t) throw new AppError('NOT_FOUND', `No ticket ${id}`);
    return t;
  }

  private requireVersion(id: string, version: number): Ticket {
    const t = this.require(id);
    if (t.version !== version) throw conflict(id, t.version);
    return t;
  }

  private checkCategory(category: string, policy: TicketPolicy): void {
    if (category !== '' && policy.categories.length > 0 && !policy.categories.includes(category)) {
      throw new AppError('INVALID_PAYLOAD', `Unknown ticket category "${category}"`, { field: 'category', value: category });
    }
  }

  /** Root ids of the given interactions, de-duplicated; NOT_FOUND for an unknown one. */
  private resolveLinks(ids: string[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const entry = this.deps.interaction(id);
      if (!entry) throw new AppError('NOT_FOUND', `No interaction ${id}`);
      if (!out.includes(entry.rootId)) out.push(entry.rootId);
    }
    return out;
  }
}

function conflict(id: string, current?: number): AppError {
  return new AppError('CONFLICT', `Ticket ${id} was changed by someone else: reload it and try again`, current === undefined ? { id } : { id, version: current });
}

/** The stored fields of a ticket (without links and computed fields). */
function strip(t: Ticket): TicketRecord {
  const { overdue: _overdue, interactionIds: _links, ...rest } = t;
  return rest;
}

/** What the outbox carries for a ticket: everything but the computed `overdue`. */
function payloadOf(t: Ticket): Omit<Ticket, 'overdue'> {
  const { overdue: _overdue, ...rest } = t;
  return rest;
}
