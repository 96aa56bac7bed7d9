import { z } from 'zod';
import { epochMsSchema } from '../sync/safeValues';

/** Follow-ups and callbacks: tasks with a due time and a reminder. */

/** Task kinds: a callback is a call to make (it carries the number); a follow-up is anything else. */
export const TASK_KINDS = ['callback', 'follow-up'] as const;
/** A task kind. */
export type TaskKind = (typeof TASK_KINDS)[number];

/** Task statuses. */
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
/** A task status. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Schema of a task as stored and shown. */
export const taskSchema = z.object({
  id: z.string(),
  kind: z.enum(TASK_KINDS),
  title: z.string(),
  notes: z.string(),
  customerId: z.number().int().nullable(),
  /** The number to call back (one-click call back dials it). */
  phone: z.string().nullable(),
  ticketId: z.string().nullable(),
  interactionId: z.string().nullable(),
  dueAt: z.number(),
  /** When the reminder notification fires; null for none. */
  remindAt: z.number().nullable(),
  /** When the reminder was shown on this computer. */
  remindedAt: z.number().nullable(),
  assignee: z.string(),
  status: z.enum(TASK_STATUSES),
  createdBy: z.string(),
  createdAt: z.number(),
  completedAt: z.number().nullable(),
  version: z.number().int().positive(),
  /** Computed when read: open and past its due time. */
  overdue: z.boolean(),
});
/** A task. */
export type Task = z.infer<typeof taskSchema>;

/** Schema of `task:create`. `remindAt` defaults to `dueAt`; null means no reminder. */
export const taskCreateSchema = z.object({
  kind: z.enum(TASK_KINDS),
  title: z.string().trim().min(1, 'a title is required').max(200),
  notes: z.string().max(20_000).default(''),
  customerId: z.number().int().positive().nullable().optional(),
  phone: z.string().trim().max(64).nullable().optional(),
  ticketId: z.string().min(1).max(100).nullable().optional(),
  interactionId: z.string().min(1).max(100).nullable().optional(),
  dueAt: epochMsSchema,
  remindAt: epochMsSchema.nullable().optional(),
  /** Default: the current agent. */
  assignee: z.string().trim().min(1).max(100).optional(),
});
/** A new task. */
export type TaskCreate = z.output<typeof taskCreateSchema>;

/** Task list views: `my-day` = my open tasks due before `until` (default: end of today), overdue first. */
export const TASK_VIEWS = ['my-day', 'my-open', 'by-customer'] as const;
/** Schema of `task:list`. */
export const taskListSchema = z
  .object({
    view: z.enum(TASK_VIEWS),
    customerId: z.number().int().positive().optional(),
    /** End of the agent's day (epoch ms); the renderer knows the local day best. */
    until: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .refine((v) => v.view !== 'by-customer' || v.customerId !== undefined, 'the by-customer view needs a customerId');
/** A task list request. */
export type TaskListRequest = z.output<typeof taskListSchema>;

/** Schema of `task:complete`: done (or cancelled) on `version`. */
export const taskCompleteSchema = z.object({
  id: z.string().min(1).max(100),
  version: z.number().int().positive(),
  cancelled: z.boolean().default(false),
  notes: z.string().max(20_000).optional(),
});
/** A task completion. */
export type TaskComplete = z.output<typeof taskCompleteSchema>;
