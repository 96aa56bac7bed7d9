import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../../server/auth/tokens';
import type { Db } from '../../../server/db/db';
import { UserService } from '../../../server/services/users';
import type { PushResponse } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { FakeOutbox, openTestDb, startTestServer, TEST_PASSWORD_COST, TEST_SECRET, type TestServer } from '../../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../../helpers/serverProcess';
import { interactionRecord, ticketRecord } from '../../helpers/syncFixtures';

let pgsrv: TestPostgres;
let url: string;
let db: Db;
let token: string;

beforeAll(async () => {
  pgsrv = await startPostgres();
  url = await pgsrv.createDatabase();
  db = await openTestDb(url);
  await new UserService(db, TEST_PASSWORD_COST).create({ id: 'alice', password: 'password-123', role: 'agent', team: 'red' });
  token = new TokenSigner(TEST_SECRET, 3600).sign({ id: 'alice', role: 'agent', team: 'red' });
});

afterAll(async () => {
  await db?.close();
  await pgsrv?.stop();
});

/** Deterministic PRNG (mulberry32), so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A desktop's mixed workload: interactions, and tickets each created then changed twice. */
function workload(box: FakeOutbox, interactions: number, tickets: number): { interactionIds: string[]; ticketIds: string[] } {
  const interactionIds: string[] = [];
  const ticketIds: string[] = [];
  for (let i = 0; i < interactions; i++) {
    const r = interactionRecord({ agentId: 'alice', notes: `call ${i}` });
    box.add('interaction', r.id, 'create', null, { record: r });
    interactionIds.push(r.id);
    if (i % Math.max(1, Math.floor(interactions / tickets)) === 0 && ticketIds.length < tickets) {
      const t = ticketRecord({ assignee: 'alice', createdBy: 'alice', subject: `ticket ${i}` });
      box.add('ticket', t.id, 'create', null, { record: t });
      const t2 = { ...t, description: `described ${i}`, version: 2 };
      box.add('ticket', t.id, 'update', 1, { record: t2, changed: ['description'] });
      box.add('ticket', t.id, 'transition', 2, { record: { ...t2, status: 'open', version: 3 }, changed: ['status'] });
      ticketIds.push(t.id);
    }
  }
  return { interactionIds, ticketIds };
}

