import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLA_RULES,
  IllegalTicketTransition,
  TICKET_STATUSES,
  canTransitionTicket,
  checkResolve,
  dueAfterSlaChange,
  dueAfterTransition,
  isOverdue,
  slaDueAt,
  slaMinutes,
  ticketListSchema,
  transitionTicket,
  type TicketStatus,
} from '../../../../shared/ticket/ticket';

const EXPECTED: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending', 'resolved'],
  open: ['pending', 'resolved'],
  pending: ['open', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

describe('ticket status machine', () => {
  it.each(TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.map((to) => [from, to] as const)))('%s -> %s follows the table', (from, to) => {
    const allowed = EXPECTED[from].includes(to);
    expect(canTransitionTicket(from, to)).toBe(allowed);
    if (!allowed) expect(() => transitionTicket(from, to)).toThrow(IllegalTicketTransition);
  });

  it('refuses an undefined jump with a clear message and the allowed moves', () => {
    expect(() => transitionTicket('new', 'closed')).toThrow('A ticket cannot go from new to closed');
    try {
      transitionTicket('pending', 'closed');
    } catch (err) {
      expect(err).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { from: 'pending', to: 'closed', allowed: ['open', 'resolved'] } });
    }
  });

  it('requires a resolution and a satisfaction on resolving when the policy says so', () => {
    const strict = { requireResolution: true, requireSatisfaction: true };
    expect(() => checkResolve(strict, { satisfaction: 4 })).toThrow('A resolution is required to resolve a ticket');
    expect(() => checkResolve(strict, { resolution: '   ', satisfaction: 4 })).toThrow(/resolution is required/);
    expect(() => checkResolve(strict, { resolution: 'Refunded' })).toThrow(/satisfaction \(1-5\) is required/);
    expect(() => checkResolve(strict, { resolution: 'Refunded', satisfaction: 5 })).not.toThrow();
    expect(() => checkResolve({ requireResolution: false, requireSatisfaction: false }, {})).not.toThrow();
  });

  it('computes the SLA due time from type and priority, the most specific rule first', () => {
    const created = Date.UTC(2026, 0, 1, 9);
    expect(slaMinutes(DEFAULT_SLA_RULES, 'complaint', 'P1')).toBe(120);
    expect(slaMinutes(DEFAULT_SLA_RULES, 'inquiry', 'P1')).toBe(240);
    expect(slaMinutes(DEFAULT_SLA_RULES, 'feedback', 'P4')).toBe(72 * 60);
    expect(slaMinutes([], 'feedback', 'P2')).toBe(480);
    expect(slaDueAt([{ priority: 'P3', type: 'service-request', minutes: 90 }], 'service-request', 'P3', created)).toBe(created + 90 * 60_000);
  });

  it('is overdue only while open and past due, never while pending (the SLA clock is paused)', () => {
    expect(isOverdue({ status: 'open', dueAt: 10 }, 11)).toBe(true);
    expect(isOverdue({ status: 'pending', dueAt: 10 }, 11)).toBe(false);
    expect(isOverdue({ status: 'resolved', dueAt: 10 }, 11)).toBe(false);
    expect(isOverdue({ status: 'new', dueAt: 10 }, 10)).toBe(false);
  });

  it('needs a customer for the by-customer view', () => {
    expect(ticketListSchema.safeParse({ view: 'by-customer' }).success).toBe(false);
    expect(ticketListSchema.parse({ view: 'by-customer', customerId: 3 })).toMatchObject({ limit: 100, offset: 0 });
  });

  describe('SLA clock paused while pending', () => {
    const H = 3_600_000;
    const T0 = Date.UTC(2026, 0, 1, 9);

    it('records when a ticket enters pending and keeps the due time', () => {
      expect(dueAfterTransition({ status: 'open', dueAt: T0 + 4 * H, pendingSince: null }, 'pending', T0 + H)).toEqual({ dueAt: T0 + 4 * H, pendingSince: T0 + H });
      expect(dueAfterTransition({ status: 'new', dueAt: T0 + 4 * H, pendingSince: null }, 'pending', T0)).toEqual({ dueAt: T0 + 4 * H, pendingSince: T0 });
    });

    it('moves the due time later by the time spent pending when the ticket leaves pending', () => {
      const pending = { status: 'pending' as const, dueAt: T0 + 4 * H, pendingSince: T0 + H };
      expect(dueAfterTransition(pending, 'open', T0 + 3 * H)).toEqual({ dueAt: T0 + 6 * H, pendingSince: null });
      expect(dueAfterTransition(pending, 'resolved', T0 + 1.5 * H)).toEqual({ dueAt: T0 + 4.5 * H, pendingSince: null });
    });

    it('never moves the due time earlier (clock skew) and resumes without a shift when the start is unknown', () => {
      expect(dueAfterTransition({ status: 'pending', dueAt: T0, pendingSince: T0 + H }, 'open', T0)).toEqual({ dueAt: T0, pendingSince: null });
      expect(dueAfterTransition({ status: 'pending', dueAt: T0, pendingSince: null }, 'open', T0 + H)).toEqual({ dueAt: T0, pendingSince: null });
    });

    it('leaves the clock alone for moves that neither enter nor leave pending', () => {
      expect(dueAfterTransition({ status: 'open', dueAt: T0, pendingSince: null }, 'resolved', T0 + H)).toEqual({ dueAt: T0, pendingSince: null });
      expect(dueAfterTransition({ status: 'closed', dueAt: T0, pendingSince: null }, 'open', T0 + H)).toEqual({ dueAt: T0, pendingSince: null });
    });

    it('keeps the credited pending time when the priority or type changes', () => {
      const before = { type: 'inquiry' as const, priority: 'P3' as const, createdAt: T0, dueAt: T0 + 24 * H + 2 * H };
      expect(dueAfterSlaChange(DEFAULT_SLA_RULES, before, 'inquiry', 'P1')).toBe(T0 + 4 * H + 2 * H);
      expect(dueAfterSlaChange(DEFAULT_SLA_RULES, before, 'complaint', 'P1')).toBe(T0 + 2 * H + 2 * H);
      expect(dueAfterSlaChange(DEFAULT_SLA_RULES, { ...before, dueAt: T0 + 24 * H }, 'inquiry', 'P2')).toBe(T0 + 8 * H);
    });
  });
});
