import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { AcdRouter } from '../../server/acd/router';
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
  router = new AcdRouter({ db, logger: createServerLogger('acd-bench', 'error'), evapi: { host: '127.0.0.1', port: Number(pbx.acdEvapi!.split(':')[1]) }, databaseUrl: url });
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
    const answered = queued.filter((v) => v.finalStatus === 200).length;
    console.log(`BENCH acd: queued calls answered ${answered}/${queued.length}; p95 ratio queued/direct ${(q.p95 / d.p95).toFixed(2)}; queue events written ${after - before} in ${seconds.toFixed(1)} s (${((after - before) / seconds).toFixed(0)}/s)`);
  });
});
