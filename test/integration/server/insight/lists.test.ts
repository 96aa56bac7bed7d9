import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../server/db/db';
import type { PullResponse } from '../../../../shared/sync/protocol';
import { taskSchema } from '../../../../shared/task/task';
import { call, openTestDb, startTestServer, userWithToken, type TestServer } from '../../../helpers/serverHarness';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';

// Sunday 29 November 2026 20:00 UTC = Monday 30 November 04:00 in Shanghai (the centre): the
// centre's week is Mon 30 Nov - Sun 6 Dec, while the UTC week would be Mon 23 - Sun 29 Nov.
const NOW = Date.UTC(2026, 10, 29, 20, 0, 0);
const DAY = 86_400_000;
const CENTRE_DAY = '2026-11-30';

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
const tok: Record<string, string> = {};

/** Hand-made customers: who owns them, their birthday, their orders. */
interface Order {
  at: number;
  amount: number;
  dueAt?: number;
  paidAt?: number;
}
interface Made {
  code: string;
  owner: string | null;
  birthday?: string;
  phone?: string;
  orders: Order[];
  id?: number;
}

const recent = (amount: number): Order => ({ at: NOW - 30 * DAY, amount });
const made: Made[] = [
  // Win-back: last purchase 40 and 37 months ago (on the default 36-month list), 23 months ago (only on a 12-month list).
  { code: 'W1', owner: 'a1', phone: '+8613800000001', orders: [{ at: Date.UTC(2023, 6, 1), amount: 80 }, { at: Date.UTC(2021, 0, 5), amount: 20 }] },
  { code: 'W2', owner: null, orders: [{ at: Date.UTC(2023, 10, 20), amount: 50 }] },
  { code: 'W3', owner: 'b1', orders: [{ at: Date.UTC(2024, 11, 10), amount: 70 }] },
  // Overdue accounts (ordered 60 days ago, so not dormant).
  { code: 'O1', owner: 'a1', phone: '+8613800000011', orders: [
    { at: NOW - 60 * DAY, amount: 1000, dueAt: NOW - 10 * DAY },
    { at: NOW - 420 * DAY, amount: 500, dueAt: NOW - 400 * DAY, paidAt: NOW - 390 * DAY },
  ] },
  { code: 'O2', owner: 'a2', orders: [
    { at: NOW - 60 * DAY, amount: 300, dueAt: NOW - 50 * DAY },
    { at: NOW - 110 * DAY, amount: 200, dueAt: NOW - 100 * DAY, paidAt: NOW - 101 * DAY },
  ] },
  { code: 'O3', owner: 'b1', orders: [{ at: NOW - 60 * DAY, amount: 5000, dueAt: NOW - 3.5 * DAY }] },
  { code: 'O4', owner: 'a1', orders: [{ at: NOW - 60 * DAY, amount: 900, dueAt: NOW + 5 * DAY }] },
  // Birthdays: Sunday 6 Dec, Monday 30 Nov (today), Wednesday 2 Dec; 29 Nov and 7 Dec are outside the week.
  { code: 'B1', owner: 'a2', birthday: '1990-12-06', orders: [] },
  { code: 'B2', owner: 'a1', birthday: '--11-30', orders: [] },
  { code: 'B3', owner: 'b1', birthday: '1985-12-02', orders: [] },
  { code: 'B4', owner: 'a1', birthday: '1990-11-29', orders: [] },
  { code: 'B5', owner: 'a1', birthday: '1990-12-07', orders: [] },
  // At-risk high value: segment and class are set by hand after the recompute (see beforeAll).
  { code: 'R1', owner: 'a1', orders: [recent(10)] },
  { code: 'R2', owner: 'b1', orders: [recent(10)] },
  { code: 'R3', owner: 'a2', orders: [recent(10)] },
  { code: 'R4', owner: 'a1', orders: [recent(10)] },
  { code: 'R5', owner: 'a2', orders: [recent(10)] },
];
const handSegments: Record<string, { segment: string; abc: string; spend: number }> = {
  R1: { segment: 'at-risk', abc: 'A', spend: 900 },
  R2: { segment: 'cannot-lose', abc: 'A', spend: 1200 },
  R3: { segment: 'at-risk', abc: 'B', spend: 5000 },
  R4: { segment: 'champions', abc: 'A', spend: 8000 },
  R5: { segment: 'about-to-sleep', abc: 'A', spend: 700 },
};
const byCode = (code: string): Made => made.find((m) => m.code === code)!;
const idOf = (code: string): number => byCode(code).id!;

