/**
 * Customer lifetime value by discounted cash flow (the course material's model).
 *
 * ```
 *   CLV = P0 - C0 + sum_{t=1..n} (In - Cs) / (1 + r)^t
 * ```
 * - C0: acquisition cost, paid at the start (t = 0, not discounted);
 * - P0: the first purchase, at t = 0 (not discounted);
 * - In: expected revenue per year, Cs: direct service cost per year, both at the end of years 1..n;
 * - r: yearly discount rate (0.08 for 8%); n: relationship length in whole years.
 * Example (the course exercise): n = 10, C0 = 500, P0 = 3000, In = 1000, Cs = 100, r = 8%:
 * 3000 - 500 + 900 x 6.710081 = 8539.07.
 */
export interface ClvParams {
  /** Relationship length in whole years (0..100). */
  years: number;
  acquisitionCost: number;
  firstPurchase: number;
  yearlyRevenue: number;
  yearlyServiceCost: number;
  /** Yearly discount rate, e.g. 0.08. */
  discountRate: number;
}

/** Refuses parameters the model cannot use (RangeError naming the field). */
export function checkClvParams(p: ClvParams): ClvParams {
  if (!Number.isInteger(p.years) || p.years < 0 || p.years > 100) throw new RangeError('CLV years must be a whole number from 0 to 100');
  if (!Number.isFinite(p.discountRate) || p.discountRate <= -1 || p.discountRate > 10) throw new RangeError('CLV discountRate must be above -1 and at most 10');
  for (const key of ['acquisitionCost', 'firstPurchase', 'yearlyRevenue', 'yearlyServiceCost'] as const) {
    if (!Number.isFinite(p[key])) throw new RangeError(`CLV ${key} must be a number`);
  }
  return p;
}

/** CLV of one customer (see the model above), rounded to cents. */
export function customerLifetimeValue(p: ClvParams): number {
  checkClvParams(p);
  let value = p.firstPurchase - p.acquisitionCost;
  let factor = 1;
  for (let t = 1; t <= p.years; t++) {
    factor /= 1 + p.discountRate;
    value += (p.yearlyRevenue - p.yearlyServiceCost) * factor;
  }
  return Math.round(value * 100) / 100;
}

/** Default CLV parameters per customer type; an admin can set others on the server. */
export const DEFAULT_CLV_PARAMS: Record<'person' | 'company', Omit<ClvParams, 'firstPurchase' | 'yearlyRevenue'>> = {
  person: { years: 5, acquisitionCost: 200, yearlyServiceCost: 50, discountRate: 0.08 },
  company: { years: 10, acquisitionCost: 2000, yearlyServiceCost: 500, discountRate: 0.08 },
};

/** A customer's purchase history as CLV estimates it. */
export interface ClvHistory {
  firstOrderAt: number;
  firstOrderAmount: number;
  /** Total of all orders, the first one included. */
  totalSpend: number;
  now: number;
}

/**
 * Estimates P0 and In from a purchase history: P0 is the first order, In is the spend after it
 * divided by the years since the first order (at least one year, so a new customer's second order
 * is not multiplied up).
 */
export function estimateFromHistory(h: ClvHistory): { firstPurchase: number; yearlyRevenue: number } {
  const years = Math.max(1, (h.now - h.firstOrderAt) / (365 * 86_400_000));
  return { firstPurchase: h.firstOrderAmount, yearlyRevenue: Math.max(0, h.totalSpend - h.firstOrderAmount) / years };
}
