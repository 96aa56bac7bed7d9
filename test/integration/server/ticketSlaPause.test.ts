import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import { migrate } from '../../../server/db/migrate';
import { SERVER_MIGRATIONS } from '../../../server/db/migrations';
import { m001Initial } from '../../../server/db/migrations/001_initial';
import { createPgDb } from '../../../server/db/pgDb';
import { createServerLogger } from '../../../server/log';
import type { PushResponse } from '../../../shared/sync/protocol';
import type { Ticket } from '../../../shared/ticket/ticket';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';
import { createWorkflowHarness } from '../../helpers/workflowHarness';

const H = 3_600_000;

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let agent: string;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  // The workflow harness signs its agent in as 1001 (sip:1001@pbx.test).
  agent = await userWithToken(srv.server, '1001', 'agent', 'red');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

/** Pushes everything the desktop's outbox holds (in order) and returns the results of its ticket mutations. */
async function pushOutbox(h: ReturnType<typeof createWorkflowHarness>): Promise<PushResponse['results']> {
  const entries = h.workflow.outbox.unsent();
  const clientId = h.workflow.outbox.clientId();
  const body = {
    clientId,
    mutations: entries.map((e) => ({ clientId: e.clientId, seq: e.seq, entity: e.entity, entityId: e.entityId, operation: e.operation, baseVersion: e.baseVersion, payload: e.payload, createdAt: e.createdAt })),
  };
  const res = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token: agent, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.results.every((r) => r.status === 'applied'), JSON.stringify(res.body.results)).toBe(true);
  return res.body.results.filter((r) => r.entity === 'ticket');
}

describe('SLA clock paused while pending: desktop and server agree', () => {
  it('a ticket pending for 2 h on the desktop has the same due time (2 h later) on the server after the push', async () => {
    const h = createWorkflowHarness();
    const tickets = h.workflow.tickets;
    const created = tickets.create({ type: 'complaint', priority: 'P1', category: '', subject: 'Router blinks', description: '', interactionIds: [] });
    const open = tickets.transition({ id: created.id, version: created.version, to: 'open' });
    h.clock.advance(H);
    const pending = tickets.transition({ id: created.id, version: open.version, to: 'pending' });
    h.clock.advance(2 * H);
    const back = tickets.transition({ id: created.id, version: pending.version, to: 'open' });
    expect(back.dueAt).toBe(created.dueAt + 2 * H);

    const results = await pushOutbox(h);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(results[2]!.record).toMatchObject({ status: 'pending', pendingSince: pending.pendingSince, dueAt: created.dueAt });
    expect(results[3]!.record).toMatchObject({ status: 'open', pendingSince: null, dueAt: back.dueAt });
    const got = await call<{ ticket: Ticket }>(srv.url, 'GET', `/tickets/${created.id}`, { token: agent });
    expect(got.body.ticket).toMatchObject({ status: 'open', dueAt: created.dueAt + 2 * H, pendingSince: null });
    const { rows } = await db.query<{ changes: { field: string; from: unknown; to: unknown }[] }>("SELECT changes FROM ticket_history WHERE ticket_id = $1 AND action = 'status' ORDER BY id DESC LIMIT 1", [created.id]);
    expect(rows[0]!.changes).toEqual([
      { field: 'status', from: 'pending', to: 'open' },
      { field: 'dueAt', from: created.dueAt, to: created.dueAt + 2 * H },
    ]);
  });

  it('a ticket left pending is resolved later on the server by the same rule (pause from its pending time)', async () => {
    const h = createWorkflowHarness();
    const tickets = h.workflow.tickets;
    const created = tickets.create({ type: 'inquiry', priority: 'P2', category: '', subject: 'Refund?', description: '', interactionIds: [] });
    h.clock.advance(30 * 60_000);
    const pending = tickets.transition({ id: created.id, version: created.version, to: 'pending' });
    h.clock.advance(5 * H);
    const resolved = tickets.transition({ id: created.id, version: pending.version, to: 'resolved', resolution: 'Refunded', satisfaction: 5 });
    const results = await pushOutbox(h);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(results[2]!.record).toMatchObject({ status: 'resolved', pendingSince: null, dueAt: resolved.dueAt });
    expect(resolved.dueAt).toBe(created.dueAt + 5 * H);
  });
});

describe('server migration 002_ticket_pending_since', () => {
  it('adds pending_since; tickets already pending take their last move to pending from the history, else their last change', async () => {
    const url = await pgsrv.createDatabase();
    const old = createPgDb({ connectionString: url, max: 2, logger: createServerLogger('test-db', 'error') });
    try {
      await migrate(old, [m001Initial]);
      const ins = `INSERT INTO tickets (id, type, priority, status, subject, created_by, created_at, updated_at, due_at, version)
                   VALUES ($1, 'inquiry', 'P3', $2, 's', 'a1', 1, $3, 100, 1)`;
      await old.query(ins, ['with-history', 'pending', 900]);
      await old.query(ins, ['without-history', 'pending', 800]);
      await old.query(ins, ['open', 'open', 700]);
      const hist = `INSERT INTO ticket_history (ticket_id, at, by, action, changes) VALUES ($1, $2, 'a1', 'status', $3)`;
      await old.query(hist, ['with-history', 300, JSON.stringify([{ field: 'status', from: 'open', to: 'pending' }])]);
      await old.query(hist, ['with-history', 400, JSON.stringify([{ field: 'status', from: 'pending', to: 'open' }])]);
      await old.query(hist, ['with-history', 500, JSON.stringify([{ field: 'status', from: 'open', to: 'pending' }])]);
      expect(await migrate(old, SERVER_MIGRATIONS.slice(0, 2))).toMatchObject({ from: 1, applied: [2] });
      const { rows } = await old.query<{ id: string; pending_since: string | null }>('SELECT id, pending_since FROM tickets ORDER BY id');
      expect(rows.map((r) => [r.id, r.pending_since === null ? null : Number(r.pending_since)])).toEqual([
        ['open', null],
        ['with-history', 500],
        ['without-history', 800],
      ]);
    } finally {
      await old.close();
    }
  });
});
