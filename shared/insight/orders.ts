import { z } from 'zod';
import { DEFAULT_ABC_THRESHOLDS } from './abc';
import { DEFAULT_CLV_PARAMS } from './clv';
import { DEFAULT_LIFECYCLE_RULES } from './lifecycle';
import { DEFAULT_WIN_BACK_MONTHS } from './lists';

/** Most orders in one API call or CSV import page. */
export const MAX_ORDERS_PER_BATCH = 10_000;

/** Earliest and latest order dates accepted (1970 .. 2100), epoch ms. */
const MIN_AT = 0;
const MAX_AT = Date.UTC(2100, 0, 1);

/**
 * Reads an order date: epoch milliseconds, an ISO date-time with a zone, or a local
 * `YYYY-MM-DD[ HH:mm[:ss]]` (also with `/` or `.` between the date parts) taken at
 * `utcOffsetMinutes` east of UTC. Null when it is none of these or not a real date.
 */
export function parseOrderDate(value: unknown, utcOffsetMinutes: number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= MIN_AT && value < MAX_AT ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{12,13}$/.test(s)) return parseOrderDate(Number(s), utcOffsetMinutes);
  const local = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (local) {
    const [y, mo, d, h = '0', mi = '0', se = '0'] = local.slice(1).map((x) => x ?? '0') as string[];
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    const check = new Date(utc);
    if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) return null;
    const at = utc - utcOffsetMinutes * 60_000;
    return at >= MIN_AT && at < MAX_AT ? at : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const at = Date.parse(s);
    return Number.isFinite(at) && at >= MIN_AT && at < MAX_AT ? at : null;
  }
  return null;
}

const shortText = z.string().trim().max(200);

/** One order as the shop/ERP API sends it (dates as epoch ms or text, see {@link parseOrderDate}). */
export const orderInputSchema = z.object({
  /** The shop's own order id: re-sending it updates the order. */
  externalId: z.string().trim().min(1).max(100),
  customerCode: z.string().trim().min(1).max(64),
  orderedAt: z.union([z.number(), z.string().max(40)]),
  /** In the reporting currency; negative for a refund. Two decimals at most. */
  amount: z.union([z.number(), z.string().trim().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'is not an amount (digits, at most two decimals)').transform(Number)])
    .refine((v) => Number.isFinite(v) && Math.abs(v) < 1e12 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'is not an amount (at most two decimals, below 10^12)'),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'is not a currency code (e.g. CNY)'),
  product: shortText.nullable().optional(),
  category: shortText.nullable().optional(),
  channel: shortText.nullable().optional(),
  dueAt: z.union([z.number(), z.string().max(40)]).nullable().optional(),
  paidAt: z.union([z.number(), z.string().max(40)]).nullable().optional(),
});
/** An order as sent. */
export type OrderInput = z.input<typeof orderInputSchema>;

/** Schema of `POST /admin/orders`. `source` names the system the ids belong to (default `api`). */
export const orderBatchSchema = z.object({
  source: z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9_.-]+$/).default('api'),
  orders: z.array(z.unknown()).min(1).max(MAX_ORDERS_PER_BATCH),
});

/** CSV columns of an order import, with the header names recognised (English and Chinese). */
export const ORDER_CSV_HEADERS: Record<keyof z.infer<typeof orderInputSchema>, readonly string[]> = {
  externalId: ['externalid', 'orderid', 'order id', 'order_id', 'order no', '订单号', '订单编号'],
  customerCode: ['customercode', 'customer code', 'customer_code', 'code', '客户编号', '客户编码', '客户代码'],
  orderedAt: ['orderedat', 'ordered at', 'ordered_at', 'date', 'order date', '下单时间', '订单日期', '日期'],
  amount: ['amount', 'total', '金额', '订单金额'],
  currency: ['currency', '币种', '货币'],
  product: ['product', '产品', '商品'],
  category: ['category', '类别', '品类'],
  channel: ['channel', '渠道'],
  dueAt: ['dueat', 'due at', 'due_at', 'due date', '到期日', '应付日期'],
  paidAt: ['paidat', 'paid at', 'paid_at', 'paid date', '付款时间', '付款日期'],
};

/** Maps CSV headers to order fields (null: column ignored). */
export function orderCsvMapping(headers: readonly string[]): (keyof typeof ORDER_CSV_HEADERS | null)[] {
  return headers.map((h) => {
    const key = h.trim().toLowerCase();
    const hit = (Object.keys(ORDER_CSV_HEADERS) as (keyof typeof ORDER_CSV_HEADERS)[]).find((f) => ORDER_CSV_HEADERS[f].includes(key));
    return hit ?? null;
  });
}

const clvTypeSchema = z.object({
  years: z.number().int().min(0).max(100),
  acquisitionCost: z.number().min(0).max(1e12),
  yearlyServiceCost: z.number().min(0).max(1e12),
  discountRate: z.number().gt(-1).max(10),
});

/** Tunable insight parameters (server `insight_settings`). */
export const insightSettingsSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'),
  /** Zone of order dates written without one (minutes east of UTC; 480 = China). */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  abc: z
    .object({ a: z.number().gt(0).lt(1), b: z.number().gt(0).max(1) })
    .refine((t) => t.a < t.b, 'a must be below b')
    .default(DEFAULT_ABC_THRESHOLDS),
  lifecycle: z
    .object({
      lapsedAfterDays: z.number().positive().max(36500),
      acquisitionDays: z.number().positive().max(36500),
      windowDays: z.number().positive().max(36500),
      declineRatio: z.number().positive().max(100),
      growthRatio: z.number().positive().max(100),
      maturityAfterDays: z.number().positive().max(36500),
    })
    .refine((r) => r.declineRatio < r.growthRatio, 'declineRatio must be below growthRatio')
    .default(DEFAULT_LIFECYCLE_RULES),
  clv: z.object({ person: clvTypeSchema, company: clvTypeSchema }).default(DEFAULT_CLV_PARAMS),
  winBackMonths: z.number().int().min(1).max(1200).default(DEFAULT_WIN_BACK_MONTHS),
  /** Minutes between scheduled recomputes (0: only on demand). */
  recomputeMinutes: z.number().int().min(0).max(10080).default(60),
});
/** Insight parameters. */
export type InsightSettings = z.infer<typeof insightSettingsSchema>;
