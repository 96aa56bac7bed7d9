import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../server/auth/tokens';
import type { Db } from '../../server/db/db';
import type { PullResponse, PushResponse, RealtimeServerMessage } from '../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { FakeOutbox, openTestDb, TEST_SECRET } from '../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';
import { interactionRecord, ticketRecord } from '../helpers/syncFixtures';
import { benchSize, report, summarise } from './harness';

// The central server on a real PostgreSQL (durable commits unless CALLDESK_BENCH_PG_DURABLE=0),
// running as its own process like in production; the simulated desktops run in this process.
const DESKTOPS = benchSize('CALLDESK_BENCH_DESKTOPS', 100, 500);
const PUSHES_PER_DESKTOP = Number(process.env.CALLDESK_BENCH_PUSHES ?? 10);
const BATCH = Number(process.env.CALLDESK_BENCH_BATCH ?? 10);
const CUSTOMERS = benchSize('CALLDESK_BENCH_CUSTOMERS', 100_000, 1_000_000);
const FANOUT_ROUNDS = Number(process.env.CALLDESK_BENCH_FANOUT_ROUNDS ?? 20);
const DURABLE = process.env.CALLDESK_BENCH_PG_DURABLE !== '0';
const PACE_MS = Number(process.env.CALLDESK_BENCH_PACE_MS ?? 5000);
const PACED_SECONDS = benchSize('CALLDESK_BENCH_PACED_SECONDS', 10, 20);

let pgsrv: TestPostgres;
let db: Db;
let server: ServerProcess;
let tokens: string[] = [];
let adminToken: string;

function line(text: string): void {
  console.log(`BENCH ${text}`);
}

beforeAll(async () => {
  pgsrv = await startPostgres({ durable: DURABLE, maxConnections: 200 });
  const url = await pgsrv.createDatabase();
  db = await openTestDb(url, 4);
  // Users straight into the table (argon2 for 500 users would only measure hashing).
  await db.query(
    `INSERT INTO users (id, display_name, role, team, password_hash, created_at, updated_at)
     SELECT 'agent' || g, 'Agent ' || g, 'agent', 'team' || (g % 20), 'x', 0, 0 FROM generate_series(0, $1::int - 1) g`,
    [DESKTOPS],
  );
  await db.query("INSERT INTO users (id, display_name, role, password_hash, created_at, updated_at) VALUES ('root', 'root', 'admin', 'x', 0, 0)");
  const signer = new TokenSigner(TEST_SECRET, 3600);
  tokens = Array.from({ length: DESKTOPS }, (_, i) => signer.sign({ id: `agent${i}`, role: 'agent', team: `team${i % 20}` }));
  adminToken = signer.sign({ id: 'root', role: 'admin', team: null });
  server = await startServerProcess({ DATABASE_URL: url, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_SERVER_POOL_SIZE: '20' });
  line(`server: one instance (own process), PostgreSQL 15 ${DURABLE ? 'durable commits (fsync on)' : 'fsync off'}, pool 20; ${DESKTOPS} desktops`);
}, 600_000);

afterAll(async () => {
  await server?.kill();
  await db?.close();
  await pgsrv?.stop();
});

