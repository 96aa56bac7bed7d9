import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/api/result';
import { tempDataDir } from '../../../helpers/hostProcess';
import { createWorkflowHarness } from '../../../helpers/workflowHarness';

const S = 1000;

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('agent workflow: an inbound call from ring to ready', () => {
  it('rings, goes on call, logs the call with durations from the SIP timestamps, wraps up with a ticket and is ready again', () => {
    const h = createWorkflowHarness({ customers: { '+8613800138000': 42 } });
    expect(h.agent()).toMatchObject({ state: 'ready', agentId: '1001', reason: null });

    const id = h.phone.ring();
    expect(h.agent()).toMatchObject({ state: 'ringing', callId: id });
    h.clock.advance(4 * S + 250);
    h.phone.answer(id);
    expect(h.agent()).toMatchObject({ state: 'on-call', callId: id });
    h.clock.advance(30 * S);
    h.phone.hold(id);
    h.clock.advance(12 * S + 400);
    h.phone.resume(id);
    h.clock.advance(20 * S + 100);
    h.phone.end(id, { reason: 'remote-hangup' });

    const call = h.phone.snapshot(id);
    const logged = h.workflow.interactions.forCall(id)!;
    expect(logged).toMatchObject({
      kind: 'call',
      direction: 'inbound',
      remoteNumber: '+8613800138000',
      customerId: 42,
      queue: 'sales',
      headers: { 'X-Queue': 'sales' },
      localNumber: 'sip:1001@pbx.test',
      agentId: '1001',
      endReason: 'remote-hangup',
      occurredAt: call.times.ringing,
      answeredAt: call.times.answered,
      endedAt: call.times.ended,
      holds: call.times.holds,
    });
    // Exactly the SIP timestamps: ring 4.25 s, hold 12.4 s, talk 30 + 20.1 s.
    expect(logged.ringMs).toBe(call.times.answered! - call.times.ringing!);
    expect(logged.ringMs).toBe(4250);
    expect(logged.holdMs).toBe(12_400);
    expect(logged.talkMs).toBe(call.times.ended! - call.times.answered! - 12_400);
    expect(logged.talkMs).toBe(50_100);

    const wrapping = h.agent();
    expect(wrapping.state).toBe('wrap-up');
    expect(wrapping.wrapUp).toMatchObject({ interactionId: logged.id, callId: id, mode: 'time-boxed', startedAt: h.clock.now(), deadline: h.clock.now() + 60 * S, canExtend: true, customerId: 42 });
    expect(h.seen['agent:state']!.at(-1)!.wrapUp!.deadline).toBe(h.clock.now() + 60 * S);

    h.clock.advance(15 * S);
    const result = h.workflow.agent.submitWrapUp({
      disposition: 'issue-resolved',
      notes: 'Customer reports a late delivery',
      linkTicketIds: [],
      createTicket: { type: 'complaint', priority: 'P2', category: 'delivery', subject: 'Late delivery', description: 'Parcel 3 days late', interactionIds: [] },
    });
    expect(result.agent).toMatchObject({ state: 'ready', wrapUp: null });
    expect(result.interaction).toMatchObject({ revisionKind: 'wrap-up', revisionOf: logged.id, rootId: logged.id, disposition: 'issue-resolved', wrapUpMs: 15 * S, wrapUpCompletion: 'submitted', talkMs: 50_100 });
    expect(result.ticket).toMatchObject({ type: 'complaint', status: 'new', customerId: 42, assignee: '1001', interactionIds: [logged.id] });
    // Complaint P2: 4 h SLA by default.
    expect(result.ticket!.dueAt).toBe(result.ticket!.createdAt + 4 * 3600 * S);
    expect(result.interaction.ticketIds).toEqual([result.ticket!.id]);

    // The customer's timeline shows the wrapped-up call once; the ticket is in "my open tickets".
    const timeline = h.workflow.interactions.list(42, 5);
    expect(timeline.total).toBe(1);
    expect(timeline.items[0]).toMatchObject({ id: result.interaction.id, disposition: 'issue-resolved', notes: 'Customer reports a late delivery' });
    expect(h.workflow.tickets.list({ view: 'my-open', limit: 100, offset: 0 }).items.map((t) => t.id)).toEqual([result.ticket!.id]);

    // Every state was recorded with the time spent in the previous one.
    const events = h.workflow.agent.events();
    expect(events.map((e) => e.toState)).toEqual(['ready', 'ringing', 'on-call', 'wrap-up', 'ready']);
    expect(events.map((e) => e.previousMs)).toEqual([null, 0, 4250, 62_500, 15 * S]);
    expect(events[0]).toMatchObject({ fromState: null, cause: 'first-start' });
    expect(events[4]).toMatchObject({ fromState: 'wrap-up', cause: 'wrap-up-submitted', callId: id });
  });

  it('writes an outbox row for every record it created', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const r = h.workflow.agent.submitWrapUp({ disposition: 'other', notes: '', linkTicketIds: [], followUp: { kind: 'callback', title: 'Call back', notes: '', dueAt: h.clock.now() + 3600 * S } });
    const rows = h.workflow.outbox.unsent();
    const entities = rows.map((r) => `${r.entity}:${r.operation}`);
    expect(entities.filter((e) => e === 'interaction:create')).toHaveLength(2);
    expect(entities.filter((e) => e === 'agent-state-event:create')).toHaveLength(5);
    expect(entities).toContain('task:create');
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.clientId)).size).toBe(1);
    // The callback got the caller's number and links to the call.
    expect(r.task).toMatchObject({ kind: 'callback', phone: '+8613800138000', interactionId: r.interaction.rootId });
  });
});

