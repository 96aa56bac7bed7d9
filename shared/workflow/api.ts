import { z } from 'zod';
import {
  interactionAddSchema,
  interactionCorrectSchema,
  interactionListSchema,
  interactionPageSchema,
  interactionSchema,
  interactionWithRevisionsSchema,
} from './interaction';
import { taskCompleteSchema, taskCreateSchema, taskListSchema, taskSchema } from './task';
import {
  ticketCreateSchema,
  ticketDraftRequestSchema,
  ticketDraftSchema,
  ticketListSchema,
  ticketPageSchema,
  ticketSchema,
  ticketTransitionSchema,
  ticketUpdateSchema,
  ticketWithHistorySchema,
} from './ticket';

/** Schema of requests naming one record by id. */
export const recordIdSchema = z.object({ id: z.string().min(1).max(100) });

/** Answer of `task:list`. */
export const taskPageSchema = z.object({ items: z.array(taskSchema), total: z.number().int().nonnegative() });

/** The interaction, ticket and task invoke channels, merged into `invokeChannels`. */
export const workflowInvokeChannels = {
  'interaction:list': { request: interactionListSchema, response: interactionPageSchema },
  'interaction:get': { request: recordIdSchema, response: interactionWithRevisionsSchema },
  'interaction:add': { request: interactionAddSchema, response: interactionSchema },
  'interaction:correct': { request: interactionCorrectSchema, response: interactionSchema },
  'ticket:draft': { request: ticketDraftRequestSchema, response: ticketDraftSchema },
  'ticket:create': { request: ticketCreateSchema, response: ticketSchema },
  'ticket:update': { request: ticketUpdateSchema, response: ticketSchema },
  'ticket:transition': { request: ticketTransitionSchema, response: ticketSchema },
  'ticket:list': { request: ticketListSchema, response: ticketPageSchema },
  'ticket:get': { request: recordIdSchema, response: ticketWithHistorySchema },
  'task:create': { request: taskCreateSchema, response: taskSchema },
  'task:list': { request: taskListSchema, response: taskPageSchema },
  'task:complete': { request: taskCompleteSchema, response: taskSchema },
} as const;

/**
 * The workflow event channels: `interaction:logged` after every new entry (timelines refresh),
 * `ticket:changed` and `task:changed` after every change, `task:reminder` when a reminder is due.
 */
export const workflowEventChannels = {
  'interaction:logged': interactionSchema,
  'ticket:changed': ticketSchema,
  'task:changed': taskSchema,
  'task:reminder': taskSchema,
} as const;
