import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A fake `electron` module for unit tests of the shell (no Electron runtime can run here). Use as
 * `vi.mock('electron', () => import('../../../fakes/electron'))`; the test imports the same module to
 * drive and inspect it. Only what the shell uses is modelled. Call `resetElectronFake()` in beforeEach.
 */

/** A fake WebFrameMain. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  frameToken: string;
}

let tokens = 0;
/** Makes a frame; pass `parent` for a subframe. */
export function fakeFrame(url: string, parent: FakeFrame | null = null, processId = 1): FakeFrame {
  return { url, parent, processId, frameToken: `frame-${++tokens}` };
}

/** A fake WebContents: an EventEmitter with the handful of methods the shell calls. */
export class FakeWebContents extends EventEmitter {
  mainFrame: FakeFrame;
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly send = vi.fn();
  constructor(url = 'app://calldesk/index.html') {
    super();
    this.mainFrame = fakeFrame(url);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits a cancellable event the way Electron does; returns whether a listener prevented it. */
  emitCancellable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

/** A fake BrowserWindow recording its options. */
export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly setAlwaysOnTop = vi.fn();
  minimized = false;
  visible = false;
  destroyed = false;
  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    BrowserWindow.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
}

/** ipcMain: records handlers by channel; registering a channel twice throws, as in Electron. */
export const ipcMain = {
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  handle: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, fn);
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMain.handlers.delete(channel);
  }),
};

/** ipcRenderer: an EventEmitter whose `invoke` is a mock the test programs. */
class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (_channel: string, _payload?: unknown): Promise<unknown> => undefined);
}
export const ipcRenderer = new FakeIpcRenderer();

/** contextBridge: records what the preload exposes. */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    contextBridge.exposed.set(key, api);
  }),
};

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };

/** A fake Notification: records instances; `supported` switches isSupported(). */
export class Notification extends EventEmitter {
  static supported = true;
  static instances: Notification[] = [];
  static isSupported(): boolean {
    return Notification.supported;
  }
  readonly options: { title: string; body: string };
  readonly show = vi.fn();
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
    Notification.instances.push(this);
  }
}

/** app: an EventEmitter with the calls main.ts makes; `lock` decides the single-instance lock. */
class FakeApp extends EventEmitter {
  lock = true;
  isPackaged = false;
  readyResolve: () => void = () => undefined;
  ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  paths = new Map<string, string>();
  readonly focus = vi.fn();
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly enableSandbox = vi.fn();
  readonly setAppUserModelId = vi.fn();
  readonly setAsDefaultProtocolClient = vi.fn((_scheme: string, _path?: string, _args?: string[]) => true);
  readonly requestSingleInstanceLock = vi.fn(() => this.lock);
  whenReady(): Promise<void> {
    return this.ready;
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? `/fake/${name}`;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  getLocale(): string {
    return 'en-US';
  }
  getVersion(): string {
    return '0.0.0-test';
  }
}
export const app = new FakeApp();

export const dialog = { showErrorBox: vi.fn() };
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
export const powerMonitor = new EventEmitter();
export const net = { isOnline: vi.fn(() => true) };
export const safeStorage = {
  isEncryptionAvailable: vi.fn(() => true),
  encryptString: vi.fn((s: string) => Buffer.from(`enc:${s}`)),
  decryptString: vi.fn((b: Buffer) => b.toString().replace(/^enc:/, '')),
  getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
};

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;
type RequestHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: Record<string, unknown>) => void;
type CheckHandler = (webContents: unknown, permission: string, requestingOrigin: string, details: Record<string, unknown>) => boolean;

/** A fake Session: keeps the handlers the shell installs so tests can call them. */
export interface FakeSession {
  headersListener: HeadersListener | null;
  requestHandler: RequestHandler | null;
  checkHandler: CheckHandler | null;
  webRequest: { onHeadersReceived(listener: HeadersListener): void };
  setPermissionRequestHandler(handler: RequestHandler): void;
  setPermissionCheckHandler(handler: CheckHandler): void;
}

/** Makes a fresh fake Session. */
export function fakeSession(): FakeSession {
  const s: FakeSession = {
    headersListener: null,
    requestHandler: null,
    checkHandler: null,
    webRequest: {
      onHeadersReceived: (listener) => {
        s.headersListener = listener;
      },
    },
    setPermissionRequestHandler: (h) => {
      s.requestHandler = h;
    },
    setPermissionCheckHandler: (h) => {
      s.checkHandler = h;
    },
  };
  return s;
}
export const session = { defaultSession: fakeSession() };

/** Resets every recorded call and instance between tests. */
export function resetElectronFake(): void {
  vi.clearAllMocks();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  contextBridge.exposed.clear();
  BrowserWindow.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  app.removeAllListeners();
  app.lock = true;
  app.isPackaged = false;
  app.paths.clear();
  app.ready = new Promise<void>((resolve) => (app.readyResolve = resolve));
  powerMonitor.removeAllListeners();
  session.defaultSession = fakeSession();
}
