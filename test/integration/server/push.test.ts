import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import type { MutationResult, PushResponse } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, FakeOutbox, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';
import { interactionRecord, ticketRecord, type TicketRecord } from '../../helpers/syncFixtures';

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let alice: string;
let bob: string;
let admin: string;

const BODY_LIMIT = 256 * 1024;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db, { bodyLimitBytes: BODY_LIMIT });
  alice = await userWithToken(srv.server, 'alice', 'agent', 'red');
  bob = await userWithToken(srv.server, 'bob', 'agent', 'red');
  admin = await userWithToken(srv.server, 'root', 'admin');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

async function push(token: string, body: unknown): Promise<PushResponse> {
  const res = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return Number(rows[0]!.n);
}

const strip = (r: MutationResult) => {
  const { duplicate: _d, ...rest } = r;
  return rest;
};

describe('POST /sync/push: exactly once', () => {
  it('applies a batch once and answers a replayed batch with the original results', async () => {
    const box = new FakeOutbox();
    const call1 = interactionRecord({ agentId: 'alice' });
    const t = ticketRecord({ assignee: 'alice', createdBy: 'alice' });
    box.add('interaction', call1.id, 'create', null, { record: call1 });
    box.add('ticket', t.id, 'create', null, { record: t, by: 'alice' });
    box.add('ticket', t.id, 'update', 1, { record: { ...t, subject: 'Printer fixed?', version: 2 }, changed: ['subject'], by: 'alice' });

    const first = await push(alice, box.batch());
    expect(first.highWater).toBe(3);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(first.results.every((r) => r.duplicate === undefined)).toBe(true);

    const replay = await push(alice, box.batch());
    expect(replay.highWater).toBe(3);
    expect(replay.results.every((r) => r.duplicate === true)).toBe(true);
    expect(replay.results.map(strip)).toEqual(first.results);

    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = $1', [call1.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM ticket_history WHERE ticket_id = $1', [t.id])).toBe(2);
    const ticket = await call(srv.url, 'GET', `/tickets/${t.id}`, { token: alice });
    expect(ticket.body.ticket).toMatchObject({ subject: 'Printer fixed?', version: 2 });
  });

  it('holds back sequence numbers after a gap and applies each once when the deliveries arrive reordered', async () => {
    const box = new FakeOutbox();
    const entries = Array.from({ length: 5 }, () => interactionRecord()).map((r) => box.add('interaction', r.id, 'create', null, { record: r }));
    const a = await push(alice, box.batch([entries[3]!, entries[0]!, entries[4]!]));
    expect(a.highWater).toBe(1);
    expect(a.results.map((r) => [r.seq, r.status])).toEqual([
      [1, 'applied'],
      [4, 'retry'],
      [5, 'retry'],
    ]);
    const b = await push(alice, box.batch([entries[2]!, entries[1]!, entries[4]!, entries[3]!]));
    expect(b.highWater).toBe(5);
    expect(b.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const c = await push(alice, box.batch([...entries].reverse()));
    expect(c.results.every((r) => r.duplicate === true && r.status === 'applied')).toBe(true);
    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [entries.map((e) => e.entityId)])).toBe(5);
    expect(await count('SELECT count(*) AS n FROM sync_results WHERE client_id = $1', [box.clientId])).toBe(5);
  });

  it('applies a batch delivered ten times at once exactly once', async () => {
    const box = new FakeOutbox();
    for (let i = 0; i < 40; i++) {
      const r = interactionRecord();
      box.add('interaction', r.id, 'create', null, { record: r });
    }
    const answers = await Promise.all(Array.from({ length: 10 }, () => push(alice, box.batch())));
    for (const a of answers) expect(a.highWater).toBe(40);
    for (let seq = 1; seq <= 40; seq++) {
      const fresh = answers.filter((a) => a.results.find((r) => r.seq === seq)?.duplicate !== true);
      expect(fresh).toHaveLength(1);
    }
    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [box.entries.map((e) => e.entityId)])).toBe(40);
  });
});

