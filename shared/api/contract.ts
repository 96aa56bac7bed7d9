import { z } from 'zod';
import { settingsSnapshotSchema } from '../settings/definitions';
import type { Result } from './result';

/**
 * The one API contract between the core and the renderer. Channels are named `domain:verb`.
 * Invoke channels answer a Result; event channels push snapshots from the core.
 * Both transports (Electron IPC and the browser host's WebSocket) are generic over these maps.
 */

/** Payload schema for channels that take no argument (undefined over IPC, absent or null in JSON). */
export const noPayload = z.union([z.undefined(), z.null()]).transform(() => undefined);

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

/** Schema of `settings:set`. */
export const settingsSetSchema = z.object({ key: z.string().min(1).max(200), value: z.unknown() });

/** Schema of the core state snapshot pushed on `core:state`. */
export const coreStateSchema = z.object({
  ready: z.boolean(),
  settings: settingsSnapshotSchema,
});
/** The state of the core as the UI mirrors it. */
export type CoreState = z.infer<typeof coreStateSchema>;

/** Schema of `app:notification`: an OS notification to show and/or a request to focus the window. */
export const notificationSchema = z.object({ title: z.string(), body: z.string(), focus: z.boolean() });

/** Every invoke channel: request schema and response schema. */
export const invokeChannels = {
  'app:info': { request: noPayload, response: appInfoSchema },
  'settings:get': { request: noPayload, response: settingsSnapshotSchema },
  'settings:set': { request: settingsSetSchema, response: settingsSnapshotSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Every event channel: payload schema. */
export const eventChannels = {
  'core:state': coreStateSchema,
  'app:notification': notificationSchema,
} as const satisfies Record<string, z.ZodType>;

/** An invoke channel name. */
export type InvokeChannel = keyof typeof invokeChannels;
/** An event channel name. */
export type EventChannel = keyof typeof eventChannels;
/** What a caller passes to an invoke channel. */
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
/** What a handler receives after validation. */
export type InvokeParsed<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
/** What an invoke channel answers. */
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
/** What an event channel carries. */
export type EventPayload<C extends EventChannel> = z.output<(typeof eventChannels)[C]>;

/** All invoke channel names at run time. */
export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];
/** All event channel names at run time. */
export const EVENT_CHANNELS = Object.keys(eventChannels) as EventChannel[];

/** Type guard for untrusted channel names. */
export function isInvokeChannel(name: string): name is InvokeChannel {
  return Object.prototype.hasOwnProperty.call(invokeChannels, name);
}

/** Type guard for untrusted event names. */
export function isEventChannel(name: string): name is EventChannel {
  return Object.prototype.hasOwnProperty.call(eventChannels, name);
}

/** The handler map a host must provide: one function per invoke channel. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (payload: InvokeParsed<C>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

/** A low-level transport the typed client is built on. */
export interface ClientTransport {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}
