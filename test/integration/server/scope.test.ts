import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import { customerSchema } from '../../../shared/customer/schema';
import type { PullResponse, PushResponse } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, FakeOutbox, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';
import { ticketRecord, type TicketRecord } from '../../helpers/syncFixtures';

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
const tok: Record<string, string> = {};
const tickets: Record<string, TicketRecord> = {};
const customerIds: Record<string, number> = {};

async function setScope(which: 'customers' | 'tickets', value: 'all' | 'own' | 'team'): Promise<void> {
  const res = await call(srv.url, 'PUT', `/admin/config/scope.${which}`, { token: tok.root, body: { value } });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  tok.alice = await userWithToken(srv.server, 'alice', 'agent', 'red');
  tok.bob = await userWithToken(srv.server, 'bob', 'agent', 'red');
  tok.carol = await userWithToken(srv.server, 'carol', 'agent', 'blue');
  tok.sue = await userWithToken(srv.server, 'sue', 'supervisor', 'red');
  tok.root = await userWithToken(srv.server, 'root', 'admin');
  // One ticket and one customer owned by each agent.
  for (const who of ['alice', 'bob', 'carol']) {
    const box = new FakeOutbox();
    const t = ticketRecord({ assignee: who, createdBy: who, subject: `${who}'s ticket` });
    box.add('ticket', t.id, 'create', null, { record: t });
    const res = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token: tok[who], body: box.batch() });
    expect(res.body.results[0]!.status).toBe('applied');
    tickets[who] = res.body.results[0]!.record as TicketRecord;
  }
  const csv = 'code,name,ownerId\nA-1,Alice Customer,alice\nB-1,Bob Customer,bob\nC-1,Carol Customer,carol\n';
  expect((await call(srv.url, 'POST', '/admin/customers/import', { token: tok.root, raw: csv, contentType: 'text/csv' })).body).toMatchObject({ created: 3 });
  for (const c of (await call(srv.url, 'GET', '/customers', { token: tok.root })).body as Array<{ id: number; ownerId: string }>) customerIds[c.ownerId] = c.id;
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const canReadTicket = async (who: string, owner: string) => (await call(srv.url, 'GET', `/tickets/${tickets[owner]!.id}`, { token: tok[who] })).status;
const canReadCustomer = async (who: string, owner: string) => (await call(srv.url, 'GET', `/customers/${customerIds[owner]}`, { token: tok[who] })).status;
const pulledIds = async (who: string, entity: string) =>
  ((await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok[who] })).body.changes.filter((c) => c.entity === entity && c.op === 'upsert').map((c) => c.id)).sort();

describe('scope: team (default)', () => {
  it('lets an agent read their team-mates\' tickets and customers but nobody else\'s (403)', async () => {
    expect(await canReadTicket('alice', 'bob')).toBe(200);
    expect(await canReadTicket('alice', 'carol')).toBe(403);
    expect(await canReadCustomer('alice', 'bob')).toBe(200);
    expect(await canReadCustomer('alice', 'carol')).toBe(403);
    const list = (await call(srv.url, 'GET', '/tickets', { token: tok.alice })).body as TicketRecord[];
    expect(list.map((t) => t.assignee).sort()).toEqual(['alice', 'bob']);
    expect(((await call(srv.url, 'GET', '/customers', { token: tok.carol })).body as Array<{ ownerId: string }>).map((c) => c.ownerId)).toEqual(['carol']);
  });

  it('pulls only what is in scope', async () => {
    expect(await pulledIds('alice', 'ticket')).toEqual([tickets.alice!.id, tickets.bob!.id].sort());
    expect(await pulledIds('alice', 'customer')).toEqual([String(customerIds.alice), String(customerIds.bob)].sort());
    expect(await pulledIds('carol', 'ticket')).toEqual([tickets.carol!.id]);
    // A pulled customer is a complete record in the desktop's shape.
    const page = (await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.alice })).body;
    const mine = page.changes.find((c) => c.entity === 'customer' && c.id === String(customerIds.alice));
    expect(customerSchema.parse(mine!.record)).toMatchObject({ id: customerIds.alice, code: 'A-1', name: 'Alice Customer', ownerId: 'alice', serverVersion: 1 });
  });

  it('refuses a push that changes a ticket outside the scope', async () => {
    const box = new FakeOutbox();
    const t = tickets.carol!;
    box.add('ticket', t.id, 'update', 1, { record: { ...t, subject: 'hijacked', version: 2 }, changed: ['subject'] });
    const res = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token: tok.alice, body: box.batch() });
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' });
    expect(((await call(srv.url, 'GET', `/tickets/${t.id}`, { token: tok.carol })).body.ticket as TicketRecord).subject).toBe("carol's ticket");
  });

  it('tells a desktop to drop a ticket that leaves its scope', async () => {
    const { cursor } = (await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.alice })).body;
    const box = new FakeOutbox();
    const t = tickets.bob!;
    box.add('ticket', t.id, 'update', 1, { record: { ...t, assignee: 'carol', version: 2 }, changed: ['assignee'] });
    await call(srv.url, 'POST', '/sync/push', { token: tok.bob, body: box.batch() });
    // Bob created it, so it is still in the red team's scope; alice's view keeps it.
    const after = (await call<PullResponse>(srv.url, 'GET', `/sync/pull?cursor=${cursor}`, { token: tok.alice })).body;
    expect(after.changes.find((c) => c.id === t.id)?.op).toBe('upsert');
    await setScope('tickets', 'own');
    const own = (await call<PullResponse>(srv.url, 'GET', `/sync/pull?cursor=${cursor}`, { token: tok.alice })).body;
    expect(own.changes.find((c) => c.id === t.id)?.op).toBe('remove');
    expect(own.changes.find((c) => c.id === t.id)?.record).toBeUndefined();
    await setScope('tickets', 'team');
  });
});