async function post<T>(path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('central server', () => {
  it(`push at saturation: ${DESKTOPS} desktops x ${PUSHES_PER_DESKTOP} pushes of ${BATCH} mutations, back to back`, async () => {
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      tokens.map(async (token, d) => {
        const box = new FakeOutbox();
        for (let p = 0; p < PUSHES_PER_DESKTOP; p++) {
          const from = box.entries.length;
          // A realistic mix: call log entries, and a ticket created then edited.
          for (let i = 0; i < BATCH; i++) {
            if (i === 0) {
              const t = ticketRecord({ assignee: `agent${d}`, createdBy: `agent${d}` });
              box.add('ticket', t.id, 'create', null, { record: t });
              box.add('ticket', t.id, 'update', 1, { record: { ...t, description: 'edited', version: 2 }, changed: ['description'] });
              i++;
            } else {
              const r = interactionRecord({ agentId: `agent${d}` });
              box.add('interaction', r.id, 'create', null, { record: r });
            }
          }
          const t0 = performance.now();
          const res = await post<PushResponse>('/sync/push', token, box.batch(box.entries.slice(from)));
          latencies.push(performance.now() - t0);
          if (res.highWater !== box.entries.length) throw new Error(`desktop ${d}: high water ${res.highWater}, expected ${box.entries.length}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = DESKTOPS * PUSHES_PER_DESKTOP * BATCH;
    const f = summarise(`push latency (${BATCH} mutations, ${DESKTOPS} concurrent desktops)`, latencies);
    report(f);
    line(`push throughput: ${total} mutations in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} mutations/s (${Math.round(latencies.length / seconds)} pushes/s)`);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_results');
    expect(rows[0]!.n).toBe(total);
  });

  it(`push at a paced load: ${DESKTOPS} desktops each pushing every ${PACE_MS / 1000} s`, async () => {
    const latencies: number[] = [];
    const until = performance.now() + PACED_SECONDS * 1000;
    await Promise.all(
      tokens.map(async (token, d) => {
        const box = new FakeOutbox();
        // Spread the desktops over the interval, as real agents are.
        await new Promise((r) => setTimeout(r, Math.floor((d / DESKTOPS) * PACE_MS)));
        while (performance.now() < until) {
          const started = performance.now();
          const from = box.entries.length;
          for (let i = 0; i < BATCH; i++) {
            const r = interactionRecord({ agentId: `agent${d}` });
            box.add('interaction', r.id, 'create', null, { record: r });
          }
          await post<PushResponse>('/sync/push', token, box.batch(box.entries.slice(from)));
          latencies.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, Math.max(0, PACE_MS - (performance.now() - started))));
        }
      }),
    );
    report(summarise(`push latency at ${Math.round((DESKTOPS * 1000) / PACE_MS)} pushes/s offered (${BATCH} mutations each)`, latencies));
    expect(latencies.length).toBeGreaterThan(DESKTOPS);
  });

  it(`real-time fan-out to ${DESKTOPS} connected desktops`, async () => {
    await fetch(`${server.url}/admin/config/scope.tickets`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ value: 'all' }) });
    const wsUrl = server.url.replace(/^http/, 'ws') + '/realtime';
    const sent = new Map<string, number>();
    const delays: number[] = [];
    const sockets = await Promise.all(
      tokens.map(
        (token) =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(wsUrl);
            ws.on('message', (data) => {
              const m = JSON.parse(String(data)) as RealtimeServerMessage;
              if (m.type === 'ready') resolve(ws);
              if (m.type === 'ticket') {
                const at = sent.get((m.ticket as { id: string }).id);
                if (at !== undefined) delays.push(performance.now() - at);
              }
            });
            ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
            ws.once('error', reject);
          }),
      ),
    );
    for (let r = 0; r < FANOUT_ROUNDS; r++) {
      const box = new FakeOutbox();
      const t = ticketRecord({ assignee: `agent${r % DESKTOPS}`, createdBy: 'root', subject: `fan-out ${r}` });
      box.add('ticket', t.id, 'create', null, { record: t });
      sent.set(t.id, performance.now());
      await post('/sync/push', adminToken, box.batch());
      // Let the round reach everyone before the next one (so rounds do not queue behind each other).
      const want = (r + 1) * DESKTOPS;
      const deadline = performance.now() + 10_000;
      while (delays.length < want && performance.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    }
    for (const ws of sockets) ws.close();
    report(summarise(`realtime fan-out: push -> ticket message at each of ${DESKTOPS} desktops`, delays));
    expect(delays.length).toBe(FANOUT_ROUNDS * DESKTOPS);
  });

  it(`first pull of ${CUSTOMERS} customers`, async () => {
    const seedStart = performance.now();
    await db.query(
      `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at, change_id)
       SELECT 'B' || g, 'Customer ' || g, 'agent' || (g % 500),
         jsonb_build_object('name', 'Customer ' || g, 'company', 'Company ' || (g % 5000), 'type', 'person', 'status', 'potential', 'level', 'standard',
           'source', 'import', 'creditRating', null, 'points', 0, 'ownerId', 'agent' || (g % 500), 'tags', '[]'::jsonb, 'birthday', null,
           'preferredLanguage', null, 'preferences', '', 'notes', '', 'contactPermissions', jsonb_build_object('call', true, 'sms', true, 'email', true),
           'lifetimeValue', 0, 'lifecycleStage', 'acquisition', 'lastContactAt', null,
           'phones', jsonb_build_array(jsonb_build_object('raw', '138' || lpad(g::text, 8, '0'), 'e164', '+86138' || lpad(g::text, 8, '0'), 'extension', null, 'label', 'mobile', 'primary', true)),
           'emails', '[]'::jsonb, 'addresses', '[]'::jsonb),
         0, 0, nextval('change_seq')
       FROM generate_series(1, $1::int) g`,
      [CUSTOMERS],
    );
    await db.query('ANALYZE customers');
    line(`seeded ${CUSTOMERS} customers in PostgreSQL in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const adminHeaders = { authorization: `Bearer ${adminToken}` };
    const pageTimes: number[] = [];
    let cursor = 0;
    let customers = 0;
    let bytes = 0;
    const started = performance.now();
    for (;;) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/sync/pull?cursor=${cursor}&limit=5000`, { headers: adminHeaders });
      const text = await res.text();
      const page = JSON.parse(text) as PullResponse;
      pageTimes.push(performance.now() - t0);
      bytes += text.length;
      customers += page.changes.filter((c) => c.entity === 'customer').length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const seconds = (performance.now() - started) / 1000;
    report(summarise('first pull: one page of 5000 changes (fetch + parse)', pageTimes));
    line(`first pull: ${customers} customers in ${seconds.toFixed(1)} s = ${Math.round(customers / seconds)} customers/s, ${(bytes / 1e6).toFixed(0)} MB JSON, ${pageTimes.length} pages`);
    expect(customers).toBe(CUSTOMERS);
  });
});
