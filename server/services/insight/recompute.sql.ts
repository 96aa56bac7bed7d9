/**
 * The recompute of every customer's insight in one SQL statement set (PostgreSQL), the same models
 * as shared/insight/ (rfm.ts, abc.ts, lifecycle.ts, clv.ts, lists.ts); the integration test checks
 * both give the same answers on the same data.
 *
 * Parameters of {@link BUILD_INSIGHT_SQL}:
 *  $1 now (epoch ms)  $2 segment grid (JSON, RFM_SEGMENT_GRID)  $3 ABC a  $4 ABC b
 *  $5 lapsedAfterDays $6 acquisitionDays $7 windowDays $8 declineRatio $9 growthRatio $10 maturityAfterDays
 *  $11 CLV parameters per customer type (JSON {person: {...}, company: {...}})
 *  $12 months of spend (and of recent orders) kept for the chart  $13 UTC offset (minutes) of the months  $14 recent orders kept
 */
export const BUILD_INSIGHT_SQL = `
CREATE TEMP TABLE insight_new ON COMMIT DROP AS
WITH agg AS (
  SELECT customer_id,
         count(*)::int AS order_count,
         sum(amount) AS total_spend,
         min(ordered_at) AS first_at,
         max(ordered_at) AS last_at,
         coalesce(sum(amount) FILTER (WHERE ordered_at > $1::bigint - $7::numeric * 86400000), 0) AS recent,
         coalesce(sum(amount) FILTER (WHERE ordered_at <= $1::bigint - $7::numeric * 86400000 AND ordered_at > $1::bigint - 2 * $7::numeric * 86400000), 0) AS previous,
         coalesce(sum(amount) FILTER (WHERE due_at < $1::bigint AND paid_at IS NULL), 0) AS overdue_amount,
         min(due_at) FILTER (WHERE due_at < $1::bigint AND paid_at IS NULL) AS overdue_since,
         count(*) FILTER (WHERE due_at IS NOT NULL)::int AS due_orders,
         count(*) FILTER (WHERE due_at IS NOT NULL AND ((paid_at IS NULL AND due_at < $1::bigint) OR paid_at > due_at))::int AS late_orders
    FROM orders GROUP BY customer_id
),
firsts AS (
  SELECT DISTINCT ON (customer_id) customer_id, amount AS first_amount FROM orders ORDER BY customer_id, ordered_at, id
),
scored AS (
  SELECT a.*, fo.first_amount,
         (1 + (5 * (rank() OVER (ORDER BY last_at) - 1)) / count(*) OVER ())::smallint AS r,
         (1 + (5 * (rank() OVER (ORDER BY order_count) - 1)) / count(*) OVER ())::smallint AS f,
         (1 + (5 * (rank() OVER (ORDER BY total_spend) - 1)) / count(*) OVER ())::smallint AS m,
         -- Revenue strictly above: the running sum up to this value's peers, minus the peers (a frame
         -- with EXCLUDE GROUP would re-aggregate per row: quadratic).
         sum(greatest(total_spend, 0)) OVER (ORDER BY greatest(total_spend, 0) DESC)
           - greatest(total_spend, 0) * count(*) OVER (PARTITION BY greatest(total_spend, 0)) AS above,
         sum(greatest(total_spend, 0)) OVER () AS grand
    FROM agg a JOIN firsts fo USING (customer_id)
),
monthly AS (
  SELECT customer_id, jsonb_agg(jsonb_build_array(month, total) ORDER BY month) AS monthly
    FROM (SELECT customer_id, to_char(to_timestamp((ordered_at + $13::bigint * 60000) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM') AS month, sum(amount) AS total
            FROM orders
           WHERE ordered_at >= extract(epoch FROM date_trunc('month', to_timestamp(($1::bigint + $13::bigint * 60000) / 1000.0) AT TIME ZONE 'UTC') - make_interval(months => $12::int - 1)) * 1000 - $13::bigint * 60000
           GROUP BY 1, 2) x
   GROUP BY customer_id
),
recent_orders AS (
  SELECT customer_id, jsonb_agg(jsonb_build_object('at', ordered_at, 'amount', amount, 'product', product, 'category', category, 'channel', channel) ORDER BY ordered_at DESC, id DESC) AS recent_orders
    FROM (SELECT o.*, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC, id DESC) AS k
            FROM orders o
           WHERE ordered_at >= extract(epoch FROM date_trunc('month', to_timestamp(($1::bigint + $13::bigint * 60000) / 1000.0) AT TIME ZONE 'UTC') - make_interval(months => $12::int - 1)) * 1000 - $13::bigint * 60000) o
   WHERE k <= $14::int
   GROUP BY customer_id
),
clv_params AS (
  SELECT s.*,
         CASE WHEN c.record->>'type' = 'company' THEN $11::jsonb->'company' ELSE $11::jsonb->'person' END AS p
    FROM scored s JOIN customers c ON c.id = s.customer_id
)
SELECT s.customer_id, s.order_count, s.total_spend, s.first_at AS first_purchase_at, s.last_at AS last_purchase_at,
       s.r, s.f, s.m,
       $2::jsonb -> (5 - s.r) ->> ((s.f + s.m + 1) / 2 - 1) AS segment,
       CASE WHEN greatest(s.total_spend, 0) <= 0 OR s.grand <= 0 THEN 'C'
            WHEN s.above < $3::numeric * s.grand THEN 'A'
            WHEN s.above < $4::numeric * s.grand THEN 'B'
            ELSE 'C' END AS abc,
       round(s.first_amount - (p->>'acquisitionCost')::numeric
             + (greatest(0, s.total_spend - s.first_amount) / greatest(1, ($1::bigint - s.first_at) / (365 * 86400000.0)) - (p->>'yearlyServiceCost')::numeric)
               * CASE WHEN (p->>'discountRate')::numeric = 0 THEN (p->>'years')::numeric
                      ELSE (1 - power(1 + (p->>'discountRate')::numeric, -(p->>'years')::numeric)) / (p->>'discountRate')::numeric END, 2) AS clv,
       CASE WHEN $1::bigint - s.last_at > $5::numeric * 86400000 THEN 'lapsed'
            WHEN $1::bigint - s.first_at <= $6::numeric * 86400000 THEN 'acquisition'
            WHEN s.previous > 0 AND s.recent < s.previous * $8::numeric THEN 'decline'
            WHEN $1::bigint - s.first_at < $10::numeric * 86400000 OR s.previous <= 0 OR s.recent >= s.previous * $9::numeric THEN 'growth'
            ELSE 'maturity' END AS lifecycle,
       s.overdue_amount, s.overdue_since, s.due_orders, s.late_orders,
       coalesce(mo.monthly, '[]'::jsonb) AS monthly,
       coalesce(ro.recent_orders, '[]'::jsonb) AS recent_orders
  FROM clv_params s
  LEFT JOIN monthly mo USING (customer_id)
  LEFT JOIN recent_orders ro USING (customer_id)
`;

