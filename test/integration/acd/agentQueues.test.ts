import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../../scripts/pbx.mjs';
import { QueueService } from '../../../server/acd/queueService';
import type { Db } from '../../../server/db/db';
import { UserService } from '../../../server/services/users';
import type { AgentQueuesState } from '../../../shared/acd/agentQueues';
import type { Core } from '../../../electron/core/createCore';
import { createMemorySecretStore } from '../../fakes/adapters';
import { MiniSip } from '../../helpers/acd/miniSip';
import { createTestPhone, type TestPhone } from '../../helpers/phoneHarness';
import { tempDataDir } from '../../helpers/hostProcess';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from '../../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../../helpers/serverProcess';
import { invoke } from '../../helpers/syncRig';
import { createTestCore } from '../../helpers/testCore';
import { until } from '../../helpers/wait';

/**
 * The agent's queues on a desktop core, end to end: the server process runs the ACD router against
 * a real Kamailio (WITH_ACD) on PostgreSQL; the core signs in, shows its queues, receives the live
 * figures over the real-time channel (no polling) and logs in to and out of a queue on the server.
 */

let pg: TestPostgres;
let db: Db;
let server: ServerProcess;
let pbx: RunningPbx;
let core: Core;
let caller: MiniSip;
let phone: TestPhone | null = null;
const states: AgentQueuesState[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  const dbUrl = await pg.createDatabase();
  db = await openTestDb(dbUrl);
  await new UserService(db, TEST_PASSWORD_COST).create({ id: 'alice', password: 'password-123', role: 'agent', team: null });
  pbx = await startPbx({ ...(await pickPorts()), dir: tempDataDir('acd-desk-pbx-'), rtpengine: false, acd: {} });
  await new QueueService(db).create({ id: 'sales', name: 'Sales', numbers: ['600'], members: [{ agentId: 'alice' }] });
  await new QueueService(db).create({ id: 'vip', name: 'VIP desk', numbers: ['601'], priority: 5, members: [{ agentId: 'alice' }] });
  await new QueueService(db).create({ id: 'other', name: 'Other', numbers: ['602'], members: [{ agentId: 'bob' }] });
  server = await startServerProcess({ DATABASE_URL: dbUrl, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_ACD_EVAPI: pbx.acdEvapi!, CALLDESK_ACD_LEADER_POLL_MS: '200' });
  caller = await MiniSip.open('2001', pbx.sipPort);
  ({ core } = await createTestCore({ dataDir: tempDataDir('acd-desk-core-'), env: { CALLDESK_SERVER_RETRYMAXSECONDS: '1' }, adapters: { secrets: createMemorySecretStore() } }));
  core.events.on('acd:queues', (s) => states.push(s));
}, 90_000);

afterAll(async () => {
  await phone?.stop().catch(() => undefined);
  caller?.close();
  await core?.close();
  await server?.kill();
  await pbx?.stop();
  await db?.close();
  await pg?.stop();
});

const latest = () => states.at(-1);
const sales = () => latest()?.queues.find((q) => q.id === 'sales');

describe('the agent queues on the desktop (core + server + router + Kamailio)', () => {
  it('shows the queues the agent belongs to, then the waiting call and its growing wait as the server pushes them', async () => {
    expect((await invoke<AgentQueuesState>(core, 'acd:queues', undefined)).available).toBe(false);
    await invoke(core, 'sync:sign-in', { url: server.url, username: 'alice', password: 'password-123' });
    await until(() => latest()?.queues.length === 2, 'the agent queues read from the server', 20_000);
    expect(latest()!.queues.map((q) => [q.id, q.name, q.loggedIn])).toEqual([
      ['vip', 'VIP desk', true],
      ['sales', 'Sales', true],
    ]);

    // Nobody is ready: the call waits; the figures arrive over the real-time channel.
    const pending = caller.call('600', { abandonAfterMs: 7000, timeoutMs: 60_000 });
    await until(() => sales()?.waiting === 1, 'one call waiting pushed to the desktop', 20_000);
    await until(() => (sales()?.longestWaitMs ?? 0) >= 4000, 'its wait refreshed by the server', 20_000);
    const seen = await pending;
    expect(seen.finalStatus).toBe(487);
    await until(() => sales()?.waiting === 0 && sales()?.longestWaitMs === 0, 'the abandoned call gone from the figures', 20_000);
  });

  it("a queue call rings the agent's phone with the queue, why it was routed to them and the caller's wait", async () => {
    phone = createTestPhone(pbx, 'alice', 'alicepw');
    await phone.service.start();
    await phone.waitFor((s) => s.registration.state === 'registered', 'alice registered');
    await invoke(core, 'agent:set-state', { state: 'not-ready', reason: 'break' });
    await invoke(core, 'agent:set-state', { state: 'ready' });
    const pending = caller.call('601', { abandonAfterMs: 15_000, timeoutMs: 60_000 });
    const ringing = await phone.waitForCall((c) => c.direction === 'inbound' && c.state === 'ringing', 'the queue call rings', 20_000);
    expect(ringing.queue).toMatchObject({ queueId: 'vip', queueName: 'VIP desk', reason: 'longest-idle', vip: false });
    expect(ringing.queue!.waitedMs).toBeGreaterThanOrEqual(0);
    await phone.service.hangup(ringing.id);
    await pending;
  });

  it('logs out of and back in to a queue on the server from the desktop', async () => {
    const out = await invoke<AgentQueuesState>(core, 'acd:set-login', { queueId: 'sales', loggedIn: false });
    expect(out.queues.find((q) => q.id === 'sales')?.loggedIn).toBe(false);
    expect((await db.query(`SELECT 1 FROM queue_logouts WHERE queue_id = 'sales' AND agent_id = 'alice'`)).rowCount).toBe(1);
    // Not a member: refused with the server's reason, nothing changes.
    await expect(invoke(core, 'acd:set-login', { queueId: 'other', loggedIn: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const back = await invoke<AgentQueuesState>(core, 'acd:set-login', { queueId: 'sales', loggedIn: true });
    expect(back.queues.every((q) => q.loggedIn)).toBe(true);
    const { rows } = await db.query<{ kind: string; by: string }>(`SELECT kind, by FROM queue_agent_events WHERE agent_id = 'alice' ORDER BY id`);
    expect(rows).toEqual([
      { kind: 'logout', by: 'alice' },
      { kind: 'login', by: 'alice' },
    ]);
  });
});