/** Asserts every mutation of `box` took effect exactly once. */
async function assertExactlyOnce(box: FakeOutbox, ids: { interactionIds: string[]; ticketIds: string[] }): Promise<void> {
  const q = async (sql: string, params: unknown[]) => Number((await db.query<{ n: number }>(sql, params)).rows[0]!.n);
  expect(await q('SELECT high_water AS n FROM sync_clients WHERE client_id = $1', [box.clientId])).toBe(box.entries.length);
  expect(await q('SELECT count(*) AS n FROM sync_results WHERE client_id = $1', [box.clientId])).toBe(box.entries.length);
  expect(await q("SELECT count(*) AS n FROM sync_results WHERE client_id = $1 AND result->>'status' <> 'applied'", [box.clientId])).toBe(0);
  expect(await q('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [ids.interactionIds])).toBe(ids.interactionIds.length);
  expect(await q('SELECT count(*) AS n FROM tickets WHERE id = ANY($1::text[]) AND version = 3 AND status = $2', [ids.ticketIds, 'open'])).toBe(ids.ticketIds.length);
  // One history entry per ticket mutation: nothing was applied twice.
  expect(await q('SELECT count(*) AS n FROM ticket_history WHERE ticket_id = ANY($1::text[])', [ids.ticketIds])).toBe(ids.ticketIds.length * 3);
}

describe('through a proxy that drops, duplicates and reorders deliveries', () => {
  let srv: TestServer;
  let proxy: http.Server;
  const stats = { requests: 0, droppedRequests: 0, droppedResponses: 0, duplicated: 0, reordered: 0 };

  beforeAll(async () => {
    srv = await startTestServer(db);
    const rand = rng(20261124);
    let lastFirstSeq = 0;
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          stats.requests++;
          const body = Buffer.concat(chunks);
          const fate = rand();
          // A random delay lets concurrent deliveries overtake each other.
          await new Promise((r) => setTimeout(r, Math.floor(rand() * 25)));
          if (fate < 0.15) {
            stats.droppedRequests++;
            req.socket.destroy();
            return;
          }
          const forward = () =>
            fetch(srv.url + (req.url ?? '/'), { method: req.method ?? 'GET', headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization ?? '') }, body });
          const first = (JSON.parse(body.toString()) as { mutations: Array<{ seq: number }> }).mutations[0]?.seq ?? 0;
          if (first < lastFirstSeq) stats.reordered++;
          lastFirstSeq = first;
          const upstream = forward();
          if (fate < 0.3) {
            stats.duplicated++;
            void forward().catch(() => undefined);
          }
          const answer = await upstream;
          const text = await answer.text();
          if (fate >= 0.3 && fate < 0.45) {
            stats.droppedResponses++;
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
        })().catch(() => req.socket.destroy());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    await new Promise<void>((r) => proxy.close(() => r()));
    await srv.close();
  });

  it('loses nothing and applies nothing twice', async () => {
    const box = new FakeOutbox();
    const ids = workload(box, 240, 20);
    const total = box.entries.length;
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const rand = rng(7);
    let hw = 0;
    let rounds = 0;
    while (hw < total && rounds < 3000) {
      rounds++;
      // Up to three overlapping deliveries of shuffled windows of what is not yet acknowledged.
      const pending = box.entries.slice(hw);
      const sends = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const start = Math.floor(rand() * Math.min(5, pending.length));
        const win = pending.slice(start, start + 1 + Math.floor(rand() * 25));
        const shuffled = [...win].sort(() => rand() - 0.5);
        return fetch(`${proxyUrl}/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(box.batch(shuffled)) })
          .then(async (r) => (r.ok ? ((await r.json()) as PushResponse) : null))
          .catch(() => null);
      });
      for (const answer of await Promise.all(sends)) if (answer) hw = Math.max(hw, answer.highWater);
    }
    expect(hw).toBe(total);
    expect(stats.droppedRequests).toBeGreaterThan(0);
    expect(stats.droppedResponses).toBeGreaterThan(0);
    expect(stats.duplicated).toBeGreaterThan(0);
    expect(stats.reordered).toBeGreaterThan(0);
    await assertExactlyOnce(box, ids);
  });
});

describe('server killed and restarted mid-batch', () => {
  const env = () => ({ DATABASE_URL: url, CALLDESK_SERVER_SECRET: TEST_SECRET });
  const pushTo = async (base: string, body: unknown): Promise<PushResponse | null> => {
    try {
      const res = await fetch(`${base}/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return res.ok ? ((await res.json()) as PushResponse) : null;
    } catch {
      return null;
    }
  };
  let proc: ServerProcess | null = null;
  afterAll(async () => {
    await proc?.kill();
  });

  it('a crash inside the push transaction leaves nothing, and the retry applies the batch once', async () => {
    const box = new FakeOutbox();
    const ids = workload(box, 60, 5);
    proc = await startServerProcess({ ...env(), CALLDESK_SERVER_FAULT: 'push:applied:1' });
    expect(await pushTo(proc.url, box.batch())).toBeNull();
    await proc.exited;
    const hw = await db.query('SELECT high_water FROM sync_clients WHERE client_id = $1', [box.clientId]);
    expect(hw.rows).toHaveLength(0);
    expect(Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [ids.interactionIds])).rows[0]!.n)).toBe(0);

    proc = await startServerProcess(env());
    const answer = await pushTo(proc.url, box.batch());
    expect(answer?.highWater).toBe(box.entries.length);
    expect(answer?.results.every((r) => r.status === 'applied' && r.duplicate === undefined)).toBe(true);
    await assertExactlyOnce(box, ids);
    await proc.kill();
  });

  it('a crash after commit but before the answer: the retry gets the original results and nothing doubles', async () => {
    const box = new FakeOutbox();
    const ids = workload(box, 60, 5);
    proc = await startServerProcess({ ...env(), CALLDESK_SERVER_FAULT: 'push:committed:1' });
    expect(await pushTo(proc.url, box.batch())).toBeNull();
    await proc.exited;
    await assertExactlyOnce(box, ids);

    proc = await startServerProcess(env());
    const answer = await pushTo(proc.url, box.batch());
    expect(answer?.highWater).toBe(box.entries.length);
    expect(answer?.results.every((r) => r.status === 'applied' && r.duplicate === true)).toBe(true);
    await assertExactlyOnce(box, ids);
    await proc.kill();
  });

  it('kill -9 at random moments during pushes, 10 restarts: every mutation exactly once', async () => {
    const box = new FakeOutbox();
    const ids = workload(box, 400, 30);
    const rand = rng(99);
    let hw = 0;
    let kills = 0;
    let interrupted = 0;
    for (let round = 0; round < 10 && hw < box.entries.length; round++) {
      proc = await startServerProcess(env());
      const p = proc;
      const killer = new Promise<void>((resolve) => setTimeout(() => void p.kill().then(() => resolve()), 20 + Math.floor(rand() * 150)));
      // Push windows back to back until the process dies under us.
      while (p.child.exitCode === null && p.child.signalCode === null && hw < box.entries.length) {
        const answer = await pushTo(p.url, box.batch(box.entries.slice(hw, hw + 10)));
        if (answer) hw = Math.max(hw, answer.highWater);
        else interrupted++;
      }
      await killer;
      kills++;
    }
    proc = await startServerProcess(env());
    while (hw < box.entries.length) {
      const answer = await pushTo(proc.url, box.batch(box.entries.slice(hw, hw + 100)));
      expect(answer).not.toBeNull();
      hw = answer!.highWater;
    }
    expect(kills).toBeGreaterThanOrEqual(1);
    // Some kills hit a push in flight (the desktop got no answer and had to retry).
    expect(interrupted).toBeGreaterThan(0);
    await assertExactlyOnce(box, ids);
    await proc.kill();
  });
});
