import type Database from 'better-sqlite3';
import { z } from 'zod';
import { TASK_KINDS, TASK_STATUSES, type Task } from '../../../shared/task/task';

const rowSchema = z.object({
  id: z.string(),
  kind: z.enum(TASK_KINDS),
  title: z.string(),
  notes: z.string(),
  customer_id: z.number().int().nullable(),
  phone: z.string().nullable(),
  ticket_id: z.string().nullable(),
  interaction_id: z.string().nullable(),
  due_at: z.number(),
  remind_at: z.number().nullable(),
  reminded_at: z.number().nullable(),
  assignee: z.string(),
  status: z.enum(TASK_STATUSES),
  created_by: z.string(),
  created_at: z.number(),
  completed_at: z.number().nullable(),
  version: z.number().int().positive(),
});

/** A task as stored (without the computed `overdue`). */
export type TaskRecord = Omit<Task, 'overdue'>;

function toTask(row: unknown, now: number): Task {
  const r = rowSchema.parse(row);
  const t: TaskRecord = {
    id: r.id,
    kind: r.kind,
    title: r.title,
    notes: r.notes,
    customerId: r.customer_id,
    phone: r.phone,
    ticketId: r.ticket_id,
    interactionId: r.interaction_id,
    dueAt: r.due_at,
    remindAt: r.remind_at,
    remindedAt: r.reminded_at,
    assignee: r.assignee,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    version: r.version,
  };
  return { ...t, overdue: t.status === 'open' && t.dueAt < now };
}

/** The `tasks` table. */
export class TaskRepository {
  constructor(private readonly db: Database.Database) {}

  /** Inserts a task. */
  insert(t: TaskRecord): void {
    this.db
      .prepare(
        `INSERT INTO tasks (id, kind, title, notes, customer_id, phone, ticket_id, interaction_id, due_at, remind_at, reminded_at, assignee,
           status, created_by, created_at, completed_at, version)
         VALUES (@id, @kind, @title, @notes, @customerId, @phone, @ticketId, @interactionId, @dueAt, @remindAt, @remindedAt, @assignee,
           @status, @createdBy, @createdAt, @completedAt, @version)`,
      )
      .run(t);
  }

  /** Writes status, notes and completion if the task is still at `baseVersion`. */
  complete(t: TaskRecord, baseVersion: number): boolean {
    return (
      this.db
        .prepare('UPDATE tasks SET status = @status, notes = @notes, completed_at = @completedAt, version = @version WHERE id = @id AND version = @baseVersion')
        .run({ ...t, baseVersion }).changes === 1
    );
  }

  /**
   * Stores a task as the central server has it (pull, push answer); the local reminder time is
   * kept. Not a local change: no outbox.
   */
  adopt(t: Omit<TaskRecord, 'remindedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO tasks (id, kind, title, notes, customer_id, phone, ticket_id, interaction_id, due_at, remind_at, reminded_at, assignee,
           status, created_by, created_at, completed_at, version)
         VALUES (@id, @kind, @title, @notes, @customerId, @phone, @ticketId, @interactionId, @dueAt, @remindAt, NULL, @assignee,
           @status, @createdBy, @createdAt, @completedAt, @version)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, notes = excluded.notes, customer_id = excluded.customer_id,
           phone = excluded.phone, ticket_id = excluded.ticket_id, interaction_id = excluded.interaction_id, due_at = excluded.due_at,
           remind_at = excluded.remind_at, assignee = excluded.assignee, status = excluded.status, completed_at = excluded.completed_at,
           version = excluded.version`,
      )
      .run(t);
  }

  /** Deletes a task that left this agent's scope on the server. */
  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM tasks WHERE id = ?').run(id).changes === 1;
  }

  /** Records that the reminder was shown on this computer (local only, not synced). */
  markReminded(id: string, at: number): void {
    this.db.prepare('UPDATE tasks SET reminded_at = ? WHERE id = ?').run(at, id);
  }

  /** One task or null. */
  get(id: string, now: number): Task | null {
    const row = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id);
    return row ? toTask(row, now) : null;
  }

  /** Open tasks of `assignee` due before `until` (overdue included), earliest first. */
  openDueBefore(assignee: string, until: number, now: number, limit: number): { items: Task[]; total: number } {
    return this.page("WHERE assignee = ? AND status = 'open' AND due_at < ?", [assignee, until], 'due_at, id', now, limit);
  }

  /** All open tasks of `assignee`, earliest first. */
  openFor(assignee: string, now: number, limit: number): { items: Task[]; total: number } {
    return this.page("WHERE assignee = ? AND status = 'open'", [assignee], 'due_at, id', now, limit);
  }

  /** A customer's tasks, open first. */
  byCustomer(customerId: number, now: number, limit: number): { items: Task[]; total: number } {
    return this.page('WHERE customer_id = ?', [customerId], "CASE status WHEN 'open' THEN 0 ELSE 1 END, due_at DESC, id", now, limit);
  }

  /** Open tasks whose reminder is due at `now` and was not shown yet. */
  dueReminders(now: number): Task[] {
    return this.db
      .prepare("SELECT * FROM tasks WHERE status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL AND remind_at <= ? ORDER BY remind_at")
      .all(now)
      .map((r) => toTask(r, now));
  }

  /** The earliest pending reminder time, or null. */
  nextReminderAt(): number | null {
    const row = this.db.prepare("SELECT min(remind_at) AS at FROM tasks WHERE status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL").get() as { at: number | null };
    return row.at;
  }

  private page(where: string, params: unknown[], order: string, now: number, limit: number): { items: Task[]; total: number } {
    const items = this.db.prepare(`SELECT * FROM tasks ${where} ORDER BY ${order} LIMIT ?`).all(...params, limit).map((r) => toTask(r, now));
    const total = (this.db.prepare(`SELECT count(*) AS n FROM tasks ${where}`).get(...params) as { n: number }).n;
    return { items, total };
  }
}
