import crypto from 'node:crypto';
import os from 'node:os';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { AcdRouter, type DecisionSample } from '../../server/acd/router';
import { EVENTS_CHANNEL } from '../../server/services/changes';
import { QueueService } from '../../server/acd/queueService';
import type { Db } from '../../server/db/db';
import { createServerLogger } from '../../server/log';
import { MiniSip, type CallerView } from '../helpers/acd/miniSip';
import { tempDataDir } from '../helpers/hostProcess';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { connectRealtime, openTestDb, startTestServer, userWithToken, type TestServer, type TestSocket } from '../helpers/serverHarness';
import { until } from '../helpers/wait';
import { benchSize, report, summarise } from './harness';

// Queued calls through the real Kamailio (WITH_ACD) and the router on PostgreSQL, against direct
// calls to an agent in the same run: time from the caller's INVITE to the INVITE reaching the agent
// (the agent's phone rings), and queue events written per second. Agents answer at once and hold
// each call briefly; calls arrive paced over two queues.
const CALLS = benchSize('CALLDESK_BENCH_ACD_CALLS', 200, 1000);
// The dev PBX's agent accounts 1001..1009.
const AGENTS = Math.min(9, benchSize('CALLDESK_BENCH_ACD_AGENTS', 9, 9));
const RATE = benchSize('CALLDESK_BENCH_ACD_RATE', 20, 50);
// Decision latency: the issue's 200 agents over 10 queues, new calls at 50/s.
const BIG_AGENTS = 200;
const BIG_QUEUES = 10;
const BIG_RATE = 50;
const BIG_CALLS = benchSize('CALLDESK_BENCH_ACD_BIG_CALLS', 500, 2000);
const samples: DecisionSample[] = [];
let directRing: number[] = [];
let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let pbx: RunningPbx;
let router: AcdRouter;
const agents: MiniSip[] = [];
const sockets: TestSocket[] = [];
const callers: MiniSip[] = [];

beforeAll(async () => {
  pgsrv = await startPostgres();
  const url = await pgsrv.createDatabase();
  db = await openTestDb(url);
  srv = await startTestServer(db);
  pbx = await startPbx({ ...(await pickPorts()), dir: tempDataDir('acd-bench-'), rtpengine: false, acd: {} });
  const ids = Array.from({ length: AGENTS }, (_, i) => `100${i + 1}`);
  const queues = new QueueService(db);
  await queues.create({ id: 'q1', name: 'Q1', numbers: ['700'], members: ids.map((agentId) => ({ agentId })) });
  await queues.create({ id: 'q2', name: 'Q2', numbers: ['701'], members: ids.map((agentId) => ({ agentId })) });
  router = new AcdRouter({ db, logger: createServerLogger('acd-bench', 'error'), evapi: { host: '127.0.0.1', port: Number(pbx.acdEvapi!.split(':')[1]) }, databaseUrl: url, probe: (x) => samples.push(x) });
  await router.start();
  await until(() => router.connected, 'router connected');
  for (const id of ids) {
    const ua = await MiniSip.open(id, pbx.sipPort);
    await ua.register();
    ua.mode = { kind: 'answer', afterMs: 0 };
    agents.push(ua);
    const sock = await connectRealtime(srv.wsUrl, await userWithToken(srv.server, id, 'agent'));
    sockets.push(sock);
  }
  for (let i = 0; i < 4; i++) callers.push(await MiniSip.open(`200${i + 1}`, pbx.sipPort));
}, 120_000);

afterAll(async () => {
  await router?.stop();
  for (const ua of [...agents, ...callers]) ua.close();
  for (const s of sockets) await s.close();
  await srv?.close();
  await pbx?.stop();
  await db?.close();
  await pgsrv?.stop();
});

