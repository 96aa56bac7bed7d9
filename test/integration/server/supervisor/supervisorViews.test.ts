import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../server/db/db';
import { formatKpi } from '../../../../shared/kpi/definitions';
import { call, connectRealtime, openTestDb, startTestServer, userWithToken, type TestServer } from '../../../helpers/serverHarness';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';

/**
 * Supervisor views on PostgreSQL (issue 12 items 2, 6, 8): the live board and the report are built
 * from stored queue events, interactions and agent state events; every figure is checked against
 * the test's own computation from its script; agents are refused; supervisors see only their team.
 */
let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let admin: string;
let agent: string;
let supRed: string;
let supNoTeam: string;

const TZ = 'Asia/Shanghai';
// A frozen clock at 12:00 in Shanghai of the latest such noon: the script's hour is "today" there.
const NOON_UTC_HOUR = 4;
const NOW = (() => {
  const d = new Date();
  const noon = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), NOON_UTC_HOUR);
  return noon <= Date.now() ? noon : noon - 86_400_000;
})();
const S = 1000;

// The script: queue "sales" (red team: r1, r2; T = 20 s, short abandon 5 s), queue "support"
// (blue team: b1). Each call: wait, and for answered calls talk/hold/wrap-up logged by the desktop.
interface Scripted { id: string; queue: 'sales' | 'support'; at: number; wait: number; outcome: 'answered' | 'abandoned' | 'waiting'; agent?: string; talk?: number; hold?: number; wrap?: number; from: string }
const base = NOW - 3600 * S; // 11:00 to 12:00 in Shanghai: today on the live board
const SCRIPT: Scripted[] = [
  { id: 'c1', queue: 'sales', at: base, wait: 4 * S, outcome: 'answered', agent: 'r1', talk: 120 * S, hold: 0, wrap: 15 * S, from: '+8613800000001' },
  { id: 'c2', queue: 'sales', at: base + 60 * S, wait: 19 * S, outcome: 'answered', agent: 'r2', talk: 200 * S, hold: 30 * S, wrap: 40 * S, from: '+8613800000002' },
  { id: 'c3', queue: 'sales', at: base + 120 * S, wait: 35 * S, outcome: 'answered', agent: 'r1', talk: 90 * S, hold: 10 * S, wrap: 20 * S, from: '+8613800000003' },
  { id: 'c4', queue: 'sales', at: base + 180 * S, wait: 3 * S, outcome: 'abandoned', from: '+8613800000004' }, // short abandon
  { id: 'c5', queue: 'sales', at: base + 240 * S, wait: 12 * S, outcome: 'abandoned', from: '+8613800000005' }, // abandoned within T
  { id: 'c6', queue: 'sales', at: base + 300 * S, wait: 45 * S, outcome: 'abandoned', from: '+8613800000006' }, // abandoned after T
  { id: 'c7', queue: 'support', at: base + 360 * S, wait: 8 * S, outcome: 'answered', agent: 'b1', talk: 60 * S, hold: 0, wrap: 5 * S, from: '+8613800000007' },
  { id: 'c8', queue: 'sales', at: NOW - 30 * S, wait: 0, outcome: 'waiting', from: '+8613800000008' },
];

/** The test's own figures for "sales", straight from the script. */
function expectedSales() {
  const calls = SCRIPT.filter((c) => c.queue === 'sales');
  const answered = calls.filter((c) => c.outcome === 'answered');
  const abandoned = calls.filter((c) => c.outcome === 'abandoned');
  const within = answered.filter((c) => c.wait <= 20 * S).length;
  const abandonedAfterT = abandoned.filter((c) => c.wait > 20 * S).length;
  const short = abandoned.filter((c) => c.wait < 5 * S).length;
  const handle = answered.map((c) => c.talk! + c.hold! + c.wrap!);
  return {
    offered: calls.length,
    answered: answered.length,
    abandoned: abandoned.length - short,
    shortAbandoned: short,
    serviceLevel: within / (answered.length + abandonedAfterT),
    asaMs: answered.reduce((s, c) => s + c.wait, 0) / answered.length,
    ahtMs: handle.reduce((a, b) => a + b, 0) / handle.length,
    avgHoldMs: answered.reduce((s, c) => s + c.hold!, 0) / answered.length,
    avgWrapUpMs: answered.reduce((s, c) => s + c.wrap!, 0) / answered.length,
    abandonRate: (abandoned.length - short) / (calls.length - short),
    waitingNow: calls.filter((c) => c.outcome === 'waiting').length,
  };
}

