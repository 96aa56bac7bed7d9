import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Boots the real bundle dist/electron/main.cjs (as Electron would load it) in plain Node with a
// minimal stand-in for the `electron` module, since no Electron runtime can run here. Proves the
// bundle itself works: CommonJS output with the ESM-only sip.js bundled in, better-sqlite3 and
// electron left external, the core starting on userData, IPC handlers registered, the window opened.
const ROOT = path.resolve(__dirname, '../../..');

const FAKE_ELECTRON = String.raw`
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const report = (line) => process.stdout.write('REPORT ' + JSON.stringify(line) + '\n');
const app = Object.assign(new EventEmitter(), {
  isPackaged: true,
  enableSandbox() { report({ enableSandbox: true }); },
  setPath(name, value) { this['path:' + name] = value; },
  getPath(name) { return this['path:' + name] || '/nonexistent'; },
  requestSingleInstanceLock() { return true; },
  whenReady() { return Promise.resolve(); },
  getLocale() { return 'zh-CN'; },
  getVersion() { return '9.9.9'; },
  setAppUserModelId() {},
  setAsDefaultProtocolClient(s) { report({ protocolClient: s }); return true; },
  quit() { report({ quit: true }); process.exit(0); },
  exit(code) { report({ exit: code }); process.exit(code); },
  focus() {},
});
class WebContents extends EventEmitter {
  constructor() { super(); this.mainFrame = { url: 'app://calldesk/index.html', parent: null, processId: 1, frameToken: 't' }; }
  setWindowOpenHandler() {} isDestroyed() { return false; } send() {}
}
class BrowserWindow extends EventEmitter {
  constructor(options) { super(); this.webContents = new WebContents(); report({ window: options.webPreferences }); }
  loadURL(url) { report({ loadURL: url }); setImmediate(probe); return Promise.resolve(); }
  isDestroyed() { return false; }
}
const handlers = new Map();
const ipcMain = {
  handle(channel, fn) { handlers.set(channel, fn); },
  removeHandler(channel) { handlers.delete(channel); },
};
const fakeSession = { webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {}, setPermissionCheckHandler() {} };
const electron = {
  app, BrowserWindow, ipcMain,
  dialog: { showErrorBox(title, message) { report({ dialog: title, message }); } },
  protocol: { registerSchemesAsPrivileged(s) { report({ privileged: s[0].scheme }); }, handle(s) { report({ protocolHandle: s }); } },
  session: { defaultSession: fakeSession },
  powerMonitor: new EventEmitter(),
  net: { isOnline: () => true },
  safeStorage: { isEncryptionAvailable: () => false, encryptString: (s) => Buffer.from(s), decryptString: (b) => b.toString() },
  shell: { openExternal: async () => undefined },
  Notification: Object.assign(class extends EventEmitter { show() {} }, { isSupported: () => false }),
};
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'electron' ? electron : load.call(this, request, ...rest); };
// Runs once the window loads, i.e. when the shell has finished starting.
async function probe() {
  const main = new WebContents();
  const info = handlers.get('app:info') && await handlers.get('app:info')({ sender: null, senderFrame: main.mainFrame });
  report({ handlers: [...handlers.keys()], foreign: info });
  app.emit('will-quit', { preventDefault() {} });
}
`;

describe('dist/electron/main.cjs boots in Node with a stand-in electron module', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-bundle-'));
    fs.writeFileSync(path.join(dir, 'fake-electron.cjs'), FAKE_ELECTRON);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--only', 'main'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts the core on userData, registers IPC, opens the locked-down window and quits cleanly', async () => {
    const dataDir = path.join(dir, 'data');
    const child = spawn(process.execPath, ['-r', path.join(dir, 'fake-electron.cjs'), path.join(ROOT, 'dist/electron/main.cjs')], {
      cwd: ROOT,
      env: { ...process.env, CALLDESK_DATA_DIR: dataDir, CALLDESK_POLICY_FILE: path.join(dir, 'policy.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const reports = out
      .split('\n')
      .filter((l) => l.startsWith('REPORT '))
      .map((l) => JSON.parse(l.slice(7)) as Record<string, unknown>);
    const find = (key: string) => reports.find((r) => key in r);

    expect(code, out).toBe(0);
    expect(find('dialog'), out).toBeUndefined();
    expect(find('privileged')).toEqual({ privileged: 'app' });
    expect(find('protocolHandle')).toEqual({ protocolHandle: 'app' });
    expect(find('window')?.window).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, backgroundThrottling: false });
    expect(find('loadURL')).toEqual({ loadURL: 'app://calldesk/index.html' });
    expect(reports.filter((r) => 'protocolClient' in r).map((r) => r.protocolClient)).toEqual(['tel', 'sip', 'callto']);
    expect(fs.existsSync(path.join(dataDir, 'calldesk.sqlite'))).toBe(true);
    const handlers = find('handlers') as { handlers: string[]; foreign: { ok: boolean; error: { code: string } } };
    expect(handlers.handlers).toContain('app:info');
    expect(handlers.handlers).toContain('settings:set');
    // The stand-in has no window webContents as sender: the real sender check refuses it.
    expect(handlers.foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(find('quit')).toEqual({ quit: true });
  });
});
