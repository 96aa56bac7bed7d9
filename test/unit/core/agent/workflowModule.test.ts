import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import { createTestCore } from '../../../helpers/testCore';

let core: Core;
const ws = { transport: 'ws' as const };

beforeAll(async () => {
  ({ core } = await createTestCore({ env: { CALLDESK_AGENT_ID: 'agent-7' } }));
});
afterAll(() => core?.close());

describe('workflow channels through the core dispatcher', () => {
  it('answers agent:state and switches state with agent:set-state, pushing agent:state', async () => {
    const pushed: unknown[] = [];
    const off = core.events.on('agent:state', (s) => pushed.push(s));
    // No SIP account in this core: the agent starts not ready (no phone configured), never ready.
    expect(await core.dispatcher.invoke('agent:state', null, ws)).toMatchObject({ ok: true, value: { agentId: 'agent-7', state: 'not-ready', reason: 'no-phone' } });
    expect(await core.dispatcher.invoke('agent:set-state', { state: 'not-ready', reason: 'break' }, ws)).toMatchObject({ ok: true, value: { state: 'not-ready', reason: 'break' } });
    expect(pushed.at(-1)).toMatchObject({ state: 'not-ready', reason: 'break' });
    expect(await core.dispatcher.invoke('agent:set-state', { state: 'not-ready' }, ws)).toMatchObject({ ok: false, error: { code: 'MISSING_FIELD' } });
    expect(await core.dispatcher.invoke('agent:set-state', { state: 'wrap-up' }, ws)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await core.dispatcher.invoke('wrapup:submit', { disposition: 'other' }, ws)).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION', message: 'There is no wrap-up in progress' } });
    await core.dispatcher.invoke('agent:set-state', { state: 'ready' }, ws);
    off();
  });

  it('creates, lists, transitions and reads a ticket; refuses an illegal jump with a clear message', async () => {
    const created = await core.dispatcher.invoke('ticket:create', { type: 'complaint', priority: 'P1', subject: 'Overcharged', category: 'billing' }, ws);
    expect(created).toMatchObject({ ok: true, value: { status: 'new', assignee: 'agent-7', version: 1 } });
    const t = (created as { value: { id: string } }).value;
    expect(await core.dispatcher.invoke('ticket:list', { view: 'my-open' }, ws)).toMatchObject({ ok: true, value: { total: 1, items: [{ id: t.id }] } });
    expect(await core.dispatcher.invoke('ticket:transition', { id: t.id, version: 1, to: 'closed' }, ws)).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION', message: 'A ticket cannot go from new to closed' },
    });
    expect(await core.dispatcher.invoke('ticket:transition', { id: t.id, version: 1, to: 'resolved' }, ws)).toMatchObject({ ok: false, error: { code: 'MISSING_FIELD', details: { field: 'resolution' } } });
    expect(await core.dispatcher.invoke('ticket:transition', { id: t.id, version: 1, to: 'resolved', resolution: 'Refunded', satisfaction: 6 }, ws)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await core.dispatcher.invoke('ticket:transition', { id: t.id, version: 1, to: 'resolved', resolution: 'Refunded', satisfaction: 5 }, ws)).toMatchObject({ ok: true, value: { status: 'resolved' } });
    expect(await core.dispatcher.invoke('ticket:get', { id: t.id }, ws)).toMatchObject({ ok: true, value: { ticket: { version: 2 }, history: [{ action: 'created' }, { action: 'status' }] } });
  });

  it('logs manual interactions and lists a customer timeline with its count', async () => {
    const added = await core.dispatcher.invoke('interaction:add', { kind: 'email', customerId: 12, subject: 'Quote', notes: 'Sent the quote' }, ws);
    expect(added).toMatchObject({ ok: true, value: { kind: 'email', agentId: 'agent-7' } });
    const id = (added as { value: { id: string } }).value.id;
    expect(await core.dispatcher.invoke('interaction:correct', { id, reason: 'typo', changes: { subject: 'Quotation' } }, ws)).toMatchObject({ ok: true, value: { revisionOf: id } });
    expect(await core.dispatcher.invoke('interaction:list', { customerId: 12 }, ws)).toMatchObject({ ok: true, value: { total: 1, items: [{ subject: 'Quotation' }] } });
    expect(await core.dispatcher.invoke('interaction:get', { id }, ws)).toMatchObject({ ok: true, value: { revisions: [{ subject: 'Quote' }, { subject: 'Quotation' }] } });
  });

  it('creates, lists and completes a follow-up', async () => {
    const due = Date.now() + 60_000;
    const created = await core.dispatcher.invoke('task:create', { kind: 'callback', title: 'Call back', phone: '+8613800138000', dueAt: due }, ws);
    expect(created).toMatchObject({ ok: true, value: { status: 'open', remindAt: due } });
    const id = (created as { value: { id: string } }).value.id;
    expect(await core.dispatcher.invoke('task:list', { view: 'my-day', until: due + 1 }, ws)).toMatchObject({ ok: true, value: { items: [{ id }] } });
    expect(await core.dispatcher.invoke('task:complete', { id, version: 1 }, ws)).toMatchObject({ ok: true, value: { status: 'done' } });
    expect(await core.dispatcher.invoke('task:create', { kind: 'callback', title: 'x', dueAt: due }, ws)).toMatchObject({ ok: false, error: { code: 'MISSING_FIELD' } });
  });

  it('wrote an outbox row for every change in the real database', () => {
    const counts = core.db.prepare('SELECT entity, count(*) AS n FROM outbox GROUP BY entity ORDER BY entity').all();
    expect(counts).toEqual([
      { entity: 'agent-state-event', n: 3 },
      { entity: 'interaction', n: 2 },
      { entity: 'task', n: 2 },
      { entity: 'ticket', n: 2 },
    ]);
  });
});
