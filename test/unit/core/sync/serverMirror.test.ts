import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import { MetaStore } from '../../../../electron/core/store/metaStore';
import { DEFERRED_CUSTOMERS_KEY } from '../../../../electron/core/sync/serverMirror';
import type { Customer } from '../../../../shared/customer/schema';
import type { MutationResult, SyncMutation } from '../../../../shared/sync/protocol';
import { createTestCore } from '../../../helpers/testCore';
import { testMirror } from '../../../helpers/testMirror';

// The customer parts of the mirror: id translation at the wire, binding push answers to the local
// customer that made the change, and never merging two different customers by code.

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function start() {
  core = (await createTestCore()).core;
  const c = core;
  const meta = new MetaStore(c.db);
  const mirror = testMirror(c);
  const service = c.customers.service;
  const customerEntries = () => c.workflow.outbox.unsent(10_000).filter((e) => e.entity === 'customer');
  /** A customer as the server would send it. */
  const server = (base: Customer, serverId: number, patch: Partial<Customer> = {}): Customer => ({ ...base, id: serverId, serverVersion: 1, revision: 0, ...patch });
  const answer = (local: number, status: MutationResult['status'], record?: Customer): MutationResult => ({ seq: 1, entity: 'customer', entityId: String(local), status, ...(record ? { record, version: record.serverVersion ?? 1 } : {}) });
  const pulled = (record: Customer, changeId = 1) => ({ changeId, entity: 'customer' as const, id: String(record.id), op: 'upsert' as const, record });
  /** A push answer as the engine hands it over: after marking the pushed entries sent. */
  const answered = (results: MutationResult[]) => {
    c.workflow.outbox.markSentThrough(Number.MAX_SAFE_INTEGER);
    mirror.adoptResults(results);
  };
  return { core: c, meta, mirror, service, customerEntries, server, answer, pulled, answered };
}

