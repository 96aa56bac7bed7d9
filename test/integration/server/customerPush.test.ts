import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import type { Customer } from '../../../shared/customer/schema';
import type { PullResponse, PushResponse } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, FakeOutbox, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';

// `customer` outbox entries on the server: create by code, per-field merge of updates, scope and
// code collisions, against a real PostgreSQL.

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
const tok: Record<string, string> = {};

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  tok.alice = await userWithToken(srv.server, 'alice', 'agent', 'red');
  tok.bob = await userWithToken(srv.server, 'bob', 'agent', 'red');
  tok.carol = await userWithToken(srv.server, 'carol', 'agent', 'blue');
  tok.root = await userWithToken(srv.server, 'root', 'admin');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

let localIds = 100;

/** A customer as a desktop stores it (local id, no server version yet). */
function customerRecord(overrides: Partial<Customer> = {}): Customer {
  return {
    id: ++localIds,
    code: `T-${localIds}`,
    name: 'Zhang Wei',
    company: 'Acme',
    type: 'person',
    status: 'potential',
    level: 'standard',
    source: 'inbound-call',
    creditRating: null,
    points: 0,
    ownerId: null,
    tags: [],
    birthday: null,
    preferredLanguage: null,
    preferences: '',
    notes: '',
    contactPermissions: { call: true, sms: true, email: true },
    lifetimeValue: 0,
    lifecycleStage: 'acquisition',
    lastContactAt: null,
    serverVersion: null,
    revision: 0,
    createdAt: 1,
    updatedAt: 1,
    phones: [{ raw: '138 0013 8000', e164: '+8613800138000', extension: null, label: 'mobile', primary: true }],
    emails: [],
    addresses: [],
    ...overrides,
  };
}

