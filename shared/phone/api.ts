import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { phoneStateSchema } from './call';

/** Schema of `phone:set-password`. */
export const phoneSetPasswordSchema = z.object({ password: z.string().min(1).max(256) });
/** Answer of `phone:set-password`: the secret store's warning (browser host file store), else null. */
export const phoneSetPasswordResultSchema = z.object({ warning: z.string().nullable() });

/** The phone (registration) invoke channels, merged into `invokeChannels`. */
export const phoneInvokeChannels = {
  'phone:state': { request: noPayload, response: phoneStateSchema },
  'phone:register': { request: noPayload, response: phoneStateSchema },
  'phone:set-password': { request: phoneSetPasswordSchema, response: phoneSetPasswordResultSchema },
} as const;

/** The phone event channels: `phone:state` after every change of registration or calls. */
export const phoneEventChannels = {
  'phone:state': phoneStateSchema,
} as const;
