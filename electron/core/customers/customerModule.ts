import type Database from 'better-sqlite3';
import type { InvokeHandlers } from '../../../shared/api/contract';
import { assertNever } from '../../../shared/api/result';
import type { customerInvokeChannels } from '../../../shared/customer/api';
import type { ScreenPopResult } from '../../../shared/customer/screenPop';
import type { Clock, Notifier } from '../adapters';
import type { SettingsService } from '../config/settingsService';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';
import { CustomerCsvService } from './customerCsvService';
import { CustomerRepository } from './customerRepository';
import { CustomerService, type CustomerChangeHook } from './customerService';
import { seedDemoCustomers, type SeedOptions } from './demoData';
import { ScreenPopService, popCaller, systemUtcOffsetMinutes } from './screenPopService';

/** The customer channels of the contract. */
export type CustomerChannel = keyof typeof customerInvokeChannels;

/** Everything the customer domain needs from the core. */
export interface CustomerModuleDeps {
  db: Database.Database;
  settings: SettingsService;
  clock: Clock;
  events: CoreEvents;
  notifier: Notifier;
  logger: Logger;
  /** Runs inside the transaction of each customer change (write the outbox row here). */
  onChange?: CustomerChangeHook;
}

/** The customer domain as the composition root wires it. */
export interface CustomerModule {
  readonly service: CustomerService;
  readonly csv: CustomerCsvService;
  /** Feed it call events (`onCallEvent('ring', snapshot)`); pops go out on `customer:pop`. */
  readonly screenPop: ScreenPopService;
  /** The `customer:*` invoke handlers. */
  handlers(): Pick<InvokeHandlers, CustomerChannel>;
  /** Seeds demo customers into an empty database (demo profile); returns how many were written. */
  seedDemo(count: number, options?: SeedOptions): number;
}

/** What the OS notification says for a pop: data only (names, numbers), no UI words. */
function notificationFor(result: ScreenPopResult): { title: string; body: string } | null {
  switch (result.kind) {
    case 'match':
      return { title: result.customer.name, body: [result.customer.company, result.caller.display].filter((s) => s !== '').join(' · ') };
    case 'multiple':
      return { title: result.caller.display, body: result.candidates.map((c) => c.name).slice(0, 5).join(', ') };
    case 'none':
      return { title: result.caller.display || result.prefill.name, body: result.prefill.name };
    case 'withheld':
      return null;
    default:
      return assertNever(result, 'screen pop kind');
  }
}

/**
 * Builds the customer domain: repository, service, CSV import/export and screen pop, reading the
 * phone and screen pop settings live. Automatic pops are emitted on `customer:pop`, bring the
 * window forward and show an OS notification with the customer's name.
 */
export function createCustomerModule(deps: CustomerModuleDeps): CustomerModule {
  const { settings, clock } = deps;
  const repo = new CustomerRepository(deps.db);
  const phone = () => ({ defaultRegion: settings.get('phone.defaultCountry'), pbxPrefixes: settings.get('phone.pbxPrefixes') });
  const dormantDays = () => settings.get('customer.dormantDays');
  const service = new CustomerService(repo, clock, { phone, dormantDays }, deps.logger, deps.onChange);
  const csv = new CustomerCsvService(service, clock, dormantDays, deps.logger.child('csv'));
  const screenPop = new ScreenPopService(
    service,
    clock,
    {
      trigger: () => settings.get('screenPop.trigger'),
      headerMappings: () => settings.get('screenPop.headerMappings'),
      dormantDays,
      utcOffsetMinutes: systemUtcOffsetMinutes,
    },
    deps.logger.child('pop'),
  );
  screenPop.onPop((result) => {
    deps.events.emit('customer:pop', result);
    if (result.trigger === 'manual') return;
    deps.notifier.focusWindow();
    const note = notificationFor(result);
    if (note) deps.notifier.notify(note.title, note.body);
  });

  return {
    service,
    csv,
    screenPop,
    seedDemo: (count, options) => seedDemoCustomers(service, count, options),
    handlers: () => ({
      'customer:search': (req) => service.search(req),
      'customer:get': ({ id }) => service.get(id),
      'customer:save': (req) => service.save(req),
      'customer:reassign': (req) => service.reassign(req),
      'customer:owner-history': ({ id }) => service.ownerHistory(id),
      'customer:lookup-caller': (req) => {
        const found = service.lookupCaller(req);
        return { caller: popCaller(found.caller, phone().defaultRegion), matches: found.matches };
      },
      'customer:screen-pop': (req) => screenPop.popManually(req),
      'customer:preview-csv': (req) => csv.preview(req),
      'customer:import-csv': (req) => csv.importRequest(req),
      'customer:export-csv': async (req) => {
        const out = await csv.exportCsv(req);
        return { fileName: out.fileName, contentBase64: out.bytes.toString('base64'), rows: out.rows };
      },
    }),
  };
}