describe('agent workflow: wrap-up modes', () => {
  it('time-boxed wrap-up completes by itself with the default disposition', () => {
    const h = createWorkflowHarness({ settings: { 'wrapup.seconds': 30 } });
    const id = h.phone.ring();
    h.phone.answer(id);
    h.clock.advance(10 * S);
    h.phone.end(id);
    h.clock.advance(29 * S);
    expect(h.agent().state).toBe('wrap-up');
    h.clock.advance(1 * S);
    expect(h.agent()).toMatchObject({ state: 'ready', wrapUp: null });
    const head = h.workflow.interactions.forCall(id)!;
    expect(head).toMatchObject({ revisionKind: 'wrap-up', disposition: 'no-action', wrapUpCompletion: 'auto', wrapUpMs: 30 * S });
    expect(h.workflow.agent.events().at(-1)).toMatchObject({ fromState: 'wrap-up', toState: 'ready', cause: 'wrap-up-auto', previousMs: 30 * S });
  });

  it('extends a time-boxed wrap-up once, and refuses a second extension', () => {
    const h = createWorkflowHarness({ settings: { 'wrapup.seconds': 30, 'wrapup.extendSeconds': 20 } });
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const started = h.clock.now();
    h.clock.advance(25 * S);
    expect(h.workflow.agent.extendWrapUp().wrapUp).toMatchObject({ deadline: started + 50 * S, extended: true, canExtend: false });
    expect(errorOf(() => h.workflow.agent.extendWrapUp())).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: 'A wrap-up can be extended only once' });
    h.clock.advance(10 * S);
    expect(h.agent().state).toBe('wrap-up');
    h.clock.advance(15 * S);
    expect(h.agent().state).toBe('ready');
    expect(h.workflow.interactions.forCall(id)).toMatchObject({ wrapUpCompletion: 'auto', wrapUpMs: 50 * S });
  });

  it('mandatory wrap-up waits for the submit, keeps a ready request pending and refuses a missing disposition', () => {
    const h = createWorkflowHarness({ settings: { 'wrapup.mode': 'mandatory' } });
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    expect(h.agent().wrapUp).toMatchObject({ mode: 'mandatory', deadline: null, canExtend: false, canSkip: false });
    h.clock.advance(3600 * S);
    expect(h.agent().state).toBe('wrap-up');
    expect(h.workflow.agent.setState('not-ready', 'lunch')).toMatchObject({ state: 'wrap-up', pending: { state: 'not-ready', reason: 'lunch' } });
    expect(errorOf(() => h.workflow.agent.submitWrapUp({ notes: 'x', linkTicketIds: [] }))).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'disposition' } });
    expect(errorOf(() => h.workflow.agent.submitWrapUp({ disposition: 'made-up', notes: 'x', linkTicketIds: [] }))).toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(h.agent().state).toBe('wrap-up');
    expect(h.workflow.interactions.forCall(id)!.revisionKind).toBe('original');
    h.workflow.agent.submitWrapUp({ disposition: 'escalated', notes: '', linkTicketIds: [] });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'lunch', pending: null });
  });

  it('requires notes when configured', () => {
    const h = createWorkflowHarness({ settings: { 'wrapup.mode': 'mandatory', 'wrapup.notesRequired': true } });
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    expect(errorOf(() => h.workflow.agent.submitWrapUp({ disposition: 'other', notes: '  ', linkTicketIds: [] }))).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'notes' } });
  });

  it('optional wrap-up is skipped by choosing a state', () => {
    const h = createWorkflowHarness({ settings: { 'wrapup.mode': 'optional', 'wrapup.dispositionRequired': false } });
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    expect(h.agent().wrapUp).toMatchObject({ canSkip: true, deadline: null });
    h.clock.advance(5 * S);
    expect(h.workflow.agent.setState('not-ready', 'break')).toMatchObject({ state: 'not-ready', reason: 'break', wrapUp: null });
    expect(h.workflow.interactions.forCall(id)).toMatchObject({ wrapUpCompletion: 'skipped', disposition: null, wrapUpMs: 5 * S });
  });

  it('a new call interrupts an open wrap-up and the interruption is recorded', () => {
    const h = createWorkflowHarness();
    const first = h.phone.ring();
    h.phone.answer(first);
    h.phone.end(first);
    const second = h.phone.ring('+8613700137000');
    expect(h.agent()).toMatchObject({ state: 'ringing', callId: second, wrapUp: { callId: first } });
    h.phone.answer(second);
    expect(h.agent()).toMatchObject({ state: 'on-call', wrapUp: null });
    expect(h.workflow.interactions.forCall(first)).toMatchObject({ wrapUpCompletion: 'interrupted', disposition: null });
    h.phone.end(second);
    expect(h.agent().wrapUp).toMatchObject({ callId: second });
  });

  it('an outbound call from not ready wraps up and returns to the same not-ready reason', () => {
    const h = createWorkflowHarness();
    h.workflow.agent.setState('not-ready', 'training');
    const id = h.phone.dial();
    expect(h.agent()).toMatchObject({ state: 'on-call', callId: id });
    h.clock.advance(2 * S);
    h.phone.answer(id);
    h.clock.advance(5 * S);
    h.phone.end(id, { reason: 'local-hangup' });
    expect(h.workflow.interactions.forCall(id)).toMatchObject({ direction: 'outbound', ringMs: 2 * S, talkMs: 5 * S, endReason: 'local-hangup' });
    h.workflow.agent.submitWrapUp({ disposition: 'other', notes: '', linkTicketIds: [] });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'training' });
  });

  it('an unanswered outbound call needs no wrap-up', () => {
    const h = createWorkflowHarness();
    const id = h.phone.dial();
    h.clock.advance(20 * S);
    h.phone.end(id, { reason: 'no-answer', sipCode: 480 });
    expect(h.agent()).toMatchObject({ state: 'ready', wrapUp: null });
    expect(h.workflow.interactions.forCall(id)).toMatchObject({ endReason: 'no-answer', talkMs: 0, answeredAt: null });
  });
});

