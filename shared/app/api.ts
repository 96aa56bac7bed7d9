import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { settingsSnapshotSchema } from '../settings/definitions';

/** Which host serves the core. */
export const HOST_KINDS = ['electron', 'web'] as const;

/** Schema of `app:info`. */
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(HOST_KINDS),
  locale: z.string(),
  platform: z.string(),
  startedAt: z.number(),
  dataDir: z.string(),
  logFile: z.string(),
  databaseFile: z.string(),
  policyFile: z.string(),
  schemaVersion: z.number().int(),
});
/** Application and diagnostics facts. */
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Schema of the core state snapshot pushed on `core:state`. */
export const coreStateSchema = z.object({
  ready: z.boolean(),
  settings: settingsSnapshotSchema,
});
/** The state of the core as the UI mirrors it. */
export type CoreState = z.infer<typeof coreStateSchema>;

/** Schema of `app:notification`: an OS notification to show and/or a request to focus the window. */
export const notificationSchema = z.object({ title: z.string(), body: z.string(), focus: z.boolean() });

/** The app invoke channels, merged into `invokeChannels`. */
export const appInvokeChannels = {
  'app:info': { request: noPayload, response: appInfoSchema },
} as const;

/** The app event channels: `core:state` (readiness, settings) and `app:notification`. */
export const appEventChannels = {
  'core:state': coreStateSchema,
  'app:notification': notificationSchema,
} as const;
