import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import type { Customer } from '../../../../shared/customer/schema';
import type { CustomerInsight } from '../../../../shared/insight/record';
import { createTestCore } from '../../../helpers/testCore';
import { testMirror } from '../../../helpers/testMirror';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

/** An insight as the server sends it (customerId = the server's id). */
function insight(serverId: number, patch: Partial<CustomerInsight> = {}): CustomerInsight {
  return {
    customerId: serverId, orderCount: 7, totalSpend: 4321.5, firstPurchaseAt: Date.UTC(2024, 0, 5), lastPurchaseAt: Date.UTC(2026, 10, 20),
    r: 5, f: 4, m: 5, segment: 'champions', abc: 'A', clv: 8539.07, lifecycle: 'growth', lifecycleManual: null,
    overdueAmount: 0, overdueSince: null, dueOrders: 0, lateOrders: 0, monthly: [['2026-10', 300], ['2026-11', 120.5]],
    recentOrders: [{ at: Date.UTC(2026, 10, 20), amount: 120.5, product: '路由器', category: null, channel: 'web' }], computedAt: Date.UTC(2026, 11, 1),
    ...patch,
  };
}

describe('customer insight on the desktop (pulled from the server)', () => {
  it('stores a pulled insight, serves it for the local customer (insight:get) offline, and drops it on remove', async () => {
    core = (await createTestCore()).core;
    const mirror = testMirror(core);
    const template = core.customers.service.save({ code: 'TEMPLATE', name: '王芳' });
    const server: Customer = { ...template, code: 'INS-1', id: 777, serverVersion: 1, revision: 0 };
    // The insight may come before its customer in a pull.
    mirror.applyPulled([{ changeId: 10, entity: 'insight', id: '777', op: 'upsert', record: insight(777) }]);
    mirror.applyPulled([{ changeId: 11, entity: 'customer', id: '777', op: 'upsert', record: server }]);
    const local = { id: core.customers.service.localIdOf(777)! };
    expect(local.id).toBeGreaterThan(0);
    const got = await core.dispatcher.invoke('insight:get', { customerId: local.id }, { transport: 'ws' });
    expect(got).toEqual({ ok: true, value: { insight: { ...insight(777), customerId: local.id } } });
    mirror.applyPulled([{ changeId: 12, entity: 'insight', id: '777', op: 'upsert', record: insight(777, { segment: 'at-risk', r: 2 }) }]);
    expect(core.repos.insight.forLocalCustomer(local.id)).toMatchObject({ segment: 'at-risk', r: 2 });
    mirror.applyPulled([{ changeId: 13, entity: 'insight', id: '777', op: 'remove' }]);
    expect(await core.dispatcher.invoke('insight:get', { customerId: local.id }, { transport: 'ws' })).toEqual({ ok: true, value: { insight: null } });
  });

  it('skips a malformed insight alone and keeps the rest of the page', async () => {
    core = (await createTestCore()).core;
    const mirror = testMirror(core);
    const t = core.customers.service.save({ code: 'TEMPLATE', name: 'A' });
    mirror.applyPulled([{ changeId: 1, entity: 'customer', id: '1', op: 'upsert', record: { ...t, code: 'INS-A', id: 1, serverVersion: 1, revision: 0 } }]);
    const a = { id: core.customers.service.localIdOf(1)! };
    mirror.applyPulled([
      { changeId: 2, entity: 'insight', id: '1', op: 'upsert', record: { ...insight(1), segment: 'nonsense' } },
      { changeId: 3, entity: 'insight', id: '2', op: 'upsert', record: insight(2) },
    ]);
    expect(core.repos.insight.forLocalCustomer(a.id)).toBeNull();
    expect(core.db.prepare('SELECT server_customer_id FROM customer_insight').all()).toEqual([{ server_customer_id: 2 }]);
  });
});
