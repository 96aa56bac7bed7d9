import type { Invitation } from 'sip.js';
import type { InvokeHandlers } from '../../../shared/api/contract';
import type { Clock } from '../adapters';
import type { CoreBus } from '../bus/coreBus';
import type { SettingsService } from '../config/settingsService';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';
import type { PhoneController } from '../phone/phoneController';
import { CallEnded } from '../phone/callEvents';
import { MonitorService } from './monitorService';

/** The monitoring channels. */
export type MonitorChannel = 'monitor:state' | 'monitor:token' | 'monitor:start' | 'monitor:mode' | 'monitor:stop';

/** What the monitoring module needs from the core. */
export interface MonitorModuleDeps {
  settings: SettingsService;
  events: CoreEvents;
  bus: CoreBus;
  clock: Clock;
  logger: Logger;
  /** The phone (set once built: the phone is created after this module, which it offers INVITEs to). */
  phone(): PhoneController | null;
  /** This desktop's agent id as the server knows it. */
  agentId(): string;
  /** Asks the central server for a monitoring token (the signed-in supervisor's session). */
  serverToken(agent: string, call: string): Promise<string>;
}

/** The monitoring module: the service, its channels, and the hook the phone offers INVITEs to. */
export interface MonitorModule {
  service: MonitorService;
  takeInvite(invitation: Invitation): boolean;
  handlers(): Pick<InvokeHandlers, MonitorChannel>;
  close(): void;
}

/** Builds the monitoring module (composition root: createCore). */
export function createMonitorModule(deps: MonitorModuleDeps): MonitorModule {
  const service = new MonitorService({
    ua: () => deps.phone()?.phone?.userAgent() ?? null,
    hasLiveCall: (id) => deps.phone()?.state().calls.some((c) => c.id === id && (c.state === 'active' || c.state === 'held')) ?? false,
    agentId: deps.agentId,
    serverKey: () => deps.settings.get('monitoring.serverKey'),
    showIndicator: () => deps.settings.get('monitoring.showIndicator'),
    ownUri: () => deps.settings.get('sip.uri'),
    clock: deps.clock,
    logger: deps.logger,
    emit: (state) => deps.events.emit('monitor:state', state),
  });
  const off = deps.bus.on(CallEnded, ({ call }) => service.callEnded(call.id));
  return {
    service,
    takeInvite: (invitation) => service.takeInvite(invitation),
    handlers: () => ({
      'monitor:state': () => service.state(),
      'monitor:token': async ({ agent, call }) => ({ token: await deps.serverToken(agent, call) }),
      'monitor:start': ({ agent, token, mode }) => service.start(agent, token, mode),
      'monitor:mode': ({ sessionId, mode }) => service.setMode(sessionId, mode),
      'monitor:stop': ({ sessionId }) => service.stop(sessionId),
    }),
    close() {
      off();
      service.stopAll();
    },
  };
}
