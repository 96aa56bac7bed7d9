import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import type { PushResponse } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, FakeOutbox, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';
import { interactionRecord, ticketRecord } from '../../helpers/syncFixtures';

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  alice = await userWithToken(srv.server, 'alice', 'agent', 'red');
  bob = await userWithToken(srv.server, 'bob', 'agent', 'red');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const push = (token: string, body: unknown) => call<PushResponse & { error: { code: string; details: unknown } }>(srv.url, 'POST', '/sync/push', { token, body });
const stored = async (ids: string[]) => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM interactions WHERE id = ANY($1::text[])', [ids])).rows[0]!.n);

describe('a client id belongs to one user and one desktop', () => {
  it('refuses another user pushing under a client id with CLIENT_ID_TAKEN, applying nothing; the owner carries on', async () => {
    const mine = new FakeOutbox();
    const a = interactionRecord({ agentId: 'alice' });
    mine.add('interaction', a.id, 'create', null, { record: a });
    expect((await push(alice, mine.batch())).body.highWater).toBe(1);

    // Bob's desktop (same client id) has its own seq 1 and 2: before, seq 1 came back "duplicate" and was lost.
    const theirs = new FakeOutbox(mine.clientId);
    const b1 = interactionRecord({ agentId: 'bob' });
    const b2 = interactionRecord({ agentId: 'bob' });
    theirs.add('interaction', b1.id, 'create', null, { record: b1 });
    theirs.add('interaction', b2.id, 'create', null, { record: b2 });
    const refused = await push(bob, theirs.batch());
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CLIENT_ID_TAKEN', details: { reason: 'other-user' } });
    expect(await stored([b1.id, b2.id])).toBe(0);

    // Under a client id of his own, both arrive.
    const rekeyed = new FakeOutbox();
    rekeyed.add('interaction', b1.id, 'create', null, { record: b1 });
    rekeyed.add('interaction', b2.id, 'create', null, { record: b2 });
    expect((await push(bob, rekeyed.batch())).body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await stored([b1.id, b2.id])).toBe(2);

    const a2 = interactionRecord({ agentId: 'alice' });
    mine.add('interaction', a2.id, 'create', null, { record: a2 });
    expect((await push(alice, mine.batch())).body.results.map((r) => [r.status, r.duplicate ?? false])).toEqual([
      ['applied', true],
      ['applied', false],
    ]);
  });

  it('refuses a copied profile whose change differs from what the original pushed under the same sequence number, naming where they diverge', async () => {
    const original = new FakeOutbox();
    const shared = [interactionRecord({ agentId: 'alice' }), interactionRecord({ agentId: 'alice' })];
    for (const r of shared) original.add('interaction', r.id, 'create', null, { record: r });
    expect((await push(alice, original.batch())).body.highWater).toBe(2);

    // The copy was taken after seq 2; each then made a different change numbered 3.
    const copy = new FakeOutbox(original.clientId);
    for (const e of original.entries) copy.entries.push({ ...e });
    const mineT = ticketRecord({ assignee: 'alice', createdBy: 'alice' });
    original.add('ticket', mineT.id, 'create', null, { record: mineT });
    const copyCall = interactionRecord({ agentId: 'alice', notes: 'made on the copy' });
    copy.entries.push({ clientId: copy.clientId, seq: 3, entity: 'interaction', entityId: copyCall.id, operation: 'create', baseVersion: null, payload: { record: copyCall }, createdAt: Date.now() + 1 });
    expect((await push(alice, original.batch())).body.highWater).toBe(3);

    const refused = await push(alice, copy.batch());
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CLIENT_ID_TAKEN', details: { reason: 'other-desktop', divergedAt: 3 } });
    expect(await stored([copyCall.id])).toBe(0);

    // The same mutations delivered again, even with a payload the desktop rewrote (server ids), are replays.
    const again = original.entries.map((e) => ({ ...e, payload: { ...(e.payload as object), serverId: 5 } }));
    const replay = await push(alice, original.batch(again));
    expect(replay.status).toBe(200);
    expect(replay.body.results.every((r) => r.duplicate === true)).toBe(true);
  });
});
