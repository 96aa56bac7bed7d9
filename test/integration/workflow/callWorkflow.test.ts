import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import { createWorkflowModule, type WorkflowModule } from '../../../electron/core/agent/workflowModule';
import { SettingsService } from '../../../electron/core/config/settingsService';
import { CoreEvents } from '../../../electron/core/events';
import { createLogRoot, createMemorySink } from '../../../electron/core/log/logger';
import { createRepositories } from '../../../electron/core/store/repositories';
import { openDatabase } from '../../../electron/core/store/database';
import { SettingsRepository } from '../../../electron/core/store/settingsRepository';
import type { AgentSnapshot } from '../../../shared/agent/api';
import type { CallSnapshot } from '../../../shared/phone/call';
import { createFakeNotifier } from '../../fakes/adapters';
import { registeredPhone, startTestPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';
import { EMPTY_LAYER } from '../../../electron/core/config/settingLayers';
import { CallCustomers } from '../../../electron/core/customer/callCustomers';

/**
 * The agent workflow on real SIP: a customer softphone calls the agent's softphone through a real
 * Kamailio; the agent phone's call lifecycle events drive the workflow module (real clock and timers).
 */

let pbx: RunningPbx;
let agentPhone: TestPhone;
let customer: TestPhone;
let wf: WorkflowModule;
let settings: SettingsService;
let events: CoreEvents;
const CUSTOMER_ID = 77;

beforeAll(async () => {
  pbx = await startTestPbx();
  [agentPhone, customer] = await Promise.all([registeredPhone(pbx, '1001'), registeredPhone(pbx, '1002')]);
  const db = openDatabase({ file: ':memory:' });
  const root = createLogRoot([createMemorySink()]);
  settings = new SettingsService(new SettingsRepository(db, Date.now), EMPTY_LAYER, EMPTY_LAYER, root.createLogger('settings'));
  settings.set('sip.uri', 'sip:1001@calldesk.test');
  settings.set('sip.server', pbx.wsUrl);
  events = new CoreEvents();
  wf = createWorkflowModule({
    db,
    settings,
    clock: { now: () => Date.now() },
    events,
    bus: agentPhone.bus,
    repos: createRepositories(db, { now: () => Date.now(), bus: agentPhone.bus }),
    notifier: createFakeNotifier(),
    logger: root.createLogger('workflow'),
    calls: { reject: (callId, code) => agentPhone.service.reject(callId, code) },
    callCustomers: new CallCustomers(events, (n) => (n === '1002' ? CUSTOMER_ID : null)),
  });
  wf.start();
});

afterEach(async () => {
  for (const p of [agentPhone, customer]) {
    for (const call of p.service.state().calls) if (call.state !== 'ended') await p.service.hangup(call.id).catch(() => undefined);
  }
  for (const p of [agentPhone, customer]) await p.waitFor((s) => s.calls.every((x) => x.state === 'ended'), 'all calls ended');
  Object.assign(agentPhone.behaviour, structuredClone(startTestPhone.behaviourDefaults));
});

afterAll(async () => {
  wf?.stop();
  for (const p of [agentPhone, customer]) await p?.stop().catch(() => undefined);
  await pbx?.stop();
});

function waitForAgent(pred: (s: AgentSnapshot) => boolean, what: string, timeoutMs = 15_000): Promise<AgentSnapshot> {
  return new Promise((resolve, reject) => {
    if (pred(wf.agent.snapshot())) return resolve(wf.agent.snapshot());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for agent ${what}; state ${JSON.stringify(wf.agent.snapshot())}`));
    }, timeoutMs);
    const off = events.on('agent:state', (s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

const ringingIn = (c: CallSnapshot) => c.direction === 'inbound' && c.state === 'ringing';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('agent workflow on real SIP calls through Kamailio', () => {
  it('inbound call -> answer -> customer hangs up -> wrap-up with timer -> disposition, notes, complaint ticket -> ready; durations match the SIP timestamps', async () => {
    settings.set('wrapup.mode', 'time-boxed');
    settings.set('wrapup.seconds', 120);
    await waitForAgent((s) => s.state === 'ready', 'ready');
    const dialled = await customer.service.dial('1001', { 'X-Queue': 'complaints' });
    const ringing = await agentPhone.waitForCall(ringingIn, 'inbound ringing');
    await waitForAgent((s) => s.state === 'ringing' && s.callId === ringing.id, 'ringing');
    await sleep(300);
    await agentPhone.service.answer(ringing.id);
    await waitForAgent((s) => s.state === 'on-call', 'on call');
    await customer.waitForCall((c) => c.id === dialled.id && c.state === 'active', 'customer talking');
    await sleep(400);
    await agentPhone.service.hold(ringing.id);
    await sleep(300);
    await agentPhone.service.resume(ringing.id);
    await sleep(300);
    await customer.service.hangup(dialled.id);

    const wrapping = await waitForAgent((s) => s.state === 'wrap-up', 'wrap-up');
    expect(wrapping.wrapUp).toMatchObject({ callId: ringing.id, mode: 'time-boxed', customerId: CUSTOMER_ID, canExtend: true });
    expect(wrapping.wrapUp!.deadline! - wrapping.wrapUp!.startedAt).toBe(120_000);

    const agentCall = agentPhone.service.call(ringing.id);
    const customerCall = customer.service.call(dialled.id);
    const logged = wf.interactions.forCall(ringing.id)!;
    expect(logged).toMatchObject({ direction: 'inbound', remoteNumber: '1002', queue: 'complaints', endReason: 'remote-hangup', customerId: CUSTOMER_ID });
    // Exactly the agent side's SIP timestamps...
    expect(logged.answeredAt).toBe(agentCall.times.answered);
    expect(logged.endedAt).toBe(agentCall.times.ended);
    expect(logged.holdMs).toBe(agentCall.times.holds.reduce((a, h) => a + (h.end! - h.start), 0));
    // ...and within 1 s of the caller's own view of the call.
    const customerTalk = customerCall.times.ended! - customerCall.times.answered!;
    expect(Math.abs(logged.talkMs! + logged.holdMs! - customerTalk)).toBeLessThan(1000);
    expect(logged.holdMs!).toBeGreaterThan(200);

    const result = wf.agent.submitWrapUp({
      disposition: 'ticket-created',
      notes: 'Billed twice for October',
      linkTicketIds: [],
      createTicket: { type: 'complaint', priority: 'P2', category: 'billing', subject: 'Double billing', description: '', interactionIds: [] },
    });
    expect(result.agent.state).toBe('ready');
    expect(result.interaction).toMatchObject({ disposition: 'ticket-created', notes: 'Billed twice for October', wrapUpCompletion: 'submitted' });
    const timeline = wf.interactions.list(CUSTOMER_ID, 5);
    expect(timeline.items[0]).toMatchObject({ rootId: logged.id, disposition: 'ticket-created', talkMs: logged.talkMs });
    const mine = wf.tickets.list({ view: 'my-open', limit: 100, offset: 0 });
    expect(mine.items.find((t) => t.id === result.ticket!.id)).toMatchObject({ type: 'complaint', customerId: CUSTOMER_ID, interactionIds: [logged.id], dueAt: result.ticket!.createdAt + 4 * 3600_000 });
  });

  it('a call left ringing until the ring timeout is logged as missed and the agent is not ready (missed call)', async () => {
    agentPhone.behaviour.ringTimeoutSeconds = 2;
    wf.agent.setState('ready');
    const dialled = await customer.service.dial('1001');
    const ringing = await agentPhone.waitForCall(ringingIn, 'inbound ringing');
    const after = await waitForAgent((s) => s.state === 'not-ready', 'not ready after the ring timeout');
    expect(after).toMatchObject({ reason: 'missed-call' });
    expect(wf.interactions.forCall(ringing.id)).toMatchObject({ endReason: 'missed', answeredAt: null, talkMs: 0 });
    expect(wf.interactions.forCall(ringing.id)!.ringMs!).toBeGreaterThanOrEqual(2000);
    await customer.waitForCall((c) => c.id === dialled.id && c.state === 'ended', 'caller sees the end');
  });

  it('time-boxed wrap-up completes by itself with the default disposition', async () => {
    settings.set('wrapup.seconds', 5);
    wf.agent.setState('ready');
    const dialled = await customer.service.dial('1001');
    const ringing = await agentPhone.waitForCall(ringingIn, 'inbound ringing');
    await agentPhone.service.answer(ringing.id);
    await customer.waitForCall((c) => c.id === dialled.id && c.state === 'active', 'customer talking');
    await agentPhone.service.hangup(ringing.id);
    await waitForAgent((s) => s.state === 'wrap-up', 'wrap-up');
    await waitForAgent((s) => s.state === 'ready', 'ready after the time box', 10_000);
    const head = wf.interactions.forCall(ringing.id)!;
    expect(head).toMatchObject({ disposition: settings.get('wrapup.defaultDisposition'), wrapUpCompletion: 'auto', endReason: 'local-hangup' });
    expect(head.wrapUpMs!).toBeGreaterThanOrEqual(5000);
  });

  it('reject-busy: a not-ready agent’s phone rejects the call with 486 and the caller hears busy', async () => {
    settings.set('agent.notReadyInbound', 'reject-busy');
    wf.agent.setState('not-ready', 'lunch');
    const dialled = await customer.service.dial('1001');
    const ended = await customer.waitForCall((c) => c.id === dialled.id && c.state === 'ended', 'caller call ended');
    expect(ended.end).toMatchObject({ reason: 'busy', sipCode: 486 });
    expect(wf.agent.snapshot()).toMatchObject({ state: 'not-ready', reason: 'lunch' });
    settings.set('agent.notReadyInbound', 'keep-ringing');
  });
});