/** Members the test expects on a list, in order, for a viewer who sees `owners` (null: all). */
function visible(codes: string[], owners: string[] | null): string[] {
  return codes.filter((c) => owners === null || owners.includes(byCode(c).owner ?? ''));
}

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db, {}, { now: () => NOW, insightSchedule: false, timeZone: 'Asia/Shanghai' });
  tok.admin = await userWithToken(srv.server, 'boss', 'admin');
  tok.sup = await userWithToken(srv.server, 'sue', 'supervisor');
  tok.a1 = await userWithToken(srv.server, 'a1', 'agent', 'red');
  tok.a2 = await userWithToken(srv.server, 'a2', 'agent', 'red');
  tok.b1 = await userWithToken(srv.server, 'b1', 'agent', 'blue');
  let n = 0;
  for (const m of made) {
    const phones = m.phone ? [{ raw: m.phone, e164: m.phone, extension: null, label: 'mobile', primary: true }] : [];
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, 0) RETURNING id`,
      [m.code, `Name ${m.code}`, m.owner, JSON.stringify({ type: 'person', name: `Name ${m.code}`, birthday: m.birthday ?? null, phones })],
    );
    m.id = Number(rows[0]!.id);
    for (const o of m.orders) {
      await db.query(
        `INSERT INTO orders (source, external_id, customer_id, ordered_at, amount, currency, due_at, paid_at, created_at, updated_at) VALUES ('t', $1, $2, $3, $4, 'CNY', $5, $6, 0, 0)`,
        [`o${++n}`, m.id, o.at, o.amount, o.dueAt ?? null, o.paidAt ?? null],
      );
    }
  }
  expect((await call(srv.url, 'POST', '/admin/insight/recompute', { token: tok.admin })).body).toMatchObject({ ran: true });
  for (const [code, s] of Object.entries(handSegments)) {
    await db.query('UPDATE customer_insight SET segment = $2, abc = $3, total_spend = $4 WHERE customer_id = $1', [idOf(code), s.segment, s.abc, s.spend]);
  }
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const codesOf = (rows: Array<{ customerId: number }>): string[] => rows.map((r) => made.find((m) => m.id === r.customerId)!.code);

describe('lists that drive calls (PostgreSQL)', () => {
  it('win-back: dormant for the default 36 months or ?months=, longest dormant first, with its figures', async () => {
    const lastOf = (c: string): number => Math.max(...byCode(c).orders.map((o) => o.at));
    const expected = (cutoff: number): string[] => made.filter((m) => m.orders.length > 0 && lastOf(m.code) < cutoff).sort((a, b) => lastOf(a.code) - lastOf(b.code)).map((m) => m.code);
    const def = await call(srv.url, 'GET', '/insight/lists/win-back', { token: tok.admin });
    expect(def.status).toBe(200);
    expect(def.body).toMatchObject({ kind: 'win-back', months: 36, total: 2, page: 1, pageSize: 50 });
    expect(codesOf(def.body.rows)).toEqual(expected(Date.UTC(2023, 10, 29, 20)));
    expect(codesOf(def.body.rows)).toEqual(['W1', 'W2']);
    const w1 = def.body.rows[0];
    expect(w1).toMatchObject({ code: 'W1', name: 'Name W1', ownerId: 'a1', phone: '+8613800000001' });
    expect(w1.figures).toEqual({ lastPurchaseAt: Date.UTC(2023, 6, 1), daysDormant: Math.floor((NOW - Date.UTC(2023, 6, 1)) / DAY), orderCount: 2, totalSpend: 100 });
    const twelve = await call(srv.url, 'GET', '/insight/lists/win-back?months=12', { token: tok.admin });
    expect(twelve.body.months).toBe(12);
    expect(codesOf(twelve.body.rows)).toEqual(expected(Date.UTC(2025, 10, 29, 20)));
    expect(codesOf(twelve.body.rows)).toEqual(['W1', 'W2', 'W3']);
  });

  it('birthdays this week in the centre time zone, Monday first', async () => {
    const res = await call(srv.url, 'GET', '/insight/lists/birthdays', { token: tok.sup });
    expect(res.status).toBe(200);
    expect(codesOf(res.body.rows)).toEqual(['B2', 'B3', 'B1']);
    expect(res.body.rows.map((r: { figures: unknown }) => r.figures)).toEqual([
      { birthday: '--11-30', when: 'today', weekday: 0 },
      { birthday: '1985-12-02', when: 'this-week', weekday: 2 },
      { birthday: '1990-12-06', when: 'this-week', weekday: 6 },
    ]);
  });

  it('at-risk high value: class A in an at-risk segment, highest spend first', async () => {
    const { rows } = await db.query<{ customer_id: string; segment: string | null; abc: string | null; total_spend: string }>('SELECT customer_id, segment, abc, total_spend FROM customer_insight');
    const expected = rows
      .filter((r) => r.abc === 'A' && ['at-risk', 'cannot-lose', 'about-to-sleep'].includes(r.segment ?? ''))
      .sort((a, b) => Number(b.total_spend) - Number(a.total_spend) || Number(a.customer_id) - Number(b.customer_id))
      .map((r) => Number(r.customer_id));
    const res = await call(srv.url, 'GET', '/insight/lists/at-risk', { token: tok.admin });
    expect(res.body.rows.map((r: { customerId: number }) => r.customerId)).toEqual(expected);
    expect(codesOf(res.body.rows).filter((c) => c.startsWith('R'))).toEqual(['R2', 'R1', 'R5']);
    expect(res.body.rows.find((r: { code: string }) => r.code === 'R2').figures).toMatchObject({ segment: 'cannot-lose', abc: 'A', totalSpend: 1200 });
  });

  it('overdue: ranked by days overdue x amount x risk, showing each part; paged', async () => {
    // The test's own reading of the documented score, from the hand-made orders.
    const expected = made
      .map((m) => {
        const due = m.orders.filter((o) => o.dueAt !== undefined);
        const unpaid = due.filter((o) => o.paidAt === undefined && o.dueAt! < NOW);
        if (unpaid.length === 0) return null;
        const since = Math.min(...unpaid.map((o) => o.dueAt!));
        const late = due.filter((o) => (o.paidAt === undefined && o.dueAt! < NOW) || (o.paidAt !== undefined && o.paidAt > o.dueAt!)).length;
        const daysOverdue = Math.floor((NOW - since) / DAY);
        const overdueAmount = unpaid.reduce((s, o) => s + o.amount, 0);
        const risk = 1 + late / due.length;
        return { code: m.code, figures: { score: daysOverdue * overdueAmount * risk, daysOverdue, overdueAmount, risk, dueOrders: due.length, lateOrders: late, overdueSince: since } };
      })
      .filter((x) => x !== null)
      .sort((a, b) => b.figures.score - a.figures.score);
    expect(expected.map((e) => e.code)).toEqual(['O3', 'O2', 'O1']);
    expect(expected.map((e) => e.figures.score)).toEqual([30_000, 22_500, 20_000]);
    const res = await call(srv.url, 'GET', '/insight/lists/overdue', { token: tok.admin });
    expect(res.body.total).toBe(3);
    expect(res.body.rows.map((r: { code: string; figures: unknown }) => ({ code: r.code, figures: r.figures }))).toEqual(expected);
    const page2 = await call(srv.url, 'GET', '/insight/lists/overdue?pageSize=2&page=2', { token: tok.admin });
    expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(codesOf(page2.body.rows)).toEqual(['O1']);
  });

  it('is scoped like the customers: agent by the configured scope, supervisor and admin all', async () => {
    const all = ['O3', 'O2', 'O1'];
    for (const [who, owners] of [['admin', null], ['sup', null], ['a1', ['a1', 'a2']], ['a2', ['a1', 'a2']], ['b1', ['b1']]] as const) {
      const res = await call(srv.url, 'GET', '/insight/lists/overdue', { token: tok[who] });
      expect(res.status, who).toBe(200);
      expect(codesOf(res.body.rows), who).toEqual(visible(all, owners as string[] | null));
    }
    await srv.server.config.set('scope.customers', 'own', 'boss');
    try {
      expect(codesOf((await call(srv.url, 'GET', '/insight/lists/overdue', { token: tok.a1 })).body.rows)).toEqual(['O1']);
      expect(codesOf((await call(srv.url, 'GET', '/insight/lists/birthdays', { token: tok.a1 })).body.rows)).toEqual(['B2']);
      expect(codesOf((await call(srv.url, 'GET', '/insight/lists/win-back', { token: tok.a1 })).body.rows)).toEqual(['W1']);
      expect(codesOf((await call(srv.url, 'GET', '/insight/lists/overdue', { token: tok.sup })).body.rows)).toEqual(all);
    } finally {
      await srv.server.config.set('scope.customers', 'team', 'boss');
    }
  });

  it('answers 400 to SQL metacharacters and bad parameters, and changes nothing', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    const bad = [
      `/insight/lists/win-back?months=${encodeURIComponent("1; DROP TABLE customers; --")}`,
      `/insight/lists/win-back?months=${encodeURIComponent("36' OR '1'='1")}`,
      '/insight/lists/win-back?months=0',
      '/insight/lists/win-back?months=1201',
      '/insight/lists/win-back?months=2.5',
      '/insight/lists/win-back?months=-3',
      `/insight/lists/${encodeURIComponent("win-back'; DELETE FROM customers; --")}`,
      '/insight/lists/everyone',
      '/insight/lists/overdue?page=0',
      '/insight/lists/overdue?pageSize=201',
      '/insight/lists/overdue?pageSize=x',
      `/insight/lists/overdue?order=${encodeURIComponent('score; DROP TABLE orders')}`,
    ];
    for (const path of bad) {
      const res = await call(srv.url, 'GET', path, { token: tok.admin });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('INVALID_PAYLOAD');
    }
    const tasks = await call(srv.url, 'POST', `/insight/lists/overdue/tasks?months=${encodeURIComponent("1'--")}`, { token: tok.sup, body: {} });
    expect(tasks.status).toBe(400);
    const badBody = await call(srv.url, 'POST', '/insight/lists/overdue/tasks', { token: tok.sup, body: { dueAt: 'tomorrow' } });
    expect(badBody.status).toBe(400);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0]!.n).toBe(before.rows[0]!.n);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')).rows[0]!.n).toBe(0);
    expect((await call(srv.url, 'GET', '/insight/lists/overdue')).status).toBe(401);
  });

  it('turns a list into callback tasks for the owners once per day; the owners pull them through sync', async () => {
    const cursor = (await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.a1 })).body.latest;
    expect((await call(srv.url, 'POST', '/insight/lists/overdue/tasks', { token: tok.a1, body: {} })).status).toBe(403);
    const dueAt = NOW + 2 * 3_600_000;
    const first = await call(srv.url, 'POST', '/insight/lists/overdue/tasks', { token: tok.sup, body: { language: 'en-US', dueAt } });
    expect(first.status).toBe(200);
    const ids = ['O3', 'O2', 'O1'].map((c) => `list-overdue-${idOf(c)}-${CENTRE_DAY}`);
    expect(first.body).toEqual({ created: 3, existing: 0, withoutOwner: 0, taskIds: ids });
    const again = await call(srv.url, 'POST', '/insight/lists/overdue/tasks', { token: tok.admin, body: {} });
    expect(again.body).toEqual({ created: 0, existing: 3, withoutOwner: 0, taskIds: [] });
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE id LIKE 'list-overdue-%'`)).rows[0]!.n).toBe(3);

    const pulled = await call<PullResponse>(srv.url, 'GET', `/sync/pull?cursor=${cursor}&limit=5000`, { token: tok.a1 });
    const mine = pulled.body.changes.filter((c) => c.entity === 'task' && c.op === 'upsert');
    expect(mine.map((c) => c.id)).toEqual([`list-overdue-${idOf('O1')}-${CENTRE_DAY}`]);
    expect(mine[0]!.record).toMatchObject({
      kind: 'callback', title: 'Overdue payment: call Name O1', customerId: idOf('O1'), phone: '+8613800000011',
      assignee: 'a1', createdBy: 'sue', status: 'open', dueAt, remindAt: dueAt, version: 1,
    });
    // The desktop reads a pulled task with this schema (electron/core/sync/serverMirror.ts).
    expect(taskSchema.omit({ overdue: true, remindedAt: true }).safeParse(mine[0]!.record).success).toBe(true);
    const b1 = await call<PullResponse>(srv.url, 'GET', `/sync/pull?cursor=${cursor}&limit=5000`, { token: tok.b1 });
    expect(b1.body.changes.filter((c) => c.entity === 'task' && c.op === 'upsert').map((c) => c.id)).toEqual([`list-overdue-${idOf('O3')}-${CENTRE_DAY}`]);

    // A plain title from the request; a customer without an owner gets no task; another list is another task.
    const wb = await call(srv.url, 'POST', '/insight/lists/win-back/tasks?months=12', { token: tok.admin, body: { title: '回访老客户' } });
    expect(wb.body).toMatchObject({ created: 2, existing: 0, withoutOwner: 1 });
    const { rows } = await db.query<{ record: { title: string; assignee: string } }>(`SELECT record FROM tasks WHERE id LIKE 'list-win-back-%' ORDER BY id`);
    expect(rows.map((r) => r.record.title)).toEqual(['回访老客户', '回访老客户']);
    expect(rows.map((r) => r.record.assignee).sort()).toEqual(['a1', 'b1']);
  });
});