describe('POST /sync/push: rules per entity', () => {
  it('keeps interactions insert-only: a change is rejected and a second create of the same id leaves the first intact', async () => {
    const rec = interactionRecord({ notes: 'original' });
    const one = new FakeOutbox();
    one.add('interaction', rec.id, 'create', null, { record: rec });
    one.add('interaction', rec.id, 'update', 1, { record: { ...rec, notes: 'edited' } });
    const a = await push(alice, one.batch());
    expect(a.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', undefined],
      ['rejected', 'insert-only'],
    ]);
    const other = new FakeOutbox();
    other.add('interaction', rec.id, 'create', null, { record: { ...rec, notes: 'overwritten?' } });
    const b = await push(bob, other.batch());
    expect(b.results[0]).toMatchObject({ status: 'rejected', reason: 'exists' });
    const { rows } = await db.query<{ record: { record: { notes: string } } }>('SELECT record FROM interactions WHERE id = $1', [rec.id]);
    expect(rows[0]!.record.record.notes).toBe('original');
  });

  it('rejects an invalid mutation with its reason and still applies the rest of the batch', async () => {
    const box = new FakeOutbox();
    const good = interactionRecord();
    box.add('interaction', 'x', 'create', null, { record: { id: 'x' } });
    box.add('interaction', good.id, 'create', null, { record: good });
    // PostgreSQL text cannot hold NUL: the database refuses it, the savepoint keeps the batch alive.
    const nul = ticketRecord({ subject: 'nul \u0000 byte' });
    box.add('ticket', nul.id, 'create', null, { record: nul });
    const a = await push(alice, box.batch());
    expect(a.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'invalid'],
      ['applied', undefined],
      ['rejected', 'invalid'],
    ]);
    expect(a.highWater).toBe(3);
    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = $1', [good.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM tickets WHERE id = $1', [nul.id])).toBe(0);
  });

  it('gives the same answers when a data error forces the mutation-by-mutation path', async () => {
    const existing = interactionRecord();
    const first = new FakeOutbox();
    first.add('interaction', existing.id, 'create', null, { record: existing });
    await push(alice, first.batch());
    const box = new FakeOutbox();
    const fresh = interactionRecord();
    const nul = ticketRecord({ description: 'nul \u0000' });
    box.add('interaction', existing.id, 'create', null, { record: { ...existing, notes: 'another entry under that id' } });
    box.add('ticket', nul.id, 'create', null, { record: nul });
    box.add('interaction', fresh.id, 'create', null, { record: fresh });
    // The same entry sent again by its author (another client of hers) is a replay, not an error.
    box.add('interaction', existing.id, 'create', null, { record: existing });
    const res = await push(alice, box.batch());
    expect(res.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'exists'],
      ['rejected', 'invalid'],
      ['applied', undefined],
      ['applied', undefined],
    ]);
    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [[existing.id, fresh.id]])).toBe(2);
  });

  it('decides status and SLA of a new ticket itself and tells the desktop what it changed', async () => {
    const box = new FakeOutbox();
    const t = ticketRecord({ status: 'open', priority: 'P1', type: 'complaint', dueAt: 1, createdBy: 'alice' });
    box.add('ticket', t.id, 'create', null, { record: t });
    const [r] = (await push(alice, box.batch())).results;
    expect(r).toMatchObject({ status: 'applied', version: 1, fields: ['status', 'dueAt'] });
    expect(r!.record).toMatchObject({ status: 'new', dueAt: t.createdAt + 2 * 3_600_000 });
  });

  it('refuses an illegal status move', async () => {
    const box = new FakeOutbox();
    const t = ticketRecord({ assignee: 'alice', createdBy: 'alice' });
    box.add('ticket', t.id, 'create', null, { record: t });
    box.add('ticket', t.id, 'transition', 1, { record: { ...t, status: 'closed', version: 2 }, changed: ['status'] });
    const res = await push(alice, box.batch());
    expect(res.results[1]).toMatchObject({ status: 'rejected', reason: 'illegal-transition' });
    expect((res.results[1]!.record as TicketRecord).status).toBe('new');
  });
});

