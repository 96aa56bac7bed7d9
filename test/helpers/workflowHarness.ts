import { createWorkflowModule } from '../../electron/core/agent/workflowModule';
import { SettingsService } from '../../electron/core/config/settingsService';
import { CoreBus, type CoreEvent } from '../../electron/core/bus/coreBus';
import { CoreEvents } from '../../electron/core/events';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, type CallEventBase } from '../../electron/core/phone/callEvents';
import { createLogRoot, createMemorySink } from '../../electron/core/log/logger';
import { createRepositories } from '../../electron/core/store/repositories';
import { openDatabase } from '../../electron/core/store/database';
import { SettingsRepository } from '../../electron/core/store/settingsRepository';
import type { AgentSnapshot } from '../../shared/agent/api';
import type { CallSnapshot, PhoneState } from '../../shared/phone/call';
import type { EventChannel, EventPayload } from '../../shared/api/contract';
import { createFakeNotifier } from '../fakes/adapters';
import { createFakeClock } from '../fakes/fakeClock';
import { EMPTY_LAYER } from '../../electron/core/config/settingLayers';
import { callIdentity, parseCallerIdentity } from '../../shared/phone-number/callerId';
import { CallCustomers } from '../../electron/core/customer/callCustomers';

/**
 * The workflow module on a `:memory:` database with real settings, a fake clock/scheduler, a fake
 * notifier and a recording call control. `phone` reports calls as the phone does: call lifecycle
 * events on the core bus and `phone:state` snapshots.
 */
export function createWorkflowHarness(opts: { file?: string; settings?: Record<string, unknown>; start?: number; customers?: Record<string, number> } = {}) {
  const clock = createFakeClock(opts.start);
  const db = openDatabase({ file: opts.file ?? ':memory:' });
  const sink = createMemorySink();
  const logRoot = createLogRoot([sink]);
  const settings = new SettingsService(new SettingsRepository(db, clock.now), EMPTY_LAYER, EMPTY_LAYER, logRoot.createLogger('settings'));
  settings.set('sip.uri', 'sip:1001@pbx.test');
  settings.set('sip.server', 'wss://pbx.test');
  for (const [k, v] of Object.entries(opts.settings ?? {})) settings.set(k, v);
  const events = new CoreEvents();
  const bus = new CoreBus();
  const notifier = createFakeNotifier();
  const rejects: { callId: string; code: number }[] = [];
  const seen: { [C in EventChannel]?: EventPayload<C>[] } = {};
  const record = <C extends EventChannel>(c: C) => events.on(c, (p) => void (seen[c] ??= [] as never[]).push(p as never));
  for (const c of ['agent:state', 'interaction:logged', 'ticket:changed', 'task:changed', 'task:reminder'] as const) record(c);
  const workflow = createWorkflowModule({
    db,
    settings,
    clock,
    events,
    bus,
    repos: createRepositories(db, { now: () => clock.now(), bus }),
    notifier,
    logger: logRoot.createLogger('workflow'),
    calls: { reject: async (callId, code) => void rejects.push({ callId, code }) },
    callCustomers: new CallCustomers(events, (n) => opts.customers?.[n] ?? null),
    scheduler: clock,
  });
  workflow.start();

  const calls = new Map<string, CallSnapshot>();
  const emitPhone = () => {
    const state: PhoneState = {
      registration: { state: 'registered', aor: 'sip:1001@pbx.test', since: 0, attempt: 0 },
      calls: [...calls.values()].map((c) => structuredClone(c)),
      doNotDisturb: false,
      mediaReady: true,
    };
    events.emit('phone:state', state);
  };
  /** Reports a lifecycle event (before the snapshot, as the phone does). */
  const announce = (event: CoreEvent<CallEventBase>, id: string) => {
    const call = structuredClone(calls.get(id)!);
    const at = clock.now();
    if (event === CallEnded) bus.emit(CallEnded, { call, at, reason: call.end!, times: call.times });
    else bus.emit(event, { call, at });
    emitPhone();
  };
  let n = 0;
  /** Drives one call through its SIP life as the phone would report it. */
  const phone = {
    ring(number = '+8613800138000', headers: Record<string, string> = { 'X-Queue': 'sales' }): string {
      const id = `call-${++n}`;
      const t = clock.now();
      calls.set(id, {
        id,
        sipCallId: `sip-${id}`,
        direction: 'inbound',
        remote: { number, displayName: 'Zhang Wei', uri: `sip:${number}@pbx.test`, source: 'from' },
        caller: parseCallerIdentity({ from: `"Zhang Wei" <sip:${number}@pbx.test>` }),
        state: 'ringing',
        muted: false,
        remoteHold: false,
        waiting: false,
        times: { created: t, ringing: t, holds: [] },
        headers,
        dtmfReceived: '',
      });
      announce(CallRinging, id);
      return id;
    },
    dial(number = '+8613900139000'): string {
      const id = `call-${++n}`;
      calls.set(id, {
        id,
        sipCallId: `sip-${id}`,
        direction: 'outbound',
        remote: { number, displayName: '', uri: `sip:${number}@pbx.test`, source: 'to' },
        caller: callIdentity('outbound', { to: `<sip:${number}@pbx.test>` }).caller,
        state: 'dialing',
        muted: false,
        remoteHold: false,
        waiting: false,
        times: { created: clock.now(), holds: [] },
        headers: {},
        dtmfReceived: '',
      });
      announce(CallDialing, id);
      return id;
    },
    answer(id: string) {
      const c = calls.get(id)!;
      c.state = 'active';
      c.times.answered = clock.now();
      announce(CallAnswered, id);
    },
    hold(id: string) {
      const c = calls.get(id)!;
      c.state = 'held';
      c.times.holds.push({ start: clock.now() });
      announce(CallHeld, id);
    },
    resume(id: string) {
      const c = calls.get(id)!;
      c.state = 'active';
      c.times.holds[c.times.holds.length - 1]!.end = clock.now();
      announce(CallResumed, id);
    },
    end(id: string, end: CallSnapshot['end'] = { reason: 'remote-hangup' }) {
      const c = calls.get(id)!;
      const t = clock.now();
      for (const h of c.times.holds) h.end ??= t;
      c.state = 'ended';
      c.times.ended = t;
      c.end = end;
      announce(CallEnded, id);
    },
    snapshot: (id: string) => structuredClone(calls.get(id)!),
  };
  const agent = (): AgentSnapshot => workflow.agent.snapshot();
  return { clock, db, settings, events, bus, notifier, rejects, seen, workflow, phone, agent, logs: sink.records };
}
