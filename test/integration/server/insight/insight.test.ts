import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../server/db/db';
import { classifyAbc } from '../../../../shared/insight/abc';
import { DEFAULT_CLV_PARAMS, customerLifetimeValue, estimateFromHistory } from '../../../../shared/insight/clv';
import { computeLifecycle } from '../../../../shared/insight/lifecycle';
import { scoreRfm } from '../../../../shared/insight/rfm';
import { call, openTestDb, startTestServer, userWithToken, type TestServer } from '../../../helpers/serverHarness';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';
import { seededRandom } from '../../../unit/shared/insight/seededShuffle';

const NOW = Date.UTC(2026, 11, 1, 4, 0, 0);
const DAY = 86_400_000;

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let admin: string;
let agent: string;
let supervisorToken: string;

async function addCustomer(code: string, owner: string | null, type: 'person' | 'company' = 'person'): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at) VALUES ($1, $1, $2, $3, 0, 0) RETURNING id`,
    [code, owner, JSON.stringify({ type, name: code })],
  );
  return Number(rows[0]!.id);
}

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db, {}, { now: () => NOW, insightSchedule: false });
  admin = await userWithToken(srv.server, 'boss', 'admin');
  agent = await userWithToken(srv.server, '1001', 'agent', 'red');
  supervisorToken = await userWithToken(srv.server, 'sue', 'supervisor');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

describe('purchase history import (PostgreSQL)', () => {
  it('stores orders from the API, refuses bad ones alone with reasons, and updates on a re-send', async () => {
    await addCustomer('API-1', 'boss');
    const res = await call(srv.url, 'POST', '/admin/orders', {
      token: admin,
      body: {
        source: 'shop',
        orders: [
          { externalId: 'o1', customerCode: 'API-1', orderedAt: '2026-11-01 10:00', amount: 120.5, currency: 'CNY', product: '路由器', channel: 'web' },
          { externalId: 'o2', customerCode: 'API-1', orderedAt: Date.UTC(2026, 9, 1), amount: '80.25', currency: 'cny' },
          { externalId: 'o3', customerCode: 'NOPE', orderedAt: '2026-11-01', amount: 1, currency: 'CNY' },
          { externalId: 'o4', customerCode: 'API-1', orderedAt: '2026-02-30', amount: 1, currency: 'CNY' },
          { externalId: 'o5', customerCode: 'API-1', orderedAt: '2026-11-01', amount: 1.005, currency: 'CNY' },
          { externalId: 'o6', customerCode: 'API-1', orderedAt: '2026-11-01', amount: 10, currency: 'USD' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 6, created: 2, updated: 0 });
    expect(res.body.rejected.map((r: { row: number }) => r.row)).toEqual([3, 4, 5, 6]);
    expect(res.body.rejected[0].reasons[0]).toMatch(/NOPE is not a known customer/);
    expect(res.body.rejected[1].reasons[0]).toMatch(/orderedAt is not a date/);
    expect(res.body.rejected[2].reasons[0]).toMatch(/amount/);
    expect(res.body.rejected[3].reasons[0]).toMatch(/USD is not the reporting currency CNY/);
    const { rows } = await db.query<{ ordered_at: string; amount: string }>("SELECT ordered_at, amount FROM orders WHERE external_id = 'o1'");
    // A local date-time without a zone is read at UTC+8 (default reporting zone).
    expect(Number(rows[0]!.ordered_at)).toBe(Date.UTC(2026, 10, 1, 2, 0));
    expect(rows[0]!.amount).toBe('120.50');
    const again = await call(srv.url, 'POST', '/admin/orders', { token: admin, body: { source: 'shop', orders: [{ externalId: 'o1', customerCode: 'API-1', orderedAt: '2026-11-01', amount: 99, currency: 'CNY' }] } });
    expect(again.body).toMatchObject({ created: 0, updated: 1, rejected: [] });
    expect((await call(srv.url, 'POST', '/admin/orders', { token: agent, body: { orders: [{}] } })).status).toBe(403);
  });

  it('imports CSV in GBK (Chinese headers) and UTF-8 with the same result', async () => {
    await addCustomer('CSV-1', 'boss');
    const text = '订单号,客户编号,下单时间,金额,产品,渠道\nG1,CSV-1,2026-10-05,300,宽带,门店\nG2,CSV-1,2026/11/05 09:30,200.5,路由器,网店\nG3,CSV-9,2026-11-06,1,x,y\n';
    const gbk = await fetch(`${srv.url}/admin/orders/import?source=erp-gbk`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, body: new Uint8Array(iconv.encode(text, 'gbk')) });
    const utf8 = await fetch(`${srv.url}/admin/orders/import?source=erp-utf8`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, body: new Uint8Array(Buffer.from(text, 'utf8')) });
    const a = (await gbk.json()) as { created: number; rejected: Array<{ row: number; reasons: string[] }> };
    const b = (await utf8.json()) as typeof a;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ total: 3, created: 2, rejected: [{ row: 4 }] });
    const { rows } = await db.query<{ source: string; product: string; channel: string; amount: string }>("SELECT source, product, channel, amount FROM orders WHERE source LIKE 'erp-%' ORDER BY source, external_id");
    expect(rows.map((r) => [r.source, r.product, r.channel, r.amount])).toEqual([
      ['erp-gbk', '宽带', '门店', '300.00'], ['erp-gbk', '路由器', '网店', '200.50'],
      ['erp-utf8', '宽带', '门店', '300.00'], ['erp-utf8', '路由器', '网店', '200.50'],
    ]);
    const noAmount = await fetch(`${srv.url}/admin/orders/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, body: 'order id,customer code,date\nX,CSV-1,2026-01-01\n' });
    expect(noAmount.status).toBe(400);
    expect(JSON.stringify(await noAmount.json())).toMatch(/amount/);
  });
});

