import { parse } from 'csv-parse/sync';
import { AppError } from '../../../shared/api/result';
import { MAX_ORDERS_PER_BATCH, orderBatchSchema, orderCsvMapping, orderInputSchema, parseOrderDate, type InsightSettings } from '../../../shared/insight/orders';
import type { Db } from '../../db/db';

/** What an order import did. Row numbers: the 1-based position in the batch, or the CSV line. */
export interface OrderImportReport {
  total: number;
  /** New orders. */
  created: number;
  /** Orders already known by (source, external id), replaced. */
  updated: number;
  rejected: Array<{ row: number; reasons: string[] }>;
}

interface CleanOrder {
  row: number;
  externalId: string;
  customerCode: string;
  orderedAt: number;
  amount: number;
  currency: string;
  product: string | null;
  category: string | null;
  channel: string | null;
  dueAt: number | null;
  paidAt: number | null;
}

/** Rows per INSERT statement (parameters travel as arrays, so this bounds memory, not placeholders). */
const CHUNK = 5000;

/**
 * Purchase history on the server: orders from the shop/ERP API (JSON) or a CSV file. Each order is
 * checked alone; a bad one is reported with its reasons and the others are stored (in one
 * transaction). Orders are keyed by (source, external id), so sending the same order again updates
 * it. Customers are named by their code; an unknown code rejects that order.
 */
export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly settings: () => Promise<InsightSettings>,
    private readonly now: () => number = Date.now,
  ) {}

  /** `POST /admin/orders`: `{source?, orders: [...]}`. */
  async importBatch(body: unknown): Promise<OrderImportReport> {
    const batch = orderBatchSchema.parse(body);
    return this.store(batch.source, batch.orders.map((o, i) => ({ row: i + 1, value: o })));
  }

  /**
   * CSV text (already decoded: UTF-8 or GB18030, see shared/customer/csvDecode.ts) with a header
   * line; English or Chinese headers (shared/insight/orders.ts ORDER_CSV_HEADERS).
   */
  async importCsv(text: string, source = 'csv'): Promise<OrderImportReport> {
    let table: string[][];
    try {
      table = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (err) {
      throw new AppError('INVALID_PAYLOAD', `The CSV cannot be read: ${(err as Error).message}`);
    }
    const [headers = [], ...body] = table;
    const mapping = orderCsvMapping(headers);
    for (const need of ['externalId', 'customerCode', 'orderedAt', 'amount'] as const) {
      if (!mapping.includes(need)) throw new AppError('INVALID_PAYLOAD', `No column maps to the order field "${need}" (headers: ${headers.join(', ')})`);
    }
    const settings = await this.settings();
    const rows = body.map((cells, i) => {
      const value: Record<string, string> = {};
      mapping.forEach((field, c) => {
        const cell = cells[c];
        if (field && cell !== undefined && cell.trim() !== '') value[field] = cell;
      });
      value.currency ??= settings.currency;
      return { row: i + 2, value: value as unknown };
    });
    return this.store(source, rows);
  }

  private async store(source: string, input: Array<{ row: number; value: unknown }>): Promise<OrderImportReport> {
    const settings = await this.settings();
    const report: OrderImportReport = { total: input.length, created: 0, updated: 0, rejected: [] };
    const clean: CleanOrder[] = [];
    for (const { row, value } of input) {
      const reasons: string[] = [];
      const parsed = orderInputSchema.safeParse(value);
      if (!parsed.success) {
        report.rejected.push({ row, reasons: parsed.error.issues.map((x) => `${x.path.join('.') || 'order'} ${x.message}`) });
        continue;
      }
      const o = parsed.data;
      const date = (v: unknown, name: string): number | null => {
        if (v === undefined || v === null || v === '') return null;
        const at = parseOrderDate(v, settings.utcOffsetMinutes);
        if (at === null) reasons.push(`${name} is not a date (YYYY-MM-DD [HH:mm], ISO 8601 or epoch ms)`);
        return at;
      };
      const orderedAt = date(o.orderedAt, 'orderedAt');
      const dueAt = date(o.dueAt, 'dueAt');
      const paidAt = date(o.paidAt, 'paidAt');
      if (orderedAt === null && !reasons.some((r) => r.startsWith('orderedAt'))) reasons.push('orderedAt is required');
      if (o.currency !== settings.currency) reasons.push(`currency ${o.currency} is not the reporting currency ${settings.currency}`);
      if (reasons.length > 0 || orderedAt === null) {
        report.rejected.push({ row, reasons });
        continue;
      }
      clean.push({ row, externalId: o.externalId, customerCode: o.customerCode, orderedAt, amount: o.amount, currency: o.currency, product: o.product ?? null, category: o.category ?? null, channel: o.channel ?? null, dueAt, paidAt });
    }
    if (clean.length === 0) return report;
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const codes = [...new Set(clean.map((o) => o.customerCode))];
      const { rows } = await tx.query<{ id: string; code: string }>('SELECT id, code FROM customers WHERE code = ANY($1::text[])', [codes]);
      const ids = new Map(rows.map((r) => [r.code, r.id]));
      const known: Array<CleanOrder & { customerId: string }> = [];
      const seen = new Map<string, number>();
      for (const o of clean) {
        const customerId = ids.get(o.customerCode);
        if (!customerId) {
          report.rejected.push({ row: o.row, reasons: [`customerCode ${o.customerCode} is not a known customer`] });
          continue;
        }
        const dup = seen.get(o.externalId);
        if (dup !== undefined) {
          report.rejected.push({ row: o.row, reasons: [`externalId ${o.externalId} is already on row ${dup} of this import`] });
          continue;
        }
        seen.set(o.externalId, o.row);
        known.push({ ...o, customerId });
      }
      for (let i = 0; i < known.length; i += CHUNK) {
        const part = known.slice(i, i + CHUNK);
        const col = <K extends keyof (typeof part)[number]>(k: K) => part.map((o) => o[k]);
        const res = await tx.query<{ inserted: boolean }>(
          `INSERT INTO orders (source, external_id, customer_id, ordered_at, amount, currency, product, category, channel, due_at, paid_at, created_at, updated_at)
           SELECT $1, * , $12::bigint, $12::bigint FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[])
           ON CONFLICT (source, external_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, ordered_at = EXCLUDED.ordered_at, amount = EXCLUDED.amount,
             currency = EXCLUDED.currency, product = EXCLUDED.product, category = EXCLUDED.category, channel = EXCLUDED.channel,
             due_at = EXCLUDED.due_at, paid_at = EXCLUDED.paid_at, updated_at = EXCLUDED.updated_at
           RETURNING (xmax = 0) AS inserted`,
          [source, col('externalId'), col('customerId'), col('orderedAt'), col('amount'), col('currency'), col('product'), col('category'), col('channel'), col('dueAt'), col('paidAt'), now],
        );
        for (const r of res.rows) {
          if (r.inserted) report.created++;
          else report.updated++;
        }
      }
    });
    report.rejected.sort((a, b) => a.row - b.row);
    return report;
  }
}

/** Largest order batch, for the route's error message. */
export const ORDER_BATCH_LIMIT = MAX_ORDERS_PER_BATCH;
