import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/db';
import { ConfigService } from '../../server/services/configService';
import { InsightService } from '../../server/services/insight/insightService';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openTestDb } from '../helpers/serverHarness';
import { benchSize } from './harness';

// Segment recomputation (RFM, ABC, CLV, lifecycle, spend per month, recent orders) on a real
// PostgreSQL. Issue 13 target: 1M customers and 10M orders in under 60 s (`npm run bench -- --full`).
const CUSTOMERS = benchSize('CALLDESK_BENCH_INSIGHT_CUSTOMERS', 100_000, 1_000_000);
const ORDERS_PER_CUSTOMER = Number(process.env.CALLDESK_BENCH_INSIGHT_ORDERS_PER_CUSTOMER ?? 10);
const NOW = Date.UTC(2026, 11, 1);

let pgsrv: TestPostgres;
let db: Db;

function line(text: string): void {
  console.log(`BENCH ${text}`);
}

beforeAll(async () => {
  pgsrv = await startPostgres({ durable: process.env.CALLDESK_BENCH_PG_DURABLE === '1' });
  db = await openTestDb(await pgsrv.createDatabase(), 4);
  const t0 = Date.now();
  await db.query(
    `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at)
     SELECT 'C' || g, 'Customer ' || g, 'agent' || (g % 500), jsonb_build_object('type', CASE WHEN g % 7 = 0 THEN 'company' ELSE 'person' END), 0, 0
       FROM generate_series(1, $1::int) g`,
    [CUSTOMERS],
  );
  // Orders spread over five years, a skewed number per customer (average ORDERS_PER_CUSTOMER).
  await db.query(
    `INSERT INTO orders (source, external_id, customer_id, ordered_at, amount, currency, category, channel, due_at, paid_at, created_at, updated_at)
     SELECT 'bench', g::text, 1 + (hashint4(g) & 2147483647) % $1::int,
            $2::bigint - ((hashint4(g * 7) & 2147483647) % (5 * 365 * 86400))::bigint * 1000,
            ((hashint4(g * 13) & 2147483647) % 100000) / 100.0, 'CNY', 'cat' || g % 20, 'web',
            NULL, NULL, 0, 0
       FROM generate_series(1, $3::int) g`,
    [CUSTOMERS, NOW, CUSTOMERS * ORDERS_PER_CUSTOMER],
  );
  await db.query('ANALYZE customers; ANALYZE orders');
  line(`insight: ${CUSTOMERS.toLocaleString('en')} customers, ${(CUSTOMERS * ORDERS_PER_CUSTOMER).toLocaleString('en')} orders generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (PostgreSQL, fsync ${process.env.CALLDESK_BENCH_PG_DURABLE === '1' ? 'on' : 'off'})`);
}, 3_600_000);

afterAll(async () => {
  await db?.close();
  await pgsrv?.stop();
});

describe('insight recompute on PostgreSQL', () => {
  it('recomputes every customer, then again with nothing changed', async () => {
    const config = new ConfigService(db, () => NOW);
    const insight = new InsightService(db, config, () => NOW);
    const first = await insight.recompute();
    line(`insight: first recompute ${first.customers.toLocaleString('en')} customers (${first.changed.toLocaleString('en')} written) in ${(first.ms / 1000).toFixed(1)} s (target < 60 s for 1M / 10M)`);
    const second = await insight.recompute();
    line(`insight: recompute with no change ${(second.ms / 1000).toFixed(1)} s (${second.changed} rows written)`);
    await db.query(`UPDATE orders SET amount = amount + 1 WHERE id % 1000 = 0`);
    const third = await insight.recompute();
    line(`insight: recompute after 0.1% of orders changed ${(third.ms / 1000).toFixed(1)} s (${third.changed.toLocaleString('en')} rows written)`);
    expect(first.changed).toBe(first.customers);
    expect(second.changed).toBe(0);
    expect(third.changed).toBeGreaterThan(0);
  });
});
