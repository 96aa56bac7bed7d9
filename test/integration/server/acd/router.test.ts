import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../../../scripts/pbx.mjs';
import { AcdRouter } from '../../../../server/acd/router';
import { QueueService } from '../../../../server/acd/queueService';
import { parseQueueOffer } from '../../../../shared/acd/offerHeader';
import type { Db } from '../../../../server/db/db';
import { createServerLogger } from '../../../../server/log';
import { EVENTS_CHANNEL } from '../../../../server/services/changes';
import type { AgentState } from '../../../../shared/agent/state';
import { MiniSip } from '../../../helpers/acd/miniSip';
import { restartPbx } from '../../../helpers/pbxControl';
import { tempDataDir } from '../../../helpers/hostProcess';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';
import { call, connectRealtime, openTestDb, startTestServer, userWithToken, type TestServer, type TestSocket } from '../../../helpers/serverHarness';
import { until } from '../../../helpers/wait';

/**
 * The ACD end to end: real Kamailio (WITH_ACD, evapi) + the router on real PostgreSQL + agents
 * registered over SIP whose states arrive through the server's real-time channel + callers.
 */

let pgsrv: TestPostgres;
let dbUrl: string;
let db: Db;
let srv: TestServer;
let pbx: RunningPbx;
let router: AcdRouter;
const agents = new Map<string, MiniSip>();
const sockets = new Map<string, TestSocket>();
const lastState = new Map<string, AgentState>();
const tokens = new Map<string, string>();
let caller: MiniSip;
const logger = createServerLogger('acd-test', 'error');

function evapiOf(p: RunningPbx): { host: string; port: number } {
  const [host, port] = p.acdEvapi!.split(':');
  return { host: host!, port: Number(port) };
}

/** The agent's desktop reports a state on the real-time channel; resolves once the router has it. */
async function report(agentId: string, to: AgentState, r: AcdRouter = router): Promise<void> {
  const from = lastState.get(agentId) ?? null;
  const id = crypto.randomUUID();
  const sock = sockets.get(agentId)!;
  sock.send({ type: 'agent-state', event: { id, agentId, fromState: from, fromReason: null, toState: to, toReason: to === 'not-ready' ? 'break' : null, at: Date.now(), previousMs: null, callId: null, cause: null } });
  await sock.next((m) => m.type === 'ack' && m.id === id);
  lastState.set(agentId, to);
  await until(() => r.agent(agentId)?.state === to, `router sees ${agentId} ${to}`);
}

let pbxKnown = new Set<string>();
/** Whether Kamailio's queue-number table holds `n` (JSON-RPC on the dev PBX's HTTP port). */
function pbxKnows(n: string): boolean {
  void fetch(`http://127.0.0.1:${pbx.wsPort}/RPC`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method: 'htable.get', params: ['acdq', n], id: 1 }) })
    .then((r) => r.json() as Promise<{ result?: unknown }>)
    .then((j) => {
      if (j.result) pbxKnown = new Set([...pbxKnown, n]);
    }, () => undefined);
  return pbxKnown.has(n);
}

/** Not ready, then ready: the agent's own choice (clears a missed flag), idle from now. */
async function ready(agentId: string): Promise<void> {
  await report(agentId, 'not-ready');
  await report(agentId, 'ready');
}

interface EventRow {
  call_id: string;
  kind: string;
  agent_id: string | null;
  at: string;
  wait_ms: string | null;
  detail: Record<string, unknown>;
}

