import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { AppError, assertNever } from '../../../shared/api/result';
import type { Task, TaskComplete, TaskCreate, TaskListRequest } from '../../../shared/task/task';
import type { Clock, Notifier } from '../adapters';
import type { TimerHandle, Scheduler } from '../adapters/scheduler';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import type { TaskRecord, TaskRepository } from './taskRepository';

/** Everything the service needs. */
export interface TaskServiceDeps {
  db: Database.Database;
  repo: TaskRepository;
  outbox: OutboxRepository;
  clock: Clock;
  scheduler: Scheduler;
  notifier: Notifier;
  agentId: () => string;
  /** End of today in local time (epoch ms) for the "my day" view. */
  endOfDay?: (now: number) => number;
  /** Called after a task change is committed (event `task:changed`). */
  onChanged?: (task: Task) => void;
  /** Called when a reminder fires (event `task:reminder`). */
  onReminder?: (task: Task) => void;
  logger: Logger;
}

/** Longest single timer: the reminder check re-arms at least this often (clock changes, sleep). */
const MAX_TIMER_MS = 60 * 60_000;

/** Local midnight at the end of the day of `now`. */
export function localEndOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/**
 * Follow-ups and callbacks: create, list ("my day"), complete, and a reminder at the due time
 * through the OS notifier. Every change is one transaction with its outbox row.
 */
export class TaskService {
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(private readonly deps: TaskServiceDeps) {}

  /** Starts the reminders (fires the ones already due). */
  start(): void {
    this.running = true;
    this.checkReminders();
  }

  /** Stops the reminder timer. */
  stop(): void {
    this.running = false;
    if (this.timer) this.deps.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Creates a task; a callback needs a number to call. The reminder defaults to the due time. */
  create(req: TaskCreate): Task {
    const task = this.deps.db.transaction(() => this.createInTx(req))();
    this.changed(task);
    return task;
  }

  /** {@link create} inside the caller's transaction (call {@link changed} after commit). */
  createInTx(req: TaskCreate): Task {
    if (req.kind === 'callback' && !req.phone) throw new AppError('MISSING_FIELD', 'A callback needs a phone number', { field: 'phone' });
    const now = this.deps.clock.now();
    const by = this.deps.agentId();
    const record: TaskRecord = {
      id: randomUUID(),
      kind: req.kind,
      title: req.title,
      notes: req.notes,
      customerId: req.customerId ?? null,
      phone: req.phone ?? null,
      ticketId: req.ticketId ?? null,
      interactionId: req.interactionId ?? null,
      dueAt: req.dueAt,
      remindAt: req.remindAt === undefined ? req.dueAt : req.remindAt,
      remindedAt: null,
      assignee: req.assignee ?? by,
      status: 'open',
      createdBy: by,
      createdAt: now,
      completedAt: null,
      version: 1,
    };
    this.deps.repo.insert(record);
    this.deps.outbox.append({ entity: 'task', entityId: record.id, operation: 'create', baseVersion: null, payload: { record: withoutLocal(record), by } });
    return this.require(record.id);
  }

  /** Marks a task done (or cancelled) on `version`; CONFLICT when stale, ILLEGAL_TRANSITION when not open. */
  complete(req: TaskComplete): Task {
    const task = this.deps.db.transaction(() => {
      const before = this.require(req.id);
      if (before.version !== req.version) throw new AppError('CONFLICT', `Task ${req.id} was changed by someone else: reload it and try again`, { id: req.id, version: before.version });
      if (before.status !== 'open') throw new AppError('ILLEGAL_TRANSITION', `A ${before.status} task cannot be completed again`, { entity: 'task', from: before.status, to: req.cancelled ? 'cancelled' : 'done' });
      const { overdue: _o, ...rest } = before;
      const next: TaskRecord = { ...rest, status: req.cancelled ? 'cancelled' : 'done', notes: req.notes ?? before.notes, completedAt: this.deps.clock.now(), version: before.version + 1 };
      if (!this.deps.repo.complete(next, before.version)) throw new AppError('CONFLICT', `Task ${req.id} was changed by someone else`);
      this.deps.outbox.append({ entity: 'task', entityId: next.id, operation: 'complete', baseVersion: before.version, payload: { record: withoutLocal(next), changed: ['status', 'notes', 'completedAt'], by: this.deps.agentId() } });
      return this.require(next.id);
    })();
    this.changed(task);
    return task;
  }

  /** A task list view: my day (due before the end of today, overdue first), my open tasks, or a customer's. */
  list(req: TaskListRequest): { items: Task[]; total: number } {
    const now = this.deps.clock.now();
    const me = this.deps.agentId();
    switch (req.view) {
      case 'my-day':
        return this.deps.repo.openDueBefore(me, req.until ?? (this.deps.endOfDay ?? localEndOfDay)(now), now, req.limit);
      case 'my-open':
        return this.deps.repo.openFor(me, now, req.limit);
      case 'by-customer':
        return this.deps.repo.byCustomer(req.customerId ?? 0, now, req.limit);
      default:
        return assertNever(req.view, 'task view');
    }
  }

  /** Tells listeners about a committed change and re-arms the reminder timer. */
  changed(task: Task): void {
    try {
      this.deps.onChanged?.(task);
    } catch (err) {
      this.deps.logger.warn('task listener failed', { error: (err as Error).message });
    }
    if (this.running) this.arm();
  }

  /** Shows every reminder that is due and re-arms the timer for the next one. */
  checkReminders(): void {
    const now = this.deps.clock.now();
    for (const task of this.deps.repo.dueReminders(now)) {
      this.deps.repo.markReminded(task.id, now);
      const shown = { ...task, remindedAt: now };
      this.deps.logger.info('task reminder', { taskId: task.id, kind: task.kind });
      try {
        this.deps.notifier.notify(task.title, [task.phone, task.notes].filter((s) => s !== null && s !== '').join(' · '));
        this.deps.onReminder?.(shown);
      } catch (err) {
        this.deps.logger.warn('reminder delivery failed', { taskId: task.id, error: (err as Error).message });
      }
    }
    if (this.running) this.arm();
  }

  private arm(): void {
    if (this.timer) this.deps.scheduler.clearTimeout(this.timer);
    this.timer = null;
    const next = this.deps.repo.nextReminderAt();
    if (next === null) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - this.deps.clock.now()));
    this.timer = this.deps.scheduler.setTimeout(() => {
      this.timer = null;
      this.checkReminders();
    }, wait);
  }

  private require(id: string): Task {
    const t = this.deps.repo.get(id, this.deps.clock.now());
    if (!t) throw new AppError('NOT_FOUND', `No task ${id}`);
    return t;
  }
}

/** The synced fields of a task (the reminder-shown time is local to this computer). */
function withoutLocal(t: TaskRecord): Omit<TaskRecord, 'remindedAt'> {
  const { remindedAt: _r, ...rest } = t;
  return rest;
}
