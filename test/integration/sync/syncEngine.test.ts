import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/createCore';
import { createLogRoot } from '../../../electron/core/log/logger';
import { ServerApi } from '../../../electron/core/sync/serverApi';
import { MetaStore } from '../../../electron/core/store/metaStore';
import { metaCursorStore, SyncEngine } from '../../../electron/core/sync/syncEngine';
import { TokenSigner } from '../../../server/auth/tokens';
import type { Db } from '../../../server/db/db';
import { UserService } from '../../../server/services/users';
import type { PullChange } from '../../../shared/sync/protocol';
import type { SyncStatus } from '../../../shared/sync/status';
import { ticketCreateSchema, type Ticket } from '../../../shared/ticket/ticket';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from '../../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../../helpers/serverProcess';
import { createTestCore } from '../../helpers/testCore';
import { freePort, until } from '../../helpers/wait';

let pgsrv: TestPostgres;
let url: string;
let db: Db;
const signer = new TokenSigner(TEST_SECRET, 3600);
const cleanups: Array<() => Promise<void> | void> = [];
const logger = createLogRoot([]).createLogger('sync-test');
const FAST = { baseMs: 50, maxMs: 300, jitter: 0 };

beforeAll(async () => {
  pgsrv = await startPostgres();
  url = await pgsrv.createDatabase();
  db = await openTestDb(url);
  const users = new UserService(db, TEST_PASSWORD_COST);
  await users.create({ id: 'alice', password: 'password-123', role: 'agent', team: 'red' });
  await users.create({ id: 'bob', password: 'password-123', role: 'agent', team: 'red' });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  await db?.close();
  await pgsrv?.stop();
});

async function server(port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const p = await startServerProcess({ DATABASE_URL: url, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_SERVER_PORT: String(port), ...env });
  cleanups.push(() => p.kill());
  return p;
}

/** A desktop core for `agent` with a sync engine pointed at `port` (the server may not run yet). */
async function desktop(agent: string, port: number, opts: { batchSize?: number; token?: string } = {}) {
  const { core } = await createTestCore({ env: { CALLDESK_AGENT_ID: agent } });
  const pulled: PullChange[] = [];
  const statuses: SyncStatus[] = [];
  const pulledAt = new Map<string, number>();
  const api = new ServerApi({ baseUrl: `http://127.0.0.1:${port}`, tokens: { accessToken: opts.token ?? signer.sign({ id: agent, role: 'agent', team: 'red' }), refreshToken: 'x'.repeat(43) } });
  const engine = new SyncEngine({
    api,
    outbox: core.workflow.outbox,
    cursor: metaCursorStore(new MetaStore(core.db)),
    clock: { now: () => Date.now() },
    logger,
    backoff: FAST,
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
    applyChanges: (changes) => {
      for (const c of changes) {
        pulled.push(c);
        pulledAt.set(c.id, performance.now());
      }
    },
    onStatus: (s) => statuses.push(s),
  });
  cleanups.push(async () => {
    await engine.stop();
    await core.close();
  });
  // Records the error code of every failed push (to see the 413 splitting).
  const pushErrors: string[] = [];
  const push = api.push.bind(api);
  api.push = async (clientId, mutations) => {
    try {
      return await push(clientId, mutations);
    } catch (err) {
      pushErrors.push((err as { code?: string }).code ?? 'unknown');
      throw err;
    }
  };
  return { core, engine, pulled, statuses, pulledAt, pushErrors };
}

function createTicket(core: Core, subject: string): Ticket {
  return core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject, description: `about ${subject}` }));
}

