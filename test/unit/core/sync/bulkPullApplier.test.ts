import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import type { LogRecord } from '../../../../electron/core/log/logger';
import { openBulkCustomerWriter, type BulkCustomerWriter } from '../../../../electron/core/sync/bulkCustomerWriter';
import { BulkPullApplier } from '../../../../electron/core/sync/bulkPullApplier';
import { SyncEngine, type SyncServer } from '../../../../electron/core/sync/syncEngine';
import type { Customer } from '../../../../shared/customer/schema';
import type { PullChange, PullResponse } from '../../../../shared/sync/protocol';
import { ticketFixture } from '../../../fakes/fakeWorkflowApi';
import { createTestCore } from '../../../helpers/testCore';
import { serverCustomer as baseServerCustomer, testMirror } from '../../../helpers/testMirror';

// A first sync through the pipelined path the sync module uses: new customers validated once and
// written a page per transaction by a writer thread with its own connection, everything else the
// careful way. The constraints of the slow path still hold: a bad record is refused alone with
// its reason, a local customer with the same code is the same customer, tickets keep their
// customer, and a crash or stop mid-sync resumes without losing or doubling anything.

let core: Core | undefined;
let engines: SyncEngine[] = [];
afterEach(async () => {
  for (const e of engines) await e.stop();
  await core?.close();
  core = undefined;
  engines = [];
});

/** {@link serverCustomer} with one work e-mail (the bulk path writes child rows). */
function serverCustomer(id: number, patch: Partial<Customer> = {}): Customer {
  return baseServerCustomer(id, { emails: [{ address: `c${id}@example.cn`, label: 'work', primary: true }], ...patch });
}

interface Rig {
  core: Core;
  logs: LogRecord[];
  cursor: { value: number; failOnce: number | null };
  writers: number;
  /** A sync engine wired like the sync module's; started. */
  engine: () => SyncEngine;
}

async function rig(changes: PullChange[], pageSize: number): Promise<Rig> {
  const created = await createTestCore();
  core = created.core;
  const c = core;
  const meta = c.repos.meta;
  const mirror = testMirror(c);
  const api: SyncServer = {
    signedIn: true,
    accessToken: null,
    baseUrl: 'http://127.0.0.1:9',
    push: async (clientId) => ({ clientId, highWater: 0, results: [] }),
    pull: async (cursor: number): Promise<PullResponse> => {
      const page = changes.filter((ch) => ch.changeId > cursor).slice(0, pageSize);
      const last = page.at(-1)?.changeId ?? cursor;
      await new Promise((resolve) => setTimeout(resolve, 2));
      // What goes over the wire: JSON, so nothing is shared with the test's objects.
      return JSON.parse(JSON.stringify({ changes: page, cursor: last, latest: changes.at(-1)?.changeId ?? 0, hasMore: last < (changes.at(-1)?.changeId ?? 0) })) as PullResponse;
    },
  };
  const r: Rig = {
    core: c,
    logs: created.logs,
    cursor: { value: 0, failOnce: null },
    writers: 0,
    engine: () => {
      const bulk = new BulkPullApplier({
        customers: c.customers.service,
        meta,
        clock: { now: () => Date.now() },
        logger: c.logger('bulk'),
        applyCareful: (page) => mirror.applyPulled(page),
        openWriter: async (): Promise<BulkCustomerWriter> => {
          r.writers += 1;
          return openBulkCustomerWriter(c.db, c.logger('bulk'));
        },
      });
      const engine = new SyncEngine({
        api,
        outbox: c.workflow.outbox,
        cursor: {
          get: () => r.cursor.value,
          set: (v) => {
            if (r.cursor.failOnce === v) {
              r.cursor.failOnce = null;
              // As if the process died between writing the page and storing the cursor.
              throw new Error('simulated crash before the cursor was stored');
            }
            r.cursor.value = v;
          },
        },
        clock: { now: () => Date.now() },
        logger: c.logger('sync'),
        backoff: { baseMs: 20, maxMs: 20, jitter: 0 },
        applyChanges: (page) => mirror.applyPulled(page),
        applyPage: (page, how) => bulk.applyPage(page, how),
      });
      engines.push(engine);
      engine.start();
      return engine;
    },
  };
  return r;
}

const upsert = (changeId: number, record: unknown): PullChange => ({ changeId, entity: 'customer', id: String((record as { id: unknown }).id), op: 'upsert', record });
const codesFor = (c: Core, query: string) => c.customers.service.search({ query, limit: 50 }).items.map((i) => i.code);
const stored = (c: Core) => c.db.prepare('SELECT count(*) AS n, count(DISTINCT server_id) AS bound FROM customers').get() as { n: number; bound: number };

