import type { z } from 'zod';
import { appEventChannels, appInvokeChannels } from '../app/api';
import { settingsInvokeChannels } from '../settings/api';
import { phoneEventChannels, phoneInvokeChannels } from '../phone/api';
import { callEventChannels, callInvokeChannels } from '../call/api';
import { mediaEventChannels, mediaInvokeChannels } from '../media/api';
import { monitorEventChannels, monitorInvokeChannels } from '../monitor/api';
import { customerEventChannels, customerInvokeChannels } from '../customer/api';
import { agentEventChannels, agentInvokeChannels } from '../agent/api';
import { interactionEventChannels, interactionInvokeChannels } from '../interaction/api';
import { ticketEventChannels, ticketInvokeChannels } from '../ticket/api';
import { taskEventChannels, taskInvokeChannels } from '../task/api';
import { syncEventChannels, syncInvokeChannels } from '../sync/api';
import { supervisorEventChannels, supervisorInvokeChannels } from '../supervisor/api';
import { diagnosticsInvokeChannels } from '../diagnostics/api';
import { updateEventChannels, updateInvokeChannels } from '../update/api';
import { acdEventChannels, acdInvokeChannels } from '../acd/api';
import { insightInvokeChannels } from '../insight/api';
import type { Result } from './result';

/**
 * The one API contract between the core and the renderer. Channels are named `domain:verb`.
 * Invoke channels answer a Result; event channels push snapshots from the core.
 * Both transports (Electron IPC and the browser host's WebSocket) are generic over these maps.
 *
 * Each domain declares its channels and their schemas in `shared/<domain>/api.ts`; this file only
 * merges them. Channels that take no argument use `noPayload` (`./noPayload.ts`).
 */

/** Every invoke channel: request schema and response schema. */
export const invokeChannels = {
  ...appInvokeChannels,
  ...settingsInvokeChannels,
  ...phoneInvokeChannels,
  ...callInvokeChannels,
  ...mediaInvokeChannels,
  ...monitorInvokeChannels,
  ...customerInvokeChannels,
  ...agentInvokeChannels,
  ...interactionInvokeChannels,
  ...ticketInvokeChannels,
  ...taskInvokeChannels,
  ...syncInvokeChannels,
  ...supervisorInvokeChannels,
  ...diagnosticsInvokeChannels,
  ...updateInvokeChannels,
  ...acdInvokeChannels,
  ...insightInvokeChannels,
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Every event channel: payload schema. */
export const eventChannels = {
  ...appEventChannels,
  ...phoneEventChannels,
  ...mediaEventChannels,
  ...monitorEventChannels,
  ...callEventChannels,
  ...customerEventChannels,
  ...agentEventChannels,
  ...interactionEventChannels,
  ...ticketEventChannels,
  ...taskEventChannels,
  ...syncEventChannels,
  ...supervisorEventChannels,
  ...updateEventChannels,
  ...acdEventChannels,
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
