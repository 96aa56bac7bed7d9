import { z } from 'zod';
import { taskCompleteSchema, taskCreateSchema, taskListSchema, taskSchema } from './task';

/** Answer of `task:list`. */
export const taskPageSchema = z.object({ items: z.array(taskSchema), total: z.number().int().nonnegative() });

/** The task (follow-up) invoke channels, merged into `invokeChannels`. */
export const taskInvokeChannels = {
  'task:create': { request: taskCreateSchema, response: taskSchema },
  'task:list': { request: taskListSchema, response: taskPageSchema },
  'task:complete': { request: taskCompleteSchema, response: taskSchema },
} as const;

/** The task event channels: `task:changed` after every change, `task:reminder` when a reminder is due. */
export const taskEventChannels = {
  'task:changed': taskSchema,
  'task:reminder': taskSchema,
} as const;