describe('ServerMirror: customers', () => {
  it('puts the server id next to the record on the wire and keeps the local id in the record', async () => {
    const { mirror, service, customerEntries, answer, server } = await start();
    const local = service.save({ code: 'W-1', name: 'Wire' });
    const entry = customerEntries()[0]!;
    const m: SyncMutation = { ...entry };
    expect(mirror.outgoing(m).payload).toMatchObject({ serverId: null, record: { id: local.id } });
    mirror.adoptResults([answer(local.id, 'applied', server(local, 4242))]);
    expect(mirror.outgoing(m).payload).toMatchObject({ serverId: 4242, record: { id: local.id } });
  });

  it('binds a create answer to the local customer that made it and adopts a code the server chose, without outbox rows', async () => {
    const { service, customerEntries, answer, server, answered } = await start();
    const local = service.save({ name: 'Generated Code' });
    expect(local.code).toBe('C00000001');
    const depth = customerEntries().length;
    answered([answer(local.id, 'applied', server(local, 900, { code: 'S00000900' }))]);
    expect(service.get(local.id)).toMatchObject({ code: 'S00000900', serverVersion: 1, name: 'Generated Code' });
    expect(service.serverIdOf(local.id)).toBe(900);
    expect(customerEntries()).toHaveLength(0);
    expect(depth).toBe(1);
  });

  it('adopts an equal answer without a new revision, so an open editor can still save', async () => {
    const { service, answer, server, answered } = await start();
    const local = service.save({ code: 'E-1', name: 'Editor Open' });
    answered([answer(local.id, 'applied', server(local, 77, { serverVersion: 5 }))]);
    expect(service.get(local.id)).toMatchObject({ revision: local.revision, serverVersion: 5 });
    expect(() => service.save({ id: local.id, revision: local.revision, code: 'E-1', name: 'Editor Saved' })).not.toThrow();
  });

  it('never merges a pulled customer into a different local one with the same code: it waits until the code is free', async () => {
    const { core: c, meta, mirror, service, answer, server, pulled, answered } = await start();
    const mine = service.save({ name: 'Mine, Made Here' });
    const theirs = server(mine, 50, { name: 'Theirs, From Another Desktop', notes: 'other' });
    mirror.applyPulled([pulled(theirs)]);
    expect(service.get(mine.id)).toMatchObject({ name: 'Mine, Made Here', code: 'C00000001' });
    expect(service.localIdOf(50)).toBeNull();
    expect(meta.getJson<Customer[]>(DEFERRED_CUSTOMERS_KEY, []).map((x) => x.id)).toEqual([50]);

    // The server gives my customer a code of its own; the deferred one is stored right after.
    answered([answer(mine.id, 'applied', server(mine, 51, { code: 'S00000051' }))]);
    const theirsLocal = service.localIdOf(50)!;
    expect(theirsLocal).not.toBe(mine.id);
    expect(service.get(theirsLocal)).toMatchObject({ code: 'C00000001', name: 'Theirs, From Another Desktop' });
    expect(service.get(mine.id)).toMatchObject({ code: 'S00000051', name: 'Mine, Made Here' });
    expect(meta.getJson<Customer[]>(DEFERRED_CUSTOMERS_KEY, [])).toEqual([]);
    expect(c.db.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 2 });
  });

  it('keeps a refused create apart: a rejected answer binds nothing, even with a record', async () => {
    const { mirror, service, answer, server } = await start();
    const mine = service.save({ code: 'TAKEN-1', name: 'Typed Code' });
    mirror.adoptResults([{ ...answer(mine.id, 'rejected'), reason: 'exists', message: 'taken' }]);
    mirror.adoptResults([{ ...answer(mine.id, 'rejected', server(mine, 31, { name: 'Another Customer' })), reason: 'exists' }]);
    expect(service.serverIdOf(mine.id)).toBeNull();
    expect(service.get(mine.id)).toMatchObject({ code: 'TAKEN-1', name: 'Typed Code' });
  });

  it('reverts a refused reassignment to the server record the answer carries', async () => {
    const { service, answer, server, answered, customerEntries } = await start();
    const mine = service.save({ code: 'R-1', name: 'Owned', ownerId: 'alice' });
    answered([answer(mine.id, 'applied', server(mine, 40))]);
    const moved = service.reassign({ id: mine.id, ownerId: 'carol', changedBy: 'alice' }).customer;
    expect(moved.ownerId).toBe('carol');
    answered([{ ...answer(mine.id, 'rejected', server(mine, 40)), reason: 'forbidden' }]);
    expect(service.get(mine.id).ownerId).toBe('alice');
    expect(customerEntries()).toHaveLength(0);
  });

  it('matches by code a local customer that was never pushed (data from before sync) and binds it', async () => {
    const { mirror, service, server, pulled, customerEntries } = await start();
    service.createMany([{ code: 'OLD-1', name: 'Seeded Locally' }]);
    const seeded = service.findByCode('OLD-1')!;
    mirror.applyPulled([pulled(server(seeded, 60, { name: 'Seeded, Server Copy' }))]);
    expect(service.localIdOf(60)).toBe(seeded.id);
    expect(service.get(seeded.id).name).toBe('Seeded, Server Copy');
    expect(customerEntries()).toHaveLength(0);
  });

  it('does not overwrite a customer whose local change still waits in the outbox; the push answer brings the server state', async () => {
    const { mirror, service, server, pulled, answer, answered } = await start();
    const local = service.save({ code: 'P-1', name: 'Pending' });
    answered([answer(local.id, 'applied', server(local, 70))]);
    const edited = service.save({ id: local.id, code: 'P-1', name: 'Pending', notes: 'my unsent note' });
    mirror.applyPulled([pulled(server(local, 70, { serverVersion: 2, company: 'Changed Elsewhere' }))]);
    expect(service.get(local.id)).toMatchObject({ notes: 'my unsent note', company: '' });
    answered([answer(local.id, 'applied', server(edited, 70, { serverVersion: 3, company: 'Changed Elsewhere' }))]);
    expect(service.get(local.id)).toMatchObject({ notes: 'my unsent note', company: 'Changed Elsewhere', serverVersion: 3 });
  });
});
