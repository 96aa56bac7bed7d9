import { describe, expect, it } from 'vitest';
import { createQueueSchema, isQueueOpen, openingHoursSchema } from '../../../../shared/acd/queueConfig';

describe('queue configuration', () => {
  it('fills defaults and refuses bad ids, numbers and hours with a clear message', () => {
    const q = createQueueSchema.parse({ id: 'sales', name: 'Sales', numbers: ['600'], members: [{ agentId: '1001', skill: 7 }] });
    expect(q).toMatchObject({ policy: 'longest-idle', slTargetSec: 20, slTargetPct: 80, maxWaitSec: 600, overflowTarget: null, hours: null });
    expect(() => createQueueSchema.parse({ id: 'Sales!', name: 'x' })).toThrow(/lower-case/);
    expect(() => createQueueSchema.parse({ id: 'sales', name: 'x', numbers: ['6 00'] })).toThrow(/SIP user or number/);
    expect(() => openingHoursSchema.parse({ timeZone: 'Mars/Olympus', week: {} })).toThrow(/IANA time zone/);
    expect(() => openingHoursSchema.parse({ timeZone: 'UTC', week: { mon: [['18:00', '09:00']] } })).toThrow(/after the start/);
  });

  it('is open inside the hours of the local week day and closed outside', () => {
    const hours = openingHoursSchema.parse({ timeZone: 'Asia/Shanghai', week: { mon: [['09:00', '12:00'], ['13:00', '18:00']] } });
    // Monday 2026-11-30 in Shanghai (UTC+8).
    expect(isQueueOpen(hours, Date.parse('2026-11-30T01:00:00Z'))).toBe(true); // 09:00
    expect(isQueueOpen(hours, Date.parse('2026-11-30T04:30:00Z'))).toBe(false); // 12:30 lunch
    expect(isQueueOpen(hours, Date.parse('2026-11-30T09:59:00Z'))).toBe(true); // 17:59
    expect(isQueueOpen(hours, Date.parse('2026-11-30T10:00:00Z'))).toBe(false); // 18:00
    expect(isQueueOpen(hours, Date.parse('2026-11-29T02:00:00Z'))).toBe(false); // Sunday
    expect(isQueueOpen(null, 0)).toBe(true);
  });
});
