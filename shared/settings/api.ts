import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { settingsSnapshotSchema } from './definitions';

/** Schema of `settings:set`. */
export const settingsSetSchema = z.object({ key: z.string().min(1).max(200), value: z.unknown() });

/** The settings invoke channels, merged into `invokeChannels` (changes are pushed on `core:state`). */
export const settingsInvokeChannels = {
  'settings:get': { request: noPayload, response: settingsSnapshotSchema },
  'settings:set': { request: settingsSetSchema, response: settingsSnapshotSchema },
} as const;
