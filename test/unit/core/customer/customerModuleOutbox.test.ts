import { afterEach, describe, expect, it } from 'vitest';
import { createCustomerModule } from '../../../../electron/core/customer/customerModule';
import type { Core } from '../../../../electron/core/createCore';
import { OutboxAppended } from '../../../../electron/core/outbox/outboxEvents';
import type { Customer } from '../../../../shared/customer/schema';
import type { OutboxEntry } from '../../../../shared/sync/outbox';
import { createFakeNotifier } from '../../../fakes/adapters';
import { createTestCore } from '../../../helpers/testCore';
import { IMPORT_ROWS_PER_TRANSACTION } from '../../../../electron/core/customer/customerCsvService';

// Customer changes reach the outbox in the transaction that makes them (createCore wires it).

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function start() {
  core = (await createTestCore()).core;
  const c = core;
  const entries = (): OutboxEntry[] => c.workflow.outbox.unsent(100_000).filter((e) => e.entity === 'customer');
  const changed: number[] = [];
  c.bus.on(OutboxAppended, (e) => changed.push(e.count));
  return { core: c, service: c.customers.service, entries, changed };
}

describe('customer changes in the outbox', () => {
  it('writes one create entry per new customer: the stored record, no changed fields, entity id = local id', async () => {
    const { service, entries, changed } = await start();
    const saved = service.save({ name: 'Zhang Wei', company: 'Acme', phones: [{ raw: '138 0013 8000' }] });
    const all = entries();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ entity: 'customer', entityId: String(saved.id), operation: 'create', baseVersion: null, sentAt: null });
    expect(all[0]!.payload).toEqual({ record: saved, changed: [], by: null, codeGenerated: true });
    await Promise.resolve();
    expect(changed).toEqual([1]);
  });

  it('puts every field of a new customer in its create entry exactly as stored', async () => {
    const { service, entries } = await start();
    const saved = service.save({
      code: 'FULL-1',
      name: '  Alice Smith ',
      company: 'Globex',
      type: 'company',
      status: 'contracted',
      level: 'gold',
      source: 'referral',
      creditRating: 'AA',
      points: 12,
      ownerId: 'agent-7',
      tags: ['vip', 'vip', 'x'],
      birthday: '--11-24',
      preferredLanguage: 'en-GB',
      preferences: 'after 6pm',
      notes: "O'Brien; DROP TABLE customers;--",
      contactPermissions: { call: true, sms: false, email: true },
      lifetimeValue: 12.5,
      lifecycleStage: 'growth',
      lastContactAt: 1_700_000_000_000,
      phones: [{ raw: '+44 20 7946 0958 ext. 12', label: 'work' }, { raw: '138 0013 8000', primary: true }],
      emails: [{ address: 'a@globex.example' }, { address: 'A@globex.example' }],
      addresses: [{ label: 'billing', line1: '1 High St', city: 'London', country: 'GB' }],
    });
    expect((entries()[0]!.payload as { record: Customer }).record).toEqual(saved);
  });

  it('writes an update entry with exactly the changed fields, a reassignment as an update of ownerId, and nothing for a save that changes nothing', async () => {
    const { service, entries } = await start();
    const saved = service.save({ code: 'K-1', name: 'Li Na', ownerId: 'alice' });
    const edited = service.save({ id: saved.id, revision: saved.revision, code: 'K-1', name: 'Li Na', ownerId: 'alice', company: 'Globex', notes: 'VIP' });
    const moved = service.reassign({ id: saved.id, ownerId: 'bob', changedBy: 'sue', reason: 'holiday' }).customer;
    service.save({ id: moved.id, revision: moved.revision, code: 'K-1', name: 'Li Na', ownerId: 'bob', company: 'Globex', notes: 'VIP' });
    const all = entries();
    expect(all.map((e) => [e.operation, (e.payload as { changed: string[] }).changed])).toEqual([
      ['create', []],
      ['update', ['company', 'notes']],
      ['update', ['ownerId']],
    ]);
    expect((all[1]!.payload as { record: Customer }).record).toEqual(edited);
    expect(all[2]!.payload).toMatchObject({ record: { ownerId: 'bob' }, by: 'sue' });
  });

  it('writes none for demo seeding and for customers adopted from the server', async () => {
    const { core: c, service, entries } = await start();
    const seeded = c.customers.seedDemo(50, { showcase: false });
    expect(seeded).toBe(50);
    const template = service.save({ code: 'TPL', name: 'Template' });
    const before = entries().length;
    const id = service.adoptFromServer({ ...template, id: 777, code: 'SRV-9', name: 'From Server', serverVersion: 3 });
    expect(service.get(id)).toMatchObject({ code: 'SRV-9', name: 'From Server', serverVersion: 3 });
    expect(service.serverIdOf(id)).toBe(777);
    service.adoptFromServer({ ...template, id: 777, code: 'SRV-9', name: 'Renamed On Server', serverVersion: 4 });
    expect(entries().length).toBe(before);
    expect(entries().map((e) => e.entityId)).toEqual([String(template.id)]);
    expect(c.db.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 52 });
  });

  it('writes one entry per imported row in the import transaction; importing the same file again writes none', async () => {
    const { core: c, entries, changed } = await start();
    const rows = Array.from({ length: 1200 }, (_, i) => `IMP-${i},Customer ${i},1380013${String(i).padStart(4, '0')}`);
    const csv = Buffer.from(`code,name,mobile\n${rows.join('\n')}\n`, 'utf8');
    const t0 = performance.now();
    const report = await c.customers.csv.importBytes(csv);
    console.log(`[customer outbox] imported ${report.created} rows with outbox entries in ${Math.round(performance.now() - t0)} ms`);
    expect(report).toMatchObject({ created: 1200, rejected: 0 });
    expect(entries()).toHaveLength(1200);
    expect(entries().every((e) => e.operation === 'create')).toBe(true);
    expect(changed.reduce((a, b) => a + b, 0)).toBe(1200);
    // One notification per import transaction, never one per row.
    expect(changed.length).toBeLessThanOrEqual(Math.ceil(1200 / IMPORT_ROWS_PER_TRANSACTION));
    expect((await c.customers.csv.importBytes(csv)).updated).toBe(1200);
    expect(entries()).toHaveLength(1200);
  });

  it('commits the outbox entry with the change: a failing hook after it leaves neither', async () => {
    const made = await createTestCore();
    core = made.core;
    const c = made.core;
    const outbox = c.repos.outbox;
    const broken = createCustomerModule({
      repository: c.repos.customers,
      settings: c.settings,
      clock: { now: () => Date.now() },
      events: c.events,
      notifier: createFakeNotifier(),
      logger: c.logger('test'),
      outbox,
      onChange: () => {
        throw new Error('disk full');
      },
    });
    expect(() => broken.service.save({ code: 'GONE', name: 'Never Stored' })).toThrow('disk full');
    expect(broken.service.findByCode('GONE')).toBeNull();
    expect(outbox.forEntity('customer', '1')).toEqual([]);
    expect(outbox.unsent(1000).filter((e) => e.entity === 'customer')).toEqual([]);
  });
});
