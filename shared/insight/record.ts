import { z } from 'zod';
import { LIFECYCLE_STAGES } from '../customer/schema';
import { RFM_SEGMENTS } from './rfm';

const quintile = z.number().int().min(1).max(5).nullable();
const epochMs = z.number().int().nullable();

/**
 * A customer's insight as the server computes it and desktops keep it (pulled as entity `insight`,
 * id = the server's customer id). Totals in the server's reporting currency.
 */
export const customerInsightSchema = z.object({
  /** The customer's id: the server's on the wire, the local one on the desktop's API. */
  customerId: z.number().int(),
  orderCount: z.number().int().min(0),
  totalSpend: z.number(),
  firstPurchaseAt: epochMs,
  lastPurchaseAt: epochMs,
  r: quintile,
  f: quintile,
  m: quintile,
  segment: z.enum(RFM_SEGMENTS).nullable(),
  abc: z.enum(['A', 'B', 'C']).nullable(),
  clv: z.number().nullable(),
  lifecycle: z.enum(LIFECYCLE_STAGES).nullable(),
  /** A stage set by hand: it wins over `lifecycle` and is shown as manual. */
  lifecycleManual: z.enum(LIFECYCLE_STAGES).nullable(),
  overdueAmount: z.number(),
  overdueSince: epochMs,
  dueOrders: z.number().int().min(0),
  lateOrders: z.number().int().min(0),
  /** Spend per calendar month, `[["2026-11", 1234.5], ...]`, oldest first (the last 24 months). */
  monthly: z.array(z.tuple([z.string().regex(/^\d{4}-\d{2}$/), z.number()])).max(240),
  /** The latest orders, newest first. */
  recentOrders: z
    .array(z.object({ at: z.number().int(), amount: z.number(), product: z.string().nullable(), category: z.string().nullable(), channel: z.string().nullable() }))
    .max(100),
  computedAt: z.number().int(),
});
/** A customer's insight. */
export type CustomerInsight = z.infer<typeof customerInsightSchema>;

/**
 * The last `months` calendar months ending with the month of `now` (at `utcOffsetMinutes`), with
 * the spend of each (0 for a month without orders): the points of the spend chart.
 */
export function spendSeries(monthly: ReadonlyArray<readonly [string, number]>, now: number, months: number, utcOffsetMinutes: number): Array<{ month: string; total: number }> {
  const byMonth = new Map(monthly.map(([m, t]) => [m, t]));
  const d = new Date(now + utcOffsetMinutes * 60_000);
  const out: Array<{ month: string; total: number }> = [];
  for (let i = months - 1; i >= 0; i--) {
    const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    const month = `${x.getUTCFullYear()}-${String(x.getUTCMonth() + 1).padStart(2, '0')}`;
    out.push({ month, total: byMonth.get(month) ?? 0 });
  }
  return out;
}