describe('scope: own and all', () => {
  it('own: only the agent\'s own records', async () => {
    await setScope('customers', 'own');
    await setScope('tickets', 'own');
    try {
      expect(await canReadTicket('alice', 'alice')).toBe(200);
      expect(await canReadTicket('alice', 'bob')).toBe(403);
      expect(await canReadCustomer('alice', 'bob')).toBe(403);
      expect(await pulledIds('alice', 'customer')).toEqual([String(customerIds.alice)]);
    } finally {
      await setScope('customers', 'team');
      await setScope('tickets', 'team');
    }
  });

  it('all: every record', async () => {
    await setScope('customers', 'all');
    await setScope('tickets', 'all');
    try {
      expect(await canReadTicket('alice', 'carol')).toBe(200);
      expect(await canReadCustomer('alice', 'carol')).toBe(200);
      expect((await pulledIds('alice', 'customer')).length).toBe(3);
    } finally {
      await setScope('customers', 'team');
      await setScope('tickets', 'team');
    }
  });

  it('supervisors and admins see everything whatever the scope', async () => {
    expect(await canReadTicket('sue', 'carol')).toBe(200);
    expect(await canReadCustomer('root', 'carol')).toBe(200);
  });
});

describe('roles', () => {
  it('keeps agents and supervisors out of every admin endpoint (403) and everyone without a token out (401)', async () => {
    const admin: Array<[string, string, unknown]> = [
      ['GET', '/admin/users', undefined],
      ['POST', '/admin/users', { id: 'mallory', password: 'password-123', role: 'admin' }],
      ['PATCH', '/admin/users/alice', { role: 'admin' }],
      ['PUT', '/admin/config/scope.tickets', { value: 'all' }],
      ['POST', '/admin/customers/import', { csv: 'name\nX\n' }],
    ];
    for (const who of ['alice', 'sue']) {
      for (const [method, path, body] of admin) {
        const res = await call(srv.url, method, path, { token: tok[who], body });
        expect(res.status, `${who} ${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    for (const [method, path, body] of admin) expect((await call(srv.url, method, path, { body })).status).toBe(401);
    expect((await call(srv.url, 'GET', '/admin/users', { token: tok.root })).body.map((u: { id: string }) => u.id)).not.toContain('mallory');
  });

  it('lets supervisors read reports and keeps agents out of them', async () => {
    expect((await call(srv.url, 'GET', '/reports/agent-events', { token: tok.sue })).status).toBe(200);
    expect((await call(srv.url, 'GET', '/reports/agent-events', { token: tok.alice })).status).toBe(403);
    expect((await call(srv.url, 'GET', '/reports/call-events', { token: tok.alice })).status).toBe(403);
  });

  it('lets an admin create users and change their role; the change reaches desktops by pull', async () => {
    const created = await call(srv.url, 'POST', '/admin/users', { token: tok.root, body: { id: 'henry', password: 'password-123', team: 'blue' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'henry', role: 'agent', team: 'blue' });
    const { cursor } = (await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.alice })).body;
    const changed = await call(srv.url, 'PATCH', '/admin/users/henry', { token: tok.root, body: { role: 'supervisor' } });
    expect(changed.body).toMatchObject({ role: 'supervisor', version: 2 });
    const pulled = (await call<PullResponse>(srv.url, 'GET', `/sync/pull?cursor=${cursor}`, { token: tok.alice })).body;
    expect(pulled.changes).toEqual([expect.objectContaining({ entity: 'user', id: 'henry', record: expect.objectContaining({ role: 'supervisor' }) })]);
    expect(JSON.stringify(pulled)).not.toContain('argon2');
    expect((await call(srv.url, 'POST', '/admin/users', { token: tok.root, body: { id: 'henry', password: 'password-123' } })).status).toBe(409);
    expect((await call(srv.url, 'POST', '/admin/users', { token: tok.root, body: { id: 'short', password: 'x' } })).status).toBe(400);
  });

  it('validates configuration values and hands them to desktops', async () => {
    const bad = await call(srv.url, 'PUT', '/admin/config/tickets.slaRules', { token: tok.root, body: { value: [{ priority: 'P9', minutes: 5 }] } });
    expect(bad.status).toBe(400);
    expect((await call(srv.url, 'PUT', '/admin/config/no.such.key', { token: tok.root, body: { value: 1 } })).status).toBe(400);
    const rules = [{ priority: 'P1', minutes: 30 }];
    expect((await call(srv.url, 'PUT', '/admin/config/tickets.slaRules', { token: tok.root, body: { value: rules } })).status).toBe(200);
    const dispositions = [{ code: 'sales', dispositions: [{ code: 'sold' }, { code: 'not-interested' }] }];
    expect((await call(srv.url, 'PUT', '/admin/config/wrapup.dispositions', { token: tok.root, body: { value: dispositions } })).status).toBe(200);
    const cfg = (await call(srv.url, 'GET', '/config', { token: tok.alice })).body;
    expect(cfg).toMatchObject({ 'tickets.slaRules': rules, 'wrapup.dispositions': dispositions });
    // New tickets use the server's SLA rules.
    const box = new FakeOutbox();
    const t = ticketRecord({ priority: 'P1', assignee: 'alice', createdBy: 'alice' });
    box.add('ticket', t.id, 'create', null, { record: t });
    const res = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token: tok.alice, body: box.batch() });
    expect((res.body.results[0]!.record as TicketRecord).dueAt).toBe(t.createdAt + 30 * 60_000);
  });
});
