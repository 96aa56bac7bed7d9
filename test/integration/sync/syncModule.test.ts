import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/createCore';
import { REFRESH_TOKEN_SECRET } from '../../../electron/core/sync/syncModule';
import type { SyncState } from '../../../shared/sync/api';
import { ticketCreateSchema, ticketUpdateSchema } from '../../../shared/ticket/ticket';
import type { createMemorySecretStore } from '../../fakes/adapters';
import { call, TEST_SECRET } from '../../helpers/serverHarness';
import { startServerProcess } from '../../helpers/serverProcess';
import { invoke, startSyncRig, type SyncRig } from '../../helpers/syncRig';
import { until } from '../../helpers/wait';

// The sync domain of a whole desktop core (sign-in, engine, mirror, central settings) against a
// real server process on a real PostgreSQL.

let rig: SyncRig;
const base = () => rig.base;
const desktop = (secrets?: ReturnType<typeof createMemorySecretStore>, dataDir?: string, env?: Record<string, string>) =>
  rig.desktop({ ...(secrets ? { secrets } : {}), ...(dataDir ? { dataDir } : {}), ...(env ? { env } : {}) });
const startServer = () => rig.startServer();
const stopServer = () => rig.stopServer();
const syncState = (core: Core) => core.sync.state();

beforeAll(async () => {
  rig = await startSyncRig();
});

afterEach(async () => {
  await rig.closeDesktops();
  if (!rig.serverRunning()) await rig.startServer();
});

afterAll(async () => {
  await rig?.stop();
});

