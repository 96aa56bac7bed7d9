import type Database from 'better-sqlite3';
import type { InvokeHandlers } from '../../shared/api/contract';
import type { AppInfo, CoreState } from '../../shared/app/api';
import { createDispatcher, type Dispatcher } from './api/dispatcher';
import { systemScheduler, type CoreAdapters } from './adapters';
import { runCommand } from './config/osPolicy';
import { readEnvLayer, readSystemPolicy } from './config/settingLayers';
import { SettingsService } from './config/settingsService';
import { CoreBus } from './bus/coreBus';
import { CallCustomers } from './customer/callCustomers';
import { CoreEvents } from './events';
import { createLogRoot, type LogRoot, type Logger } from './log/logger';
import { createRotatingFileSink } from './log/rotatingFileSink';
import { openDatabase, readSchemaVersion } from './store/database';
import { PhoneController } from './phone/phoneController';
import { connectCallsToScreenPop } from './cti/callPopBridge';
import { CtiService } from './cti/ctiService';
import { CallLinkService } from './cti/callLinkService';
import { sipInstanceId } from './phone/sipInstance';
import { CallQualityService } from './quality/callQualityService';
import path from 'node:path';
import { applyDemoProfile, type DemoProfile } from './demo/demoProfile';
import { createCustomerModule, type CustomerModule } from './customer/customerModule';
import { createRepositories, type Repositories } from './store/repositories';
import { createWorkflowModule, effectiveAgentId, type WorkflowModule } from './agent/workflowModule';
import { createSyncModule, type SyncModule } from './sync/syncModule';

/** Static facts about this run, supplied by the host. */
export interface CoreConfig {
  appName: string;
  version: string;
  host: AppInfo['host'];
  /** OS locale, e.g. `zh-CN`. */
  locale: string;
  platform: string;
  /** Environment variables (the highest configuration layer). */
  env: Record<string, string | undefined>;
  /** Demo data to fill in when nothing is configured (`npm start` on a fresh machine). */
  demo?: DemoProfile;
  /** Path of a better-sqlite3 binding built for Electron, when running inside Electron. */
  sqliteNativeBinding?: string;
}

/** A running core: every service, the event bus and the dispatcher the transports serve. */
export interface Core {
  readonly dispatcher: Dispatcher;
  /** The UI contract's event channels (what the transports forward to the renderer). */
  readonly events: CoreEvents;
  /** The core-only bus: call lifecycle, outbox appended, agent state recorded. */
  readonly bus: CoreBus;
  readonly settings: SettingsService;
  readonly logRoot: LogRoot;
  readonly db: Database.Database;
  /** Every repository, built once over `db`. */
  readonly repos: Repositories;
  /** The softphone (starts only when a SIP account is configured). */
  readonly phone: PhoneController;
  /** Customer records, CSV import/export, screen pop (feed it call events) and the demo seeder. */
  readonly customers: CustomerModule;
  /** Call links clicked in other applications, waiting for the dial box. */
  readonly links: CallLinkService;
  /** Call-quality samples and per-call summaries (MOS). */
  readonly quality: CallQualityService;
  /** The local CTI API for other programs on this machine. */
  readonly cti: CtiService;
  /** Agent state, wrap-up, interaction log, tickets, follow-ups and the outbox. */
  readonly workflow: WorkflowModule;
  /** Sign-in to the central server, outbox push, delta pull, central settings. */
  readonly sync: SyncModule;
  /** The current core state snapshot (also pushed on `core:state`). */
  state(): CoreState;
  info(): AppInfo;
  logger(scope: string): Logger;
  close(): Promise<void>;
}

/**
 * Composition root of the core: builds every service from injected adapters. Throws an AppError
 * (CONFIG_INVALID, DB_TOO_NEW, DB_ERROR) when it cannot start; the host shows that message.
 */