async function seed(): Promise<void> {
  await call(srv.url, 'POST', '/admin/queues', { token: admin, body: { id: 'sales', name: 'Sales', members: [{ agentId: 'r1' }, { agentId: 'r2' }], slTargetSec: 20, shortAbandonSec: 5 } });
  await call(srv.url, 'POST', '/admin/queues', { token: admin, body: { id: 'support', name: 'Support', members: [{ agentId: 'b1' }], slTargetSec: 30, shortAbandonSec: 5 } });
  const ev = (callId: string, queue: string, kind: string, at: number, agentId: string | null, waitMs: number | null, detail: object = {}) =>
    db.query('INSERT INTO queue_events (call_id, queue_id, kind, agent_id, at, wait_ms, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)', [callId, queue, kind, agentId, at, waitMs, JSON.stringify(detail)]);
  for (const c of SCRIPT) {
    await ev(c.id, c.queue, 'entered', c.at, null, null, { from: c.from, seq: 1 });
    if (c.outcome === 'answered') {
      await ev(c.id, c.queue, 'offered', c.at + c.wait - 2 * S, c.agent!, c.wait - 2 * S);
      await ev(c.id, c.queue, 'answered', c.at + c.wait, c.agent!, c.wait);
      const end = c.at + c.wait + c.talk! + c.hold!;
      await ev(c.id, c.queue, 'ended', end, c.agent!, null, { by: 'caller' });
      const record = { id: `i-${c.id}`, kind: 'call', sipCallId: c.id, talkMs: c.talk, holdMs: c.hold, wrapUpMs: c.wrap, endReason: 'remote-hangup', createdAt: end + c.wrap! };
      await db.query('INSERT INTO interactions (id, root_id, kind, customer_id, agent_id, occurred_at, record, pushed_by, received_at) VALUES ($1,$1,$2,NULL,$3,$4,$5,$3,$6)', [`i-${c.id}`, 'call', c.agent, c.at, JSON.stringify(record), end]);
    } else if (c.outcome === 'abandoned') {
      await ev(c.id, c.queue, 'abandoned', c.at + c.wait, null, c.wait, { by: 'caller' });
    }
  }
  const st = (agentId: string, toState: string, at: number, toReason: string | null = null) =>
    db.query('INSERT INTO agent_state_events (id, agent_id, to_state, at, record, pushed_by, received_at) VALUES ($1,$2,$3,$4,$5,$2,$4)', [`${agentId}-${at}`, agentId, toState, at, JSON.stringify({ toState, toReason, agentId, at })]);
  await st('r1', 'ready', base - 600 * S);
  await st('r1', 'not-ready', NOW - 100 * S, 'lunch');
  await st('r2', 'ready', base - 600 * S);
  await st('b1', 'ready', base - 600 * S);
  // r2's desktop reports a call in progress (ringing, then active, then held); r1's last call ended.
  const ce = (user: string, callId: string, kind: string, at: number, remote: string) =>
    db.query('INSERT INTO call_events (id, user_id, call_id, kind, at, record, received_at) VALUES ($1,$2,$3,$4,$5,$6,$5)', [`${callId}:${kind}`, user, callId, kind, at, JSON.stringify({ data: { remote } })]);
  await ce('r2', 'd1', 'ringing', NOW - 60 * S, '+8613800000009');
  await ce('r2', 'd1', 'active', NOW - 55 * S, '+8613800000009');
  await ce('r2', 'd1', 'held', NOW - 20 * S, '+8613800000009');
  await ce('r1', 'd0', 'active', NOW - 900 * S, '+8613800000001');
  await ce('r1', 'd0', 'ended', NOW - 800 * S, '+8613800000001');
}

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db, {}, { timeZone: TZ, now: () => NOW });
  admin = await userWithToken(srv.server, 'boss', 'admin');
  agent = await userWithToken(srv.server, 'r1', 'agent', 'red');
  await userWithToken(srv.server, 'r2', 'agent', 'red');
  await userWithToken(srv.server, 'b1', 'agent', 'blue');
  supRed = await userWithToken(srv.server, 'sue', 'supervisor', 'red');
  supNoTeam = await userWithToken(srv.server, 'sam', 'supervisor');
  await seed();
}, 60_000);

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const reportPath = (extra = '') => `/supervisor/report?from=${base - 3600 * S}&to=${NOW + 60 * S}&grain=day&tz=${encodeURIComponent(TZ)}${extra}`;