describe('agent workflow: missed rings and not-ready calls', () => {
  it('a call left ringing until the ring timeout is logged as missed and the agent is not ready (missed call)', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.clock.advance(30 * S);
    h.phone.end(id, { reason: 'missed', sipCode: 480, message: 'ring-timeout' });
    expect(h.workflow.interactions.forCall(id)).toMatchObject({ endReason: 'missed', endSipCode: 480, answeredAt: null, ringMs: 30 * S, talkMs: 0 });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'missed-call', wrapUp: null });
    expect(h.workflow.agent.events().at(-1)).toMatchObject({ fromState: 'ringing', toState: 'not-ready', toReason: 'missed-call', cause: 'missed-ring', callId: id });
  });

  it('a state the agent chose while the call rang wins over not-ready (missed call)', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.workflow.agent.setState('logged-out');
    h.phone.end(id, { reason: 'missed', sipCode: 480, message: 'ring-timeout' });
    expect(h.agent()).toMatchObject({ state: 'logged-out', pending: null });
  });

  it('rejecting a ringing call also counts as a missed ring', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.end(id, { reason: 'rejected', sipCode: 486 });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'missed-call' });
  });

  it('stays available after a missed ring when the setting is off, and after the caller gives up', () => {
    const h = createWorkflowHarness({ settings: { 'agent.missedRingNotReady': false } });
    const a = h.phone.ring();
    h.phone.end(a, { reason: 'missed', sipCode: 480, message: 'ring-timeout' });
    expect(h.agent().state).toBe('ready');
    h.settings.set('agent.missedRingNotReady', true);
    const b = h.phone.ring();
    h.phone.end(b, { reason: 'missed', sipCode: 487 });
    expect(h.agent().state).toBe('ready');
    expect(h.workflow.interactions.forCall(b)).toMatchObject({ endReason: 'missed' });
  });

  it('reject-busy: a call reaching a not-ready agent is rejected with 486, logged, and the state is kept', () => {
    const h = createWorkflowHarness({ settings: { 'agent.notReadyInbound': 'reject-busy' } });
    h.workflow.agent.setState('not-ready', 'lunch');
    const id = h.phone.ring();
    expect(h.rejects).toEqual([{ callId: id, code: 486 }]);
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'lunch' });
    h.phone.end(id, { reason: 'rejected', sipCode: 486 });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'lunch' });
    expect(h.workflow.interactions.forCall(id)).toMatchObject({ endReason: 'rejected' });
    // Ready again: calls ring.
    h.workflow.agent.setState('ready');
    h.phone.ring();
    expect(h.rejects).toHaveLength(1);
    expect(h.agent().state).toBe('ringing');
  });

  it('keep-ringing: a not-ready agent can take the call and returns to the not-ready reason after a missed caller', () => {
    const h = createWorkflowHarness();
    h.workflow.agent.setState('not-ready', 'meeting');
    const id = h.phone.ring();
    expect(h.agent().state).toBe('ringing');
    h.phone.end(id, { reason: 'missed' });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'meeting' });
  });

  it('a missed ring during wrap-up returns to wrap-up with not-ready (missed call) pending', () => {
    const h = createWorkflowHarness({ settings: { 'wrapup.mode': 'mandatory' } });
    const a = h.phone.ring();
    h.phone.answer(a);
    h.phone.end(a);
    const b = h.phone.ring();
    h.phone.end(b, { reason: 'missed', sipCode: 480, message: 'ring-timeout' });
    expect(h.agent()).toMatchObject({ state: 'wrap-up', pending: { state: 'not-ready', reason: 'missed-call' }, wrapUp: { callId: a } });
    h.workflow.agent.submitWrapUp({ disposition: 'other', notes: '', linkTicketIds: [] });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'missed-call' });
  });
});

