import { describe, expect, it } from 'vitest';
import { weekMonthDays, zonedDate } from '../../../../../server/services/insight/callLists';

describe('birthday week of the centre', () => {
  it('reads the calendar day in the centre time zone, not UTC', () => {
    // 29 Nov 2026 20:00 UTC is already Monday 30 Nov in Shanghai, still Sunday 29 Nov in New York.
    const at = Date.UTC(2026, 10, 29, 20, 0);
    expect(zonedDate(at, 'Asia/Shanghai')).toEqual({ year: 2026, month: 11, day: 30 });
    expect(zonedDate(at, 'America/New_York')).toEqual({ year: 2026, month: 11, day: 29 });
    expect(zonedDate(at, 'UTC')).toEqual({ year: 2026, month: 11, day: 29 });
  });

  it('lists Monday to Sunday, across a year end', () => {
    // Thursday 31 Dec 2026: the week is Mon 28 Dec 2026 - Sun 3 Jan 2027.
    expect(weekMonthDays({ year: 2026, month: 12, day: 31 })).toEqual([['12-28'], ['12-29'], ['12-30'], ['12-31'], ['01-01'], ['01-02'], ['01-03']]);
    // A Monday is the first day of its own week; a Sunday the last.
    expect(weekMonthDays({ year: 2026, month: 11, day: 30 })[0]).toEqual(['11-30']);
    expect(weekMonthDays({ year: 2026, month: 12, day: 6 })[6]).toEqual(['12-06']);
  });

  it('celebrates 29 February on 28 February in common years only', () => {
    // Wednesday 25 Feb 2026 (common year): week Mon 23 Feb - Sun 1 Mar.
    expect(weekMonthDays({ year: 2026, month: 2, day: 25 })).toEqual([['02-23'], ['02-24'], ['02-25'], ['02-26'], ['02-27'], ['02-28', '02-29'], ['03-01']]);
    // Tuesday 29 Feb 2028 (leap year): week Mon 28 Feb - Sun 5 Mar; 28 February is only itself.
    expect(weekMonthDays({ year: 2028, month: 2, day: 29 })).toEqual([['02-28'], ['02-29'], ['03-01'], ['03-02'], ['03-03'], ['03-04'], ['03-05']]);
  });
});
