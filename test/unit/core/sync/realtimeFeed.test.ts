import { describe, expect, it } from 'vitest';
import { startRealtimeFeed } from '../../../../electron/core/sync/realtimeFeed';
import type { RealtimeClientMessage } from '../../../../shared/sync/protocol';
import { createWorkflowHarness } from '../../../helpers/workflowHarness';

describe('real-time feed for the supervisor views', () => {
  it('sends each recorded agent state change once and each call state change once, with ids the server can dedupe', async () => {
    const h = createWorkflowHarness();
    const sent: RealtimeClientMessage[] = [];
    const stop = startRealtimeFeed({ bus: h.bus, latestAgentEvent: () => h.workflow.agent.lastEvent(), send: (m) => void sent.push(m) });

    await h.workflow.agent.setState('ready');
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const states = sent.filter((m) => m.type === 'agent-state').map((m) => (m.type === 'agent-state' ? m.event : null)!);
    const stored = h.workflow.agent.snapshot();
    expect(states.map((e) => e.toState)).toContain('ready');
    expect(states.at(-1)!.toState).toBe(stored.state);
    expect(new Set(states.map((e) => e.id)).size).toBe(states.length);

    const calls = sent.filter((m) => m.type === 'call-event').map((m) => (m.type === 'call-event' ? m.event : null)!);
    expect(calls.map((e) => e.kind)).toEqual(['ringing', 'active', 'ended']);
    expect(calls[0]).toMatchObject({ id: `${id}:ringing`, callId: id, data: { direction: 'inbound', remote: '+8613800138000' } });
    expect(new Set(calls.map((e) => e.id)).size).toBe(calls.length);

    stop();
    const before = sent.length;
    h.phone.ring();
    expect(sent.length).toBe(before);
  });
});

describe('real-time feed: a call held and resumed twice', () => {
  it('each resume is a new event (its own id), so the server sees the call talking again, not still on hold', async () => {
    const h = createWorkflowHarness();
    const sent: RealtimeClientMessage[] = [];
    const stop = startRealtimeFeed({ bus: h.bus, send: (m) => void sent.push(m) });
    await h.workflow.agent.setState('ready');
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.hold(id);
    h.phone.resume(id);
    h.phone.hold(id);
    h.phone.resume(id);
    const calls = sent.filter((m) => m.type === 'call-event').map((m) => (m.type === 'call-event' ? m.event : null)!);
    expect(calls.map((e) => e.kind)).toEqual(['ringing', 'active', 'held', 'active', 'held', 'active']);
    expect(new Set(calls.map((e) => e.id)).size).toBe(calls.length);
    expect(calls.map((e) => e.id).slice(0, 3)).toEqual([`${id}:ringing`, `${id}:active`, `${id}:held`]);
    stop();
  });
});
