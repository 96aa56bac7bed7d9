import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { agentQueuesStateSchema } from './agentQueues';

/** Schema of `acd:set-login`: log in to (true) or out of (false) one of the agent's queues. */
export const acdSetLoginSchema = z.object({ queueId: z.string().min(1).max(40), loggedIn: z.boolean() });

/** The agent's queue channels (queue login, live figures), merged into `invokeChannels`. */
export const acdInvokeChannels = {
  /** The agent's queues with their live figures. */
  'acd:queues': { request: noPayload, response: agentQueuesStateSchema },
  /** Logs in to or out of a queue on the server; answers the queues after it. */
  'acd:set-login': { request: acdSetLoginSchema, response: agentQueuesStateSchema },
} as const;

/** `acd:queues` on every change (login, figures pushed by the server). */
export const acdEventChannels = {
  'acd:queues': agentQueuesStateSchema,
} as const;
