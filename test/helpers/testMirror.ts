import type { Core } from '../../electron/core/createCore';
import { ServerMirror } from '../../electron/core/sync/serverMirror';
import type { Customer } from '../../shared/customer/schema';
import { customerFixture } from '../fakes/fakeCustomerApi';

/** A server mirror over a test core's own repositories, wired like the sync module's (no config, no events). */
export function testMirror(c: Core): ServerMirror {
  return new ServerMirror({
    db: c.db,
    meta: c.repos.meta,
    outbox: c.workflow.outbox,
    tickets: c.repos.tickets,
    tasks: c.repos.tasks,
    insight: c.repos.insight,
    customers: c.customers.service,
    clock: { now: () => Date.now() },
    logger: c.logger('mirror'),
    applyConfig: () => undefined,
    onTicket: () => undefined,
    onTask: () => undefined,
  });
}

/** A customer as the server sends it: server id, code S000001…, a Chinese name and one mobile. */
export function serverCustomer(id: number, patch: Partial<Customer> = {}): Customer {
  const mobile = `139${String(id).padStart(8, '0')}`;
  return customerFixture({
    id,
    code: `S${String(id).padStart(6, '0')}`,
    name: `客户${id}`,
    company: `公司${id}`,
    serverVersion: 1,
    revision: 0,
    phones: [{ raw: mobile, e164: `+86${mobile}`, extension: null, label: 'mobile', primary: true }],
    emails: [],
    addresses: [],
    ...patch,
  });
}
