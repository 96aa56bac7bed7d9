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
import { AppError } from '../../shared/api/result';
import { PhoneController } from './phone/phoneController';
import { createMonitorModule } from './monitor/monitorModule';
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
import { supervisorHandlers } from './supervisor/supervisorHandlers';
import { createSyncModule, REFRESH_TOKEN_SECRET, type SyncModule } from './sync/syncModule';
import { createDiagnosticsModule, type DiagnosticsModule } from './diagnostics/diagnosticsModule';
import { SipTrace } from './phone/sipTrace';
import { SIP_PASSWORD_SECRET } from './phone/phoneController';
import { UpdateService } from './update/updateService';
import { downloadOnlyInstaller } from './update/downloadOnlyInstaller';
import { CallEnded } from './phone/callEvents';
import { AgentStateRecorded } from './agent/agentEvents';

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
  /** The diagnostics bundle (preview, save; the command line's `--diagnostics-bundle`). */
  readonly diagnostics: DiagnosticsModule;
  /** Controlled updates: which version and when (the shell only installs). */
  readonly updates: UpdateService;
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

  const sipTrace = new SipTrace(() => adapters.clock.now());
  // One stable id per installation (data folder): the SIP instance and the update rollout bucket.
  const installId = sipInstanceId(adapters.paths.dataDir);
  // Supervisors' listen/whisper/barge legs: offered every INVITE before the phone's call table.
  const monitor = createMonitorModule({
    settings,
    events,
    bus,
    clock: adapters.clock,
    logger: logRoot.createLogger('monitor'),
    phone: () => phone,
    agentId: () => effectiveAgentId(settings, sync.userId()),
    serverToken: (agent, call) => {
      const server = sync.server();
      if (!server) throw new AppError('UNAUTHORIZED', 'Sign in to the central server to monitor agents');
      return server.monitoringToken(agent, call);
    },
  });
  const phone = new PhoneController({
    sipTrace,
    settings,
    takeInvite: (invitation) => monitor.takeInvite(invitation),
    secrets: adapters.secrets,
    events,
    bus,
    clock: adapters.clock,
    scheduler,
    logger: logRoot.createLogger('phone'),
    instanceId: installId,
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
    onSipPassword: () => phone.reloadAccount('provisioned password changed'),
    ...(config.sqliteNativeBinding ? { sqliteNativeBinding: config.sqliteNativeBinding } : {}),
  });
  customerChangedBy = () => sync.userId();
  const ctiTokenFile = path.join(adapters.paths.dataDir, 'cti-token');
  const diagnostics = createDiagnosticsModule({
    sources: {
      now: () => adapters.clock.now(),
      info,
      settings: () => settings.snapshot(),
      phone: () => phone.state(),
      sync: () => sync.state(),
      provisioned: () => sync.provisioned(),
      webrtc: () => quality.report(),
      sipTrace: () => sipTrace.text(),
    },
    secrets: adapters.secrets,
    secretNames: [SIP_PASSWORD_SECRET, REFRESH_TOKEN_SECRET],
    secretFiles: [ctiTokenFile],
    settings,
    dir: path.join(adapters.paths.dataDir, 'diagnostics'),
    logger: logRoot.createLogger('diagnostics'),
  });
  const updateLog = logRoot.createLogger('update');
  const updates = new UpdateService({
    settings,
    currentVersion: config.version,
    platform: config.platform,
    installId,
    installer: adapters.updateInstaller ?? downloadOnlyInstaller(path.join(adapters.paths.dataDir, 'updates'), updateLog, adapters.fetch),
    // Never during a call or wrap-up.
    busy: () => phone.state().calls.some((c) => c.state !== 'ended') || ['ringing', 'on-call', 'wrap-up'].includes(workflow.agent.lastEvent()?.toState ?? ''),
    scheduler,
    now: () => adapters.clock.now(),
    logger: updateLog,
    onState: (s) => events.emit('update:state', s),
    ...(adapters.fetch ? { fetch: adapters.fetch } : {}),
  });
  const handlers: InvokeHandlers = {
    'app:info': () => info(),
    'settings:get': () => settings.snapshot(),
    'settings:set': ({ key, value }) => settings.set(key, value),
    ...phone.handlers(),
    ...monitor.handlers(),
    'call:quality': ({ callId, sample }) => {
      quality.record(callId, sample);
      phone.mediaSample(callId, sample);
      return { accepted: true };
    },
    'call:take-links': () => ({ links: links.take() }),
    ...customers.handlers(),
    ...workflow.handlers(),
    ...sync.handlers(),
    ...supervisorHandlers({ serverGet: (path) => sync.serverGet(path) }),
    ...diagnostics.handlers(),
    'update:state': () => updates.state(),
    'update:check': () => updates.check(),
    'update:postpone': () => updates.postpone(),
    'update:install': () => updates.installNow(),
    ...sync.acdHandlers(),
    'insight:get': ({ customerId }) => ({ insight: repos.insight.forLocalCustomer(customerId) }),
  };

  connectCallsToScreenPop(bus, customers.screenPop, logRoot.createLogger('cti'));
  workflow.start();
  await sync.start();
  const dispatcher = createDispatcher(handlers, logRoot.createLogger('api'));
  const cti = new CtiService({
    settings,
    tokenFile: ctiTokenFile,
    bus,
    callCustomers,
    dispatcher,
    agent: () => settings.get('sip.uri'),
    logger: logRoot.createLogger('cti'),
  });
  await cti.apply();
  void phone.start();
  // A ready update waits for the end of the call and of the wrap-up.
  const offUpdateIdle = [bus.on(CallEnded, () => updates.poke()), bus.on(AgentStateRecorded, () => updates.poke())];
  updates.start();

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
    diagnostics,
    updates,
    state,
    info,
    logger: (scope) => logRoot.createLogger(scope),
    async close() {
      log.info('core closing');
      updates.stop();
      for (const off of offUpdateIdle) off();
      quality.close();
      callCustomers.close();
      workflow.stop();
      await sync.stop();
      await cti.close();
      monitor.close();
      await phone.close();
      db.close();
    },
  };
}