describe('supervisor views: roles (server-enforced)', () => {
  it('agents are refused every supervisor view; no token is 401', async () => {
    for (const path of ['/supervisor/board', reportPath(), reportPath().replace('/report', '/report.csv')]) {
      expect((await call(srv.url, 'GET', path, { token: agent })).status).toBe(403);
      expect((await call(srv.url, 'GET', path)).status).toBe(401);
    }
  });

  it('a supervisor sees only their team’s agents and queues; one without a team sees nobody; an admin sees all', async () => {
    const red = (await call(srv.url, 'GET', '/supervisor/board', { token: supRed })).body;
    expect(red.queues.map((q: { id: string }) => q.id)).toEqual(['sales']);
    expect(red.agents.map((a: { id: string }) => a.id)).toEqual(['r1', 'r2']);
    const none = (await call(srv.url, 'GET', '/supervisor/board', { token: supNoTeam })).body;
    expect(none).toMatchObject({ queues: [], agents: [] });
    const all = (await call(srv.url, 'GET', '/supervisor/board', { token: admin })).body;
    expect(all.queues.map((q: { id: string }) => q.id)).toEqual(['sales', 'support']);
    expect(all.agents.map((a: { id: string }) => a.id)).toEqual(['b1', 'r1', 'r2']);
    const report = (await call(srv.url, 'GET', reportPath('&by=agent'), { token: supRed })).body;
    expect([...new Set(report.totals.map((r: { key: string }) => r.key))]).toEqual(['r1', 'r2']);
    const asked = (await call(srv.url, 'GET', reportPath('&queues=support'), { token: supRed })).body;
    expect(asked.rows).toEqual([]); // a queue outside the scope is not shown even when asked for
  });
});

