import { describe, expect, it } from 'vitest';
import { DEFAULT_ABC_THRESHOLDS, checkAbcThresholds, classifyAbc } from '../../../../shared/insight/abc';

const REVENUE = [
  ['c1', 5000], ['c2', 300], ['c3', 3000], ['c4', 2500], ['c5', 2000],
  ['c6', 1500], ['c7', 1000], ['c8', 500], ['c9', 200], ['c10', 100],
] as const;
const rows = REVENUE.map(([customerId, revenue]) => ({ customerId, revenue }));

describe('ABC classes by revenue share (hand-computed, total 16,100)', () => {
  it('default 80% / 95%: share before 0, .311, .497, .652, .776 are A; .870, .932 are B; the rest C', () => {
    const out = classifyAbc(rows);
    expect(Object.fromEntries(out.map((r) => [r.customerId, r.abc]))).toEqual({
      c1: 'A', c3: 'A', c4: 'A', c5: 'A', c6: 'A', c7: 'B', c8: 'B', c2: 'C', c9: 'C', c10: 'C',
    });
    expect(out.find((r) => r.customerId === 'c7')?.shareBefore).toBeCloseTo(14000 / 16100, 12);
  });

  it('configurable thresholds: 50% / 90%', () => {
    const out = classifyAbc(rows, { a: 0.5, b: 0.9 });
    expect(out.map((r) => r.abc).join('')).toBe('ACAABBBCCC');
  });

  it('equal revenue, equal class; zero revenue is C; an all-zero period is all C', () => {
    expect(classifyAbc([{ customerId: 'a', revenue: 500 }, { customerId: 'b', revenue: 300 }, { customerId: 'c', revenue: 300 }, { customerId: 'd', revenue: 100 }, { customerId: 'e', revenue: 0 }], { a: 0.5, b: 0.95 }).map((r) => r.abc)).toEqual(['A', 'A', 'A', 'B', 'C']);
    expect(classifyAbc([{ customerId: 'a', revenue: 0 }, { customerId: 'b', revenue: 0 }]).map((r) => r.abc)).toEqual(['C', 'C']);
  });

  it('refuses thresholds that are not 0 < a < b <= 1', () => {
    expect(checkAbcThresholds(DEFAULT_ABC_THRESHOLDS)).toEqual({ a: 0.8, b: 0.95 });
    expect(() => checkAbcThresholds({ a: 0.9, b: 0.8 })).toThrow(RangeError);
    expect(() => checkAbcThresholds({ a: 0, b: 0.8 })).toThrow(RangeError);
    expect(() => checkAbcThresholds({ a: 0.8, b: 1.2 })).toThrow(RangeError);
    expect(() => classifyAbc(rows, { a: Number.NaN, b: 1 })).toThrow(RangeError);
  });
});