/** The call's queue events, once its last one is final (ended, abandoned, closed); `final: false` reads them as they are. */
async function eventsOf(callId: string, final = true): Promise<EventRow[]> {
  let rows: EventRow[] = [];
  const read = async () => {
    await router.flush();
    rows = (await db.query<EventRow>('SELECT call_id, kind, agent_id, at, wait_ms, detail FROM queue_events WHERE call_id = $1 ORDER BY id', [callId])).rows;
    return !final || ['ended', 'abandoned', 'closed'].includes(rows.at(-1)?.kind ?? '');
  };
  const deadline = Date.now() + 20_000;
  while (!(await read()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return rows;
}

beforeAll(async () => {
  pgsrv = await startPostgres();
  dbUrl = await pgsrv.createDatabase();
  db = await openTestDb(dbUrl);
  srv = await startTestServer(db);
  pbx = await startPbx({ ...(await pickPorts()), dir: tempDataDir('acd-pbx-'), rtpengine: false, acd: {} });
  await new QueueService(db).create({ id: 'sales', name: 'Sales', numbers: ['600'], members: [{ agentId: '1001' }, { agentId: '1002' }, { agentId: '1003' }], ringTimeoutSec: 5 });
  for (const id of ['1001', '1002', '1003']) {
    const token = await userWithToken(srv.server, id, 'agent');
    tokens.set(id, token);
    sockets.set(id, await connectRealtime(srv.wsUrl, token));
    const ua = await MiniSip.open(id, pbx.sipPort);
    await ua.register();
    agents.set(id, ua);
  }
  caller = await MiniSip.open('2001', pbx.sipPort);
  router = new AcdRouter({ db, logger, evapi: evapiOf(pbx), databaseUrl: dbUrl, leaderPollMs: 200 });
  await router.start();
  await until(() => router.connected, 'router connected to Kamailio');
  for (const id of ['1001', '1002', '1003']) await report(id, 'not-ready');
}, 60_000);

afterAll(async () => {
  await router?.stop();
  for (const ua of agents.values()) ua.close();
  caller?.close();
  for (const s of sockets.values()) await s.close();
  await srv?.close();
  await pbx?.stop();
  await db?.close();
  await pgsrv?.stop();
});

describe('ACD on Kamailio + the server router (PostgreSQL)', () => {
  it('a queued call hears ringback, goes to the longest-idle agent, and its events match what the caller saw', async () => {
    for (const ua of agents.values()) ua.mode = { kind: 'answer', afterMs: 300 };
    await ready('1002');
    await ready('1001');
    const seen = await caller.call('600', { holdMs: 300 });
    expect(seen.finalStatus).toBe(200);
    expect(seen.ringingAt).not.toBeNull();
    expect(seen.ringingAt!).toBeLessThanOrEqual(seen.answeredAt!);
    expect(agents.get('1002')!.answered).toContain(seen.callId);
    await until(() => router.callCount === 0, 'call ended in the router');
    const ev = await eventsOf(seen.callId);
    expect(ev.map((e) => [e.kind, e.agent_id])).toEqual([
      ['entered', null],
      ['offered', '1002'],
      ['answered', '1002'],
      ['ended', '1002'],
    ]);
    expect(ev[1]!.detail).toMatchObject({ reason: 'longest-idle', vip: false });
    // The wait the server recorded is the wait the caller had (INVITE -> 200), within 100 ms.
    expect(Math.abs(Number(ev[2]!.wait_ms) - (seen.answeredAt! - seen.sentAt))).toBeLessThan(100);
  });

  it('calls wait in order while every agent is busy and the next is offered when one frees up', async () => {
    await report('1002', 'not-ready');
    agents.get('1001')!.mode = { kind: 'answer', afterMs: 100 };
    await ready('1001');
    const first = caller.call('600', { holdMs: 2000 });
    await until(() => router.agent('1001')?.callId !== null, 'first call reaches 1001');
    const second = await caller.call('600', { holdMs: 200 });
    const a = await first;
    expect([a.finalStatus, second.finalStatus]).toEqual([200, 200]);
    expect(agents.get('1001')!.answered).toEqual(expect.arrayContaining([a.callId, second.callId]));
    const ev = await eventsOf(second.callId);
    expect(ev.map((e) => e.kind)).toEqual(['entered', 'offered', 'answered', 'ended']);
    // Offered only after the first call ended (the agent held one call at a time).
    const firstEnded = (await eventsOf(a.callId)).find((e) => e.kind === 'ended')!;
    expect(Number(ev[1]!.at)).toBeGreaterThanOrEqual(Number(firstEnded.at));
    expect(Math.abs(Number(ev[2]!.wait_ms) - (second.answeredAt! - second.sentAt))).toBeLessThan(100);
  });

  it('RONA: an agent who does not answer is marked missed and the call is re-offered to the next agent', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    agents.get('1001')!.mode = { kind: 'ignore' };
    agents.get('1002')!.mode = { kind: 'answer', afterMs: 100 };
    await ready('1001');
    await ready('1002');
    const seen = await caller.call('600', { holdMs: 200 });
    expect(seen.finalStatus).toBe(200);
    expect(agents.get('1002')!.answered).toContain(seen.callId);
    const ev = await eventsOf(seen.callId);
    expect(ev.map((e) => [e.kind, e.agent_id])).toEqual([
      ['entered', null],
      ['offered', '1001'],
      ['no-answer', '1001'],
      ['offered', '1002'],
      ['answered', '1002'],
      ['ended', '1002'],
    ]);
    expect(ev[2]!.detail).toMatchObject({ code: 408 });
    expect(router.agent('1001')).toMatchObject({ missed: true });
    // Each agent's INVITE says which queue offers the call and why them; the re-offer carries only its own.
    const first = parseQueueOffer(agents.get('1001')!.invites.find((i) => i.callId === seen.callId)!.queue.join());
    const second = agents.get('1002')!.invites.find((i) => i.callId === seen.callId)!.queue;
    expect(second).toHaveLength(1);
    expect(first).toMatchObject({ queueId: 'sales', queueName: 'Sales', reason: 'longest-idle', vip: false });
    const reoffer = parseQueueOffer(second[0]);
    expect(reoffer).toMatchObject({ queueId: 'sales', queueName: 'Sales', reason: 'longest-idle', vip: false });
    expect(reoffer!.waitedMs).toBeGreaterThanOrEqual(4000);
  });

  it('an agent who goes not-ready while a call rings at them has the call taken back and re-offered to the next agent at once', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    // A long ring timeout: without the revoke the re-offer would wait for it.
    await new QueueService(db).create({ id: 'slowring', name: 'Slow ring', numbers: ['630'], members: [{ agentId: '1001' }, { agentId: '1002' }], ringTimeoutSec: 30 });
    await until(() => pbxKnows('630'), 'Kamailio knows the queue number');
    agents.get('1001')!.mode = { kind: 'ignore' };
    agents.get('1002')!.mode = { kind: 'answer', afterMs: 100 };
    await report('1003', 'not-ready');
    await ready('1001');
    await ready('1002');
    const before = agents.get('1001')!.invites.length;
    const pending = caller.call('630', { holdMs: 200, timeoutMs: 60_000 });
    await until(() => agents.get('1001')!.invites.length > before && router.agent('1001')?.callId !== null, 'the call rings at 1001');
    const callId = agents.get('1001')!.invites.at(-1)!.callId;
    const notReadyAt = Date.now();
    await report('1001', 'not-ready');
    const seen = await pending;
    expect(seen.callId).toBe(callId);
    expect(seen.finalStatus).toBe(200);
    expect(agents.get('1002')!.answered).toContain(callId);
    const reofferedAt = agents.get('1002')!.invites.find((i) => i.callId === callId)!.at;
    const ev = await eventsOf(callId);
    expect(ev.map((e) => [e.kind, e.agent_id])).toEqual([
      ['entered', null],
      ['offered', '1001'],
      ['no-answer', '1001'],
      ['offered', '1002'],
      ['answered', '1002'],
      ['ended', '1002'],
    ]);
    // Cancelled by the router (487), not timed out (408) after the 30 s ring timeout.
    expect(ev[2]!.detail).toMatchObject({ code: 487, revoked: true });
    expect(reofferedAt - notReadyAt).toBeLessThan(30_000);
    process.stdout.write(`ACD re-offer after not-ready: ${reofferedAt - notReadyAt} ms (agent report -> INVITE at the next agent)\n`);
  });

  it('an agent logged out of a queue is not offered its calls; the waiting count and longest wait reach the desktops over the real-time channel', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    const mine = await call(srv.url, 'GET', '/acd/my-queues', { token: tokens.get('1001')! });
    expect(mine.body).toEqual(expect.arrayContaining([{ id: 'sales', name: 'Sales', loggedIn: true }]));
    const out = await call(srv.url, 'PUT', '/acd/my-queues/sales', { token: tokens.get('1001')!, body: { loggedIn: false } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual(expect.arrayContaining([{ id: 'sales', name: 'Sales', loggedIn: false }]));
    // A queue they are not a member of, and a bad body, are refused.
    expect((await call(srv.url, 'PUT', '/acd/my-queues/tiny', { token: tokens.get('1001')!, body: { loggedIn: false } })).status).toBe(404);
    expect((await call(srv.url, 'PUT', '/acd/my-queues/sales', { token: tokens.get('1001')!, body: { loggedIn: 'no' } })).status).toBe(400);
    await report('1002', 'not-ready');
    await report('1003', 'not-ready');
    agents.get('1001')!.mode = { kind: 'answer', afterMs: 100 };
    await ready('1001');

    const sock = sockets.get('1002')!;
    const from = sock.messages.length;
    const salesStats = () => sock.messages.slice(from).flatMap((m) => (m.type === 'queue-stats' ? m.queues.filter((q) => q.id === 'sales') : []));
    const invitesBefore = agents.get('1001')!.invites.length;
    const pending = caller.call('600', { holdMs: 200, timeoutMs: 60_000 });
    // Pushed, not polled: the desktop sees the call waiting, then its wait growing (refreshed every 5 s).
    await until(() => salesStats().some((q) => q.waiting === 1), 'waiting count pushed', 10_000);
    await until(() => salesStats().some((q) => q.waiting === 1 && q.longestWaitMs >= 1000), 'longest wait pushed', 15_000);
    // Ready, but logged out of the queue: never rung.
    expect(agents.get('1001')!.invites.length).toBe(invitesBefore);
    expect(router.agent('1001')).toMatchObject({ state: 'ready', callId: null });

    await call(srv.url, 'PUT', '/acd/my-queues/sales', { token: tokens.get('1001')!, body: { loggedIn: true } });
    const seen = await pending;
    expect(seen.finalStatus).toBe(200);
    expect(agents.get('1001')!.answered).toContain(seen.callId);
    await until(() => salesStats().at(-1)?.waiting === 0, 'empty queue pushed', 10_000);
    const { rows } = await db.query<{ kind: string; by: string }>(`SELECT kind, by FROM queue_agent_events WHERE agent_id = '1001' AND queue_id = 'sales' ORDER BY id`);
    expect(rows).toEqual([
      { kind: 'logout', by: '1001' },
      { kind: 'login', by: '1001' },
    ]);
  });

  it('agents sharing one SIP extension: the agent offered the call is the one that answered it, and is free again when it ends', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    const phone = await MiniSip.open('1009', pbx.sipPort);
    try {
      await phone.register();
      phone.mode = { kind: 'answer', afterMs: 100 };
      const queues = new QueueService(db);
      await queues.setExtension('desk-a', '1009');
      await queues.setExtension('desk-b', '1009');
      await queues.create({ id: 'shared', name: 'Shared desk', numbers: ['640'], members: [{ agentId: 'desk-a' }, { agentId: 'desk-b' }] });
      await until(() => pbxKnows('640'), 'Kamailio knows the queue number');
      // Their states as the real-time channel relays them (these agents have no socket here).
      const relay = (agentId: string, toState: AgentState, fromState: AgentState) => db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'agent-state', userId: agentId, event: { toState, fromState } })]);
      await relay('desk-b', 'not-ready', 'ready');
      await relay('desk-a', 'ready', 'not-ready');
      await until(() => router.agent('desk-a')?.state === 'ready' && router.agent('desk-b')?.state === 'not-ready', 'router sees the desks');
      const seen = await caller.call('640', { holdMs: 200 });
      expect(seen.finalStatus).toBe(200);
      const ev = await eventsOf(seen.callId);
      expect(ev.map((e) => [e.kind, e.agent_id])).toEqual([
        ['entered', null],
        ['offered', 'desk-a'],
        ['answered', 'desk-a'],
        ['ended', 'desk-a'],
      ]);
      await until(() => router.agent('desk-a')?.callId === null, 'desk-a free again');
    } finally {
      phone.close();
    }
  });

  it('a caller who hangs up while waiting is recorded as abandoned with the wait they had', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    await report('1001', 'not-ready');
    await report('1002', 'not-ready');
    const seen = await caller.call('600', { abandonAfterMs: 1500 });
    expect(seen.finalStatus).toBe(487);
    expect(seen.ringingAt).not.toBeNull();
    await until(() => router.callCount === 0, 'abandoned call gone from the router');
    const ev = await eventsOf(seen.callId);
    expect(ev.map((e) => e.kind)).toEqual(['entered', 'abandoned']);
    expect(Math.abs(Number(ev[1]!.wait_ms) - (seen.finalAt! - seen.sentAt))).toBeLessThan(100);
  });

  it('a closed queue sends the call to its closed target; a call past max wait overflows into another queue', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    const queues = new QueueService(db);
    await queues.create({ id: 'night', name: 'Night', numbers: ['620'], members: [{ agentId: '1001' }], hours: { timeZone: 'UTC', week: {} }, closedTarget: '1003' });
    await queues.create({ id: 'tiny', name: 'Tiny', numbers: ['610'], members: [{ agentId: '1002' }], maxWaitSec: 1, overflowTarget: '600' });
    await until(() => pbxKnows('610') && pbxKnows('620'), 'Kamailio knows the new queue numbers');
    await report('1001', 'not-ready');
    await report('1002', 'not-ready');
    agents.get('1003')!.mode = { kind: 'answer', afterMs: 100 };
    await ready('1003');

    const closed = await caller.call('620', { holdMs: 200 });
    expect(closed.finalStatus).toBe(200);
    expect(agents.get('1003')!.answered).toContain(closed.callId);
    expect((await eventsOf(closed.callId)).map((e) => [e.kind, e.detail.target ?? null])).toEqual([['closed', '1003']]);

    const overflowed = await caller.call('610', { holdMs: 200 });
    expect(overflowed.finalStatus).toBe(200);
    const ev = await eventsOf(overflowed.callId);
    expect(ev.map((e) => [e.kind, e.agent_id])).toEqual([
      ['entered', null],
      ['overflowed', null],
      ['entered', null],
      ['offered', '1003'],
      ['answered', '1003'],
      ['ended', '1003'],
    ]);
    expect(ev[1]!.detail).toMatchObject({ why: 'max-wait', target: '600' });
    expect(Number(ev[1]!.wait_ms)).toBeGreaterThanOrEqual(1000);
  });

  it('Kamailio restarts mid-traffic: the answered call goes on and ends normally, the waiting call is released, new calls queue again', async () => {
    await until(() => router.callCount === 0, 'previous calls ended');
    await report('1002', 'not-ready');
    await report('1003', 'not-ready');
    agents.get('1001')!.mode = { kind: 'answer', afterMs: 100 };
    await ready('1001');
    const answeredBefore = agents.get('1001')!.answered.length;
    const talking = caller.call('600', { holdMs: 8000, timeoutMs: 60_000 });
    await until(() => agents.get('1001')!.answered.length > answeredBefore, 'the first call answered');
    const talkingId = agents.get('1001')!.answered.at(-1)!;
    const other = await MiniSip.open('2002', pbx.sipPort);
    try {
      // Every agent busy: this one waits in the queue (a suspended transaction in Kamailio).
      const waiting = other.call('600', { timeoutMs: 15_000 }).then(
        (v) => v,
        (err: Error) => err,
      );
      await until(() => router.callCount === 2, 'the second call waiting');

      pbx = await restartPbx(pbx, { rtpengine: false, acd: { evapiPort: evapiOf(pbx).port } });
      pbxKnown = new Set();
      for (const ua of agents.values()) await ua.register();
      await until(() => router.connected && pbxKnows('600'), 'the router back on the new Kamailio, queue numbers sent again', 20_000);
      // The waiting caller's transaction died with Kamailio: the router releases the call at once.
      await until(() => router.callCount === 1, 'the waiting call released by the router', 20_000);

      // The answered call is untouched: its BYE crosses the new Kamailio and ends it at the router.
      const talked = await talking;
      expect(talked.finalStatus).toBe(200);
      expect((await eventsOf(talkingId)).map((e) => [e.kind, e.agent_id])).toEqual([
        ['entered', null],
        ['offered', '1001'],
        ['answered', '1001'],
        ['ended', '1001'],
      ]);
      const lost = await waiting;
      // What that caller saw: ringing, then nothing more from the PBX (no final answer).
      expect(lost).toBeInstanceOf(Error);
      const lostId = (await db.query<{ call_id: string }>(`SELECT call_id FROM queue_events WHERE kind = 'entered' ORDER BY id DESC LIMIT 1`)).rows[0]!.call_id;
      const lostEvents = await eventsOf(lostId);
      expect(lostEvents.map((e) => e.kind)).toEqual(['entered', 'ended']);
      expect(lostEvents[1]!.detail).toMatchObject({ reason: 'gone', why: 'sip-server-restart' });

      // New calls queue again and reach the agent.
      await until(() => router.callCount === 0, 'nothing left in the router');
      const fresh = await caller.call('600', { holdMs: 200 });
      expect(fresh.finalStatus).toBe(200);
      expect(agents.get('1001')!.answered).toContain(fresh.callId);
      expect((await eventsOf(fresh.callId)).map((e) => e.kind)).toEqual(['entered', 'offered', 'answered', 'ended']);
      await report('1001', 'not-ready');
    } finally {
      other.close();
    }
  });

  it('a standby router takes over waiting calls when the leader stops; with no router at all the hunt list answers', async () => {
    const standby = new AcdRouter({ db, logger, evapi: evapiOf(pbx), databaseUrl: dbUrl, leaderPollMs: 200 });
    await standby.start();
    expect(standby.isLeader).toBe(false);
    agents.get('1003')!.mode = { kind: 'answer', afterMs: 100 };
    await report('1003', 'not-ready');
    const waiting = caller.call('600', { holdMs: 200, timeoutMs: 60_000 });
    await until(() => router.callCount === 1, 'call waiting at the leader');
    await router.stop();
    await until(() => standby.isLeader && standby.connected, 'standby took over');
    expect(standby.callCount).toBe(1);
    await report('1003', 'not-ready', standby);
    await report('1003', 'ready', standby);
    const seen = await waiting;
    expect(seen.finalStatus).toBe(200);
    expect(agents.get('1003')!.answered).toContain(seen.callId);
    router = standby;
    await until(() => standby.callCount === 0, 'call ended at the new leader');
    expect((await eventsOf(seen.callId)).map((e) => [e.kind, e.agent_id])).toEqual([
      ['entered', null],
      ['offered', '1003'],
      ['answered', '1003'],
      ['ended', '1003'],
    ]);

    // No router connected: Kamailio sends the demo queue's calls down its hunt list (1001, 1002).
    await standby.stop();
    agents.get('1001')!.mode = { kind: 'answer', afterMs: 100 };
    agents.get('1002')!.mode = { kind: 'ignore' };
    const hunted = await caller.call('sales', { holdMs: 200 });
    expect(hunted.finalStatus).toBe(200);
    expect(agents.get('1001')!.answered).toContain(hunted.callId);
    expect(agents.get('1002')!.invites.map((i) => i.callId)).toContain(hunted.callId);
    expect(await eventsOf(hunted.callId, false)).toEqual([]);
  });
});
