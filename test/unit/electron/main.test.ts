import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../shared/api/contract';

// The composition root runs on import, so each test loads a fresh copy of it and of the fake.
vi.mock('electron', () => import('../../fakes/electron'));

type Fake = typeof import('../../fakes/electron');

describe('electron/main (composition root, mocked electron, real core)', () => {
  let dataDir: string;
  let fake: Fake;

  beforeEach(async () => {
    vi.resetModules();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-main-'));
    vi.stubEnv('CALLDESK_DATA_DIR', dataDir);
    vi.stubEnv('CALLDESK_POLICY_FILE', path.join(dataDir, 'no-policy.json'));
    // The mocked module itself: the very instance main.ts receives (the mock survives resetModules).
    fake = (await import('electron')) as unknown as Fake;
    fake.resetElectronFake();
    fake.app.isPackaged = true;
  });

  afterEach(async () => {
    // Quit as Electron would: will-quit closes the core (and its database) before the app exits.
    fake.app.emit('will-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    vi.unstubAllEnvs();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const loadMain = () => import('../../../electron/main');

  it('a second instance quits at once and starts nothing', async () => {
    fake.app.lock = false;
    await loadMain();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(fake.app.listenerCount('second-instance')).toBe(0);
    fake.app.readyResolve();
    await new Promise((r) => setImmediate(r));
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    fake.app.quit.mockClear();
  });

  it('before ready: data folder, sandbox for all renderers, privileged app scheme, then the lock', async () => {
    await loadMain();
    expect(fake.app.getPath('userData')).toBe(dataDir);
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.app.listenerCount('second-instance')).toBe(1);
    expect(fake.app.listenerCount('open-url')).toBe(1);
    fake.app.readyResolve();
    await vi.waitFor(() => expect(fake.BrowserWindow.instances).toHaveLength(1));
  });

  it('on ready: core on userData, IPC for every channel, app protocol, locked-down window loading our page', async () => {
    await loadMain();
    fake.app.readyResolve();
    await vi.waitFor(() => expect(fake.BrowserWindow.instances).toHaveLength(1));
    const window = fake.BrowserWindow.instances[0]!;
    expect(fs.existsSync(path.join(dataDir, 'calldesk.sqlite'))).toBe(true);
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(fake.session.defaultSession.requestHandler).not.toBeNull();
    expect(fake.session.defaultSession.headersListener).not.toBeNull();
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, backgroundThrottling: false });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(window.loadURL).toHaveBeenCalledWith('app://calldesk/index.html');
    expect(window.webContents.windowOpenHandler).not.toBeNull();
    expect(fake.app.setAsDefaultProtocolClient.mock.calls.map((c) => c[0])).toEqual(['tel', 'sip', 'callto']);
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();

    // A trusted IPC call reaches the real core.
    const info = (await fake.ipcMain.handlers.get('app:info')!({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, undefined)) as {
      ok: boolean;
      value: { host: string; dataDir: string };
    };
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', dataDir } });
  });

  it('a second launch (e.g. a clicked tel: link) brings the first window forward', async () => {
    await loadMain();
    fake.app.readyResolve();
    await vi.waitFor(() => expect(fake.BrowserWindow.instances).toHaveLength(1));
    const window = fake.BrowserWindow.instances[0]!;
    window.minimized = true;
    fake.app.emit('second-instance', {}, ['/opt/CallDesk/calldesk', 'tel:+4930123456'], dataDir);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    // The link reached the call-link queue (logged by scheme only: the number is personal data).
    const logFile = path.join(dataDir, 'logs', 'calldesk.log');
    await vi.waitFor(() => expect(fs.readFileSync(logFile, 'utf8')).toMatch(/call link received.*"scheme":"tel"/));
    expect(fs.readFileSync(logFile, 'utf8')).not.toContain('4930123456');
  });

  it('a database from a newer version: a clear dialog, exit code 1, no window, the file untouched', async () => {
    const dbFile = path.join(dataDir, 'calldesk.sqlite');
    const db = new Database(dbFile);
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(dbFile);
    await loadMain();
    fake.app.readyResolve();
    await vi.waitFor(() => expect(fake.dialog.showErrorBox).toHaveBeenCalledTimes(1));
    const [title, message] = fake.dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toBe('CallDesk could not start');
    expect(message).toMatch(/newer version of CallDesk/);
    expect(message).toContain('(DB_TOO_NEW)');
    expect(message).toContain(dataDir);
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
  });
});
