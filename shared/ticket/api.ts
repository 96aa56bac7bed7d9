import { recordIdSchema } from '../api/recordId';
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

/** The ticket invoke channels, merged into `invokeChannels`. */
export const ticketInvokeChannels = {
  'ticket:draft': { request: ticketDraftRequestSchema, response: ticketDraftSchema },
  'ticket:create': { request: ticketCreateSchema, response: ticketSchema },
  'ticket:update': { request: ticketUpdateSchema, response: ticketSchema },
  'ticket:transition': { request: ticketTransitionSchema, response: ticketSchema },
  'ticket:list': { request: ticketListSchema, response: ticketPageSchema },
  'ticket:get': { request: recordIdSchema, response: ticketWithHistorySchema },
} as const;

/** The ticket event channels: `ticket:changed` after every change. */
export const ticketEventChannels = {
  'ticket:changed': ticketSchema,
} as const;