describe('segment recompute in SQL gives the same answers as shared/insight', () => {
  it('RFM, segment, ABC, lifecycle and CLV per customer equal the TypeScript models on seeded data', async () => {
    await db.query('TRUNCATE orders, customer_insight');
    const rand = seededRandom(13);
    const orders: Array<{ externalId: string; customerCode: string; orderedAt: number; amount: number; currency: string }> = [];
    const byCustomer = new Map<string, { id: number; type: 'person' | 'company'; orders: Array<{ at: number; amount: number }> }>();
    let t = 0;
    for (let c = 0; c < 80; c++) {
      const code = `SEED-${c}`;
      const type = c % 5 === 0 ? 'company' : 'person';
      const id = await addCustomer(code, c % 2 === 0 ? '1001' : 'other', type);
      const list: Array<{ at: number; amount: number }> = [];
      const n = 1 + Math.floor(rand() * 6);
      for (let k = 0; k < n; k++) {
        // Distinct times (no tie on the first order); amounts in quarters (exact in binary).
        const at = NOW - Math.floor(rand() * 1500) * DAY - ++t * 1000;
        const amount = Math.floor(rand() * 8) * 125 + [0, 0.25, 0.5, 0.75][Math.floor(rand() * 4)]!;
        list.push({ at, amount });
        orders.push({ externalId: `${code}-${k}`, customerCode: code, orderedAt: at, amount, currency: 'CNY' });
      }
      byCustomer.set(code, { id, type, orders: list });
    }
    expect((await call(srv.url, 'POST', '/admin/orders', { token: admin, body: { source: 'seed', orders } })).body.rejected).toEqual([]);
    const run = await call(srv.url, 'POST', '/admin/insight/recompute', { token: admin });
    expect(run.body).toMatchObject({ ran: true, customers: 80, changed: 80 });

    const summaries = [...byCustomer].map(([code, c]) => ({
      customerId: code,
      lastPurchaseAt: Math.max(...c.orders.map((o) => o.at)),
      orderCount: c.orders.length,
      totalSpend: c.orders.reduce((s, o) => s + o.amount, 0),
    }));
    const rfm = scoreRfm(summaries);
    const abc = classifyAbc(summaries.map((s) => ({ customerId: s.customerId, revenue: s.totalSpend })));
    for (const [i, s] of summaries.entries()) {
      const c = byCustomer.get(s.customerId)!;
      const got = (await call(srv.url, 'GET', `/customers/${c.id}/insight`, { token: admin })).body.insight;
      const first = c.orders.reduce((a, b) => (b.at < a.at ? b : a));
      const est = estimateFromHistory({ firstOrderAt: first.at, firstOrderAmount: first.amount, totalSpend: s.totalSpend, now: NOW });
      const clv = customerLifetimeValue({ ...DEFAULT_CLV_PARAMS[c.type], ...est });
      const r = rfm[i]!;
      expect({ code: s.customerId, r: got.r, f: got.f, m: got.m, segment: got.segment, abc: got.abc, lifecycle: got.lifecycle, orderCount: got.orderCount, totalSpend: got.totalSpend, last: got.lastPurchaseAt }).toEqual({
        code: s.customerId, r: r.r, f: r.f, m: r.m, segment: r.segment, abc: abc[i]!.abc, lifecycle: computeLifecycle(c.orders, NOW), orderCount: s.orderCount, totalSpend: s.totalSpend, last: s.lastPurchaseAt,
      });
      expect(Math.abs(got.clv - clv), `CLV of ${s.customerId}`).toBeLessThanOrEqual(0.011);
    }
  });

  it('a second recompute changes nothing; a new order changes only what it affects; change ids move', async () => {
    const before = await db.query<{ change_id: string }>('SELECT max(change_id) AS change_id FROM customer_insight');
    expect((await call(srv.url, 'POST', '/admin/insight/recompute', { token: admin })).body).toMatchObject({ ran: true, changed: 0 });
    await call(srv.url, 'POST', '/admin/orders', { token: admin, body: { source: 'seed', orders: [{ externalId: 'late-1', customerCode: 'SEED-3', orderedAt: NOW - DAY, amount: 5, currency: 'CNY' }] } });
    const run = (await call(srv.url, 'POST', '/admin/insight/recompute', { token: supervisorToken })).body;
    expect(run.ran).toBe(true);
    expect(run.changed).toBeGreaterThanOrEqual(1);
    expect(run.changed).toBeLessThan(80);
    const { rows } = await db.query<{ change_id: string }>("SELECT i.change_id FROM customer_insight i JOIN customers c ON c.id = i.customer_id WHERE c.code = 'SEED-3'");
    expect(Number(rows[0]!.change_id)).toBeGreaterThan(Number(before.rows[0]!.change_id));
  });

  it('the spend chart months, recent orders and the overdue figures', async () => {
    const id = await addCustomer('CHART-1', 'boss');
    const o = (externalId: string, orderedAt: string, amount: number, extra: Record<string, unknown> = {}) => ({ externalId, customerCode: 'CHART-1', orderedAt, amount, currency: 'CNY', ...extra });
    await call(srv.url, 'POST', '/admin/orders', {
      token: admin,
      body: { source: 'chart', orders: [
        o('c1', '2026-11-30 23:30', 100, { dueAt: '2026-11-20', paidAt: '2026-11-25' }),
        o('c2', '2026-11-02', 50, { dueAt: '2026-11-15' }),
        o('c3', '2026-09-10', 70),
        o('c4', '2020-01-01', 999),
      ] },
    });
    await call(srv.url, 'POST', '/admin/insight/recompute', { token: admin });
    const got = (await call(srv.url, 'GET', `/customers/${id}/insight`, { token: admin })).body.insight;
    // Months at UTC+8: 2026-11-30 23:30 local is in November; the 2020 order is older than 24 months.
    expect(got.monthly).toEqual([['2026-09', 70], ['2026-11', 150]]);
    expect(got.recentOrders.map((x: { amount: number }) => x.amount)).toEqual([100, 50, 70]);
    expect(got).toMatchObject({ orderCount: 4, totalSpend: 1219, overdueAmount: 50, overdueSince: Date.UTC(2026, 10, 14, 16), dueOrders: 2, lateOrders: 2 });
  });
});

