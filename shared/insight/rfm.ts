/**
 * RFM scoring (recency, frequency, monetary) and the named segments an agent sees on the pop card.
 *
 * Model, written so the server's SQL and this code give the same answer:
 * - Only customers with at least one order are scored (no history: no segment).
 * - Each dimension is scored 1..5 by quintile of rank among the scored customers:
 *   `score = 1 + floor(5 * below / n)`, where `below` is how many customers are strictly worse on that
 *   dimension and `n` the number scored. Ties therefore get the same score, so the result never
 *   depends on row order (SQL: `1 + floor(5 * (rank() over (order by x) - 1) / count(*) over ())`).
 *   - Recency: worse = an older last purchase (the most recent buyers score 5).
 *   - Frequency: worse = fewer orders. Monetary: worse = less total spend.
 * - The named segment comes from R and FM, where FM = round-half-up of (F + M) / 2 (= floor((F+M+1)/2)),
 *   looked up in {@link RFM_SEGMENT_GRID}.
 */

/** Named RFM segments, best first. */
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential-loyalist',
  'new-customer',
  'promising',
  'need-attention',
  'about-to-sleep',
  'at-risk',
  'cannot-lose',
  'hibernating',
  'lost',
] as const;
/** A named RFM segment. */
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** A score from 1 (worst fifth) to 5 (best fifth). */
export type Quintile = 1 | 2 | 3 | 4 | 5;

/**
 * Segment by recency score (rows, R = 5 first) and combined frequency/monetary score (columns,
 * FM = 1 first). Recent and buying a lot: champions; long gone but used to buy a lot: cannot lose.
 */
export const RFM_SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  /* R5 */ ['new-customer', 'potential-loyalist', 'potential-loyalist', 'champions', 'champions'],
  /* R4 */ ['promising', 'potential-loyalist', 'potential-loyalist', 'champions', 'champions'],
  /* R3 */ ['about-to-sleep', 'need-attention', 'need-attention', 'loyal', 'loyal'],
  /* R2 */ ['hibernating', 'about-to-sleep', 'at-risk', 'at-risk', 'cannot-lose'],
  /* R1 */ ['lost', 'hibernating', 'at-risk', 'at-risk', 'cannot-lose'],
];

/** One customer's purchase summary, the input of RFM. */
export interface RfmInput {
  customerId: string;
  /** Epoch ms of the last order. */
  lastPurchaseAt: number;
  /** Number of orders (> 0). */
  orderCount: number;
  /** Total spend. */
  totalSpend: number;
}

/** RFM result for one customer. */
export interface RfmScore {
  customerId: string;
  r: Quintile;
  f: Quintile;
  m: Quintile;
  /** floor((f + m + 1) / 2). */
  fm: Quintile;
  segment: RfmSegment;
}

/** The combined frequency/monetary score: (F + M) / 2 rounded half up. */
export function fmScore(f: Quintile, m: Quintile): Quintile {
  return Math.floor((f + m + 1) / 2) as Quintile;
}

/** The named segment of an R score and an FM score. */
export function rfmSegment(r: Quintile, fm: Quintile): RfmSegment {
  const row = RFM_SEGMENT_GRID[5 - r];
  const segment = row?.[fm - 1];
  if (!segment) throw new RangeError(`RFM scores out of range: R=${r}, FM=${fm}`);
  return segment;
}

/** Quintile from how many are strictly worse (`below`) among `n`. */
export function quintileOf(below: number, n: number): Quintile {
  if (n <= 0 || below < 0 || below >= n) throw new RangeError(`bad rank ${below} of ${n}`);
  return (1 + Math.floor((5 * below) / n)) as Quintile;
}

/** For each value, how many values are strictly smaller (ties share the count). */
function countBelow(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return values.map((v) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/**
 * Scores every customer given (all of them form the population the quintiles are taken over).
 * Rows with no orders, a non-finite amount or date are refused with a RangeError naming the customer.
 * The output is in input order.
 */
export function scoreRfm(rows: readonly RfmInput[]): RfmScore[] {
  for (const row of rows) {
    if (!(row.orderCount > 0) || !Number.isFinite(row.totalSpend) || !Number.isFinite(row.lastPurchaseAt)) {
      throw new RangeError(`customer ${row.customerId}: RFM needs at least one order and finite values`);
    }
  }
  const n = rows.length;
  const rBelow = countBelow(rows.map((x) => x.lastPurchaseAt));
  const fBelow = countBelow(rows.map((x) => x.orderCount));
  const mBelow = countBelow(rows.map((x) => x.totalSpend));
  return rows.map((row, i) => {
    const r = quintileOf(rBelow[i] as number, n);
    const f = quintileOf(fBelow[i] as number, n);
    const m = quintileOf(mBelow[i] as number, n);
    const fm = fmScore(f, m);
    return { customerId: row.customerId, r, f, m, fm, segment: rfmSegment(r, fm) };
  });
}
