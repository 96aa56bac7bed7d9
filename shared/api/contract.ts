import { z } from 'zod';
import { qualitySampleSchema } from '../phone/quality';
import { settingsSnapshotSchema } from '../settings/definitions';
import { callSnapshotSchema, dtmfSchema, phoneStateSchema } from '../phone/call';
import { customerEventChannels, customerInvokeChannels } from '../customer/api';
import { agentEventChannels, agentInvokeChannels } from '../agent/api';
import { workflowEventChannels, workflowInvokeChannels } from '../workflow/api';
import { syncEventChannels, syncInvokeChannels } from '../sync/api';
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

/** Schema of a request naming one call. */
export const callIdSchema = z.object({ callId: z.string().min(1).max(100) });
/** Schema of `call:dial`: a number or a sip: URI, plus optional extra X- headers. */
export const callDialSchema = z.object({
  target: z.string().trim().min(1).max(256),
  headers: z.record(z.string().regex(/^X-[A-Za-z0-9-]{1,60}$/), z.string().max(512)).optional(),
});
/** Schema of `call:reject`: the code overrides `sip.rejectCode`. */
export const callRejectSchema = callIdSchema.extend({ code: z.union([z.literal(486), z.literal(603)]).optional() });
/** Schema of `call:mute`. */
export const callMuteSchema = callIdSchema.extend({ muted: z.boolean() });
/** Schema of `call:dtmf`. */
export const callDtmfSchema = callIdSchema.extend({ tones: dtmfSchema });
/** Schema of `call:dtmf-received`: one digit the media engine heard in a call's remote audio. */
export const callDtmfReceivedSchema = callIdSchema.extend({ digit: z.string().regex(/^[0-9A-D*#]$/, 'one DTMF digit') });
/** Schema of `call:transfer-blind`. */
export const callTransferBlindSchema = callIdSchema.extend({ target: z.string().trim().min(1).max(256) });
/** Schema of `call:transfer-attended`: transfer `callId` to the party of `consultCallId`. */
export const callTransferAttendedSchema = callIdSchema.extend({ consultCallId: z.string().min(1).max(100) });
/** Schema of `phone:set-password`. */
export const phoneSetPasswordSchema = z.object({ password: z.string().min(1).max(256) });
/** Answer of `phone:set-password`: the secret store's warning (browser host file store), else null. */
export const phoneSetPasswordResultSchema = z.object({ warning: z.string().nullable() });

/** Media methods the core asks the media host to run for one call (remote SessionDescriptionHandler). */
export const MEDIA_METHODS = ['getDescription', 'setDescription', 'rollbackDescription', 'sendDtmf', 'setMuted', 'close'] as const;
/**
 * Schema of `media:request` (core -> media host). `getDescription`/`setDescription`/
 * `rollbackDescription` expect a `media:respond` with the same id; `sendDtmf`, `setMuted` and `close`
 * are fire-and-forget. args: getDescription [options, modifierNames], setDescription [sdp, options,
 * modifierNames], sendDtmf [tones, options], setMuted [muted]. Options are JSON (sip.js
 * SessionDescriptionHandlerOptions without functions, e.g. `{ hold: true }`).
 */
export const mediaRequestSchema = z.object({
  id: z.string(),
  callId: z.string(),
  method: z.enum(MEDIA_METHODS),
  args: z.array(z.unknown()),
});
/** One media request. */
export type MediaRequest = z.infer<typeof mediaRequestSchema>;
/** Schema of `media:respond` (media host -> core): exactly one of result or error. */
export const mediaRespondSchema = z.object({
  id: z.string().min(1).max(100),
  result: z.unknown().optional(),
  error: z.object({ message: z.string().max(2000) }).optional(),
});
/** Schema of `media:ready`: the media host (re)started; `hostId` changes on every renderer load. */
export const mediaReadySchema = z.object({ hostId: z.string().min(1).max(100) });
/** Answer of `media:ready`: how many established calls are re-negotiated (re-INVITE). */
export const mediaReadyResultSchema = z.object({ renegotiating: z.number().int().nonnegative() });

/** Schema of `call:quality`: one quality sample the media engine measured for a call. */
export const callQualitySchema = z.object({ callId: z.string().min(1).max(100), sample: qualitySampleSchema });

/** Every invoke channel: request schema and response schema. */
export const invokeChannels = {
  'app:info': { request: noPayload, response: appInfoSchema },
  'settings:get': { request: noPayload, response: settingsSnapshotSchema },
  'settings:set': { request: settingsSetSchema, response: settingsSnapshotSchema },
  'phone:state': { request: noPayload, response: phoneStateSchema },
  'phone:register': { request: noPayload, response: phoneStateSchema },
  'phone:set-password': { request: phoneSetPasswordSchema, response: phoneSetPasswordResultSchema },
  'call:dial': { request: callDialSchema, response: callSnapshotSchema },
  'call:answer': { request: callIdSchema, response: callSnapshotSchema },
  'call:reject': { request: callRejectSchema, response: callSnapshotSchema },
  'call:hangup': { request: callIdSchema, response: callSnapshotSchema },
  'call:hold': { request: callIdSchema, response: callSnapshotSchema },
  'call:resume': { request: callIdSchema, response: callSnapshotSchema },
  'call:mute': { request: callMuteSchema, response: callSnapshotSchema },
  'call:dtmf': { request: callDtmfSchema, response: callSnapshotSchema },
  'call:dtmf-received': { request: callDtmfReceivedSchema, response: callSnapshotSchema },
  'call:transfer-blind': { request: callTransferBlindSchema, response: callSnapshotSchema },
  'call:transfer-attended': { request: callTransferAttendedSchema, response: callSnapshotSchema },
  'call:swap': { request: callIdSchema, response: callSnapshotSchema },
  'media:respond': { request: mediaRespondSchema, response: z.object({ accepted: z.boolean() }) },
  'media:ready': { request: mediaReadySchema, response: mediaReadyResultSchema },
  'call:quality': { request: callQualitySchema, response: z.object({ accepted: z.boolean() }) },
  'call:take-links': { request: noPayload, response: z.object({ links: z.array(z.string()) }) },
  ...customerInvokeChannels,
  ...agentInvokeChannels,
  ...workflowInvokeChannels,
  ...syncInvokeChannels,
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Every event channel: payload schema. */
export const eventChannels = {
  'core:state': coreStateSchema,
  'app:notification': notificationSchema,
  'phone:state': phoneStateSchema,
  'media:request': mediaRequestSchema,
  'call:links-pending': z.object({ count: z.number().int().nonnegative() }),
  ...customerEventChannels,
  ...agentEventChannels,
  ...workflowEventChannels,
  ...syncEventChannels,
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
