import { describe, expect, it } from 'vitest';
import { createWorkflowHarness } from '../../../helpers/workflowHarness';

const M = 60_000;

describe('follow-ups and callbacks', () => {
  it('reminds at the due time through the notifier, once, and pushes task:reminder', () => {
    const h = createWorkflowHarness();
    const task = h.workflow.tasks.create({ kind: 'callback', title: 'Call Zhang Wei back', notes: 'about the refund', phone: '+8613800138000', customerId: 4, dueAt: h.clock.now() + 30 * M });
    expect(task).toMatchObject({ remindAt: task.dueAt, remindedAt: null, status: 'open', assignee: '1001' });
    h.clock.advance(30 * M - 1);
    expect(h.notifier.shown).toEqual([]);
    h.clock.advance(1);
    expect(h.notifier.shown).toEqual([{ title: 'Call Zhang Wei back', body: '+8613800138000 · about the refund' }]);
    expect(h.seen['task:reminder']!.map((t) => t.id)).toEqual([task.id]);
    h.clock.advance(60 * M);
    expect(h.notifier.shown).toHaveLength(1);
  });

  it('reminds for tasks created later and earlier ones first; none for a task without reminder or completed', () => {
    const h = createWorkflowHarness();
    const now = h.clock.now();
    h.workflow.tasks.create({ kind: 'follow-up', title: 'late', notes: '', dueAt: now + 20 * M });
    h.workflow.tasks.create({ kind: 'follow-up', title: 'early', notes: '', dueAt: now + 10 * M });
    h.workflow.tasks.create({ kind: 'follow-up', title: 'silent', notes: '', dueAt: now + 5 * M, remindAt: null });
    const done = h.workflow.tasks.create({ kind: 'follow-up', title: 'done', notes: '', dueAt: now + 1 * M });
    h.workflow.tasks.complete({ id: done.id, version: 1, cancelled: false });
    h.clock.advance(30 * M);
    expect(h.notifier.shown.map((s) => s.title)).toEqual(['early', 'late']);
  });

  it('fires reminders already due when the reminder service starts (after a restart)', () => {
    const h = createWorkflowHarness();
    h.workflow.tasks.stop();
    h.workflow.tasks.create({ kind: 'follow-up', title: 'missed while closed', notes: '', dueAt: h.clock.now() + M });
    h.clock.advance(10 * M);
    expect(h.notifier.shown).toEqual([]);
    h.workflow.tasks.start();
    expect(h.notifier.shown.map((s) => s.title)).toEqual(['missed while closed']);
  });

  it('lists my day: open tasks due before the end of the day, overdue first', () => {
    const h = createWorkflowHarness();
    const now = h.clock.now();
    const overdue = h.workflow.tasks.create({ kind: 'follow-up', title: 'overdue', notes: '', dueAt: now - 60 * M });
    const today = h.workflow.tasks.create({ kind: 'follow-up', title: 'today', notes: '', dueAt: now + 60 * M });
    h.workflow.tasks.create({ kind: 'follow-up', title: 'tomorrow', notes: '', dueAt: now + 30 * 60 * M });
    h.workflow.tasks.create({ kind: 'follow-up', title: 'not mine', notes: '', dueAt: now, assignee: 'other' });
    const day = h.workflow.tasks.list({ view: 'my-day', until: now + 12 * 60 * M, limit: 200 });
    expect(day.items.map((t) => [t.title, t.overdue])).toEqual([
      ['overdue', true],
      ['today', false],
    ]);
    h.workflow.tasks.complete({ id: today.id, version: 1, cancelled: false, notes: 'called, all good' });
    expect(h.workflow.tasks.list({ view: 'my-day', until: now + 12 * 60 * M, limit: 200 }).items.map((t) => t.id)).toEqual([overdue.id]);
  });

  it('refuses a callback without a number, a stale completion and completing twice', () => {
    const h = createWorkflowHarness();
    expect(() => h.workflow.tasks.create({ kind: 'callback', title: 'x', notes: '', dueAt: h.clock.now() })).toThrow('A callback needs a phone number');
    const t = h.workflow.tasks.create({ kind: 'follow-up', title: 'x', notes: '', dueAt: h.clock.now() });
    expect(() => h.workflow.tasks.complete({ id: t.id, version: 2, cancelled: false })).toThrow(/changed by someone else/);
    const done = h.workflow.tasks.complete({ id: t.id, version: 1, cancelled: true });
    expect(done).toMatchObject({ status: 'cancelled', version: 2 });
    expect(() => h.workflow.tasks.complete({ id: t.id, version: 2, cancelled: false })).toThrow('A cancelled task cannot be completed again');
    expect(h.workflow.outbox.forEntity('task', t.id).map((e) => [e.operation, e.baseVersion])).toEqual([
      ['create', null],
      ['complete', 1],
    ]);
  });
});
