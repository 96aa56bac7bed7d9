import { CustomerRepository } from '../../../../electron/core/customer/customerRepository';
import { CustomerService } from '../../../../electron/core/customer/customerService';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { openDatabase } from '../../../../electron/core/store/database';

/** A customer service on a fresh `:memory:` database with a settable clock. */
export function createTestCustomers(opts: { region?: string; pbxPrefixes?: string[]; dormantDays?: number; now?: number } = {}) {
  const db = openDatabase({ file: ':memory:' });
  const clock = { t: opts.now ?? Date.UTC(2026, 10, 24, 9, 0, 0), now: () => clock.t };
  const sink = createMemorySink();
  const logger = createLogRoot([sink]).createLogger('customers');
  const repo = new CustomerRepository(db);
  const config = {
    region: opts.region ?? 'CN',
    pbxPrefixes: opts.pbxPrefixes ?? [],
    dormantDays: opts.dormantDays ?? 90,
  };
  const service = new CustomerService(
    repo,
    clock,
    { phone: () => ({ defaultRegion: config.region, pbxPrefixes: config.pbxPrefixes }), dormantDays: () => config.dormantDays },
    logger,
  );
  return { db, repo, service, clock, config, logs: sink.records };
}