describe('agent workflow: manual states', () => {
  it('refuses not-ready without a reason or with an unknown one, with a typed error', () => {
    const h = createWorkflowHarness();
    expect(errorOf(() => h.workflow.agent.setState('not-ready'))).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'reason' } });
    expect(errorOf(() => h.workflow.agent.setState('not-ready', 'nap'))).toMatchObject({ code: 'INVALID_PAYLOAD', details: { field: 'reason' } });
    expect(h.agent().state).toBe('ready');
  });

  it('accepts a configured reason and switches reasons, recording each change', () => {
    const h = createWorkflowHarness({ settings: { 'agent.notReadyReasons': [{ code: 'coaching', label: 'Coaching' }] } });
    h.workflow.agent.setState('not-ready', 'coaching');
    h.clock.advance(60 * S);
    h.workflow.agent.setState('logged-out');
    expect(h.workflow.agent.events().slice(-2).map((e) => [e.toState, e.toReason, e.previousMs])).toEqual([
      ['not-ready', 'coaching', 0],
      ['logged-out', null, 60 * S],
    ]);
  });

  it('keeps a state chosen during a call pending until the call work is done', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.answer(id);
    expect(h.workflow.agent.setState('not-ready', 'break')).toMatchObject({ state: 'on-call', pending: { state: 'not-ready', reason: 'break' } });
    h.phone.end(id);
    h.clock.advance(60 * S);
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'break', pending: null });
  });

  it('refuses submit and extend when there is no wrap-up', () => {
    const h = createWorkflowHarness();
    expect(errorOf(() => h.workflow.agent.submitWrapUp({ disposition: 'other', notes: '', linkTicketIds: [] }))).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(errorOf(() => h.workflow.agent.extendWrapUp())).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });
});

