import path from 'node:path';
import { readAppMeta, osLocale } from '../core/appMeta';
import { systemClock, type Notifier } from '../core/adapters';
import { corePaths, defaultDataDir, defaultPolicyFile } from '../core/config/paths';
import { createCore, type Core } from '../core/createCore';
import { demoProfileFromEnv } from '../core/demo/demoProfile';
import { createConsoleSink } from '../core/log/logger';
import { createFileSecretStore } from './fileSecretStore';
import { startWebHost, type WebHost } from './webHost';

/** Options of a browser-host launch (command line or tests). */
export interface BrowserHostOptions {
  appRoot: string;
  dataDir?: string;
  port?: number;
  env?: Record<string, string | undefined>;
  consoleLog?: boolean;
}

/** The core and the web host it serves. */
export interface BrowserHost {
  core: Core;
  web: WebHost;
  close(): Promise<void>;
}

/** The browser host's core (Node adapters, file secret store) without the web server. */
export async function createHostCore(options: BrowserHostOptions & { demo?: boolean }): Promise<Core> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? defaultDataDir(process.platform, env);
  const paths = corePaths(dataDir, defaultPolicyFile(process.platform, env));
  const meta = readAppMeta(options.appRoot);
  // The notifier needs the core's event bus, which exists only once the core is built.
  const ref: { core?: Core } = {};
  const notifier: Notifier = {
    notify: (title, body) => ref.core?.events.emit('app:notification', { title, body, focus: false }),
    focusWindow: () => ref.core?.events.emit('app:notification', { title: '', body: '', focus: true }),
  };
  ref.core = await createCore(
    { appName: meta.name, version: meta.version, host: 'web', locale: osLocale(env), platform: process.platform, env, demo: options.demo === false ? undefined : demoProfileFromEnv(env) },
    {
      clock: systemClock,
      paths,
      secrets: createFileSecretStore(path.join(dataDir, 'secrets.json')),
      notifier,
      logSinks: options.consoleLog ? [createConsoleSink()] : [],
    },
  );
  return ref.core;
}

/** Composition root of the browser host: the core in Node, the renderer over HTTP + WebSocket. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const started = await createHostCore(options);
  try {
    const web = await startWebHost({ core: started, staticDir: path.join(options.appRoot, 'dist', 'renderer'), port: options.port ?? 0 });
    return {
      core: started,
      web,
      async close() {
        await web.close();
        await started.close();
      },
    };
  } catch (err) {
    await started.close();
    throw err;
  }
}