describe('desktop sync engine against a real server process', () => {
  it('agent A creates a ticket while the server is down; when it starts, agent B gets it by pull after A reconnects', async () => {
    const port = await freePort();
    const a = await desktop('alice', port);
    // The core logs its own entries too (agent state at start): count relative to them.
    const before = a.core.workflow.outbox.count(true);
    const created = createTicket(a.core, 'Created offline');
    a.engine.start();
    a.engine.notify();
    await until(() => a.engine.status().connection === 'offline', 'A offline');
    expect(a.engine.status()).toMatchObject({ connection: 'offline', outboxDepth: before + 1 });

    await server(port);
    // B is online first, listening on the real-time channel.
    const b = await desktop('bob', port);
    b.engine.start();
    await until(() => b.engine.status().realtime, 'B realtime');
    await until(() => a.engine.status().connection === 'online' && a.engine.status().outboxDepth === 0, 'A drained');
    const aOnline = performance.now();
    await until(() => b.pulledAt.has(created.id), 'B pulled the ticket');
    const seen = b.pulled.find((c) => c.id === created.id)!;
    expect(seen.record).toMatchObject({ subject: 'Created offline', createdBy: 'alice', status: 'new', version: 1 });
    // B reports a call event on the real-time channel; the server stores it for reporting.
    expect(b.engine.send({ type: 'call-event', event: { id: 'ev-1', callId: 'call-1', kind: 'answered', at: Date.now(), data: {} } })).toBe(true);
    let stored = 0;
    for (let i = 0; i < 500 && stored === 0; i++) {
      stored = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM call_events WHERE id = 'ev-1' AND user_id = 'bob'")).rows[0]!.n;
      if (stored === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(stored).toBe(1);
    console.log(`BENCH sync: agent B saw agent A's offline ticket ${(b.pulledAt.get(created.id)! - aOnline).toFixed(0)} ms after A's outbox drained`);
  });

  it('keeps working offline through many failed attempts, then drains the outbox in order, exactly once', async () => {
    const port = await freePort();
    const a = await desktop('alice', port, { batchSize: 40 });
    const before = a.core.workflow.outbox.count(true);
    a.engine.start();
    const tickets: Ticket[] = [];
    for (let i = 0; i < 30; i++) {
      const t = createTicket(a.core, `offline ${i}`);
      tickets.push(a.core.workflow.tickets.update({ id: t.id, version: t.version, changes: { description: `edited ${i}` }, linkInteractionIds: [] }));
      a.engine.notify();
    }
    await until(() => a.statuses.filter((s) => s.connection === 'offline').length >= 5, 'several failed attempts');
    expect(a.engine.status().outboxDepth).toBe(before + 60);
    expect(a.engine.status().nextRetryAt).not.toBeNull();

    await server(port);
    await until(() => a.engine.status().outboxDepth === 0 && a.engine.status().connection === 'online', 'drained', 30_000);
    const clientId = a.core.workflow.outbox.clientId();
    const { rows } = await db.query<{ seq: number; status: string }>("SELECT seq, result->>'status' AS status FROM sync_results WHERE client_id = $1 ORDER BY seq", [clientId]);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: before + 60 }, (_, i) => i + 1));
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
    const { rows: onServer } = await db.query<{ id: string; description: string; version: number }>('SELECT id, description, version FROM tickets WHERE id = ANY($1::text[])', [tickets.map((t) => t.id)]);
    expect(onServer).toHaveLength(30);
    expect(onServer.every((t) => t.version === 2 && t.description.startsWith('edited'))).toBe(true);
  });

  it('splits batches the server refuses as too large (413) and still delivers everything in order', async () => {
    const port = await freePort();
    await server(port, { CALLDESK_SERVER_BODY_LIMIT: '8192' });
    const a = await desktop('alice', port, { batchSize: 100 });
    const before = a.core.workflow.outbox.count(true);
    for (let i = 0; i < 20; i++) createTicket(a.core, `big ${i} ${'x'.repeat(150)}`);
    a.engine.start();
    await until(() => a.engine.status().outboxDepth === 0 && a.engine.status().connection === 'online', 'drained');
    const clientId = a.core.workflow.outbox.clientId();
    const { rows } = await db.query<{ n: number }>('SELECT high_water AS n FROM sync_clients WHERE client_id = $1', [clientId]);
    expect(Number(rows[0]!.n)).toBe(before + 20);
    expect(a.pushErrors).toContain('PAYLOAD_TOO_LARGE');
  });

  it('shows signed-out when the server refuses the session, and keeps the outbox', async () => {
    const port = await freePort();
    await server(port);
    const forged = new TokenSigner('another-secret-another-secret-another-secret', 3600).sign({ id: 'alice', role: 'agent', team: 'red' });
    const a = await desktop('alice', port, { token: forged });
    const before = a.core.workflow.outbox.count(true);
    createTicket(a.core, 'kept');
    a.engine.start();
    await until(() => a.engine.status().connection === 'signed-out', 'signed out');
    expect(a.engine.status().outboxDepth).toBe(before + 1);
    expect(a.core.workflow.outbox.count(true)).toBe(before + 1);
  });
});
