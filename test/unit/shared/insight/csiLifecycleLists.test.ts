import { describe, expect, it } from 'vitest';
import { answerIndex, checkCsiWeights, satisfactionIndex } from '../../../../shared/insight/csi';
import { DEFAULT_LIFECYCLE_RULES, checkLifecycleRules, computeLifecycle, effectiveLifecycle } from '../../../../shared/insight/lifecycle';
import { isAtRiskHighValue, isWinBack, overdueScore, winBackCutoff } from '../../../../shared/insight/lists';

const DAY = 86_400_000;

describe('customer satisfaction index (weights 0.4 / 0.3 / 0.2 / 0.1)', () => {
  it('weights the answered dimensions, renormalising over what was answered', () => {
    // 5,4,3,1 -> 100, 75, 50, 0 -> 40 + 22.5 + 10 + 0.
    expect(answerIndex({ overall: 5, resolution: 4, attitude: 3, speed: 1 })).toBeCloseTo(72.5, 10);
    expect(answerIndex({ overall: 3 })).toBe(50);
    // (0.4 x 75 + 0.1 x 25) / 0.5.
    expect(answerIndex({ overall: 4, speed: 2 })).toBeCloseTo(65, 10);
    expect(answerIndex({})).toBeNull();
    expect(satisfactionIndex([{ overall: 5, resolution: 4, attitude: 3, speed: 1 }, { overall: 3 }, { overall: 4, speed: 2 }])).toBe(62.5);
    expect(satisfactionIndex([])).toBeNull();
  });

  it('custom weights, and refusals', () => {
    expect(answerIndex({ overall: 5, speed: 1 }, { overall: 1, resolution: 0, attitude: 0, speed: 3 })).toBe(25);
    expect(() => answerIndex({ overall: 6 })).toThrow(RangeError);
    expect(() => checkCsiWeights({ overall: 0, resolution: 0, attitude: 0, speed: 0 })).toThrow(RangeError);
    expect(() => checkCsiWeights({ overall: -1, resolution: 1, attitude: 0, speed: 0 })).toThrow(/overall/);
  });
});

describe('lifecycle stage rules', () => {
  const now = Date.UTC(2026, 11, 1);
  const o = (daysAgo: number, amount = 100): { at: number; amount: number } => ({ at: now - daysAgo * DAY, amount });

  it('follows the documented rules in order', () => {
    expect(computeLifecycle([], now)).toBe('acquisition');
    expect(computeLifecycle([o(400), o(800)], now)).toBe('lapsed');
    expect(computeLifecycle([o(30), o(60)], now)).toBe('acquisition');
    // Recent 100 vs previous 300: below 0.7 x 300.
    expect(computeLifecycle([o(10), o(400), o(500), o(600)], now)).toBe('decline');
    // Tenure 500 days < 730: growth.
    expect(computeLifecycle([o(10), o(500)], now)).toBe('growth');
    // Tenure > 730, recent 200 vs previous 200: steady -> maturity.
    expect(computeLifecycle([o(10), o(20), o(400), o(700), o(900)], now)).toBe('maturity');
    // Tenure > 730, recent 300 vs previous 200 (>= 1.25x): growth.
    expect(computeLifecycle([o(10), o(20), o(30), o(400), o(700), o(900)], now)).toBe('growth');
  });

  it('rules are tunable and checked', () => {
    expect(computeLifecycle([o(400), o(800)], now, { ...DEFAULT_LIFECYCLE_RULES, lapsedAfterDays: 500 })).toBe('decline');
    expect(() => checkLifecycleRules({ ...DEFAULT_LIFECYCLE_RULES, declineRatio: 2 })).toThrow(RangeError);
    expect(() => checkLifecycleRules({ ...DEFAULT_LIFECYCLE_RULES, windowDays: 0 })).toThrow(/windowDays/);
  });

  it('a manual stage wins and is marked as manual', () => {
    expect(effectiveLifecycle('maturity', 'decline')).toEqual({ stage: 'maturity', source: 'manual', computed: 'decline' });
    expect(effectiveLifecycle(null, 'decline')).toEqual({ stage: 'decline', source: 'computed', computed: 'decline' });
  });
});

describe('lists that drive calls', () => {
  it('win-back: no purchase for 36 calendar months by default', () => {
    const now = Date.UTC(2026, 11, 3, 9);
    expect(winBackCutoff(now, 36)).toBe(Date.UTC(2023, 11, 3, 9));
    expect(isWinBack(Date.UTC(2023, 11, 2), now)).toBe(true);
    expect(isWinBack(Date.UTC(2023, 11, 4), now)).toBe(false);
    expect(isWinBack(null, now)).toBe(false);
    expect(winBackCutoff(Date.UTC(2026, 2, 31), 1)).toBe(Date.UTC(2026, 1, 28));
    expect(() => winBackCutoff(now, 0)).toThrow(RangeError);
  });

  it('at-risk high value is an at-risk segment in class A', () => {
    expect(isAtRiskHighValue('cannot-lose', 'A')).toBe(true);
    expect(isAtRiskHighValue('at-risk', 'B')).toBe(false);
    expect(isAtRiskHighValue('champions', 'A')).toBe(false);
    expect(isAtRiskHighValue(null, 'A')).toBe(false);
  });

  it('overdue score = days x amount x (1 + late share)', () => {
    expect(overdueScore({ daysOverdue: 30, overdueAmount: 1000, dueOrders: 4, lateOrders: 1 })).toEqual({ score: 37500, risk: 1.25 });
    expect(overdueScore({ daysOverdue: 10, overdueAmount: 50, dueOrders: 0, lateOrders: 0 })).toEqual({ score: 500, risk: 1 });
    expect(overdueScore({ daysOverdue: 10, overdueAmount: 50, dueOrders: 2, lateOrders: 2 })).toEqual({ score: 1000, risk: 2 });
  });
});
