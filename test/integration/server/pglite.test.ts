import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import { openServerDb } from '../../../server/db/open';
import { createServerLogger } from '../../../server/log';
import type { PullResponse, PushResponse } from '../../../shared/sync/protocol';
import { call, connectRealtime, FakeOutbox, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';
import { interactionRecord, ticketRecord, type TicketRecord } from '../../helpers/syncFixtures';

// The demo path: no DATABASE_URL, so the server runs on embedded PostgreSQL (PGlite) in memory.
let db: Db;
let srv: TestServer;

beforeAll(async () => {
  ({ db } = await openServerDb({ databaseUrl: null, dataDir: null, poolSize: 1 }, createServerLogger('test', 'error')));
  srv = await startTestServer(db);
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
});

describe('embedded PostgreSQL (PGlite)', () => {
  it('signs in, applies a push exactly once, pulls it and fans a ticket out in-process', async () => {
    expect(db.kind).toBe('pglite');
    await srv.server.users.create({ id: 'alice', password: 'password-123', role: 'agent', team: 'red' });
    const login = await call(srv.url, 'POST', '/auth/login', { body: { username: 'alice', password: 'password-123' } });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const sock = await connectRealtime(srv.wsUrl, token);

    const box = new FakeOutbox();
    const i = interactionRecord({ notes: "it's \"quoted\"; --" });
    const t = ticketRecord({ assignee: 'alice', createdBy: 'alice' });
    box.add('interaction', i.id, 'create', null, { record: i });
    box.add('ticket', t.id, 'create', null, { record: t });
    box.add('ticket', t.id, 'update', 1, { record: { ...t, description: 'more', version: 2 }, changed: ['description'] });
    const first = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token, body: box.batch() });
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const again = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token, body: box.batch() });
    expect(again.body.results.every((r) => r.duplicate === true)).toBe(true);

    const fanned = await sock.next((m) => m.type === 'ticket' && (m.ticket as TicketRecord).id === t.id && (m.ticket as TicketRecord).version === 2);
    expect(fanned).toMatchObject({ ticket: { description: 'more' } });
    const pulled = (await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0', { token })).body;
    expect(pulled.changes.filter((c) => c.entity === 'ticket')).toEqual([expect.objectContaining({ id: t.id, record: expect.objectContaining({ version: 2 }) })]);
    expect(pulled.changes.filter((c) => c.entity === 'config').length).toBeGreaterThan(0);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM interactions');
    expect(rows[0]!.n).toBe(1);
    await sock.close();
  });

  it('uses the same admin API (user and role management)', async () => {
    const root = await userWithToken(srv.server, 'root', 'admin');
    const res = await call(srv.url, 'POST', '/admin/users', { token: root, body: { id: 'bob', password: 'password-123', role: 'supervisor' } });
    expect(res.status).toBe(201);
    expect((await call(srv.url, 'GET', '/admin/users', { token: root })).body.map((u: { id: string }) => u.id)).toEqual(['alice', 'bob', 'root']);
  });
});
