import { describe, expect, it } from 'vitest';
import { mergeTicket, type ServerTicket } from '../../../../server/services/tickets';
import { DEFAULT_SLA_RULES } from '../../../../shared/ticket/ticket';

const T0 = 1_700_000_000_000;
const base: ServerTicket = {
  id: 't1',
  type: 'inquiry',
  priority: 'P3',
  status: 'new',
  category: '',
  subject: 'Subject',
  description: 'Description',
  customerId: null,
  assignee: 'alice',
  createdBy: 'alice',
  createdAt: T0,
  updatedAt: T0,
  dueAt: T0 + 24 * 3_600_000,
  pendingSince: null,
  resolution: null,
  satisfaction: null,
  resolvedAt: null,
  closedAt: null,
  interactionIds: [],
  version: 1,
};
const payload = (record: Partial<ServerTicket>, changed: string[]) => ({ record: { ...base, ...record, updatedAt: T0 + 5 }, changed });

describe('mergeTicket', () => {
  it('applies a field nobody else changed since the base version', () => {
    const m = mergeTicket(base, {}, 1, 'me', payload({ subject: 'New' }, ['subject']), DEFAULT_SLA_RULES, T0);
    expect(m.applied).toEqual(['subject']);
    expect(m.next).toMatchObject({ subject: 'New', version: 2, updatedAt: T0 + 5 });
    expect(m.fieldVersions.subject).toEqual({ v: 2, c: 'me' });
  });

  it('keeps the server value of a field someone else changed after the base (first writer wins)', () => {
    const server = { ...base, subject: 'Theirs', version: 2 };
    const m = mergeTicket(server, { subject: { v: 2, c: 'other' } }, 1, 'me', payload({ subject: 'Mine', description: 'Mine too' }, ['subject', 'description']), DEFAULT_SLA_RULES, T0);
    expect(m.lost).toEqual(['subject']);
    expect(m.applied).toEqual(['description']);
    expect(m.next).toMatchObject({ subject: 'Theirs', description: 'Mine too', version: 3 });
  });

  it('ignores fields the desktop did not name as changed, even when its record differs', () => {
    const server = { ...base, subject: 'Theirs', version: 2 };
    const m = mergeTicket(server, { subject: { v: 2, c: 'other' } }, 1, 'me', payload({ subject: 'stale copy', category: 'billing' }, ['category']), DEFAULT_SLA_RULES, T0);
    expect(m.lost).toEqual([]);
    expect(m.next).toMatchObject({ subject: 'Theirs', category: 'billing' });
  });

  it('unites interaction links', () => {
    const server = { ...base, interactionIds: ['a'], version: 2 };
    const m = mergeTicket(server, { interactionIds: { v: 2, c: 'other' } }, 1, 'me', payload({ interactionIds: ['b'] }, ['interactionIds']), DEFAULT_SLA_RULES, T0);
    expect(m.next.interactionIds).toEqual(['a', 'b']);
  });

  it('moves the status only by the table and only when nobody else moved it', () => {
    expect(mergeTicket(base, {}, 1, 'me', payload({ status: 'closed' }, ['status']), DEFAULT_SLA_RULES, T0).illegal).toBe(true);
    const resolved = mergeTicket(base, {}, 1, 'me', payload({ status: 'resolved', resolution: 'Done', satisfaction: 5 }, ['status', 'resolution', 'satisfaction']), DEFAULT_SLA_RULES, T0 + 9);
    expect(resolved.next).toMatchObject({ status: 'resolved', resolution: 'Done', satisfaction: 5, resolvedAt: T0 + 9 });
    const movedByOther = { ...base, status: 'open' as const, version: 2 };
    const lost = mergeTicket(movedByOther, { status: { v: 2, c: 'other' } }, 1, 'me', payload({ status: 'pending' }, ['status']), DEFAULT_SLA_RULES, T0);
    expect(lost.lost).toEqual(['status']);
    expect(lost.next.status).toBe('open');
  });

  it('clears the resolution when a ticket is reopened', () => {
    const closed = { ...base, status: 'closed' as const, resolution: 'Done', satisfaction: 4, resolvedAt: T0, closedAt: T0, version: 3 };
    const m = mergeTicket(closed, { status: { v: 3, c: 'other' } }, 3, 'me', payload({ ...closed, status: 'open' }, ['status']), DEFAULT_SLA_RULES, T0);
    expect(m.next).toMatchObject({ status: 'open', resolution: null, satisfaction: null, resolvedAt: null, closedAt: null });
  });

  it('keeps an assignment made by someone else after the base', () => {
    const reassigned = { ...base, assignee: 'bob', version: 2 };
    const m = mergeTicket(reassigned, { assignee: { v: 2, c: 'other' } }, 1, 'me', payload({ assignee: 'carol' }, ['assignee']), DEFAULT_SLA_RULES, T0);
    expect(m.lost).toEqual(['assignee']);
    expect(m.next.assignee).toBe('bob');
  });

  it('recomputes the SLA due time with the server rules when priority or type changes', () => {
    const m = mergeTicket(base, {}, 1, 'me', payload({ priority: 'P1', type: 'complaint' }, ['priority', 'type']), DEFAULT_SLA_RULES, T0);
    expect(m.next.dueAt).toBe(T0 + 2 * 3_600_000);
  });

  it("never lets a desktop's own earlier change conflict with its later one", () => {
    const mine = { ...base, subject: 'First edit', version: 2 };
    const m = mergeTicket(mine, { subject: { v: 2, c: 'me' } }, 1, 'me', payload({ subject: 'Second edit' }, ['subject']), DEFAULT_SLA_RULES, T0);
    expect(m.lost).toEqual([]);
    expect(m.next.subject).toBe('Second edit');
  });

  it('changes nothing (no new version) when the desktop value equals the server value', () => {
    const m = mergeTicket(base, {}, 1, 'me', payload({ subject: 'Subject' }, ['subject']), DEFAULT_SLA_RULES, T0);
    expect(m.applied).toEqual([]);
    expect(m.next).toEqual(base);
  });

  it('converges: two desktops editing offline end with one record whichever pushes first, by the same rule', () => {
    const a = payload({ description: 'A' }, ['description']);
    const b = payload({ description: 'B', subject: 'B subject' }, ['description', 'subject']);
    const afterA = mergeTicket(base, {}, 1, 'A', a, DEFAULT_SLA_RULES, T0);
    const afterAB = mergeTicket(afterA.next, afterA.fieldVersions, 1, 'B', b, DEFAULT_SLA_RULES, T0);
    expect(afterAB.next).toMatchObject({ description: 'A', subject: 'B subject' });
    expect(afterAB.lost).toEqual(['description']);
    const afterB = mergeTicket(base, {}, 1, 'B', b, DEFAULT_SLA_RULES, T0);
    const afterBA = mergeTicket(afterB.next, afterB.fieldVersions, 1, 'A', a, DEFAULT_SLA_RULES, T0);
    expect(afterBA.next).toMatchObject({ description: 'B', subject: 'B subject' });
  });

  describe('SLA clock paused while pending (the desktop rule)', () => {
    const H = 3_600_000;
    const at = (record: Partial<ServerTicket>, changed: string[]) => ({ record: { ...base, ...record }, changed });

    it('enters pending at the time the desktop made the move and keeps the due time', () => {
      const open = { ...base, status: 'open' as const, version: 2 };
      const m = mergeTicket(open, {}, 2, 'me', at({ ...open, status: 'pending', updatedAt: T0 + H, pendingSince: T0 + H }, ['status']), DEFAULT_SLA_RULES, T0 + 5 * H);
      expect(m.next).toMatchObject({ status: 'pending', pendingSince: T0 + H, dueAt: base.dueAt, version: 3 });
    });

    it('moves the due time later by the time spent pending when a merged move leaves pending', () => {
      const pending = { ...base, status: 'pending' as const, pendingSince: T0 + H, version: 3 };
      const m = mergeTicket(pending, { status: { v: 3, c: 'me' } }, 3, 'me', at({ ...pending, status: 'open', updatedAt: T0 + 3 * H, pendingSince: null }, ['status']), DEFAULT_SLA_RULES, T0 + 9 * H);
      expect(m.next).toMatchObject({ status: 'open', pendingSince: null, dueAt: base.dueAt + 2 * H });
      expect(m.applied).toEqual(['status', 'dueAt']);
    });

    it('leaves the clock alone when the status move is lost to another client', () => {
      const pending = { ...base, status: 'pending' as const, pendingSince: T0 + H, version: 3 };
      const m = mergeTicket(pending, { status: { v: 3, c: 'other' } }, 2, 'me', at({ ...pending, status: 'open', updatedAt: T0 + 3 * H }, ['status']), DEFAULT_SLA_RULES, T0 + 9 * H);
      expect(m.lost).toEqual(['status']);
      expect(m.next).toMatchObject({ status: 'pending', pendingSince: T0 + H, dueAt: base.dueAt });
    });

    it('keeps the pending time already credited when another desktop changes the priority', () => {
      const resumed = { ...base, status: 'open' as const, dueAt: base.dueAt + 2 * H, version: 4 };
      const m = mergeTicket(resumed, { status: { v: 4, c: 'A' } }, 1, 'B', at({ priority: 'P1', updatedAt: T0 + 5 * H }, ['priority']), DEFAULT_SLA_RULES, T0 + 9 * H);
      expect(m.next).toMatchObject({ priority: 'P1', status: 'open', dueAt: T0 + 4 * H + 2 * H });
    });
  });
});
