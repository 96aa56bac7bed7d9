import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  OPEN_TICKET_STATUSES,
  TICKET_ACTIONS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  isOverdue,
  ticketChangeSchema,
  type Ticket,
  type TicketHistoryEntry,
} from '../../../shared/ticket/ticket';

const rowSchema = z.object({
  id: z.string(),
  type: z.enum(TICKET_TYPES),
  priority: z.enum(TICKET_PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  category: z.string(),
  subject: z.string(),
  description: z.string(),
  customer_id: z.number().int().nullable(),
  assignee: z.string().nullable(),
  created_by: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  due_at: z.number(),
  pending_since: z.number().nullable(),
  resolution: z.string().nullable(),
  satisfaction: z.number().int().min(1).max(5).nullable(),
  resolved_at: z.number().nullable(),
  closed_at: z.number().nullable(),
  version: z.number().int().positive(),
});

const historyRowSchema = z.object({
  id: z.number().int(),
  ticket_id: z.string(),
  at: z.number(),
  by: z.string(),
  action: z.enum(TICKET_ACTIONS),
  changes_json: z.string(),
});

/** A ticket as stored (without the computed and joined fields). */
export type TicketRecord = Omit<Ticket, 'interactionIds' | 'overdue'>;

const OPEN = OPEN_TICKET_STATUSES.map((s) => `'${s}'`).join(', ');
/** Open statuses whose SLA clock runs (a pending ticket's is paused, see `isOverdue`). */
const OVERDUE_CAPABLE = OPEN_TICKET_STATUSES.filter((s) => s !== 'pending').map((s) => `'${s}'`).join(', ');

/** The `tickets`, `ticket_interactions` and `ticket_history` tables. Rows are parsed with zod. */
export class TicketRepository {
  constructor(private readonly db: Database.Database) {}

  /** Inserts a new ticket. */
  insert(t: TicketRecord): void {
    this.db
      .prepare(
        `INSERT INTO tickets (id, type, priority, status, category, subject, description, customer_id, assignee, created_by, created_at,
           updated_at, due_at, pending_since, resolution, satisfaction, resolved_at, closed_at, version)
         VALUES (@id, @type, @priority, @status, @category, @subject, @description, @customerId, @assignee, @createdBy, @createdAt,
           @updatedAt, @dueAt, @pendingSince, @resolution, @satisfaction, @resolvedAt, @closedAt, @version)`,
      )
      .run(t);
  }

  /** Writes a changed ticket if it is still at `baseVersion`; false when someone changed it first. */
  update(t: TicketRecord, baseVersion: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE tickets SET type = @type, priority = @priority, status = @status, category = @category, subject = @subject,
             description = @description, customer_id = @customerId, assignee = @assignee, updated_at = @updatedAt, due_at = @dueAt,
             pending_since = @pendingSince, resolution = @resolution, satisfaction = @satisfaction, resolved_at = @resolvedAt, closed_at = @closedAt, version = @version
           WHERE id = @id AND version = @baseVersion`,
        )
        .run({ ...t, baseVersion }).changes === 1
    );
  }

  /** The version the central server last confirmed for a ticket (null: not on the server yet). */
  serverVersion(id: string): number | null {
    const row = this.db.prepare('SELECT server_version FROM tickets WHERE id = ?').get(id) as { server_version: number | null } | undefined;
    return row?.server_version ?? null;
  }

  /**
   * Stores a ticket as the central server has it (pull, push answer): every field, the links, and
   * `version` = `server_version` = the server's version. Not a local change: no history, no outbox.
   */
  adopt(t: TicketRecord & { interactionIds: readonly string[] }, at: number): void {
    const { interactionIds, ...record } = t;
    this.db
      .prepare(
        `INSERT INTO tickets (id, type, priority, status, category, subject, description, customer_id, assignee, created_by, created_at,
           updated_at, due_at, pending_since, resolution, satisfaction, resolved_at, closed_at, version, server_version)
         VALUES (@id, @type, @priority, @status, @category, @subject, @description, @customerId, @assignee, @createdBy, @createdAt,
           @updatedAt, @dueAt, @pendingSince, @resolution, @satisfaction, @resolvedAt, @closedAt, @version, @version)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, priority = excluded.priority, status = excluded.status,
           category = excluded.category, subject = excluded.subject, description = excluded.description, customer_id = excluded.customer_id,
           assignee = excluded.assignee, created_by = excluded.created_by, updated_at = excluded.updated_at, due_at = excluded.due_at,
           pending_since = excluded.pending_since, resolution = excluded.resolution, satisfaction = excluded.satisfaction, resolved_at = excluded.resolved_at,
           closed_at = excluded.closed_at, version = excluded.version, server_version = excluded.server_version`,
      )
      .run(record);
    for (const i of interactionIds) this.link(t.id, i, at);
  }

  /** Deletes a ticket that left this agent's scope on the server. */
  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM tickets WHERE id = ?').run(id).changes === 1;
  }

  /** One ticket (with its links, overdue computed at `now`), or null. */
  get(id: string, now: number): Ticket | null {
    const row = this.db.prepare('SELECT * FROM tickets WHERE id = ?').get(id);
    return row ? this.toTicket(row, now) : null;
  }

  /** Links an interaction (root id); false when it was linked already. */
  link(ticketId: string, interactionId: string, at: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO ticket_interactions (ticket_id, interaction_id, linked_at) VALUES (?, ?, ?)').run(ticketId, interactionId, at).changes === 1;
  }

  /** Ids of the tickets linked to an interaction (root id), oldest link first. */
  idsLinkedTo(interactionId: string): string[] {
    const rows = this.db.prepare('SELECT ticket_id FROM ticket_interactions WHERE interaction_id = ? ORDER BY linked_at, ticket_id').all(interactionId) as { ticket_id: string }[];
    return rows.map((r) => r.ticket_id);
  }

  /** Appends one history entry. */
  addHistory(ticketId: string, at: number, by: string, action: TicketHistoryEntry['action'], changes: TicketHistoryEntry['changes']): void {
    this.db.prepare('INSERT INTO ticket_history (ticket_id, at, by, action, changes_json) VALUES (?, ?, ?, ?, ?)').run(ticketId, at, by, action, JSON.stringify(changes));
  }

  /** A ticket's history, oldest first. */
  history(ticketId: string): TicketHistoryEntry[] {
    return this.db
      .prepare('SELECT * FROM ticket_history WHERE ticket_id = ? ORDER BY id')
      .all(ticketId)
      .map((row) => {
        const r = historyRowSchema.parse(row);
        return { id: r.id, ticketId: r.ticket_id, at: r.at, by: r.by, action: r.action, changes: z.array(ticketChangeSchema).parse(JSON.parse(r.changes_json)) };
      });
  }

  /** Open tickets assigned to `assignee`, most urgent due time first. */
  listOpenFor(assignee: string, now: number, limit: number, offset: number): { items: Ticket[]; total: number } {
    return this.page(`WHERE assignee = ? AND status IN (${OPEN})`, [assignee], 'due_at, id', now, limit, offset);
  }

  /** Open tickets past their due time (everyone's), most overdue first. Pending tickets are not: their SLA clock is paused. */
  listOverdue(now: number, limit: number, offset: number): { items: Ticket[]; total: number } {
    return this.page(`WHERE status IN (${OVERDUE_CAPABLE}) AND due_at < ?`, [now], 'due_at, id', now, limit, offset);
  }

  /** All open tickets, most urgent due time first. */
  listOpen(now: number, limit: number, offset: number): { items: Ticket[]; total: number } {
    return this.page(`WHERE status IN (${OPEN})`, [], 'due_at, id', now, limit, offset);
  }

  /** A customer's tickets, open ones first, newest first. */
  listByCustomer(customerId: number, now: number, limit: number, offset: number): { items: Ticket[]; total: number } {
    return this.page('WHERE customer_id = ?', [customerId], `CASE WHEN status IN (${OPEN}) THEN 0 ELSE 1 END, created_at DESC, id`, now, limit, offset);
  }

  private page(where: string, params: unknown[], order: string, now: number, limit: number, offset: number): { items: Ticket[]; total: number } {
    const items = this.db
      .prepare(`SELECT * FROM tickets ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset)
      .map((r) => this.toTicket(r, now));
    const total = (this.db.prepare(`SELECT count(*) AS n FROM tickets ${where}`).get(...params) as { n: number }).n;
    return { items, total };
  }

  private toTicket(row: unknown, now: number): Ticket {
    const r = rowSchema.parse(row);
    const links = this.db.prepare('SELECT interaction_id FROM ticket_interactions WHERE ticket_id = ? ORDER BY linked_at, interaction_id').all(r.id) as { interaction_id: string }[];
    const t = {
      id: r.id,
      type: r.type,
      priority: r.priority,
      status: r.status,
      category: r.category,
      subject: r.subject,
      description: r.description,
      customerId: r.customer_id,
      assignee: r.assignee,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      dueAt: r.due_at,
      pendingSince: r.pending_since,
      resolution: r.resolution,
      satisfaction: r.satisfaction,
      resolvedAt: r.resolved_at,
      closedAt: r.closed_at,
      version: r.version,
      interactionIds: links.map((l) => l.interaction_id),
    };
    return { ...t, overdue: isOverdue(t, now) };
  }
}