describe('agent workflow: restart', () => {
  it('restores ready/not-ready after a restart and turns an interrupted call state into logged-out', () => {
    const dir = tempDataDir('calldesk-agent-');
    const file = path.join(dir, 'calldesk.sqlite');
    const first = createWorkflowHarness({ file });
    first.workflow.agent.setState('not-ready', 'training');
    const since = first.agent().since;
    first.workflow.stop();
    first.db.close();

    const second = createWorkflowHarness({ file, start: since + 3600 * S });
    expect(second.agent()).toMatchObject({ state: 'not-ready', reason: 'training', since });
    const id = second.phone.ring();
    second.phone.answer(id);
    second.workflow.stop();
    second.db.close();

    const third = createWorkflowHarness({ file, start: since + 7200 * S });
    expect(third.agent()).toMatchObject({ state: 'logged-out' });
    expect(third.workflow.agent.events().at(-1)).toMatchObject({ fromState: 'on-call', toState: 'logged-out', cause: 'restored' });
    third.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('agent workflow: no phone configured', () => {
  it('starts not ready (no phone configured) instead of ready when no SIP account is set, also after a restart that was ready', () => {
    const h = createWorkflowHarness({ settings: { 'sip.server': '' } });
    expect(h.agent()).toMatchObject({ state: 'not-ready', reason: 'no-phone' });
    expect(h.workflow.agent.events().at(-1)).toMatchObject({ toState: 'not-ready', toReason: 'no-phone', cause: 'no-phone' });
    // The agent may still choose ready (e.g. while setting the phone up), and back.
    expect(h.workflow.agent.setState('ready')).toMatchObject({ state: 'ready' });
    expect(h.workflow.agent.setState('not-ready', 'no-phone')).toMatchObject({ state: 'not-ready', reason: 'no-phone' });
  });

  it('a restart without a phone after a ready session comes back not ready (no phone configured)', () => {
    const dir = tempDataDir('calldesk-agent-');
    const file = path.join(dir, 'calldesk.sqlite');
    const first = createWorkflowHarness({ file });
    expect(first.agent()).toMatchObject({ state: 'ready' });
    first.workflow.stop();
    first.db.close();
    const second = createWorkflowHarness({ file, settings: { 'sip.uri': '' }, start: first.clock.now() + 60 * S });
    expect(second.agent()).toMatchObject({ state: 'not-ready', reason: 'no-phone' });
    second.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
