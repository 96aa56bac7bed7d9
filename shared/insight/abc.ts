/**
 * ABC classes by revenue share (Pareto).
 *
 * Model: customers are ordered by revenue, highest first. A customer's "share before" is the revenue
 * of all customers with strictly more revenue, divided by the total. Class A while share before is
 * below `a` (default 0.8: the top customers making about 80% of revenue, including the one that
 * crosses 80%), B while below `b` (default 0.95), otherwise C. Customers with equal revenue get the
 * same class (the result never depends on row order). Zero revenue is always C; a total of 0 makes
 * everyone C. SQL: `sum(revenue) over (order by revenue desc)` (the running sum up to and including the
 * peers) minus `revenue * count(*) over (partition by revenue)`.
 */

/** An ABC class. */
export type AbcClass = 'A' | 'B' | 'C';
/** The ABC classes, most valuable first. */
export const ABC_CLASSES: readonly AbcClass[] = ['A', 'B', 'C'];

/** Cumulative revenue-share limits: A below `a`, B below `b`. */
export interface AbcThresholds {
  a: number;
  b: number;
}

/** Default thresholds: A up to 80% of revenue, B up to 95%, C the rest. */
export const DEFAULT_ABC_THRESHOLDS: AbcThresholds = { a: 0.8, b: 0.95 };

/** Refuses thresholds that are not 0 < a < b <= 1 (RangeError with the reason). */
export function checkAbcThresholds(t: AbcThresholds): AbcThresholds {
  if (!Number.isFinite(t.a) || !Number.isFinite(t.b) || !(t.a > 0) || !(t.b > t.a) || t.b > 1) {
    throw new RangeError(`ABC thresholds must satisfy 0 < a < b <= 1 (got a=${t.a}, b=${t.b})`);
  }
  return t;
}

/** The class of one customer from the revenue share before it. */
export function abcClassOf(shareBefore: number, revenue: number, t: AbcThresholds = DEFAULT_ABC_THRESHOLDS): AbcClass {
  if (!(revenue > 0)) return 'C';
  if (shareBefore < t.a) return 'A';
  if (shareBefore < t.b) return 'B';
  return 'C';
}

/** One customer's revenue over the period classified. */
export interface AbcInput {
  customerId: string;
  revenue: number;
}

/** ABC class of every customer given, in input order. Negative revenue (net refunds) counts as 0. */
export function classifyAbc(rows: readonly AbcInput[], thresholds: AbcThresholds = DEFAULT_ABC_THRESHOLDS): { customerId: string; abc: AbcClass; shareBefore: number }[] {
  checkAbcThresholds(thresholds);
  const revenues = rows.map((r) => {
    if (!Number.isFinite(r.revenue)) throw new RangeError(`customer ${r.customerId}: revenue is not a number`);
    return Math.max(0, r.revenue);
  });
  const total = revenues.reduce((s, v) => s + v, 0);
  const sorted = [...revenues].sort((x, y) => y - x);
  // Revenue of everyone strictly above each distinct value.
  const above = new Map<number, number>();
  let running = 0;
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i] as number;
    above.set(v, running);
    while (i < sorted.length && sorted[i] === v) running += sorted[i++] as number;
  }
  return rows.map((row, i) => {
    const revenue = revenues[i] as number;
    const shareBefore = total > 0 ? (above.get(revenue) as number) / total : 1;
    return { customerId: row.customerId, abc: total > 0 ? abcClassOf(shareBefore, revenue, thresholds) : 'C', shareBefore };
  });
}
