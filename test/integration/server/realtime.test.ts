import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import type { AgentStateEvent } from '../../../shared/agent/state';
import type { PushResponse, RealtimeServerMessage } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, connectRealtime, FakeOutbox, openTestDb, startTestServer, userWithToken, type TestServer, type TestSocket } from '../../helpers/serverHarness';
import { ticketRecord, type TicketRecord } from '../../helpers/syncFixtures';

let pgsrv: TestPostgres;
let dbA: Db;
let dbB: Db;
let one: TestServer;
let two: TestServer;
const tok: Record<string, string> = {};
const sockets: TestSocket[] = [];

beforeAll(async () => {
  pgsrv = await startPostgres();
  const url = await pgsrv.createDatabase();
  // Two instances, each with its own pool and LISTEN connection, as behind a load balancer.
  dbA = await openTestDb(url);
  dbB = await openTestDb(url);
  one = await startTestServer(dbA);
  two = await startTestServer(dbB);
  tok.alice = await userWithToken(one.server, 'alice', 'agent', 'red');
  tok.bob = await userWithToken(one.server, 'bob', 'agent', 'red');
  tok.carol = await userWithToken(one.server, 'carol', 'agent', 'blue');
  tok.sue = await userWithToken(one.server, 'sue', 'supervisor', 'red');
  tok.root = await userWithToken(one.server, 'root', 'admin');
});

afterAll(async () => {
  for (const s of sockets) await s.close();
  await one?.close();
  await two?.close();
  await dbA?.close();
  await dbB?.close();
  await pgsrv?.stop();
});

async function connect(server: TestServer, who: string): Promise<TestSocket> {
  const s = await connectRealtime(server.wsUrl, tok[who]!);
  sockets.push(s);
  return s;
}

const isTicket = (id: string) => (m: RealtimeServerMessage): m is Extract<RealtimeServerMessage, { type: 'ticket' }> => m.type === 'ticket' && (m.ticket as TicketRecord).id === id;

function stateEvent(agentId: string): AgentStateEvent {
  return { id: randomUUID(), agentId, fromState: 'ready', fromReason: null, toState: 'not-ready', toReason: 'break', at: Date.now(), previousMs: 1000, callId: null, cause: null };
}

describe('fan-out between two server instances (LISTEN/NOTIFY)', () => {
  it('delivers a ticket assigned on instance one to the assignee connected to instance two, and not outside scope', async () => {
    const aliceOnTwo = await connect(two, 'alice');
    const carolOnTwo = await connect(two, 'carol');
    const bobOnOne = await connect(one, 'bob');
    const box = new FakeOutbox();
    const t = ticketRecord({ assignee: 'alice', createdBy: 'bob', subject: 'Call the customer back' });
    box.add('ticket', t.id, 'create', null, { record: t });
    const res = await call<PushResponse>(one.url, 'POST', '/sync/push', { token: tok.bob, body: box.batch() });
    expect(res.body.results[0]!.status).toBe('applied');

    const got = await aliceOnTwo.next(isTicket(t.id));
    expect(got.assignedToYou).toBe(true);
    expect(got.ticket).toMatchObject({ subject: 'Call the customer back', assignee: 'alice' });
    const changes = await aliceOnTwo.next((m) => m.type === 'changes' && m.entities.includes('ticket'));
    expect(changes).toMatchObject({ type: 'changes' });
    const bobSees = await bobOnOne.next(isTicket(t.id));
    expect(bobSees.assignedToYou).toBe(false);
    // Carol (blue team) hears that something changed, but never gets the red team's ticket.
    await carolOnTwo.next((m) => m.type === 'changes' && m.entities.includes('ticket'));
    // A ping/pong round trip on carol's socket: anything written to her before it has arrived.
    carolOnTwo.send({ type: 'ping', at: 1 });
    await carolOnTwo.next((m) => m.type === 'pong' && m.at === 1);
    expect(carolOnTwo.messages.some((m) => m.type === 'ticket')).toBe(false);
  });

  it('announces configuration changes made on one instance to desktops on the other', async () => {
    const aliceOnTwo = await connect(two, 'alice');
    const reasons = [{ code: 'coaching' }, { code: 'break' }];
    expect((await call(one.url, 'PUT', '/admin/config/agent.notReadyReasons', { token: tok.root, body: { value: reasons } })).status).toBe(200);
    const msg = await aliceOnTwo.next((m) => m.type === 'config' && m.key === 'agent.notReadyReasons');
    expect(msg).toEqual({ type: 'config', key: 'agent.notReadyReasons', value: reasons });
  });

  it('stores agent state changes sent on one instance and shows them to a supervisor on the other', async () => {
    const aliceOnOne = await connect(one, 'alice');
    const sueOnTwo = await connect(two, 'sue');
    const e = stateEvent('alice');
    aliceOnOne.send({ type: 'agent-state', event: e });
    expect(await aliceOnOne.next((m) => m.type === 'ack' && m.id === e.id)).toBeTruthy();
    const seen = await sueOnTwo.next((m) => m.type === 'agent-state' && m.event.id === e.id);
    expect(seen).toMatchObject({ userId: 'alice', event: { toState: 'not-ready', toReason: 'break' } });
    // A resend (the desktop did not see the ack) is stored once.
    aliceOnOne.send({ type: 'agent-state', event: e });
    await aliceOnOne.next((m) => m.type === 'ack' && m.id === e.id && aliceOnOne.messages.filter((x) => x.type === 'ack' && x.id === e.id).length === 2);
    const report = (await call(two.url, 'GET', '/reports/agent-events?since=0', { token: tok.sue })).body as AgentStateEvent[];
    expect(report.filter((r) => r.id === e.id)).toHaveLength(1);
  });

  it('accepts the outbox copy of an agent state event the real-time channel stored first (a replay, never "already exists")', async () => {
    // What every call does: the state change goes on the real-time channel for the supervisors and
    // through the outbox for the record; the channel usually arrives first.
    const aliceOnOne = await connect(one, 'alice');
    const e = stateEvent('alice');
    aliceOnOne.send({ type: 'agent-state', event: e });
    await aliceOnOne.next((m) => m.type === 'ack' && m.id === e.id);
    const box = new FakeOutbox();
    box.add('agent-state-event', e.id, 'create', null, { record: e });
    const res = await call<PushResponse>(two.url, 'POST', '/sync/push', { token: tok.alice, body: box.batch() });
    expect(res.body.results[0]).toMatchObject({ status: 'applied' });
    // Another event under that id, or the same one from another user, is still a collision.
    const clash = new FakeOutbox();
    clash.add('agent-state-event', e.id, 'create', null, { record: { ...e, toState: 'ready', toReason: null } });
    const other = await call<PushResponse>(one.url, 'POST', '/sync/push', { token: tok.alice, body: clash.batch() });
    expect(other.body.results[0]).toMatchObject({ status: 'rejected', reason: 'exists' });
    const foreign = new FakeOutbox();
    foreign.add('agent-state-event', e.id, 'create', null, { record: e });
    const bobs = await call<PushResponse>(one.url, 'POST', '/sync/push', { token: tok.bob, body: foreign.batch() });
    expect(bobs.body.results[0]).toMatchObject({ status: 'rejected', reason: 'exists' });
    const report = (await call(two.url, 'GET', '/reports/agent-events?since=0', { token: tok.sue })).body as AgentStateEvent[];
    expect(report.filter((r) => r.id === e.id)).toEqual([expect.objectContaining({ toState: 'not-ready' })]);
  });

  it('stores call events for reporting, once per id', async () => {
    const bobOnTwo = await connect(two, 'bob');
    const ev = { id: randomUUID(), callId: 'call-1', kind: 'answered', at: Date.now(), data: { queue: "sales'; DROP TABLE call_events;--" } };
    bobOnTwo.send({ type: 'call-event', event: ev });
    bobOnTwo.send({ type: 'call-event', event: ev });
    await bobOnTwo.next((m) => m.type === 'ack' && m.id === ev.id && bobOnTwo.messages.filter((x) => x.type === 'ack').length >= 2);
    const report = (await call(one.url, 'GET', '/reports/call-events?since=0', { token: tok.sue })).body as Array<{ id: string; userId: string; data: { queue: string } }>;
    const mine = report.filter((r) => r.id === ev.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ userId: 'bob', data: { queue: "sales'; DROP TABLE call_events;--" } });
  });
});