describe('desktop sync module against a real server', () => {
  it('refuses a wrong password with UNAUTHORIZED, signs in with the right one and keeps only the refresh token, in the keychain', async () => {
    const a = await desktop();
    expect(syncState(a.core).connection).toBe('disabled');
    await expect(invoke(a.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'wrong-password' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(invoke(a.core, 'sync:sign-in', { url: 'ftp://nowhere', username: 'alice', password: 'x' })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    const signedIn = await invoke<SyncState>(a.core, 'sync:sign-in', { url: base() + '/', username: 'alice', password: 'password-123' });
    expect(signedIn).toMatchObject({ serverUrl: base(), user: { id: 'alice', role: 'agent' } });
    await until(() => syncState(a.core).connection === 'online' && syncState(a.core).realtime, 'online with the real-time channel');
    expect(a.secrets.data.get(REFRESH_TOKEN_SECRET)).toMatch(/.{20,}/);
    const metaDump = JSON.stringify(a.core.db.prepare('SELECT * FROM meta').all());
    expect(metaDump).not.toContain(a.secrets.data.get(REFRESH_TOKEN_SECRET)!);
    expect(a.states.at(-1)?.connection).toBe('online');

    // A restart signs in again with the stored refresh token, without the password.
    await a.close();
    const again = await desktop(a.secrets, a.dataDir);
    await until(() => syncState(again.core).connection === 'online', 'online after restart');
    expect(syncState(again.core).user?.id).toBe('alice');

    const out = await invoke<SyncState>(again.core, 'sync:sign-out', null);
    expect(out).toMatchObject({ connection: 'signed-out', user: null });
    expect(again.secrets.data.has(REFRESH_TOKEN_SECRET)).toBe(false);

    // An address fixed by the environment (or policy) is not replaced by the one typed at sign-in.
    const fixed = await desktop(undefined, undefined, { CALLDESK_SERVER_URL: 'https://calldesk.example.com' });
    await expect(invoke(fixed.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'password-123' })).rejects.toMatchObject({ code: 'SETTING_LOCKED' });
    expect(syncState(fixed.core)).toMatchObject({ connection: 'signed-out', serverUrl: 'https://calldesk.example.com', user: null });
  });

  it('A creates a ticket while the server is down; after restart A drains and B has it in its local store, without outbox rows of its own', async () => {
    const a = await desktop();
    const b = await desktop();
    await invoke(a.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'password-123' });
    await invoke(b.core, 'sync:sign-in', { url: base(), username: 'bob', password: 'password-123' });
    await until(() => syncState(a.core).connection === 'online' && syncState(b.core).connection === 'online', 'both online');

    await stopServer();
    await until(() => syncState(a.core).connection === 'offline', 'A offline');
    const ticket = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'complaint', priority: 'P2', subject: "Offline O'Brien; DROP TABLE tickets;--", description: 'made offline' }));
    expect(ticket.createdBy).toBe('alice');
    await until(() => syncState(a.core).outboxDepth >= 1, 'A outbox depth shown');
    const bOutbox = b.core.workflow.outbox.count();

    await startServer();
    await until(() => syncState(a.core).connection === 'online' && syncState(a.core).outboxDepth === 0, 'A drained', 30_000);
    const aOnline = performance.now();
    await until(() => b.core.workflow.tickets.list({ view: 'open', limit: 100, offset: 0 }).items.some((t) => t.id === ticket.id), 'B has the ticket', 30_000);
    console.log(`[sync] B had A's ticket ${Math.round(performance.now() - aOnline)} ms after A drained`);
    const onB = b.core.workflow.tickets.get(ticket.id).ticket;
    expect(onB).toMatchObject({ subject: "Offline O'Brien; DROP TABLE tickets;--", createdBy: 'alice', assignee: 'alice', status: 'new', version: 1 });
    expect(b.core.db.prepare('SELECT server_version FROM tickets WHERE id = ?').get(ticket.id)).toEqual({ server_version: 1 });
    expect(b.core.workflow.outbox.count()).toBe(bOutbox);

    // B changes the subject; A changes the description at the same base: both end equal, each field kept.
    b.core.workflow.tickets.update(ticketUpdateSchema.parse({ id: ticket.id, version: onB.version, changes: { subject: 'Subject by Bob' } }));
    const onA = a.core.workflow.tickets.get(ticket.id).ticket;
    a.core.workflow.tickets.update(ticketUpdateSchema.parse({ id: ticket.id, version: onA.version, changes: { description: 'Description by Alice' } }));
    await until(() => {
      const x = a.core.workflow.tickets.get(ticket.id).ticket;
      const y = b.core.workflow.tickets.get(ticket.id).ticket;
      return x.subject === 'Subject by Bob' && y.description === 'Description by Alice' && x.description === y.description;
    }, 'both desktops converge', 30_000);
  });

  it('two agents change the same field offline: one wins, the other is told which field the server kept, and both end equal with the change in their history', async () => {
    const a = await desktop();
    const b = await desktop();
    const notices: Array<{ who: string; kind: string; fields: string[] }> = [];
    a.core.events.on('sync:notice', (n) => notices.push({ who: 'alice', kind: n.kind, fields: n.fields }));
    b.core.events.on('sync:notice', (n) => notices.push({ who: 'bob', kind: n.kind, fields: n.fields }));
    await invoke(a.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'password-123' });
    await invoke(b.core, 'sync:sign-in', { url: base(), username: 'bob', password: 'password-123' });
    const ticket = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject: 'Original subject' }));
    await until(() => b.core.workflow.tickets.list({ view: 'open', limit: 100, offset: 0 }).items.some((t) => t.id === ticket.id), 'B has the ticket');

    await stopServer();
    await until(() => syncState(a.core).connection === 'offline' && syncState(b.core).connection === 'offline', 'both offline');
    const edit = (core: Core, subject: string) => {
      const t = core.workflow.tickets.get(ticket.id).ticket;
      core.workflow.tickets.update(ticketUpdateSchema.parse({ id: ticket.id, version: t.version, changes: { subject } }));
    };
    edit(a.core, 'Subject by Alice');
    edit(b.core, 'Subject by Bob');
    await startServer();
    await until(() => {
      const x = a.core.workflow.tickets.get(ticket.id).ticket.subject;
      return x !== 'Original subject' && x === b.core.workflow.tickets.get(ticket.id).ticket.subject && syncState(a.core).outboxDepth === 0 && syncState(b.core).outboxDepth === 0;
    }, 'both equal', 30_000);
    const final = a.core.workflow.tickets.get(ticket.id).ticket.subject;
    const loser = final === 'Subject by Alice' ? 'bob' : 'alice';
    expect(notices).toEqual([{ who: loser, kind: 'conflict', fields: ['subject'] }]);
    const loserCore = loser === 'alice' ? a.core : b.core;
    const serverEntry = loserCore.workflow.tickets.get(ticket.id).history.find((h) => h.by === 'server');
    expect(serverEntry?.changes).toEqual([{ field: 'subject', from: loser === 'alice' ? 'Subject by Alice' : 'Subject by Bob', to: final }]);
  });

  it('tells an agent when a team-mate assigns a ticket to them, and not about their own new tickets', async () => {
    const a = await desktop();
    const b = await desktop();
    const notices: Array<{ kind: string; subject: string | null }> = [];
    a.core.events.on('sync:notice', (n) => notices.push({ kind: n.kind, subject: n.subject }));
    await invoke(a.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'password-123' });
    await invoke(b.core, 'sync:sign-in', { url: base(), username: 'bob', password: 'password-123' });
    await until(() => syncState(a.core).realtime && syncState(b.core).realtime, 'both on the real-time channel');
    a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject: "Alice's own" }));
    const t = b.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'complaint', subject: 'Handed to Alice' }));
    await until(() => syncState(b.core).outboxDepth === 0 && syncState(a.core).outboxDepth === 0, 'both pushed');
    b.core.workflow.tickets.update(ticketUpdateSchema.parse({ id: t.id, version: b.core.workflow.tickets.get(t.id).ticket.version, changes: { assignee: 'alice' } }));
    await until(() => notices.length > 0, 'the assignment notice');
    expect(notices).toEqual([{ kind: 'assigned', subject: 'Handed to Alice' }]);
    await until(() => a.core.workflow.tickets.list({ view: 'my-open', limit: 100, offset: 0 }).items.some((x) => x.id === t.id), "in Alice's open tickets");
  });

  it('moving to another server sends that server the whole history, from sequence 1', async () => {
    const a = await desktop();
    await invoke(a.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'password-123' });
    const first = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject: 'Made on the first server' }));
    await until(() => syncState(a.core).connection === 'online' && syncState(a.core).outboxDepth === 0, 'drained to the first server');

    // A second server (embedded PostgreSQL) with only its bootstrap admin.
    const other = await startServerProcess({ CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_SERVER_ADMIN_PASSWORD: 'admin-password-1' });
    try {
      await invoke(a.core, 'sync:sign-in', { url: other.url, username: 'admin', password: 'admin-password-1' });
      await until(() => syncState(a.core).connection === 'online' && syncState(a.core).outboxDepth === 0, 'drained to the second server', 30_000);
      const login = await call(other.url, 'POST', '/auth/login', { body: { username: 'admin', password: 'admin-password-1' } });
      const got = await call(other.url, 'GET', `/tickets/${first.id}`, { token: login.body.accessToken as string });
      expect(got.status).toBe(200);
      expect(JSON.stringify(got.body)).toContain('Made on the first server');
    } finally {
      await other.kill();
    }
  });

  it('applies central settings as a locked layer and mirrors the customer directory with its own ids', async () => {
    const login = await call(base(), 'POST', '/auth/login', { body: { username: 'root', password: 'password-123' } });
    const admin = login.body.accessToken as string;
    const dispositions = [{ code: 'central', label: 'Central', dispositions: [{ code: 'central-sale' }, { code: 'central-callback' }] }];
    expect((await call(base(), 'PUT', '/admin/config/wrapup.dispositions', { token: admin, body: { value: dispositions } })).status).toBe(200);
    const csv = 'code,name,mobile,ownerId\nSRV-1,Wang Wu,13800138001,alice\nSRV-2,Zhao Liu,13800138002,alice\n';
    const imported = await call(base(), 'POST', '/admin/customers/import', { token: admin, body: { csv } });
    expect(imported.body).toMatchObject({ created: 2 });

    const a = await desktop();
    // A local customer first, so local and server ids differ.
    a.core.customers.service.save({ name: 'Local Only', phones: [{ raw: '13900000000', label: 'mobile', primary: true }] });
    await invoke(a.core, 'sync:sign-in', { url: base(), username: 'alice', password: 'password-123' });
    await until(() => a.core.settings.snapshot().entries.find((e) => e.key === 'wrapup.dispositions')?.source === 'server', 'central dispositions');
    const entry = a.core.settings.snapshot().entries.find((e) => e.key === 'wrapup.dispositions')!;
    expect(entry).toMatchObject({ value: dispositions, locked: true });
    expect(() => a.core.settings.set('wrapup.dispositions', [])).toThrow(/central server/);

    await until(() => a.core.customers.service.findByCode('SRV-2') !== null, 'customers pulled');
    const wang = a.core.customers.service.findByCode('SRV-1')!;
    expect(wang).toMatchObject({ name: 'Wang Wu', ownerId: 'alice' });
    const serverWang = (await rig.db.query<{ id: number }>("SELECT id FROM customers WHERE code = 'SRV-1'")).rows[0]!.id;
    expect(a.core.customers.service.serverIdOf(wang.id)).toBe(Number(serverWang));

    // A ticket on a local customer id reaches the server with the server's id for that customer.
    const t = a.core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', subject: 'About Wang', customerId: wang.id }));
    await until(() => syncState(a.core).outboxDepth === 0, 'ticket pushed');
    const onServer = (await rig.db.query<{ customer_id: number }>('SELECT customer_id FROM tickets WHERE id = $1', [t.id])).rows[0]!;
    expect(Number(onServer.customer_id)).toBe(Number(serverWang));
    expect(a.core.workflow.tickets.get(t.id).ticket.customerId).toBe(wang.id);
  });
});
