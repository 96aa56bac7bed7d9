import { describe, expect, it } from 'vitest';
import { DAY_MS, ageOn, birthdayStatus, daysSinceLastContact, isDormant, localDate } from '../../../../shared/customer/helpers';
import { birthdaySchema, customerSaveSchema, parseBirthday } from '../../../../shared/customer/schema';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0); // Tuesday 24 November 2026

describe('last contact and dormancy', () => {
  it('counts whole days since the last contact', () => {
    expect(daysSinceLastContact(null, NOW)).toBeNull();
    expect(daysSinceLastContact(NOW - 1000, NOW)).toBe(0);
    expect(daysSinceLastContact(NOW - 3 * DAY_MS - 1000, NOW)).toBe(3);
    expect(daysSinceLastContact(NOW + DAY_MS, NOW)).toBe(0);
  });

  it('flags dormant customers past the configured days only', () => {
    expect(isDormant(NOW - 91 * DAY_MS, NOW, 90)).toBe(true);
    expect(isDormant(NOW - 89 * DAY_MS, NOW, 90)).toBe(false);
    expect(isDormant(null, NOW, 90)).toBe(false);
  });
});

describe('birthdays', () => {
  const today = localDate(NOW, 8 * 60); // Asia/Shanghai: still 24 November
  it('says today', () => {
    expect(birthdayStatus('1990-11-24', today)).toBe('today');
    expect(birthdayStatus('--11-24', today)).toBe('today');
  });

  it('says this week for other days of the same Monday-to-Sunday week', () => {
    expect(birthdayStatus('1990-11-23', today)).toBe('this-week');
    expect(birthdayStatus('1990-11-29', today)).toBe('this-week');
    expect(birthdayStatus('1990-11-30', today)).toBeNull();
    expect(birthdayStatus('1990-11-22', today)).toBeNull();
    expect(birthdayStatus(null, today)).toBeNull();
    expect(birthdayStatus('garbage', today)).toBeNull();
  });

  it('handles a week across the new year and 29 February', () => {
    const wednesday = { year: 2025, month: 12, day: 31 };
    expect(birthdayStatus('2000-01-02', wednesday)).toBe('this-week');
    expect(birthdayStatus('2000-02-29', { year: 2027, month: 2, day: 28 })).toBe('today');
    expect(birthdayStatus('2000-02-29', { year: 2028, month: 2, day: 29 })).toBe('today');
  });

  it('uses the local day of the agent', () => {
    const lateUtc = Date.UTC(2026, 10, 24, 20, 0, 0);
    expect(localDate(lateUtc, 8 * 60)).toEqual({ year: 2026, month: 11, day: 25 });
    expect(localDate(lateUtc, -5 * 60)).toEqual({ year: 2026, month: 11, day: 24 });
  });

  it('computes age when the year is known', () => {
    expect(ageOn('1990-11-24', today)).toBe(36);
    expect(ageOn('1990-11-25', today)).toBe(35);
    expect(ageOn('--11-25', today)).toBeNull();
  });

  it('validates birthdays', () => {
    expect(parseBirthday('2026-02-29')).toBeNull();
    expect(parseBirthday('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(birthdaySchema.safeParse('--02-29').success).toBe(true);
    expect(birthdaySchema.safeParse('1990-13-01').success).toBe(false);
    expect(birthdaySchema.safeParse('24/11/1990').success).toBe(false);
  });
});

describe('customer save schema', () => {
  it('fills defaults for a quick-create', () => {
    expect(customerSaveSchema.parse({ name: ' 张伟 ', phones: [{ raw: '13800138000' }] })).toMatchObject({
      name: '张伟',
      status: 'potential',
      type: 'person',
      level: 'standard',
      contactPermissions: { call: true, sms: true, email: true },
      phones: [{ raw: '13800138000', label: 'mobile', primary: false }],
    });
  });

  it('refuses bad codes and language tags', () => {
    expect(customerSaveSchema.safeParse({ name: 'a', code: 'has space' }).success).toBe(false);
    expect(customerSaveSchema.safeParse({ name: 'a', preferredLanguage: 'Chinese' }).success).toBe(false);
    expect(customerSaveSchema.safeParse({ name: 'a', points: -1 }).success).toBe(false);
  });
});
