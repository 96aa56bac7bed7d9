import { AppError } from '../../../shared/api/result';
import { LIFECYCLE_STAGES, type LifecycleStage } from '../../../shared/customer/schema';
import { RFM_SEGMENT_GRID } from '../../../shared/insight/rfm';
import { insightSettingsSchema, type InsightSettings } from '../../../shared/insight/orders';
import type { CustomerInsight } from '../../../shared/insight/record';
import type { Principal } from '../../auth/tokens';
import type { Db } from '../../db/db';
import { EVENTS_CHANNEL, latestChangeId, takeChangeLock } from '../changes';
import type { ConfigService } from '../configService';
import { Visibility } from '../scope';
import { APPLY_INSIGHT_SQL, BUILD_INSIGHT_SQL } from './recompute.sql';

/** Months of spend per month (and of recent orders) kept per customer for the chart. */
export const CHART_MONTHS = 24;
/** Recent orders kept per customer for the record. */
export const RECENT_ORDERS = 10;
/** Advisory lock key: one recompute at a time across instances. */
const RECOMPUTE_LOCK = 7_246_013;

/** A customer_insight row. */
export interface InsightRow {
  customer_id: string;
  order_count: number;
  total_spend: string;
  first_purchase_at: string | null;
  last_purchase_at: string | null;
  r: number | null;
  f: number | null;
  m: number | null;
  segment: string | null;
  abc: 'A' | 'B' | 'C' | null;
  clv: string | null;
  lifecycle: string | null;
  lifecycle_manual: string | null;
  overdue_amount: string;
  overdue_since: string | null;
  due_orders: number;
  late_orders: number;
  monthly: Array<[string, string | number]>;
  recent_orders: Array<{ at: number; amount: string | number; product: string | null; category: string | null; channel: string | null }>;
  computed_at: string;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** The API shape of a row (NUMERIC and BIGINT arrive as text from `pg`). */
export function insightRowToRecord(r: InsightRow): CustomerInsight {
  return {
    customerId: Number(r.customer_id),
    orderCount: r.order_count,
    totalSpend: Number(r.total_spend),
    firstPurchaseAt: num(r.first_purchase_at),
    lastPurchaseAt: num(r.last_purchase_at),
    r: r.r,
    f: r.f,
    m: r.m,
    segment: r.segment as CustomerInsight['segment'],
    abc: r.abc,
    clv: num(r.clv),
    lifecycle: r.lifecycle as CustomerInsight['lifecycle'],
    lifecycleManual: r.lifecycle_manual as CustomerInsight['lifecycleManual'],
    overdueAmount: Number(r.overdue_amount),
    overdueSince: num(r.overdue_since),
    dueOrders: r.due_orders,
    lateOrders: r.late_orders,
    monthly: r.monthly.map(([month, total]) => [month, Number(total)]),
    recentOrders: r.recent_orders.map((o) => ({ ...o, at: Number(o.at), amount: Number(o.amount) })),
    computedAt: Number(r.computed_at),
  };
}

/** What a recompute did. */
export interface RecomputeReport {
  /** False when another instance was recomputing (nothing done). */
  ran: boolean;
  customers: number;
  /** Customers whose insight changed (desktops pull only these). */
  changed: number;
  ms: number;
}

/**
 * Customer insight on the server: the tunable settings, the recompute of every customer's RFM
 * segment, ABC class, CLV and lifecycle in SQL (scheduled and on demand; one at a time across
 * instances), reads in the caller's scope and the manual lifecycle stage.
 */
export class InsightService {
  constructor(
    private readonly db: Db,
    private readonly config: ConfigService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current settings (defaults until an admin sets them). */
  async settings(): Promise<InsightSettings> {
    const { rows } = await this.db.query<{ value: unknown }>('SELECT value FROM insight_settings WHERE id = 1');
    return insightSettingsSchema.parse(rows[0]?.value ?? {});
  }

  /** Replaces the settings; INVALID_PAYLOAD names the bad field and keeps the old ones. */
  async setSettings(value: unknown): Promise<InsightSettings> {
    const parsed = insightSettingsSchema.safeParse(value);
    if (!parsed.success) throw new AppError('INVALID_PAYLOAD', parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
    await this.db.query(
      `INSERT INTO insight_settings (id, value, updated_at) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(parsed.data), this.now()],
    );
    return parsed.data;
  }

  /** When the last recompute finished (null: never). */
  async lastRunAt(): Promise<number | null> {
    const { rows } = await this.db.query<{ last_run_at: string | null }>('SELECT last_run_at FROM insight_settings WHERE id = 1');
    return num(rows[0]?.last_run_at ?? null);
  }

  /** Recomputes every customer with orders, in one transaction; changed rows get new change ids. */
  async recompute(): Promise<RecomputeReport> {
    const started = Date.now();
    const s = await this.settings();
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const { rows: lock } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [RECOMPUTE_LOCK]);
      if (!lock[0]?.ok) return { ran: false, customers: 0, changed: 0, ms: Date.now() - started };
      // Sorts of millions of orders stay in memory for this transaction only.
      await tx.query(`SET LOCAL work_mem = '256MB'`);
      await tx.query(BUILD_INSIGHT_SQL, [
        now, JSON.stringify(RFM_SEGMENT_GRID), s.abc.a, s.abc.b,
        s.lifecycle.lapsedAfterDays, s.lifecycle.acquisitionDays, s.lifecycle.windowDays, s.lifecycle.declineRatio, s.lifecycle.growthRatio, s.lifecycle.maturityAfterDays,
        JSON.stringify(s.clv), CHART_MONTHS, s.utcOffsetMinutes, RECENT_ORDERS,
      ]);
      const { rows: count } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM insight_new');
      // Change ids are handed out last, under the change lock held to commit (see changes.ts).
      await takeChangeLock(tx);
      const written = await tx.query(APPLY_INSIGHT_SQL, [now]);
      await tx.query(
        `INSERT INTO insight_settings (id, value, last_run_at, updated_at) VALUES (1, '{}'::jsonb, $1, $1) ON CONFLICT (id) DO UPDATE SET last_run_at = EXCLUDED.last_run_at`,
        [now],
      );
      if (written.rowCount > 0) {
        const latest = await latestChangeId(tx);
        const note = { kind: 'changes', latest, entities: ['insight'], tickets: [], assigned: [], config: [], truncated: false };
        await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(note)]);
      }
      return { ran: true, customers: count[0]?.n ?? 0, changed: written.rowCount, ms: Date.now() - started };
    });
  }

  /** One customer's insight, in the caller's scope; null when the customer has no orders yet. */
  async get(p: Principal, customerId: number): Promise<CustomerInsight | null> {
    const { rows: c } = await this.db.query<{ owner_id: string | null }>('SELECT owner_id FROM customers WHERE id = $1', [customerId]);
    if (!c[0]) throw new AppError('NOT_FOUND', `No customer ${customerId}`);
    const vis = await Visibility.of(p, await this.config.scopes(), this.db);
    if (!vis.customer(c[0].owner_id)) throw new AppError('FORBIDDEN', 'This customer is outside your scope');
    const { rows } = await this.db.query<InsightRow>('SELECT * FROM customer_insight WHERE customer_id = $1', [customerId]);
    return rows[0] ? insightRowToRecord(rows[0]) : null;
  }

  /** Sets (or with null clears) a customer's manual lifecycle stage; shown at once, kept by recomputes. */
  async setLifecycleOverride(p: Principal, customerId: number, stage: LifecycleStage | null): Promise<void> {
    if (stage !== null && !LIFECYCLE_STAGES.includes(stage)) throw new AppError('INVALID_PAYLOAD', `Unknown lifecycle stage ${String(stage)}`);
    await this.get(p, customerId);
    await this.db.transaction(async (tx) => {
      if (stage === null) await tx.query('DELETE FROM customer_lifecycle_overrides WHERE customer_id = $1', [customerId]);
      else
        await tx.query(
          `INSERT INTO customer_lifecycle_overrides (customer_id, stage, set_by, set_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (customer_id) DO UPDATE SET stage = EXCLUDED.stage, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
          [customerId, stage, p.id, this.now()],
        );
      await takeChangeLock(tx);
      await tx.query(`UPDATE customer_insight SET lifecycle_manual = $2, change_id = nextval('change_seq') WHERE customer_id = $1`, [customerId, stage]);
    });
  }
}
