import type { AbcClass } from './abc';
import type { RfmSegment } from './rfm';

/**
 * Rules of the lists that drive calls (win-back, at-risk high value, overdue accounts). Birthdays this
 * week use `birthdayStatus` of shared/customer/helpers.
 */

/** Default months without a purchase after which a customer is on the win-back list. */
export const DEFAULT_WIN_BACK_MONTHS = 36;

/** The last-purchase time before which a customer is dormant: `now` minus `months` calendar months (UTC). */
export function winBackCutoff(now: number, months: number): number {
  if (!Number.isInteger(months) || months < 1 || months > 1200) throw new RangeError('win-back months must be a whole number from 1 to 1200');
  const d = new Date(now);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** True when the last purchase is older than `months` months (a customer who never bought is not). */
export function isWinBack(lastPurchaseAt: number | null, now: number, months: number = DEFAULT_WIN_BACK_MONTHS): boolean {
  return lastPurchaseAt !== null && lastPurchaseAt < winBackCutoff(now, months);
}

/** Segments that mean "used to buy, slipping away". */
export const AT_RISK_SEGMENTS: readonly RfmSegment[] = ['at-risk', 'cannot-lose', 'about-to-sleep'];

/** At-risk high value: an at-risk segment and class A (the top revenue share). */
export function isAtRiskHighValue(segment: RfmSegment | null, abc: AbcClass | null): boolean {
  return segment !== null && abc === 'A' && AT_RISK_SEGMENTS.includes(segment);
}

/** What the overdue score is made of, shown next to it so a supervisor can check the ranking. */
export interface OverdueInput {
  /** Days since the oldest unpaid due date (>= 0). */
  daysOverdue: number;
  /** Unpaid amount past due. */
  overdueAmount: number;
  /** Orders with a due date, ever. */
  dueOrders: number;
  /** Of those, paid after their due date or still unpaid past it. */
  lateOrders: number;
}

/**
 * Overdue score = days overdue x overdue amount x risk, with risk = 1 + late orders / orders with a
 * due date (1 for a customer who always paid on time, 2 for one who never did). Higher first.
 */
export function overdueScore(x: OverdueInput): { score: number; risk: number } {
  const risk = x.dueOrders > 0 ? 1 + Math.min(x.lateOrders, x.dueOrders) / x.dueOrders : 1;
  const score = Math.max(0, x.daysOverdue) * Math.max(0, x.overdueAmount) * risk;
  return { score: Math.round(score * 100) / 100, risk: Math.round(risk * 1000) / 1000 };
}