describe('connection rules', () => {
  const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

  it('closes a socket whose first message is not a valid auth (4401)', async () => {
    const a = new WebSocket(one.wsUrl);
    await new Promise((r) => a.once('open', r));
    const closedA = closeCode(a);
    a.send(JSON.stringify({ type: 'ping' }));
    expect(await closedA).toBe(4401);
    const b = new WebSocket(one.wsUrl);
    await new Promise((r) => b.once('open', r));
    const closedB = closeCode(b);
    b.send(JSON.stringify({ type: 'auth', token: 'forged.token' }));
    expect(await closedB).toBe(4401);
  });

  it('handles messages sent right behind the auth, without waiting for ready', async () => {
    const ws = new WebSocket(one.wsUrl);
    await new Promise((r) => ws.once('open', r));
    const e = stateEvent('bob');
    const acked = new Promise<void>((resolve) => ws.on('message', (d) => (JSON.parse(String(d)).type === 'ack' ? resolve() : undefined)));
    ws.send(JSON.stringify({ type: 'auth', token: tok.bob }));
    ws.send(JSON.stringify({ type: 'agent-state', event: e }));
    await acked;
    ws.close();
    const report = (await call(one.url, 'GET', '/reports/agent-events?since=0', { token: tok.sue })).body as AgentStateEvent[];
    expect(report.some((r) => r.id === e.id)).toBe(true);
  });

  it('answers application pings and keeps peers that answer WebSocket pings', async () => {
    const fast = await startTestServer(dbA, { heartbeatMs: 100 });
    try {
      const s = await connectRealtime(fast.wsUrl, tok.alice!);
      s.send({ type: 'ping', at: 42 });
      expect(await s.next((m) => m.type === 'pong')).toEqual({ type: 'pong', at: 42 });
      // Several heartbeat rounds later it is still connected (ws answers pings by itself).
      await new Promise((r) => setTimeout(r, 450));
      expect(s.ws.readyState).toBe(WebSocket.OPEN);
      expect(fast.server.realtime.size).toBe(1);

      // A peer that stops answering pings (a dead network path) is dropped.
      const mute = new WebSocket(fast.wsUrl, { autoPong: false });
      await new Promise((r) => mute.once('open', r));
      const dropped = closeCode(mute);
      mute.send(JSON.stringify({ type: 'auth', token: tok.bob }));
      expect(await dropped).toBe(1006);
      await s.close();
    } finally {
      await fast.close();
    }
  });
});
