import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/api/result';
import { createWorkflowHarness } from '../../../helpers/workflowHarness';

const H = 3600_000;

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

function setup(settings: Record<string, unknown> = {}) {
  const h = createWorkflowHarness({ settings });
  const create = (over: Record<string, unknown> = {}) =>
    h.workflow.tickets.create({ type: 'inquiry', priority: 'P3', category: '', subject: 'Where is my parcel', description: '', interactionIds: [], ...over });
  return { h, t: h.workflow.tickets, create };
}

describe('tickets', () => {
  it('creates a new ticket assigned to me with its SLA due time, history and outbox row', () => {
    const { h, create } = setup();
    const t = create({ type: 'complaint', priority: 'P1', category: 'delivery', customerId: 5 });
    expect(t).toMatchObject({ status: 'new', assignee: '1001', createdBy: '1001', customerId: 5, version: 1, overdue: false, dueAt: h.clock.now() + 2 * H });
    const { history } = h.workflow.tickets.get(t.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'created', by: '1001', at: h.clock.now() });
    expect(h.workflow.outbox.forEntity('ticket', t.id)).toMatchObject([{ operation: 'create', baseVersion: null, payload: { record: { id: t.id, status: 'new' } } }]);
    expect(h.seen['ticket:changed']!.at(-1)!.id).toBe(t.id);
  });

  it('uses the configured SLA rules', () => {
    const { h, create } = setup({ 'tickets.slaRules': [{ priority: 'P4', minutes: 30 }] });
    expect(create({ priority: 'P4' }).dueAt).toBe(h.clock.now() + 30 * 60_000);
  });

  it('prefills from a call: customer, link and the caller as subject', () => {
    const { h, t } = setup();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const logged = h.workflow.interactions.forCall(id)!;
    expect(t.draftFromInteraction(logged.id)).toMatchObject({ subject: 'Zhang Wei', interactionIds: [logged.id], customerId: null });
    const created = t.create({ type: 'complaint', priority: 'P2', category: '', subject: 'Noise on the line', description: '', interactionIds: [], fromInteractionId: logged.id, customerId: 9 });
    expect(created).toMatchObject({ interactionIds: [logged.id], customerId: 9 });
  });

  it('records every field change with who, when, from and to, and recomputes the due time', () => {
    const { h, t, create } = setup();
    const a = create();
    h.clock.advance(60_000);
    const b = t.update({ id: a.id, version: 1, changes: { priority: 'P1', subject: 'Parcel lost' }, linkInteractionIds: [] });
    expect(b).toMatchObject({ version: 2, priority: 'P1', subject: 'Parcel lost', dueAt: a.createdAt + 4 * H });
    const last = t.get(a.id).history.at(-1)!;
    expect(last).toMatchObject({ action: 'updated', by: '1001', at: h.clock.now() });
    expect(last.changes).toEqual([
      { field: 'priority', from: 'P3', to: 'P1' },
      { field: 'subject', from: 'Where is my parcel', to: 'Parcel lost' },
      { field: 'dueAt', from: a.dueAt, to: a.createdAt + 4 * H },
    ]);
    expect(h.workflow.outbox.forEntity('ticket', a.id).map((e) => [e.operation, e.baseVersion])).toEqual([
      ['create', null],
      ['update', 1],
    ]);
  });

  it('refuses a change made on a stale version (CONFLICT) and an unknown category', () => {
    const { t, create } = setup();
    const a = create();
    t.update({ id: a.id, version: 1, changes: { subject: 'x' }, linkInteractionIds: [] });
    expect(errorOf(() => t.update({ id: a.id, version: 1, changes: { subject: 'y' }, linkInteractionIds: [] }))).toMatchObject({ code: 'CONFLICT', details: { version: 2 } });
    expect(errorOf(() => t.update({ id: a.id, version: 2, changes: { category: 'astrology' }, linkInteractionIds: [] }))).toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(errorOf(() => t.update({ id: 'nope', version: 1, changes: {}, linkInteractionIds: [] }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('goes new -> open -> pending -> resolved -> closed and can be reopened', () => {
    const { h, t, create } = setup();
    const a = create();
    const open = t.transition({ id: a.id, version: 1, to: 'open' });
    const pending = t.transition({ id: a.id, version: open.version, to: 'pending' });
    const resolved = t.transition({ id: a.id, version: pending.version, to: 'resolved', resolution: 'Parcel found', satisfaction: 4 });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Parcel found', satisfaction: 4, resolvedAt: h.clock.now() });
    const closed = t.transition({ id: a.id, version: resolved.version, to: 'closed' });
    expect(closed.closedAt).toBe(h.clock.now());
    const reopened = t.transition({ id: a.id, version: closed.version, to: 'open' });
    expect(reopened).toMatchObject({ status: 'open', resolution: null, satisfaction: null, resolvedAt: null, closedAt: null, version: 6 });
    const statuses = t.get(a.id).history.filter((e) => e.action === 'status').map((e) => e.changes[0]!.to);
    expect(statuses).toEqual(['open', 'pending', 'resolved', 'closed', 'open']);
    expect(t.get(a.id).history.find((e) => e.changes.some((c) => c.field === 'resolution' && c.from === 'Parcel found'))).toBeTruthy();
  });

  it('refuses resolving without a resolution or satisfaction, and an undefined status jump, leaving the ticket as it was', () => {
    const { h, t, create } = setup();
    const a = create();
    expect(errorOf(() => t.transition({ id: a.id, version: 1, to: 'resolved', satisfaction: 5 }))).toMatchObject({ code: 'MISSING_FIELD', message: 'A resolution is required to resolve a ticket', details: { field: 'resolution' } });
    expect(errorOf(() => t.transition({ id: a.id, version: 1, to: 'resolved', resolution: 'done' }))).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'satisfaction' } });
    expect(errorOf(() => t.transition({ id: a.id, version: 1, to: 'closed' }))).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: 'A ticket cannot go from new to closed' });
    expect(t.get(a.id)).toMatchObject({ ticket: { status: 'new', version: 1 }, history: [{ action: 'created' }] });
    expect(h.workflow.outbox.forEntity('ticket', a.id)).toHaveLength(1);
  });

  it('resolves without satisfaction when the policy does not require it', () => {
    const { t, create } = setup({ 'tickets.requireSatisfaction': false });
    const a = create();
    expect(t.transition({ id: a.id, version: 1, to: 'resolved', resolution: 'Answered' }).status).toBe('resolved');
  });

  it('lists my open tickets, overdue tickets and a customer’s tickets', () => {
    const { h, t, create } = setup();
    const mine = create({ priority: 'P1', customerId: 1 });
    const theirs = create({ priority: 'P4', assignee: 'other', customerId: 1 });
    const done = create({ customerId: 2 });
    t.transition({ id: done.id, version: 1, to: 'resolved', resolution: 'ok', satisfaction: 5 });
    expect(t.list({ view: 'my-open', limit: 100, offset: 0 })).toMatchObject({ total: 1, items: [{ id: mine.id, overdue: false }] });
    h.clock.advance(5 * H);
    expect(t.list({ view: 'overdue', limit: 100, offset: 0 })).toMatchObject({ total: 1, items: [{ id: mine.id, overdue: true }] });
    expect(t.list({ view: 'by-customer', customerId: 1, limit: 100, offset: 0 }).items.map((x) => x.id).sort()).toEqual([mine.id, theirs.id].sort());
    expect(t.list({ view: 'open', limit: 100, offset: 0 }).total).toBe(2);
  });

  it('pauses the SLA clock while pending: 2 h pending then open moves the due time 2 h later', () => {
    const { h, t, create } = setup();
    const a = create({ priority: 'P1' });
    const due = a.dueAt;
    const opened = t.transition({ id: a.id, version: 1, to: 'open' });
    h.clock.advance(H);
    const pending = t.transition({ id: a.id, version: opened.version, to: 'pending' });
    expect(pending).toMatchObject({ status: 'pending', dueAt: due, pendingSince: h.clock.now() });
    h.clock.advance(2 * H);
    const back = t.transition({ id: a.id, version: pending.version, to: 'open' });
    expect(back).toMatchObject({ status: 'open', dueAt: due + 2 * H, pendingSince: null });
    const entry = t.get(a.id).history.at(-1);
    expect(entry).toMatchObject({ action: 'status', changes: [{ field: 'status', from: 'pending', to: 'open' }, { field: 'dueAt', from: due, to: due + 2 * H }] });
    const row = h.db.prepare("SELECT payload_json FROM outbox WHERE entity_id = ? AND operation = 'transition' ORDER BY seq DESC LIMIT 1").get(a.id) as { payload_json: string };
    expect(JSON.parse(row.payload_json)).toMatchObject({ record: { status: 'open', dueAt: due + 2 * H, pendingSince: null } });
    // A later priority change keeps the 2 h credited.
    const p2 = t.update({ id: a.id, version: back.version, changes: { priority: 'P2' }, linkInteractionIds: [] });
    expect(p2.dueAt).toBe(a.createdAt + 8 * H + 2 * H);
  });

  it('does not list a pending ticket as overdue, nor mark it overdue, however late it is', () => {
    const { h, t, create } = setup();
    const a = create({ priority: 'P1' });
    const late = create({ priority: 'P1' });
    const pending = t.transition({ id: a.id, version: 1, to: 'pending' });
    h.clock.advance(10 * H);
    const overdue = t.list({ view: 'overdue', limit: 100, offset: 0 });
    expect(overdue.items.map((x) => x.id)).toEqual([late.id]);
    expect(overdue.total).toBe(1);
    expect(t.get(a.id).ticket).toMatchObject({ status: 'pending', overdue: false });
    expect(t.list({ view: 'my-open', limit: 100, offset: 0 }).items.find((x) => x.id === a.id)).toMatchObject({ overdue: false });
    // Resolved after 10 h pending: the due time (4 h SLA) moved 10 h later; reopened, the clock runs again.
    const resolved = t.transition({ id: a.id, version: pending.version, to: 'resolved', resolution: 'Answered', satisfaction: 4 });
    expect(resolved.dueAt).toBe(a.dueAt + 10 * H);
    h.clock.advance(3 * H);
    expect(t.transition({ id: a.id, version: resolved.version, to: 'open' })).toMatchObject({ dueAt: a.dueAt + 10 * H, overdue: false });
    h.clock.advance(2 * H);
    expect(t.get(a.id).ticket.overdue).toBe(true);
  });

  it('writes neither ticket nor outbox row when a part of the save fails', () => {
    const { h, create } = setup();
    h.db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox WHEN NEW.entity = 'ticket' BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(() => create()).toThrow('disk full');
    expect(h.db.prepare('SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM ticket_history) AS h').get()).toEqual({ t: 0, h: 0 });
    h.db.exec('DROP TRIGGER fail_outbox');
    h.db.exec("CREATE TRIGGER fail_history BEFORE INSERT ON ticket_history BEGIN SELECT RAISE(ABORT, 'history failed'); END;");
    expect(() => create()).toThrow('history failed');
    expect(h.db.prepare("SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM outbox WHERE entity = 'ticket') AS o").get()).toEqual({ t: 0, o: 0 });
  });

  it('writes nothing of a wrap-up when one of its records fails, and the agent stays in wrap-up', () => {
    const { h } = setup();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const outboxBefore = h.workflow.outbox.count();
    h.db.exec("CREATE TRIGGER fail_task BEFORE INSERT ON tasks BEGIN SELECT RAISE(ABORT, 'task failed'); END;");
    expect(() =>
      h.workflow.agent.submitWrapUp({
        disposition: 'ticket-created',
        notes: 'n',
        linkTicketIds: [],
        createTicket: { type: 'complaint', priority: 'P2', category: '', subject: 's', description: '', interactionIds: [] },
        followUp: { kind: 'follow-up', title: 'Check', notes: '', dueAt: h.clock.now() + H },
      }),
    ).toThrow('task failed');
    expect(h.db.prepare('SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM interactions) AS i').get()).toEqual({ t: 0, i: 1 });
    expect(h.workflow.outbox.count()).toBe(outboxBefore);
    expect(h.agent().state).toBe('wrap-up');
  });
});