async function push(token: string, box: FakeOutbox, entries = box.entries): Promise<PushResponse> {
  const res = await call<PushResponse>(srv.url, 'POST', '/sync/push', { token, body: box.batch(entries) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Pushes one customer mutation as a new desktop client and returns its result. */
async function one(token: string, operation: 'create' | 'update', record: Customer, changed: string[] = [], serverId: number | null = null) {
  const box = new FakeOutbox();
  box.add('customer', String(record.id), operation, null, { record, changed, by: null, serverId });
  return (await push(token, box)).results[0]!;
}

async function serverRow(id: number) {
  const { rows } = await db.query<{ code: string; name: string; owner_id: string | null; record: Record<string, unknown>; version: number; change_id: string }>('SELECT * FROM customers WHERE id = $1', [id]);
  return rows[0];
}

describe('POST /sync/push: customers', () => {
  it("creates a customer by code: the agent owns it, SQL metacharacters are stored literally, the phone key is indexed, and team-mates pull it", async () => {
    const nasty = "Robert'); DROP TABLE customers;-- 100% _x_ \\";
    const rec = customerRecord({ name: nasty, notes: nasty, tags: ["o'brien"] });
    const r = await one(tok.alice!, 'create', rec);
    expect(r).toMatchObject({ status: 'applied', version: 1, fields: ['ownerId'] });
    const created = r.record as Customer;
    expect(created).toMatchObject({ code: rec.code, name: nasty, notes: nasty, ownerId: 'alice', serverVersion: 1, tags: ["o'brien"] });
    expect(created.id).not.toBe(rec.id);
    const row = (await serverRow(created.id))!;
    expect(row).toMatchObject({ code: rec.code, name: nasty, owner_id: 'alice', version: 1 });
    expect(Number(row.change_id)).toBeGreaterThan(0);
    expect((await db.query('SELECT 1 FROM customer_phones WHERE customer_id = $1 AND e164 = $2', [created.id, '+8613800138000'])).rows).toHaveLength(1);

    const pulled = await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.bob });
    expect(pulled.body.changes.find((c) => c.entity === 'customer' && c.id === String(created.id))?.record).toMatchObject({ name: nasty, ownerId: 'alice' });
    const carol = await call<PullResponse>(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.carol });
    expect(carol.body.changes.some((c) => c.entity === 'customer' && c.id === String(created.id))).toBe(false);
  });

  it('merges updates field by field: a field not in `changed` is never overwritten by a stale copy', async () => {
    const rec = customerRecord({ ownerId: 'alice' });
    const created = (await one(tok.alice!, 'create', rec)).record as Customer;
    // Both desktops edit the version they pulled: Alice the company, Bob the notes.
    const a = await one(tok.alice!, 'update', { ...rec, company: 'Alice Corp' }, ['company'], created.id);
    expect(a).toMatchObject({ status: 'applied', version: 2 });
    const b = await one(tok.bob!, 'update', { ...rec, notes: 'Bob was here' }, ['notes'], created.id);
    expect(b).toMatchObject({ status: 'applied', version: 3 });
    expect(b.record).toMatchObject({ id: created.id, company: 'Alice Corp', notes: 'Bob was here', serverVersion: 3 });
    const row = (await serverRow(created.id))!;
    expect(row.record).toMatchObject({ company: 'Alice Corp', notes: 'Bob was here' });

    // The last contact never moves backwards; an update that changes nothing bumps no version.
    const later = await one(tok.bob!, 'update', { ...rec, lastContactAt: 5000 }, ['lastContactAt'], created.id);
    const earlier = await one(tok.alice!, 'update', { ...rec, lastContactAt: 1000 }, ['lastContactAt'], created.id);
    expect(later).toMatchObject({ status: 'applied', version: 4 });
    expect(earlier).toMatchObject({ status: 'applied', version: 4, record: { lastContactAt: 5000 } });
  });

  it('resolves the server id of an update the desktop made before its create was answered (same batch and a later one), once', async () => {
    const rec = customerRecord();
    const box = new FakeOutbox();
    box.add('customer', String(rec.id), 'create', null, { record: rec, changed: [], by: 'alice', serverId: null });
    box.add('customer', String(rec.id), 'update', null, { record: { ...rec, status: 'intent' }, changed: ['status'], by: 'alice', serverId: null });
    const first = await push(tok.alice!, box);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const id = (first.results[0]!.record as Customer).id;
    expect(first.results[1]!.record).toMatchObject({ id, status: 'intent', serverVersion: 2 });

    const third = box.add('customer', String(rec.id), 'update', null, { record: { ...rec, status: 'contracted' }, changed: ['status'], by: 'alice', serverId: null });
    const second = await push(tok.alice!, box, [third]);
    expect(second.results[0]).toMatchObject({ status: 'applied', record: { id, status: 'contracted', serverVersion: 3 } });
    const replay = await push(tok.alice!, box);
    expect(replay.results.every((r) => r.duplicate === true)).toBe(true);
    expect((await db.query('SELECT count(*)::int AS n FROM customers WHERE code = $1', [rec.code])).rows[0]).toEqual({ n: 1 });
    expect((await serverRow(id))!.version).toBe(3);
  });

  it('checks scope: an agent cannot change a customer outside it, nor reassign one out of it; an admin can', async () => {
    const created = (await one(tok.alice!, 'create', customerRecord({ ownerId: 'alice' }))).record as Customer;
    const outside = await one(tok.carol!, 'update', { ...created, notes: 'carol' }, ['notes'], created.id);
    expect(outside).toMatchObject({ status: 'rejected', reason: 'forbidden' });
    const away = await one(tok.alice!, 'update', { ...created, ownerId: 'carol' }, ['ownerId'], created.id);
    // The refusal carries the server record (the desktop reverts its copy); the invisible one does not.
    expect(away).toMatchObject({ status: 'rejected', reason: 'forbidden', record: { id: created.id, ownerId: 'alice' } });
    expect(outside.record).toBeUndefined();
    expect((await serverRow(created.id))!).toMatchObject({ owner_id: 'alice', version: 1 });
    const toBob = await one(tok.alice!, 'update', { ...created, ownerId: 'bob' }, ['ownerId'], created.id);
    expect(toBob).toMatchObject({ status: 'applied', record: { ownerId: 'bob' } });
    const byAdmin = await one(tok.root!, 'update', { ...created, ownerId: 'carol' }, ['ownerId'], created.id);
    expect(byAdmin).toMatchObject({ status: 'applied', record: { ownerId: 'carol' } });
    expect(await one(tok.alice!, 'create', customerRecord({ ownerId: 'carol' }))).toMatchObject({ status: 'rejected', reason: 'forbidden' });
    expect(await one(tok.alice!, 'update', customerRecord(), ['notes'], 99_999_999)).toMatchObject({ status: 'rejected', reason: 'not-found' });
  });

  it('refuses a create whose code another customer has (rejected "exists", nothing merged); the desktop can then fix the code', async () => {
    const first = customerRecord({ name: 'First Holder', ownerId: 'alice' });
    const held = (await one(tok.alice!, 'create', first)).record as Customer;
    const other = customerRecord({ code: first.code, name: 'Someone Else', ownerId: 'bob' });
    const box = new FakeOutbox();
    box.add('customer', String(other.id), 'create', null, { record: other, changed: [], by: 'bob', serverId: null });
    const clash = (await push(tok.bob!, box)).results[0]!;
    expect(clash).toMatchObject({ status: 'rejected', reason: 'exists' });
    expect(clash.message).toContain(first.code);
    expect(clash.record).toBeUndefined();
    expect((await serverRow(held.id))!).toMatchObject({ name: 'First Holder', owner_id: 'alice', version: 1 });

    // The agent changes the code: the update carries the whole record and is stored as a create.
    box.add('customer', String(other.id), 'update', null, { record: { ...other, code: 'FIXED-1' }, changed: ['code'], by: 'bob', serverId: null });
    const fixed = (await push(tok.bob!, box, box.entries.slice(1))).results[0]!;
    expect(fixed).toMatchObject({ status: 'applied', record: { code: 'FIXED-1', name: 'Someone Else', ownerId: 'bob' } });

    // Renaming a customer to a code in use is refused too.
    const rename = await one(tok.bob!, 'update', { ...other, code: first.code }, ['code'], (fixed.record as Customer).id);
    expect(rename).toMatchObject({ status: 'rejected', reason: 'exists' });
  });

  it('rejects invalid customer payloads and operations with a reason, consuming the sequence number', async () => {
    const box = new FakeOutbox();
    const rec = customerRecord();
    box.add('customer', String(rec.id), 'create', null, { record: { ...rec, emails: [{ address: 'not-an-email', label: 'work', primary: true }] }, changed: [], by: null });
    box.add('customer', String(rec.id), 'create', null, { record: { ...rec, code: 'bad code!' }, changed: [], by: null });
    box.add('customer', String(rec.id), 'complete', null, { record: rec, changed: [], by: null });
    box.add('customer', String(rec.id), 'update', null, { record: rec, changed: ['id'], by: null, serverId: 1 });
    const res = await push(tok.alice!, box);
    expect(res.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'invalid'],
      ['rejected', 'invalid'],
      ['rejected', 'unsupported'],
      ['rejected', 'invalid'],
    ]);
    expect(res.highWater).toBe(4);
    expect((await db.query('SELECT count(*)::int AS n FROM customers WHERE code = $1', [rec.code])).rows[0]).toEqual({ n: 0 });
  });
});