describe('manual lifecycle stage and scope', () => {
  it('a manual stage wins, is marked, and survives a recompute; clearing it shows the computed one', async () => {
    const { rows } = await db.query<{ id: string }>("SELECT id FROM customers WHERE code = 'SEED-1'");
    const id = Number(rows[0]!.id);
    const set = await call(srv.url, 'PUT', `/customers/${id}/lifecycle`, { token: supervisorToken, body: { stage: 'maturity' } });
    expect(set.body.insight.lifecycleManual).toBe('maturity');
    await call(srv.url, 'POST', '/admin/insight/recompute', { token: admin });
    const after = (await call(srv.url, 'GET', `/customers/${id}/insight`, { token: admin })).body.insight;
    expect(after.lifecycleManual).toBe('maturity');
    expect(after.lifecycle).not.toBeNull();
    expect((await call(srv.url, 'PUT', `/customers/${id}/lifecycle`, { token: supervisorToken, body: { stage: 'sleepy' } })).status).toBe(400);
    expect((await call(srv.url, 'PUT', `/customers/${id}/lifecycle`, { token: agent, body: { stage: null } })).status).toBe(403);
    const cleared = await call(srv.url, 'PUT', `/customers/${id}/lifecycle`, { token: supervisorToken, body: { stage: null } });
    expect(cleared.body.insight.lifecycleManual).toBeNull();
  });

  it('an agent reads insight only for customers in scope', async () => {
    const mine = await db.query<{ id: string }>("SELECT id FROM customers WHERE code = 'SEED-0'");
    const other = await db.query<{ id: string }>("SELECT id FROM customers WHERE code = 'SEED-1'");
    expect((await call(srv.url, 'GET', `/customers/${mine.rows[0]!.id}/insight`, { token: agent })).body.insight.orderCount).toBeGreaterThan(0);
    expect((await call(srv.url, 'GET', `/customers/${other.rows[0]!.id}/insight`, { token: agent })).status).toBe(403);
  });

  it('desktops pull the insight of the customers in their scope (entity insight, id = server customer id)', async () => {
    const pulled = await call(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: agent });
    const insight = (pulled.body.changes as Array<{ entity: string; id: string; record: { customerId: number; segment: string } }>).filter((c) => c.entity === 'insight');
    const { rows } = await db.query<{ id: string }>("SELECT c.id FROM customers c JOIN customer_insight i ON i.customer_id = c.id WHERE c.owner_id = '1001' ORDER BY c.id");
    expect(insight.map((c) => c.id).sort()).toEqual(rows.map((r) => String(r.id)).sort());
    expect(insight.length).toBeGreaterThan(0);
    expect(insight.every((c) => c.record.customerId === Number(c.id) && typeof c.record.segment === 'string')).toBe(true);
    // A customer moved into the agent's scope brings its insight on the next pull.
    const cursor = pulled.body.latest as number;
    await call(srv.url, 'POST', '/admin/customers/import', { token: admin, body: { csv: 'code,name,ownerId\nSEED-1,SEED-1,1001\n' } });
    const next = await call(srv.url, 'GET', `/sync/pull?cursor=${cursor}&limit=5000`, { token: agent });
    const seed1 = String((await db.query<{ id: string }>("SELECT id FROM customers WHERE code = 'SEED-1'")).rows[0]!.id);
    expect((next.body.changes as Array<{ entity: string; id: string }>).filter((c) => c.id === seed1).map((c) => c.entity).sort()).toEqual(['customer', 'insight']);
  });

  it('settings are validated and keep the old value on a bad one', async () => {
    const bad = await call(srv.url, 'PUT', '/admin/insight/settings', { token: admin, body: { abc: { a: 0.9, b: 0.8 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/abc/);
    const good = await call(srv.url, 'PUT', '/admin/insight/settings', { token: admin, body: { abc: { a: 0.7, b: 0.9 }, winBackMonths: 24 } });
    expect(good.body).toMatchObject({ abc: { a: 0.7, b: 0.9 }, winBackMonths: 24, currency: 'CNY' });
    expect((await call(srv.url, 'GET', '/admin/insight/settings', { token: supervisorToken })).body.abc).toEqual({ a: 0.7, b: 0.9 });
  });
});
