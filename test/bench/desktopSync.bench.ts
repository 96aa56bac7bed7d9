import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/createCore';
import { MetaStore } from '../../electron/core/store/metaStore';
import { ServerMirror } from '../../electron/core/sync/serverMirror';
import type { Customer } from '../../shared/customer/schema';
import type { PullChange } from '../../shared/sync/protocol';
import { customerFixture } from '../fakes/fakeCustomerApi';
import { createTestCore } from '../helpers/testCore';
import { report, summarise } from './harness';

// The desktop half of a first sync: pulled pages of customers written into the local SQLite
// (validation, phone normalisation, search index, server-id mapping) by the server mirror. The
// server half (reading 1M customers out of PostgreSQL over HTTP) is in server.bench.ts.
const COUNT = Number(process.env.CALLDESK_BENCH_SYNC_CUSTOMERS ?? 200_000);
const PAGE = 1000;

let core: Core;
let mirror: ServerMirror;

function serverCustomer(i: number): Customer {
  const mobile = `139${String(10_000_000 + i).slice(-8)}`;
  return customerFixture({
    id: i,
    code: `S${String(i).padStart(8, '0')}`,
    name: `客户${i}`,
    company: `公司${i % 5000}`,
    ownerId: `agent${i % 50}`,
    serverVersion: 1,
    revision: 0,
    phones: [{ raw: mobile, e164: `+86${mobile}`, extension: null, label: 'mobile', primary: true }],
    emails: [{ address: `c${i}@example.cn`, label: 'work', primary: true }],
  });
}

beforeAll(async () => {
  ({ core } = await createTestCore());
  mirror = new ServerMirror({
    db: core.db,
    meta: new MetaStore(core.db),
    outbox: core.workflow.outbox,
    customers: core.customers.service,
    clock: { now: () => Date.now() },
    logger: core.logger('bench'),
    applyConfig: () => undefined,
    onTicket: () => undefined,
    onTask: () => undefined,
  });
});

afterAll(async () => {
  await core?.close();
});

describe('desktop first sync', () => {
  it(`writes ${COUNT} pulled customers in pages of ${PAGE}`, () => {
    const pageMs: number[] = [];
    const t0 = performance.now();
    for (let start = 1; start <= COUNT; start += PAGE) {
      const changes: PullChange[] = [];
      for (let i = start; i < start + PAGE && i <= COUNT; i++) changes.push({ changeId: i, entity: 'customer', id: String(i), op: 'upsert', record: serverCustomer(i) });
      const p0 = performance.now();
      mirror.applyPulled(changes);
      pageMs.push(performance.now() - p0);
    }
    const totalS = (performance.now() - t0) / 1000;
    report(summarise(`apply one pulled page (${PAGE} customers)`, pageMs));
    const rate = COUNT / totalS;
    console.log(`BENCH desktop first sync: ${COUNT} customers written in ${totalS.toFixed(1)} s = ${Math.round(rate)} customers/s; 1M at this rate: ${(1_000_000 / rate).toFixed(0)} s`);
    expect(core.customers.service.findByCode(`S${String(COUNT).padStart(8, '0')}`)?.name).toBe(`客户${COUNT}`);
    expect(core.workflow.outbox.count()).toBeLessThan(5);
  });
});
