import type { InvokeHandlers } from '../../../shared/api/contract';
import type { customerInvokeChannels } from '../../../shared/customer/api';
import type { Clock, Notifier } from '../adapters';
import { popNotification } from './popNotification';
import type { SettingsService } from '../config/settingsService';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';
import type { OutboxRepository } from '../outbox/outboxRepository';
import { CsvImportJobs } from './csvImportJobs';
import { CsvUploads } from './csvUploads';
import { CustomerCsvService } from './customerCsvService';
import type { CustomerRepository } from './customerRepository';
import { CustomerService, type CustomerChange, type CustomerChangeHook } from './customerService';
import { seedDemoCustomers, type SeedOptions } from './demoData';
import { ScreenPopService, popCaller, systemUtcOffsetMinutes } from './screenPopService';

/** The customer channels of the contract. */
export type CustomerChannel = keyof typeof customerInvokeChannels;

/** Everything the customer domain needs from the core. */
export interface CustomerModuleDeps {
  /** The customer repository (built once by the composition root). */
  repository: CustomerRepository;
  settings: SettingsService;
  clock: Clock;
  events: CoreEvents;
  notifier: Notifier;
  logger: Logger;
  /** Runs inside the transaction of each customer change (after the outbox row, when `outbox` is given). */
  onChange?: CustomerChangeHook;
  /**
   * The outbox: when given, every agent save, reassignment and CSV import row writes one `customer`
   * entry in the transaction of the change (demo seeding and records adopted from the server do not).
   */
  outbox?: OutboxRepository;
  /** The signed-in user, recorded as `by` of outbox entries when the change does not name one. */
  currentUser?: () => string | null;
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

/**
 * The change hook of the module: the outbox entry (when there is an outbox; the outbox announces
 * it after the commit), then the caller's own hook. Undefined when there is nothing to do, so the
 * service skips computing change records.
 */
function changeHook(deps: CustomerModuleDeps): CustomerChangeHook | undefined {
  const { outbox, onChange } = deps;
  if (!outbox && !onChange) return undefined;
  return (change: CustomerChange) => {
    if (outbox) {
      outbox.append({
        entity: 'customer',
        entityId: String(change.id),
        operation: change.operation === 'create' ? 'create' : 'update',
        baseVersion: change.baseVersion,
        payload: {
          record: change.record,
          changed: change.changed,
          by: deps.currentUser?.() ?? change.by,
          ...(change.codeGenerated ? { codeGenerated: true } : {}),
        },
      });
    }
    onChange?.(change);
  };
}

/**
 * Builds the customer domain: repository, service, CSV import/export and screen pop, reading the
 * phone and screen pop settings live. Automatic pops are emitted on `customer:pop`, bring the
 * window forward and show an OS notification with the customer's name.
 */
export function createCustomerModule(deps: CustomerModuleDeps): CustomerModule {
  const { settings, clock } = deps;
  const repo = deps.repository;
  const phone = () => ({ defaultRegion: settings.get('phone.defaultCountry'), pbxPrefixes: settings.get('phone.pbxPrefixes') });
  const dormantDays = () => settings.get('customer.dormantDays');
  const hook = changeHook(deps);
  const service = new CustomerService(repo, clock, { phone, dormantDays }, deps.logger, hook);
  const uploads = new CsvUploads(clock);
  const csv = new CustomerCsvService(service, clock, dormantDays, deps.logger.child('csv'), undefined, uploads);
  const importJobs = new CsvImportJobs(csv, uploads, (job) => deps.events.emit('customer:import-progress', job), clock, deps.logger.child('csv'));
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
    const note = popNotification(result);
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
      'customer:pop-choose': (req) => screenPop.choose(req),
      'customer:preview-csv': (req) => csv.preview(req),
      'customer:csv-upload-begin': ({ size }) => uploads.begin(size),
      'customer:csv-upload-chunk': ({ uploadId, offset, contentBase64 }) => uploads.append(uploadId, offset, Buffer.from(contentBase64, 'base64')),
      'customer:import-csv': (req) => csv.importRequest(req),
      'customer:import-start': (req) => importJobs.start(req),
      'customer:import-status': ({ jobId }) => importJobs.status(jobId),
      'customer:import-cancel': ({ jobId }) => importJobs.cancel(jobId),
      'customer:export-csv': async (req) => {
        const out = await csv.exportCsv(req);
        return { fileName: out.fileName, contentBase64: out.bytes.toString('base64'), rows: out.rows };
      },
    }),
  };
}
