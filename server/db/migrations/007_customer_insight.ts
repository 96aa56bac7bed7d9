import type { ServerMigration } from '../migrate';

/**
 * Customer insight (issue 13, shared/insight/):
 * - `orders`: purchase history, one row per order or transaction from the shop/ERP API or a CSV
 *   import. `(source, external_id)` is the shop's own key, so a re-import updates instead of doubling.
 *   Amounts in the reporting currency (`insight_settings.currency`); `due_at`/`paid_at` (epoch ms) feed
 *   the overdue list.
 * - `customer_insight`: what the recompute derived per customer (RFM scores and segment, ABC class,
 *   CLV, computed lifecycle, totals, spend per month, recent orders). Carries a `change_id` like the
 *   records desktops pull; only rows whose values changed get a new one.
 * - `customer_lifecycle_overrides`: a stage set by hand, which wins over the computed one.
 * - `insight_settings`: one row of tunable parameters (ABC thresholds, lifecycle rules, CLV per
 *   customer type, win-back months) and when the last recompute ran.
 */
export const m007CustomerInsight: ServerMigration = {
  version: 7,
  name: 'customer_insight',
  sql: `
    CREATE TABLE orders (
      id BIGSERIAL PRIMARY KEY,
      source TEXT NOT NULL,
      external_id TEXT NOT NULL,
      customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
      ordered_at BIGINT NOT NULL,
      amount NUMERIC(14, 2) NOT NULL,
      currency TEXT NOT NULL,
      product TEXT,
      category TEXT,
      channel TEXT,
      due_at BIGINT,
      paid_at BIGINT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      UNIQUE (source, external_id)
    );
    CREATE INDEX orders_customer ON orders (customer_id, ordered_at);

    CREATE TABLE customer_insight (
      customer_id BIGINT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
      order_count INTEGER NOT NULL,
      total_spend NUMERIC(16, 2) NOT NULL,
      first_purchase_at BIGINT,
      last_purchase_at BIGINT,
      r SMALLINT,
      f SMALLINT,
      m SMALLINT,
      segment TEXT,
      abc TEXT CHECK (abc IN ('A', 'B', 'C')),
      clv NUMERIC(16, 2),
      lifecycle TEXT,
      lifecycle_manual TEXT,
      overdue_amount NUMERIC(16, 2) NOT NULL DEFAULT 0,
      overdue_since BIGINT,
      due_orders INTEGER NOT NULL DEFAULT 0,
      late_orders INTEGER NOT NULL DEFAULT 0,
      monthly JSONB NOT NULL DEFAULT '[]'::jsonb,
      recent_orders JSONB NOT NULL DEFAULT '[]'::jsonb,
      computed_at BIGINT NOT NULL,
      change_id BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX customer_insight_change ON customer_insight (change_id);

    CREATE TABLE customer_lifecycle_overrides (
      customer_id BIGINT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
      stage TEXT NOT NULL,
      set_by TEXT NOT NULL,
      set_at BIGINT NOT NULL
    );

    CREATE TABLE insight_settings (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      value JSONB NOT NULL,
      last_run_at BIGINT,
      updated_at BIGINT NOT NULL
    );
  `,
};
