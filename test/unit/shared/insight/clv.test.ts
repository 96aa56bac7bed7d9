import { describe, expect, it } from 'vitest';
import { customerLifetimeValue, estimateFromHistory } from '../../../../shared/insight/clv';

/** The documented formula in closed form (annuity factor), computed independently of the code's loop. */
function expectedClv(n: number, c0: number, p0: number, inYear: number, r: number, cs: number): number {
  const annuity = (1 - Math.pow(1 + r, -n)) / r;
  return p0 - c0 + (inYear - cs) * annuity;
}

describe('customer lifetime value (discounted cash flow)', () => {
  it('course exercise: n = 10, C0 = 500, P0 = 3000, In = 1000, r = 8%, Cs = 100 -> 8,539.07', () => {
    const clv = customerLifetimeValue({ years: 10, acquisitionCost: 500, firstPurchase: 3000, yearlyRevenue: 1000, yearlyServiceCost: 100, discountRate: 0.08 });
    expect(clv).toBeCloseTo(expectedClv(10, 500, 3000, 1000, 0.08, 100), 2);
    // By hand: 1.08^10 = 2.158925, annuity factor (1 - 1/2.158925) / 0.08 = 6.710081; 2500 + 900 x 6.710081.
    expect(clv).toBe(8539.07);
  });

  it('two customers over 10 years: In 500 / Cs 200 is worth more than In 550 / Cs 300', () => {
    const a = customerLifetimeValue({ years: 10, acquisitionCost: 0, firstPurchase: 0, yearlyRevenue: 500, yearlyServiceCost: 200, discountRate: 0.08 });
    const b = customerLifetimeValue({ years: 10, acquisitionCost: 0, firstPurchase: 0, yearlyRevenue: 550, yearlyServiceCost: 300, discountRate: 0.08 });
    expect(a).toBeCloseTo(expectedClv(10, 0, 0, 500, 0.08, 200), 2);
    expect(b).toBeCloseTo(expectedClv(10, 0, 0, 550, 0.08, 300), 2);
    expect(a).toBe(2013.02);
    expect(b).toBe(1677.52);
    expect(a - b).toBeCloseTo(335.5, 2);
  });

  it('no years: first purchase minus acquisition cost; bad parameters are refused', () => {
    expect(customerLifetimeValue({ years: 0, acquisitionCost: 500, firstPurchase: 3000, yearlyRevenue: 1000, yearlyServiceCost: 100, discountRate: 0.08 })).toBe(2500);
    expect(() => customerLifetimeValue({ years: 2.5, acquisitionCost: 0, firstPurchase: 0, yearlyRevenue: 0, yearlyServiceCost: 0, discountRate: 0.08 })).toThrow(RangeError);
    expect(() => customerLifetimeValue({ years: 5, acquisitionCost: 0, firstPurchase: 0, yearlyRevenue: 0, yearlyServiceCost: 0, discountRate: -1 })).toThrow(RangeError);
    expect(() => customerLifetimeValue({ years: 5, acquisitionCost: Number.NaN, firstPurchase: 0, yearlyRevenue: 0, yearlyServiceCost: 0, discountRate: 0.1 })).toThrow(/acquisitionCost/);
  });

  it('estimates P0 and In from the history (at least one year of tenure)', () => {
    const now = Date.UTC(2026, 11, 1);
    const year = 365 * 86_400_000;
    expect(estimateFromHistory({ firstOrderAt: now - 4 * year, firstOrderAmount: 800, totalSpend: 4800, now })).toEqual({ firstPurchase: 800, yearlyRevenue: 1000 });
    expect(estimateFromHistory({ firstOrderAt: now - year / 12, firstOrderAmount: 100, totalSpend: 300, now })).toEqual({ firstPurchase: 100, yearlyRevenue: 200 });
  });
});
