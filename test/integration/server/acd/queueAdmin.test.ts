import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../server/db/db';
import { call, openTestDb, startTestServer, userWithToken, type TestServer } from '../../../helpers/serverHarness';
import { runAdminCli } from '../../../helpers/serverProcess';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let admin: string;
let agent: string;
let supervisor: string;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  admin = await userWithToken(srv.server, 'boss', 'admin');
  agent = await userWithToken(srv.server, '1001', 'agent');
  supervisor = await userWithToken(srv.server, 'sue', 'supervisor');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

describe('queue administration (admin API, PostgreSQL)', () => {
  it('creates a queue with numbers and members, reads it back with defaults, and refuses agents', async () => {
    const created = await call(srv.url, 'POST', '/admin/queues', {
      token: admin,
      body: { id: 'sales', name: 'Sales', numbers: ['600', '6000'], members: [{ agentId: '1001', skill: 7 }, { agentId: '1002' }], ownerFirstSec: 20, maxWaitSec: 120, overflowTarget: 'support' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'sales', numbers: ['600', '6000'], members: [{ agentId: '1001', skill: 7 }, { agentId: '1002', skill: 5 }], policy: 'longest-idle', slTargetSec: 20, ownerFirstSec: 20, overflowTarget: 'support' });
    expect((await call(srv.url, 'GET', '/admin/queues/sales', { token: supervisor })).body).toEqual(created.body);
    expect((await call(srv.url, 'GET', '/admin/queues', { token: agent })).status).toBe(403);
    expect((await call(srv.url, 'POST', '/admin/queues', { token: supervisor, body: { id: 'x', name: 'X' } })).status).toBe(403);
  });

  it('refuses a taken id or number and bad settings with a clear error, writing nothing', async () => {
    const dupId = await call(srv.url, 'POST', '/admin/queues', { token: admin, body: { id: 'sales', name: 'Again' } });
    expect(dupId.status).toBe(409);
    const dupNumber = await call(srv.url, 'POST', '/admin/queues', { token: admin, body: { id: 'support', name: 'Support', numbers: ['700', '600'] } });
    expect(dupNumber.status).toBe(409);
    expect(dupNumber.body.error.message).toMatch(/600 belongs to another queue/);
    expect((await call(srv.url, 'GET', '/admin/queues/support', { token: admin })).status).toBe(404);
    const bad = await call(srv.url, 'POST', '/admin/queues', { token: admin, body: { id: 'support', name: 'Support', policy: 'random', hours: { timeZone: 'Nowhere/City', week: {} } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/policy/);
  });

  it('updates settings, replaces members, sets an extension and deletes', async () => {
    const updated = await call(srv.url, 'PATCH', '/admin/queues/sales', { token: admin, body: { policy: 'skills', members: [{ agentId: '1003', skill: 9 }] } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ policy: 'skills', numbers: ['600', '6000'], members: [{ agentId: '1003', skill: 9 }], ownerFirstSec: 20 });
    expect((await call(srv.url, 'PUT', '/admin/agents/alice/extension', { token: admin, body: { extension: '1004' } })).body).toEqual({ agentId: 'alice', extension: '1004' });
    const { rows } = await db.query('SELECT agent_id, extension FROM agent_extensions');
    expect(rows).toEqual([{ agent_id: 'alice', extension: '1004' }]);
    expect((await call(srv.url, 'DELETE', '/admin/queues/sales', { token: admin })).status).toBe(204);
    expect((await call(srv.url, 'DELETE', '/admin/queues/sales', { token: admin })).status).toBe(404);
    expect((await db.query('SELECT count(*)::int AS n FROM queue_numbers')).rows[0]).toEqual({ n: 0 });
  });

  it('server:admin create-queue / update-queue / list-queues / delete-queue work on the database', async () => {
    const env = { DATABASE_URL: await pgsrv.createDatabase() };
    const created = runAdminCli(['create-queue', '--id', 'billing', '--name', 'Billing', '--numbers', '610,611', '--members', '1001:8,1002', '--value', '{"priority":3}'], env);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 'billing', priority: 3, numbers: ['610', '611'], members: [{ agentId: '1001', skill: 8 }, { agentId: '1002', skill: 5 }] });
    expect(JSON.parse(runAdminCli(['update-queue', '--id', 'billing', '--members', '1005:2'], env).stdout)).toMatchObject({ members: [{ agentId: '1005', skill: 2 }] });
    const bad = runAdminCli(['create-queue', '--id', 'x', '--name', 'X', '--members', '1001:high'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/agent:skill/);
    expect((JSON.parse(runAdminCli(['list-queues'], env).stdout) as Array<{ id: string }>).map((q) => q.id)).toEqual(['billing']);
    expect(runAdminCli(['delete-queue', '--id', 'billing'], env).status).toBe(0);
    expect(JSON.parse(runAdminCli(['list-queues'], env).stdout)).toEqual([]);
  });
});