describe('two agents edit one ticket offline', () => {
  /** Creates a ticket through alice's outbox and returns it. */
  async function created(): Promise<TicketRecord> {
    const box = new FakeOutbox();
    const t = ticketRecord({ assignee: 'alice', createdBy: 'alice', subject: 'Router blinks', description: 'Orange light' });
    box.add('ticket', t.id, 'create', null, { record: t });
    const [r] = (await push(alice, box.batch())).results;
    return r!.record as TicketRecord;
  }

  /** Alice: description + open. Bob: description + subject + resolve. Both made on version 1. */
  function edits(t: TicketRecord) {
    const a = new FakeOutbox();
    const a1 = { ...t, description: 'Orange light, then red', version: 2 };
    a.add('ticket', t.id, 'update', 1, { record: a1, changed: ['description'] });
    a.add('ticket', t.id, 'transition', 2, { record: { ...a1, status: 'open', version: 3 }, changed: ['status'] });
    const b = new FakeOutbox();
    const b1 = { ...t, description: 'Customer says it is fine now', subject: 'Router blinks (model X)', version: 2 };
    b.add('ticket', t.id, 'update', 1, { record: b1, changed: ['description', 'subject'] });
    b.add('ticket', t.id, 'transition', 2, { record: { ...b1, status: 'resolved', resolution: 'Power cycled', satisfaction: 4, resolvedAt: t.createdAt + 1, version: 3 }, changed: ['status', 'resolution', 'satisfaction'] });
    return { a, b };
  }

  it('merges text fields field by field, first writer wins per field, and both end with the same server record', async () => {
    const t = await created();
    const { a, b } = edits(t);
    const ra = await push(alice, a.batch());
    expect(ra.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const rb = await push(bob, b.batch());
    expect(rb.results.map((r) => [r.status, r.fields])).toEqual([
      ['conflict', ['description']],
      ['conflict', ['status']],
    ]);
    const server = (await call(srv.url, 'GET', `/tickets/${t.id}`, { token: admin })).body.ticket as TicketRecord;
    expect(server).toMatchObject({ description: 'Orange light, then red', subject: 'Router blinks (model X)', status: 'open', resolution: null, version: 4 });
    // What each desktop ends with: bob adopts his last result record, alice pulls.
    expect(rb.results[1]!.record).toEqual(server);
    const pulled = await call(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: alice });
    const mine = (pulled.body.changes as Array<{ id: string; record: unknown }>).find((c) => c.id === t.id);
    expect(mine!.record).toEqual(server);
  });

  it('applies the same rule the other way round when bob pushes first', async () => {
    const t = await created();
    const { a, b } = edits(t);
    const rb = await push(bob, b.batch());
    expect(rb.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const ra = await push(alice, a.batch());
    expect(ra.results.map((r) => [r.status, r.fields])).toEqual([
      ['conflict', ['description']],
      ['conflict', ['status']],
    ]);
    const server = (await call(srv.url, 'GET', `/tickets/${t.id}`, { token: admin })).body.ticket as TicketRecord;
    expect(server).toMatchObject({ description: 'Customer says it is fine now', subject: 'Router blinks (model X)', status: 'resolved', resolution: 'Power cycled', satisfaction: 4 });
    expect(ra.results[1]!.record).toEqual(server);
  });

  it('merges against the server version a desktop says it knew after adopting a server record', async () => {
    const t = await created();
    const b = new FakeOutbox();
    b.add('ticket', t.id, 'update', 1, { record: { ...t, subject: 'Bob renamed it', version: 2 }, changed: ['subject'] });
    expect((await push(bob, b.batch())).results[0]!.status).toBe('applied');
    // Alice pulled version 2 (bob's subject) and renames it again: no conflict, she had seen bob's change.
    const a = new FakeOutbox();
    a.add('ticket', t.id, 'update', 2, { record: { ...t, subject: 'Alice renamed it', version: 3 }, changed: ['subject'], knownVersion: 2 });
    const ra = await push(alice, a.batch());
    expect(ra.results[0]).toMatchObject({ status: 'applied', record: { subject: 'Alice renamed it', version: 3 } });
    // Bob's second desktop still knew version 1 only: the later renames made elsewhere win.
    const c = new FakeOutbox();
    c.add('ticket', t.id, 'update', 1, { record: { ...t, subject: 'Renamed on a stale desktop', version: 2 }, changed: ['subject'], knownVersion: 1 });
    expect((await push(bob, c.batch())).results[0]).toMatchObject({ status: 'conflict', fields: ['subject'], record: { subject: 'Alice renamed it' } });
  });

  it('lets both agents change different fields without any conflict', async () => {
    const t = await created();
    const a = new FakeOutbox();
    a.add('ticket', t.id, 'update', 1, { record: { ...t, category: 'technical', version: 2 }, changed: ['category'] });
    const b = new FakeOutbox();
    b.add('ticket', t.id, 'update', 1, { record: { ...t, priority: 'P1', version: 2 }, changed: ['priority'] });
    expect((await push(alice, a.batch())).results[0]!.status).toBe('applied');
    const rb = await push(bob, b.batch());
    expect(rb.results[0]!.status).toBe('applied');
    expect(rb.results[0]!.record).toMatchObject({ category: 'technical', priority: 'P1', version: 3, dueAt: t.createdAt + 4 * 3_600_000 });
  });
});

describe('hostile input', () => {
  const NASTY = `Robert'); DROP TABLE tickets; -- "quoted" \\backslash $1 %_ /* */ ; SELECT pg_sleep(10); 中文 '' \\x27`;

  it('stores SQL metacharacters in every text field literally', async () => {
    const box = new FakeOutbox();
    const t = ticketRecord({ subject: NASTY, description: NASTY, category: NASTY.slice(0, 60), assignee: 'alice', createdBy: 'alice' });
    const i = interactionRecord({ subject: NASTY, notes: NASTY, remoteName: NASTY, queue: NASTY, remoteNumber: NASTY, disposition: NASTY, headers: { [NASTY]: NASTY }, agentId: NASTY });
    box.add('ticket', t.id, 'create', null, { record: t });
    box.add('ticket', t.id, 'transition', 1, { record: { ...t, status: 'resolved', resolution: NASTY, satisfaction: 3, version: 2 }, changed: ['status', 'resolution'] });
    box.add('interaction', i.id, 'create', null, { record: i });
    const res = await push(alice, box.batch());
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const got = (await call(srv.url, 'GET', `/tickets/${t.id}`, { token: alice })).body.ticket;
    expect(got).toMatchObject({ subject: NASTY, description: NASTY, category: NASTY.slice(0, 60), resolution: NASTY });
    const { rows } = await db.query<{ record: { record: Record<string, unknown> } }>('SELECT record FROM interactions WHERE id = $1', [i.id]);
    expect(rows[0]!.record.record).toMatchObject({ subject: NASTY, notes: NASTY, remoteName: NASTY, queue: NASTY, remoteNumber: NASTY, disposition: NASTY, agentId: NASTY, headers: { [NASTY]: NASTY } });

    await call(srv.url, 'POST', '/admin/users', { token: admin, body: { id: 'nasty.user', displayName: NASTY, password: 'password-123', team: NASTY.slice(0, 100) } });
    const users = (await call(srv.url, 'GET', '/admin/users', { token: admin })).body as Array<{ id: string; displayName: string; team: string }>;
    expect(users.find((u) => u.id === 'nasty.user')).toMatchObject({ displayName: NASTY, team: NASTY.slice(0, 100) });

    const csvCell = `"${NASTY.replace(/"/g, '""')}"`;
    const imp = await call(srv.url, 'POST', '/admin/customers/import', { token: admin, raw: `code,name,company,notes,preferences\nNASTY-1,${csvCell},${csvCell},${csvCell},${csvCell}\nPLAIN-1,Plain Person,Acme,,\n`, contentType: 'text/csv' });
    expect(imp.body).toMatchObject({ created: 2, rejected: [] });
    const found = (await call(srv.url, 'GET', `/customers?q=${encodeURIComponent("Robert'); DROP")}`, { token: admin })).body as Array<Record<string, unknown>>;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: NASTY, company: NASTY, notes: NASTY, preferences: NASTY });
    // The search pattern is literal too: % and _ match themselves only.
    expect((await call(srv.url, 'GET', '/customers?q=_', { token: admin })).body).toHaveLength(1);
    expect((await call(srv.url, 'GET', '/customers?q=%25', { token: admin })).body).toHaveLength(1);
    expect((await call(srv.url, 'GET', '/customers?q=', { token: admin })).body).toHaveLength(2);

    await call(srv.url, 'PUT', '/admin/config/agent.notReadyReasons', { token: admin, body: { value: [{ code: 'break', label: NASTY.slice(0, 60) }] } });
    const cfg = (await call(srv.url, 'GET', '/config', { token: alice })).body as Record<string, unknown>;
    expect(cfg['agent.notReadyReasons']).toEqual([{ code: 'break', label: NASTY.slice(0, 60).trim() }]);
    expect(await count("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('tickets', 'customers')")).toBe(2);
  });

  it('refuses an oversized push with 413 and leaves the batch state intact', async () => {
    const box = new FakeOutbox();
    const small = interactionRecord();
    box.add('interaction', small.id, 'create', null, { record: small });
    expect((await push(alice, box.batch())).highWater).toBe(1);

    const big = Array.from({ length: 30 }, () => interactionRecord({ notes: 'x'.repeat(10_000) }));
    for (const r of big) box.add('interaction', r.id, 'create', null, { record: r });
    const tooBig = await call(srv.url, 'POST', '/sync/push', { token: alice, body: box.batch(box.entries.slice(1)) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    const tooMany = new FakeOutbox();
    for (let i = 0; i < 501; i++) tooMany.add('interaction', `m${i}`, 'create', null, { record: {} });
    const many = await call(srv.url, 'POST', '/sync/push', { token: alice, body: tooMany.batch() });
    expect(many.status).toBe(413);

    expect(await count('SELECT high_water AS n FROM sync_clients WHERE client_id = $1', [box.clientId])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [big.map((b) => b.id)])).toBe(0);
    // The desktop splits the batch and carries on from where it was.
    const rest = box.entries.slice(1);
    const first = await push(alice, box.batch(rest.slice(0, 15)));
    const second = await push(alice, box.batch(rest.slice(15)));
    expect([first.highWater, second.highWater]).toEqual([16, 31]);
    expect(await count('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [big.map((b) => b.id)])).toBe(30);
  });

  it('answers 400 for a malformed batch and 401 without a token', async () => {
    expect((await call(srv.url, 'POST', '/sync/push', { token: alice, body: { clientId: 'c', mutations: [{ seq: 'one' }] } })).status).toBe(400);
    expect((await call(srv.url, 'POST', '/sync/push', { token: alice, raw: '{"clientId": ' })).status).toBe(400);
    expect((await call(srv.url, 'POST', '/sync/push', { body: { clientId: randomUUID(), mutations: [] } })).status).toBe(401);
  });
});