/** Columns compared to decide whether a customer's insight changed (and so gets a new change id). */
const VALUE_COLUMNS = [
  'order_count', 'total_spend', 'first_purchase_at', 'last_purchase_at', 'r', 'f', 'm', 'segment', 'abc', 'clv', 'lifecycle', 'lifecycle_manual',
  'overdue_amount', 'overdue_since', 'due_orders', 'late_orders', 'monthly', 'recent_orders',
];

/**
 * Writes `insight_new` into `customer_insight` (with each customer's manual lifecycle stage), giving a
 * new change id only to rows whose values changed. Run with the change-id lock held. $1: now.
 * Returns one row per written customer.
 */
export const APPLY_INSIGHT_SQL = `
INSERT INTO customer_insight (customer_id, ${VALUE_COLUMNS.join(', ')}, computed_at, change_id)
SELECT n.customer_id, ${VALUE_COLUMNS.map((c) => (c === 'lifecycle_manual' ? 'o.stage' : `n.${c}`)).join(', ')}, $1::bigint, nextval('change_seq')
  FROM insight_new n LEFT JOIN customer_lifecycle_overrides o USING (customer_id)
ON CONFLICT (customer_id) DO UPDATE SET ${VALUE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, computed_at = EXCLUDED.computed_at, change_id = EXCLUDED.change_id
 WHERE (${VALUE_COLUMNS.map((c) => `customer_insight.${c}`).join(', ')}) IS DISTINCT FROM (${VALUE_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})
RETURNING customer_id
`;