describe('first sync through the writer thread', { timeout: 90_000 }, () => {
  it('stores every good customer searchable and bound, refuses a bad record alone with its reason, keeps local customers and ticket links', async () => {
    const N = 1500;
    const changes: PullChange[] = [];
    for (let id = 1; id <= N; id++) {
      if (id === 300) changes.push(upsert(id, { ...serverCustomer(id), phones: 'not a list' }));
      else if (id === 301) changes.push(upsert(id, { ...serverCustomer(id), name: '' }));
      else changes.push(upsert(id, serverCustomer(id, id === 1234 ? { name: '欧阳娜娜' } : {})));
    }
    const ticket = { ...ticketFixture({ id: 'tk-bulk-1', customerId: 1400, assignee: 'alice', createdBy: 'alice' }) } as Record<string, unknown>;
    delete ticket.overdue;
    changes.push({ changeId: N + 1, entity: 'ticket', id: 'tk-bulk-1', op: 'upsert', record: ticket });
    const r = await rig(changes, 500);
    // Data that existed before sync (demo data, a bulk load): never pushed, same code as server customer 700.
    r.core.customers.service.createMany([{ code: 'S000700', name: 'Local before sync', phones: [{ raw: '13900000700', label: 'mobile', primary: true }] }]);
    const localId = r.core.customers.service.findByCode('S000700')!.id;

    r.engine();
    await expect.poll(() => r.cursor.value, { timeout: 60_000 }).toBe(N + 1);

    const c = r.core;
    expect(r.writers).toBeGreaterThan(0);
    // The writer ran in its own thread (the in-thread fallback says so in the log).
    expect(r.logs.filter((l) => l.msg.startsWith('bulk writer thread not started'))).toEqual([]);
    expect(stored(c)).toEqual({ n: N - 2, bound: N - 2 });
    expect(codesFor(c, '客户1499')).toEqual(['S001499']);
    expect(codesFor(c, '13900000042')).toEqual(['S000042']);
    expect(codesFor(c, 'oynn')).toEqual(['S001234']);
    expect(c.customers.service.lookupCaller({ number: '+8613900000999' }).matches.map((m) => m.code)).toEqual(['S000999']);
    expect(c.customers.service.get(c.customers.service.localIdOf(999)!).emails[0]!.address).toBe('c999@example.cn');
    // The local customer with the server's code is that customer: bound, with the server's fields.
    expect(c.customers.service.localIdOf(700)).toBe(localId);
    expect(c.customers.service.get(localId).name).toBe('客户700');
    // The bad records: not stored, each logged with what is wrong; their neighbours are.
    expect(c.customers.service.localIdOf(300)).toBeNull();
    expect(c.customers.service.localIdOf(301)).toBeNull();
    expect(c.customers.service.localIdOf(299)).not.toBeNull();
    expect(c.customers.service.localIdOf(302)).not.toBeNull();
    const skipped = r.logs.filter((l) => l.msg === 'pulled change skipped');
    expect(skipped.map((l) => (l.fields as { id: string }).id).sort()).toEqual(['300', '301']);
    expect(skipped.map((l) => String((l.fields as { error: string }).error)).sort()).toEqual([
      expect.stringMatching(/^Invalid customer: name /),
      expect.stringMatching(/^Invalid customer: phones /),
    ]);
    // The ticket after its customer: linked to the local copy.
    expect(c.workflow.tickets.get('tk-bulk-1').ticket.customerId).toBe(c.customers.service.localIdOf(1400));
  });

  it('resumes after a crash between writing a page and storing its cursor: nothing lost, nothing twice', async () => {
    const N = 1200;
    const r = await rig(Array.from({ length: N }, (_, i) => upsert(i + 1, serverCustomer(i + 1))), 400);
    r.cursor.failOnce = 800;
    r.engine();
    await expect.poll(() => r.cursor.value, { timeout: 60_000 }).toBe(N);
    expect(stored(r.core)).toEqual({ n: N, bound: N });
    expect(codesFor(r.core, '客户777')).toEqual(['S000777']);
    expect(r.core.db.prepare('SELECT count(*) AS n FROM customer_search').get()).toEqual({ n: N });
    expect(r.core.db.prepare('SELECT count(*) AS n FROM customer_phones').get()).toEqual({ n: N });
  });

  it('stopped mid-sync, a new session resumes from the stored cursor with every customer once', async () => {
    const N = 3000;
    const r = await rig(Array.from({ length: N }, (_, i) => upsert(i + 1, serverCustomer(i + 1))), 300);
    const first = r.engine();
    await expect.poll(() => r.cursor.value, { timeout: 60_000 }).toBeGreaterThan(0);
    await first.stop();
    const stoppedAt = r.cursor.value;
    expect(stoppedAt).toBeLessThan(N);
    expect(stored(r.core).n).toBeGreaterThanOrEqual(stoppedAt);
    r.engine();
    await expect.poll(() => r.cursor.value, { timeout: 60_000 }).toBe(N);
    expect(stored(r.core)).toEqual({ n: N, bound: N });
    expect(r.core.db.prepare('SELECT count(*) AS n FROM customer_search').get()).toEqual({ n: N });
  });
});
