import { recordIdSchema } from '../api/recordId';
import {
  interactionAddSchema,
  interactionCorrectSchema,
  interactionListSchema,
  interactionPageSchema,
  interactionSchema,
  interactionWithRevisionsSchema,
} from './interaction';

/** The interaction invoke channels, merged into `invokeChannels`. */
export const interactionInvokeChannels = {
  'interaction:list': { request: interactionListSchema, response: interactionPageSchema },
  'interaction:get': { request: recordIdSchema, response: interactionWithRevisionsSchema },
  'interaction:add': { request: interactionAddSchema, response: interactionSchema },
  'interaction:correct': { request: interactionCorrectSchema, response: interactionSchema },
} as const;

/** The interaction event channels: `interaction:logged` after every new entry (timelines refresh). */
export const interactionEventChannels = {
  'interaction:logged': interactionSchema,
} as const;
