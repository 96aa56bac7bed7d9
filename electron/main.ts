import path from 'node:path';
import { app, dialog, net, powerMonitor, protocol, safeStorage, session, type BrowserWindow } from 'electron';
import { systemClock } from './core/adapters';
import { corePaths, defaultPolicyFile } from './core/config/paths';
import { createCore, type Core } from './core/createCore';
import { demoProfileFromEnv } from './core/demo/demoProfile';
import { createConsoleSink, createLogRoot, createMemorySink, type LogRoot, type Logger } from './core/log/logger';
import { startIpcServer, type IpcServer } from './ipc/ipcServer';
import { createCallLinkQueue, extractCallLinks, registerCallLinkProtocols } from './os/callLinks';
import { createKeychainSecretStore } from './os/keychainSecretStore';
import { createElectronNetworkMonitor, type ClosableNetworkMonitor } from './os/networkMonitor';
import { createElectronNotifier } from './os/notifier';
import { startupErrorDialog } from './os/startupError';
import { createAppProtocolHandler, APP_SCHEME_PRIVILEGES } from './windows/appProtocol';
import { APP_SCHEME, createAppUrlPolicy } from './windows/appUrl';
import { electronCsp } from './windows/csp';
import { createMainWindow, hardenSession } from './windows/mainWindow';
import { diagnosticsBundleArg } from './core/diagnostics/cliFlag';
import { createElectronInstaller } from './update/electronInstaller';

/*
 * Electron composition root: the thin shell around the core. Everything here is wiring; the
 * behaviour lives in the modules it imports (each unit-tested with a mocked `electron`).
 * Built by scripts/build.mjs into dist/electron/main.cjs, next to preload.cjs and ../renderer/.
 */

const env = process.env;
const dev = !app.isPackaged;

/** Logs before the core exists go to memory (and the console in development), then to the core's log. */
const earlySink = createMemorySink(500);
let logRoot: LogRoot = createLogRoot(dev ? [earlySink, createConsoleSink()] : [earlySink]);

function switchableLogger(scope: string): Logger {
  const current = () => logRoot.createLogger(scope);
  return {
    debug: (m, f) => current().debug(m, f),
    info: (m, f) => current().info(m, f),
    warn: (m, f) => current().warn(m, f),
    error: (m, f) => current().error(m, f),
    child: (sub) => switchableLogger(`${scope}.${sub}`),
  };
}

const log = switchableLogger('shell');
const callLinks = createCallLinkQueue(log.child('links'));
let mainWindow: BrowserWindow | null = null;
const getWindow = () => mainWindow;
const notifier = createElectronNotifier(getWindow, log.child('notify'));

if (env.CALLDESK_DATA_DIR) app.setPath('userData', path.resolve(env.CALLDESK_DATA_DIR));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
if (process.platform === 'win32') app.setAppUserModelId('com.calldesk.desktop');

// The lock lives in the user data folder, so it comes after setPath.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    // `CallDesk --diagnostics-bundle [FILE]` while CallDesk runs: the running instance writes it.
    const bundle = diagnosticsBundleArg(argv);
    if (bundle !== undefined) {
      core?.diagnostics.save(null, bundle === null ? undefined : path.resolve(workingDirectory, bundle)).catch((err: Error) => log.error('diagnostics bundle failed', { error: err }));
      return;
    }
    for (const url of extractCallLinks(argv)) callLinks.push(url);
    notifier.focusWindow();
  });
  // macOS delivers clicked links here, possibly before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    callLinks.push(url);
    notifier.focusWindow();
  });
  for (const url of extractCallLinks(process.argv.slice(1))) callLinks.push(url);
  app.whenReady().then(start, (err: unknown) => fatal(err));
}

let core: Core | null = null;
let ipc: IpcServer | null = null;
let network: ClosableNetworkMonitor | null = null;

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  const paths = corePaths(dataDir, defaultPolicyFile(process.platform, env));
  const locale = app.getLocale() || 'en-US';
  try {
    const policy = createAppUrlPolicy(dev ? env.CALLDESK_DEV_SERVER_URL : null);
    network = createElectronNetworkMonitor({ powerMonitor, net });
    network.onSignal((signal) => log.info('network signal', { signal }));
    core = await createCore(
      { appName: 'CallDesk', version: app.getVersion(), host: 'electron', locale, platform: process.platform, env, demo: demoProfileFromEnv(env) },
      {
        clock: systemClock,
        paths,
        secrets: createKeychainSecretStore(path.join(dataDir, 'secrets.json'), safeStorage),
        notifier,
        network,
        // Packaged builds only: a development run has no installer to replace.
        ...(app.isPackaged ? { updateInstaller: createElectronInstaller(log.child('update')) } : {}),
        logSinks: dev ? [createConsoleSink()] : [],
      },
    );
    const started = core;
    const bundle = diagnosticsBundleArg(process.argv.slice(1));
    if (bundle !== undefined) {
      // Command-line use by IT: write the bundle and quit, without opening a window.
      const saved = await started.diagnostics.save(null, bundle ?? undefined);
      process.stdout.write(`Diagnostics bundle written: ${saved.file}\n`);
      app.quit();
      return;
    }
    // From now on the shell logs into the core's log (file + console); replay what came before.
    for (const r of earlySink.records) started.logger(r.scope)[r.level](r.msg, r.fields);
    logRoot = started.logRoot;

    const csp = electronCsp(policy.devServerOrigin);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(__dirname, '..', 'renderer'), csp));
    hardenSession(session.defaultSession, policy, csp, log.child('session'));
    ipc = startIpcServer({ core: started, logger: started.logger('ipc'), getWindow, isAppUrl: policy.isAppUrl });
    callLinks.on((url) => started.links.push(url));

    if (app.isPackaged || env.CALLDESK_REGISTER_PROTOCOLS === '1') {
      registerCallLinkProtocols(app, log.child('links'), { isPackaged: app.isPackaged, execPath: process.execPath, appArg: process.argv[1] });
    }

    const openWindow = () => {
      mainWindow = createMainWindow({
        preloadPath: path.join(__dirname, 'preload.cjs'),
        ...(process.platform === 'linux' ? { iconPath: path.join(__dirname, 'icon.png') } : {}),
        policy,
        logger: started.logger('window'),
      });
      mainWindow.on('closed', () => (mainWindow = null));
    };
    openWindow();
    app.on('activate', () => {
      if (!mainWindow) openWindow();
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    log.info('electron shell ready', { dataDir, locale, dev });
  } catch (err) {
    fatal(err, { dataDir, logFile: paths.logFile }, locale);
  }
}

function fatal(err: unknown, where = { dataDir: app.getPath('userData'), logFile: '' }, locale = 'en-US'): void {
  log.error('startup failed', { error: err as Error });
  network?.close();
  const { title, message } = startupErrorDialog(err, locale, where);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

let shutDown = false;
app.on('will-quit', (event) => {
  if (shutDown) return;
  event.preventDefault();
  shutDown = true;
  ipc?.close();
  network?.close();
  const closing = core ? core.close() : Promise.resolve();
  closing
    .catch((err: unknown) => log.error('core close failed', { error: err as Error }))
    .finally(() => app.quit());
});