describe('supervisor views: figures equal the script', () => {
  it('live board: today’s sales KPIs, waiting calls, agent states and calls', async () => {
    const board = (await call(srv.url, 'GET', '/supervisor/board', { token: supRed })).body;
    const sales = board.queues[0];
    const exp = expectedSales();
    expect(sales.kpis).toMatchObject({ offered: exp.offered, answered: exp.answered, abandoned: exp.abandoned, shortAbandoned: exp.shortAbandoned, waitingNow: exp.waitingNow });
    expect(sales.kpis.serviceLevel).toBeCloseTo(exp.serviceLevel, 12);
    expect(sales.kpis.asaMs).toBeCloseTo(exp.asaMs, 6);
    expect(sales.kpis.ahtMs).toBeCloseTo(exp.ahtMs, 6);
    expect(sales.kpis.abandonRate).toBeCloseTo(exp.abandonRate, 12);
    expect(sales.kpis.longestWaitNowMs).toBeGreaterThanOrEqual(30 * S);
    expect(sales.oldestWaitingSince).toBe(NOW - 30 * S);
    expect(sales.agentsByState).toEqual({ 'not-ready': 1, ready: 1 });
    const r1 = board.agents.find((a: { id: string }) => a.id === 'r1');
    expect(r1).toMatchObject({ state: 'not-ready', reason: 'lunch', since: NOW - 100 * S, callsToday: 2, ahtTodayMs: (120 + 15 + 90 + 10 + 20) * S / 2, queues: ['sales'], currentCall: null });
    expect(board.agents.find((a: { id: string }) => a.id === 'r2').currentCall).toEqual({ id: 'd1', state: 'held', since: NOW - 60 * S, remote: '+8613800000009' });
    // The SIP user a monitoring leg rings: the user id unless agent_extensions says otherwise.
    expect(board.agents.find((a: { id: string }) => a.id === 'r2').extension).toBe('r2');
  });

  it('report per queue by day equals the script, and the CSV holds exactly the same texts', async () => {
    const report = (await call(srv.url, 'GET', reportPath(), { token: admin })).body;
    const exp = expectedSales();
    const sales = report.totals.find((r: { key: string }) => r.key === 'sales');
    expect(sales.values).toMatchObject({ offered: exp.offered, answered: exp.answered, abandoned: exp.abandoned, shortAbandoned: exp.shortAbandoned });
    expect(sales.values.serviceLevel).toBeCloseTo(exp.serviceLevel, 12);
    expect(sales.values.ahtMs).toBeCloseTo(exp.ahtMs, 6);
    expect(sales.values.avgHoldMs).toBeCloseTo(exp.avgHoldMs, 6);
    expect(sales.values.avgWrapUpMs).toBeCloseTo(exp.avgWrapUpMs, 6);
    const all = report.totals.find((r: { key: string }) => r.key === '');
    expect(all.values.offered).toBe(SCRIPT.length);
    expect(all.values.answered).toBe(4);
    const csv = await fetch(`${srv.url}${reportPath('&lang=zh-CN').replace('/report', '/report.csv')}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads the Chinese headers
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('时段,队列,呼入量,接通量')).toBe(true);
    const salesLine = text.split('\r\n').find((l) => l.startsWith('合计,sales,'))!;
    expect(salesLine.split(',').slice(2, 8)).toEqual([exp.offered, exp.answered, exp.abandoned, exp.shortAbandoned, 0].map(String).concat(formatKpi('serviceLevel', exp.serviceLevel)));
  });

  it('bad report queries get a clear 400', async () => {
    const bad = await call(srv.url, 'GET', `/supervisor/report?from=10&to=5`, { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/"to" must be after "from"/);
    const tz = await call(srv.url, 'GET', `/supervisor/report?from=0&to=86400000&tz=Mars/Olympus`, { token: admin });
    expect(tz.status).toBe(400);
    expect(tz.body.error.message).toMatch(/unknown time zone/);
    const many = await call(srv.url, 'GET', `/supervisor/report?from=0&to=${300 * 86_400_000}&grain=interval`, { token: admin });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/periods/);
  });
});

describe('supervisor views: live push over the real-time channel', () => {
  it('a new queue call and an agent state change reach the supervisor in scope as changed rows; agents and other teams get nothing', async () => {
    const sue = await connectRealtime(srv.wsUrl, supRed);
    const boss = await connectRealtime(srv.wsUrl, admin);
    const r2 = await connectRealtime(srv.wsUrl, await srv.server.signer.sign({ id: 'r2', role: 'agent', team: 'red' }));
    try {
      await db.query("INSERT INTO queue_events (call_id, queue_id, kind, at, detail) VALUES ('c9', 'sales', 'entered', $1, '{}')", [NOW - 5 * S]);
      const pushed = (await sue.next((m) => m.type === 'supervisor-board' && (m.queues as Array<{ id: string; kpis: { waitingNow: number } }>).some((q) => q.id === 'sales' && q.kpis.waitingNow === 2), 20_000)) as { queues: Array<{ id: string; kpis: { offered: number } }> };
      expect(pushed.queues.find((q) => q.id === 'sales')!.kpis.offered).toBe(expectedSales().offered + 1);
      const e = { id: 'r2-nr', agentId: 'r2', fromState: 'ready' as const, fromReason: null, toState: 'not-ready' as const, toReason: 'coaching', at: NOW - 1000, previousMs: 1000, callId: null, cause: null };
      r2.send({ type: 'agent-state', event: e });
      const row = await sue.next((m) => m.type === 'supervisor-board' && (m.agents as Array<{ id: string; state: string }>).some((a) => a.id === 'r2' && a.state === 'not-ready'), 20_000);
      expect((row as { agents: Array<{ id: string; reason: string }> }).agents.find((a) => a.id === 'r2')!.reason).toBe('coaching');
      // The admin's board has every queue; the supervisor's pushes never name another team's rows.
      await boss.next((m) => m.type === 'supervisor-board' && (m.agents as Array<{ id: string }>).some((a) => a.id === 'r2'), 20_000);
      const sueRows = sue.messages.filter((m) => m.type === 'supervisor-board') as Array<{ queues: Array<{ id: string }>; agents: Array<{ id: string }> }>;
      expect(sueRows.flatMap((m) => m.queues.map((q) => q.id)).every((id) => id === 'sales')).toBe(true);
      expect(sueRows.flatMap((m) => m.agents.map((a) => a.id)).every((id) => id === 'r1' || id === 'r2')).toBe(true);
      expect(r2.messages.some((m) => m.type === 'supervisor-board')).toBe(false);
    } finally {
      await Promise.all([sue.close(), boss.close(), r2.close()]);
    }
  });
});

describe('wallboard (read-only token)', () => {
  it('an admin makes a token; the page and its socket show the chosen queues’ KPIs as on the board; forged tokens are refused', async () => {
    const spec = { title: 'Floor 3', queues: ['sales'], kpis: ['waitingNow', 'serviceLevel', 'asaMs', 'abandonRate'], lang: 'zh-CN' };
    expect((await call(srv.url, 'POST', '/supervisor/wallboards', { token: supRed, body: spec })).status).toBe(403);
    const bad = await call(srv.url, 'POST', '/supervisor/wallboards', { token: admin, body: { ...spec, kpis: ['nonsense'] } });
    expect(bad.status).toBe(400);
    const made = await call(srv.url, 'POST', '/supervisor/wallboards', { token: admin, body: spec });
    expect(made.status).toBe(201);
    const page = await fetch(srv.url + made.body.path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    expect(await page.text()).toContain('<title>Floor 3</title>');
    // The token is no access token.
    expect((await call(srv.url, 'GET', '/supervisor/board', { token: made.body.token })).status).toBe(401);
    const forged = made.body.token.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(`${srv.url}/wallboard?token=${encodeURIComponent(forged)}`)).status).toBe(401);
    const { WebSocket } = await import('ws');
    const closed = await new Promise<number>((resolve) => new WebSocket(`${srv.wsUrl.replace('/realtime', '')}/wallboard/socket?token=${encodeURIComponent(forged)}`).on('close', (code) => resolve(code)));
    expect(closed).toBe(4401);
    const ws = new WebSocket(`${srv.wsUrl.replace('/realtime', '')}/wallboard/socket?token=${encodeURIComponent(made.body.token)}`);
    const view = await new Promise<{ queues: Array<{ name: string; cells: Array<{ kpi: string; label: string; text: string; status: string | null }> }> }>((resolve) => ws.on('message', (d) => resolve(JSON.parse(String(d)).view)));
    ws.close();
    const exp = expectedSales();
    const sales = view.queues[0]!;
    expect(sales.name).toBe('Sales');
    const cell = (k: string) => sales.cells.find((c) => c.kpi === k)!;
    expect(cell('serviceLevel')).toEqual({ kpi: 'serviceLevel', label: '服务水平', text: formatKpi('serviceLevel', exp.serviceLevel), status: 'bad' });
    expect(cell('asaMs').text).toBe(formatKpi('asaMs', exp.asaMs));
    expect(cell('waitingNow').text).toBe(String(exp.waitingNow + 1)); // c9 from the push test is still waiting
  });
});