export async function createCore(config: CoreConfig, adapters: CoreAdapters): Promise<Core> {
  const startedAt = adapters.clock.now();
  const logRoot = createLogRoot([createRotatingFileSink({ file: adapters.paths.logFile }), ...(adapters.logSinks ?? [])]);
  const log = logRoot.createLogger('core');

  const policy = readSystemPolicy({ file: adapters.paths.policyFile, platform: config.platform, run: adapters.runCommand ?? runCommand });
  const env = readEnvLayer(config.env);
  const db = openDatabase({
    file: adapters.paths.databaseFile,
    logger: logRoot.createLogger('store'),
    ...(config.sqliteNativeBinding ? { nativeBinding: config.sqliteNativeBinding } : {}),
  });
  const scheduler = adapters.scheduler ?? systemScheduler;
  const events = new CoreEvents();
  const bus = new CoreBus((event, error) => log.warn('core event listener failed', { event, error: error.message }));
  const repos = createRepositories(db, { now: () => adapters.clock.now(), bus });
  const settings = new SettingsService(repos.settings, policy, env, logRoot.createLogger('settings'));
  logRoot.setLevel(settings.get('log.level'));

  const state = (): CoreState => ({ ready: true, settings: settings.snapshot() });
  const info = (): AppInfo => ({
    name: config.appName,
    version: config.version,
    host: config.host,
    locale: config.locale,
    platform: config.platform,
    startedAt,
    dataDir: adapters.paths.dataDir,
    logFile: adapters.paths.logFile,
    databaseFile: adapters.paths.databaseFile,
    policyFile: adapters.paths.policyFile,
    schemaVersion: readSchemaVersion(db),
  });

  settings.onChange(() => {
    logRoot.setLevel(settings.get('log.level'));
    events.emit('core:state', state());
  });

  // Customer changes reach the outbox in their own transaction; `by` is the signed-in user once sync exists.
  let customerChangedBy: () => string | null = () => null;
  const customers = createCustomerModule({
    repository: repos.customers,
    settings,
    clock: adapters.clock,
    events,
    notifier: adapters.notifier,
    logger: logRoot.createLogger('customers'),
    outbox: repos.outbox,
    currentUser: () => customerChangedBy(),
  });
  // Demo data goes in before the phone starts, so it registers once with the demo account.
  if (config.demo) await applyDemoProfile(config.demo, { settings, secrets: adapters.secrets, customers, logger: logRoot.createLogger('demo') });

  const phone = new PhoneController({
    settings,
    secrets: adapters.secrets,
    events,
    bus,
    clock: adapters.clock,
    scheduler,
    logger: logRoot.createLogger('phone'),
    instanceId: sipInstanceId(adapters.paths.dataDir),
    ...(adapters.network ? { network: adapters.network } : {}),
  });


  const quality = new CallQualityService(bus);
  const links = new CallLinkService(events, logRoot.createLogger('links'));
  const callCustomers = new CallCustomers(events, (number) => {
    const found = customers.service.lookupCaller({ number });
    return found.matches.length === 1 ? found.matches[0]!.id : null;
  });
  const workflow = createWorkflowModule({
    db,
    settings,
    clock: adapters.clock,
    events,
    bus,
    repos,
    callCustomers,
    scheduler,
    notifier: adapters.notifier,
    logger: logRoot.createLogger('workflow'),
    calls: { reject: async (callId, code) => phone.handlers()['call:reject']({ callId, code }) },
    touchCustomer: (id, at) => customers.service.recordContact(id, at),
    qualityFor: (callId) => quality.summary(callId),
    signedInUser: () => sync.userId(),
  });
  const sync = createSyncModule({
    db,
    settings,
    secrets: adapters.secrets,
    events,
    bus,
    clock: adapters.clock,
    scheduler,
    logger: logRoot.createLogger('sync'),
    repos,
    customers: customers.service,
    onUserChanged: () => workflow.agent.announce(),
    localAgentId: () => effectiveAgentId(settings),
    latestAgentEvent: () => workflow.agent.lastEvent(),
    ...(config.sqliteNativeBinding ? { sqliteNativeBinding: config.sqliteNativeBinding } : {}),
  });
  customerChangedBy = () => sync.userId();
  const handlers: InvokeHandlers = {
    'app:info': () => info(),
    'settings:get': () => settings.snapshot(),
    'settings:set': ({ key, value }) => settings.set(key, value),
    ...phone.handlers(),
    'call:quality': ({ callId, sample }) => {
      quality.record(callId, sample);
      phone.mediaSample(callId, sample);
      return { accepted: true };
    },
    'call:take-links': () => ({ links: links.take() }),
    ...customers.handlers(),
    ...workflow.handlers(),
    ...sync.handlers(),
    'insight:get': ({ customerId }) => ({ insight: repos.insight.forLocalCustomer(customerId) }),
  };

  connectCallsToScreenPop(bus, customers.screenPop, logRoot.createLogger('cti'));
  workflow.start();
  await sync.start();
  const dispatcher = createDispatcher(handlers, logRoot.createLogger('api'));
  const cti = new CtiService({
    settings,
    tokenFile: path.join(adapters.paths.dataDir, 'cti-token'),
    bus,
    callCustomers,
    dispatcher,
    agent: () => settings.get('sip.uri'),
    logger: logRoot.createLogger('cti'),
  });
  await cti.apply();
  void phone.start();

  log.info('core ready', { host: config.host, version: config.version, ms: adapters.clock.now() - startedAt });

  return {
    dispatcher,
    events,
    bus,
    settings,
    logRoot,
    db,
    repos,
    phone,
    customers,
    cti,
    quality,
    links,
    workflow,
    sync,
    state,
    info,
    logger: (scope) => logRoot.createLogger(scope),
    async close() {
      log.info('core closing');
      quality.close();
      callCustomers.close();
      workflow.stop();
      await sync.stop();
      await cti.close();
      await phone.close();
      db.close();
    },
  };
}
