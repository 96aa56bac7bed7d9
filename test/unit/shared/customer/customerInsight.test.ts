import { describe, expect, it } from 'vitest';
import { customerInsight } from '../../../../shared/customer/screenPop';

describe('customerInsight (the card facts, one implementation for the core pop and the renderer)', () => {
  const now = Date.UTC(2026, 10, 24, 20, 0, 0); // 24 Nov 20:00 UTC = 25 Nov 04:00 in UTC+8
  const day = 86_400_000;

  it('counts whole days since the last contact and flags a dormant customer', () => {
    expect(customerInsight({ lastContactAt: now - 3 * day, birthday: null }, now, { dormantDays: 90, utcOffsetMinutes: 0 })).toEqual({ daysSinceLastContact: 3, dormant: false, birthday: null });
    expect(customerInsight({ lastContactAt: now - 120 * day, birthday: null }, now, { dormantDays: 90, utcOffsetMinutes: 0 })).toMatchObject({ daysSinceLastContact: 120, dormant: true });
  });

  it("reads the birthday in the agent's time zone, not UTC", () => {
    const c = { lastContactAt: null, birthday: '--11-25' };
    expect(customerInsight(c, now, { dormantDays: 90, utcOffsetMinutes: 8 * 60 }).birthday).toBe('today');
    expect(customerInsight(c, now, { dormantDays: 90, utcOffsetMinutes: 0 }).birthday).not.toBe('today');
  });
});
