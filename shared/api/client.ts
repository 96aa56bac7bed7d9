import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type ClientTransport,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
} from './contract';
import type { Result } from './result';

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string> = C extends `${string}:${infer V}` ? V : never;
type CamelVerb<V extends string> = V extends `${infer A}-${infer B}` ? `${A}${Capitalize<CamelVerb<B>>}` : V;

type InvokeFn<C extends InvokeChannel> = undefined extends InvokeRequest<C>
  ? (payload?: InvokeRequest<C>) => Promise<Result<InvokeResponse<C>>>
  : (payload: InvokeRequest<C>) => Promise<Result<InvokeResponse<C>>>;

type EventFn<C extends EventChannel> = (listener: (payload: EventPayload<C>) => void) => () => void;

/**
 * The typed API the renderer sees as `window.calldesk`: `calldesk.settings.set({...})` for the
 * invoke channel `settings:set`, `calldesk.core.onState(cb)` for the event channel `core:state`.
 */
export type CalldeskApi = {
  [D in DomainOf<InvokeChannel | EventChannel>]: {
    [C in InvokeChannel as DomainOf<C> extends D ? CamelVerb<VerbOf<C>> : never]: InvokeFn<C>;
  } & {
    [C in EventChannel as DomainOf<C> extends D ? `on${Capitalize<CamelVerb<VerbOf<C>>>}` : never]: EventFn<C>;
  };
};

/** `settings:set` -> ['settings', 'set']; `call:send-dtmf` -> ['call', 'sendDtmf']. */
export function channelPath(channel: string, prefix = ''): [string, string] {
  const [domain = '', verb = ''] = channel.split(':');
  const camel = verb.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return [domain, prefix ? `${prefix}${camel.charAt(0).toUpperCase()}${camel.slice(1)}` : camel];
}

/** Builds the typed API object over any transport. Used by the preload and the browser client. */
export function createApiClient(transport: ClientTransport): CalldeskApi {
  const api: Record<string, Record<string, unknown>> = {};
  const slot = (domain: string) => (api[domain] ??= {});
  for (const channel of INVOKE_CHANNELS) {
    const [domain, verb] = channelPath(channel);
    slot(domain)[verb] = (payload?: unknown) => transport.invoke(channel, payload);
  }
  for (const channel of EVENT_CHANNELS) {
    const [domain, name] = channelPath(channel, 'on');
    slot(domain)[name] = (listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
  }
  return api as unknown as CalldeskApi;
}
