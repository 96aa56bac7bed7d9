import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/createCore';
import type { SyncNotice } from '../../../shared/sync/api';
import { ticketCreateSchema } from '../../../shared/ticket/ticket';
import { tempDataDir } from '../../helpers/hostProcess';
import { interactionRecord } from '../../helpers/syncFixtures';
import { signIn, startSyncRig, type SyncRig } from '../../helpers/syncRig';
import { until } from '../../helpers/wait';

// Whole desktop cores against the server process on a real PostgreSQL: a poison record in the
// outbox does not hold back the changes behind it, and a client id shared by two desktops (a
// second user, a copied profile) never makes the server drop one desktop's changes as replays.

let rig: SyncRig;

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

const newTicket = (core: Core, subject: string) => core.workflow.tickets.create(ticketCreateSchema.parse({ type: 'inquiry', priority: 'P3', subject, description: '' }));
const onServer = async (id: string) => (await rig.db.query<{ subject: string }>('SELECT subject FROM tickets WHERE id = $1', [id])).rows[0]?.subject ?? null;
const drained = (core: Core) => core.sync.state().connection === 'online' && core.sync.state().outboxDepth === 0;

describe('a poison record in the outbox', () => {
  it('is refused alone with a reason the agent is shown, and the changes queued behind it reach the server', async () => {
    const a = await rig.desktop();
    const notices: SyncNotice[] = [];
    a.core.events.on('sync:notice', (n) => notices.push(n));
    // Written by an older desktop, or by a path that never went through the contract.
    const poison = interactionRecord({ agentId: 'alice', notes: 'pasted \u0000 binary \ud800', occurredAt: 1e308 });
    a.core.db.transaction(() => a.core.workflow.outbox.append({ entity: 'interaction', entityId: poison.id, operation: 'create', baseVersion: null, payload: { record: poison } }))();
    const behind = newTicket(a.core, 'Queued behind the poison record');
    await signIn(rig, a.core, 'alice');
    await until(() => drained(a.core), 'outbox drained', 30_000);
    expect(await onServer(behind.id)).toBe('Queued behind the poison record');
    expect(notices).toContainEqual(expect.objectContaining({ kind: 'rejected', entity: 'interaction', id: poison.id, reason: 'invalid' }));
    expect(a.core.sync.state().lastError).toBeNull();
  });
});

describe('one client id, two desktops', () => {
  it('a second user on a copied profile gets a client id of their own; nothing either desktop made is lost', async () => {
    const a = await rig.desktop();
    await signIn(rig, a.core, 'alice');
    const t1 = newTicket(a.core, 'Alice before the copy');
    await until(() => drained(a.core), 'A drained');
    const clientId = a.core.workflow.outbox.clientId();
    await a.close();
    const copyDir = tempDataDir('sync-copy-');
    fs.cpSync(a.dataDir, copyDir, { recursive: true });

    const b = await rig.desktop({ dataDir: copyDir });
    expect(b.core.workflow.outbox.clientId()).toBe(clientId);
    await signIn(rig, b.core, 'bob');
    const t2 = newTicket(b.core, 'Bob on the copied profile');
    await until(() => drained(b.core), 'B drained', 30_000);
    expect(await onServer(t2.id)).toBe('Bob on the copied profile');
    expect(b.core.workflow.outbox.clientId()).not.toBe(clientId);

    const a2 = await rig.desktop({ secrets: a.secrets, dataDir: a.dataDir });
    await until(() => a2.core.sync.state().connection === 'online', 'A back online');
    const t3 = newTicket(a2.core, 'Alice after the copy');
    await until(() => drained(a2.core), 'A drained again', 30_000);
    expect(a2.core.workflow.outbox.clientId()).toBe(clientId);
    expect([await onServer(t1.id), await onServer(t3.id)]).toEqual(['Alice before the copy', 'Alice after the copy']);
  });

  it('the same user on a copied profile: both desktops change things offline under the same numbers, and every change arrives once', async () => {
    const a = await rig.desktop();
    await signIn(rig, a.core, 'alice');
    newTicket(a.core, 'Before the copy');
    await until(() => drained(a.core), 'A drained');
    const clientId = a.core.workflow.outbox.clientId();
    await rig.stopServer();
    // Copied with a change not yet sent: both desktops will send it, under the same number.
    const shared = newTicket(a.core, 'Unsent when copied');
    await a.close();
    const copyDir = tempDataDir('sync-copy-');
    fs.cpSync(a.dataDir, copyDir, { recursive: true });

    const a2 = await rig.desktop({ secrets: a.secrets, dataDir: a.dataDir });
    const b = await rig.desktop({ dataDir: copyDir });
    const onA = [newTicket(a2.core, 'Original 1'), newTicket(a2.core, 'Original 2')];
    const onB = [newTicket(b.core, 'Copy 1'), newTicket(b.core, 'Copy 2'), newTicket(b.core, 'Copy 3')];
    // Both numbered their changes 2, 3, ... under the same client id.
    const seqs = (core: Core) => core.workflow.outbox.unsent(10).map((e) => [e.clientId, e.seq]);
    const first = seqs(a2.core)[0];
    expect(first?.[0]).toBe(clientId);
    expect(seqs(b.core)[0]).toEqual(first);
    expect(a2.core.workflow.outbox.unsent(1)[0]!.entityId).toBe(shared.id);

    const notices: SyncNotice[] = [];
    for (const d of [a2, b]) d.core.events.on('sync:notice', (n) => notices.push(n));
    await rig.startServer();
    await signIn(rig, b.core, 'alice');
    await until(() => drained(a2.core) && drained(b.core), 'both drained', 60_000);
    for (const t of [shared, ...onA, ...onB]) expect(await onServer(t.id)).toBe(t.subject);
    const { rows } = await rig.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket_history WHERE action = 'created' AND ticket_id = ANY($1::text[])", [[shared, ...onA, ...onB].map((t) => t.id)]);
    expect(rows[0]!.n).toBe(6);
    // The shared change was answered to both as the one change it is: no conflict or refusal shown.
    expect(notices.filter((n) => n.kind !== 'assigned')).toEqual([]);
    // Both bound it to the server's version (the copy adopted the answer the server kept for it).
    for (const d of [a2, b]) expect(d.core.db.prepare('SELECT server_version FROM tickets WHERE id = ?').get(shared.id)).toEqual({ server_version: 1 });
    // Exactly one of them kept the old client id.
    expect([a2.core.workflow.outbox.clientId(), b.core.workflow.outbox.clientId()].filter((c) => c === clientId)).toHaveLength(1);
  });
});