describe('ACD bench', () => {
  it('INVITE -> agent ringing, queued vs direct, and queue events per second', async () => {
    const usable = agents;
    for (let i = 0; i < usable.length; i++) {
      const id = crypto.randomUUID();
      sockets[i]!.send({ type: 'agent-state', event: { id, agentId: usable[i]!.user, fromState: 'not-ready', fromReason: null, toState: 'ready', toReason: null, at: Date.now(), previousMs: null, callId: null, cause: null } });
      await sockets[i]!.next((m) => m.type === 'ack' && m.id === id);
    }
    await until(() => usable.every((u) => router.agent(u.user)?.state === 'ready'), 'agents ready at the router');
    const ringAt = (callId: string) => {
      for (const ua of agents) {
        const hit = ua.invites.find((i) => i.callId === callId);
        if (hit) return hit.at;
      }
      return null;
    };
    const run = async (targets: () => string, n: number): Promise<CallerView[]> => {
      const views: Promise<CallerView>[] = [];
      for (let i = 0; i < n; i++) {
        views.push(callers[i % callers.length]!.call(targets(), { holdMs: 200, timeoutMs: 120_000 }));
        await new Promise((r) => setTimeout(r, 1000 / RATE));
      }
      return Promise.all(views);
    };
    const direct = await run(() => agents[Math.floor(Math.random() * agents.length)]!.user, Math.min(CALLS, 200));
    const t0 = Date.now();
    const before = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM queue_events')).rows[0]!.n);
    let k = 0;
    const queued = await run(() => (k++ % 2 === 0 ? '700' : '701'), CALLS);
    await until(() => router.callCount === 0, 'all queued calls over', 120_000);
    await router.flush();
    const seconds = (Date.now() - t0) / 1000;
    const after = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM queue_events')).rows[0]!.n);
    const ms = (views: CallerView[]) => views.map((v) => (ringAt(v.callId) ?? NaN) - v.sentAt).filter((x) => Number.isFinite(x));
    const q = summarise(`acd: INVITE -> agent ringing, queued (${RATE}/s, 2 queues)`, ms(queued));
    const d = summarise('acd: INVITE -> agent ringing, direct call', ms(direct));
    report(q, d);
    directRing = ms(direct);
    const answered = queued.filter((v) => v.finalStatus === 200).length;
    console.log(`BENCH acd: queued calls answered ${answered}/${queued.length}; p95 ratio queued/direct ${(q.p95 / d.p95).toFixed(2)}; queue events written ${after - before} in ${seconds.toFixed(1)} s (${((after - before) / seconds).toFixed(0)}/s)`);
  });

  it(`routing decision latency: ${BIG_AGENTS} agents, ${BIG_QUEUES} queues, ${BIG_RATE} new calls/s`, async () => {
    // 200 router agents rung at the 9 SIP UAs (agent_extensions), 40 members per queue, half the
    // queues by skills (levels 1..10), half longest idle, owner-first and VIP on. Agent states reach
    // the router as the real-time channel's notifications do (pg_notify on the events channel).
    const queues = new QueueService(db);
    const ids = Array.from({ length: BIG_AGENTS }, (_, i) => `a${String(i + 1).padStart(3, '0')}`);
    for (const [i, id] of ids.entries()) await queues.setExtension(id, agents[i % agents.length]!.user);
    for (let qn = 0; qn < BIG_QUEUES; qn++) {
      const members = ids.filter((_, i) => (i + qn) % 5 === 0).map((agentId, i) => ({ agentId, skill: 10 - (i % 3) }));
      await queues.create({ id: `big${qn}`, name: `Big ${qn}`, numbers: [`${720 + qn}`], members, policy: qn % 2 === 0 ? 'skills' : 'longest-idle', ownerFirstSec: 10, vipFirst: true, ringTimeoutSec: 10 });
    }
    // The 9 queue-bench agents leave: only the 200 take these calls.
    for (const u of agents) await db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'agent-state', userId: u.user, event: { toState: 'not-ready', fromState: 'ready' } })]);
    for (const id of ids) await db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'agent-state', userId: id, event: { toState: 'ready', fromState: 'not-ready' } })]);
    await until(() => ids.every((id) => router.agent(id)?.state === 'ready'), '200 agents ready at the router', 60_000);
    await until(() => router.callCount === 0, 'earlier calls over', 60_000);
    samples.length = 0;
    const ringAt = (callId: string) => {
      for (const ua of agents) {
        const hit = ua.invites.find((i) => i.callId === callId);
        if (hit) return hit.at;
      }
      return null;
    };
    const before = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM queue_events')).rows[0]!.n);
    const t0 = Date.now();
    const views: Promise<CallerView>[] = [];
    for (let i = 0; i < BIG_CALLS; i++) {
      views.push(callers[i % callers.length]!.call(`${720 + (i % BIG_QUEUES)}`, { holdMs: 300, timeoutMs: 120_000 }));
      await new Promise((r) => setTimeout(r, 1000 / BIG_RATE));
    }
    const done = await Promise.all(views);
    await until(() => router.callCount === 0, 'all calls over', 120_000);
    await router.flush();
    const seconds = (Date.now() - t0) / 1000;
    const after = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM queue_events')).rows[0]!.n);
    // Decisions made while an agent was free (the others include the wait for one: queue time).
    const now = samples.filter((x) => x.immediate);
    const decide = summarise(`acd: decision in the router (${BIG_AGENTS} agents, ${BIG_QUEUES} queues)`, now.map((x) => x.decideMs));
    const total = summarise('acd: Kamailio request -> router answer sent', now.filter((x) => x.transitMs !== null).map((x) => x.transitMs! + x.decideMs));
    const waited = summarise('acd: request -> offer after waiting for an agent', samples.filter((x) => !x.immediate).map((x) => (x.transitMs ?? 0) + x.decideMs));
    const ring = summarise(`acd: INVITE -> agent ringing, queued (${BIG_RATE}/s, ${BIG_QUEUES} queues)`, done.map((v) => (ringAt(v.callId) ?? NaN) - v.sentAt).filter((x) => Number.isFinite(x)));
    const ringOf = (policyIndex: number) => done.filter((_, i) => (i % BIG_QUEUES) % 2 === policyIndex).map((v) => (ringAt(v.callId) ?? NaN) - v.sentAt).filter((x) => Number.isFinite(x));
    const ringSkills = summarise('acd: ... of which skills queues (top level first)', ringOf(0));
    const ringIdle = summarise('acd: ... of which longest-idle queues', ringOf(1));
    const direct = summarise('acd: INVITE -> agent ringing, direct (same run)', directRing);
    report(...[decide, total, waited, ring, ringSkills, ringIdle, direct].filter((f) => f.n > 0));
    const answered = done.filter((v) => v.finalStatus === 200).length;
    const kinds = (await db.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM queue_events WHERE queue_id LIKE 'big%' GROUP BY kind ORDER BY kind`)).rows;
    console.log(`BENCH acd: events by kind ${kinds.map((r) => `${r.kind}=${r.n}`).join(' ')}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    console.log(
      `BENCH acd: ${BIG_CALLS} calls at ${BIG_RATE}/s over ${BIG_QUEUES} queues, ${BIG_AGENTS} agents: answered ${answered}/${done.length}; ` +
        `decision p99 ${total.p99.toFixed(2)} ms (target < 20 ms); ringing p95 ratio queued/direct ${(ring.p95 / direct.p95).toFixed(2)}; ` +
        `queue events ${after - before} in ${seconds.toFixed(1)} s (${((after - before) / seconds).toFixed(0)}/s)`,
    );
  });
});
