import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { createAppUrlPolicy } from '../../../../electron/windows/appUrl';
import { electronCsp } from '../../../../electron/windows/csp';
import { createMainWindow, hardenSession, isPermissionAllowed, mainWindowOptions } from '../../../../electron/windows/mainWindow';
import { BrowserWindow, fakeSession, resetElectronFake, shell } from '../../../fakes/electron';

vi.mock('electron', () => import('../../../fakes/electron'));

const policy = createAppUrlPolicy(null);

function logger() {
  const sink = createMemorySink();
  return { sink, log: createLogRoot([sink], 'debug').createLogger('window') };
}

function openWindow() {
  const { sink, log } = logger();
  createMainWindow({ preloadPath: '/app/dist/electron/preload.cjs', policy, logger: log });
  const window = BrowserWindow.instances.at(-1)!;
  return { window, contents: window.webContents, sink };
}

describe('main window', () => {
  beforeEach(() => resetElectronFake());

  it('is created with the security flags, the preload and no background throttling', () => {
    const { window } = openWindow();
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      backgroundThrottling: false,
    });
    expect(window.options).toEqual(mainWindowOptions('/app/dist/electron/preload.cjs'));
  });

  it('loads our app page and shows itself once painted', () => {
    const { window } = openWindow();
    expect(window.loadURL).toHaveBeenCalledWith('app://calldesk/index.html');
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('blocks every navigation and redirect, with a log line', () => {
    const { contents, sink } = openWindow();
    for (const url of ['https://evil.example/', 'app://calldesk/other.html', 'file:///etc/passwd']) {
      expect(contents.emitCancellable('will-navigate', url), url).toBe(true);
    }
    expect(contents.emitCancellable('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emitCancellable('will-attach-webview', {}, {})).toBe(true);
    expect(sink.records.filter((r) => r.msg === 'navigation blocked')).toHaveLength(3);
  });

  it('denies every window.open; http(s) URLs go to the OS browser instead', () => {
    const { contents } = openWindow();
    const open = contents.windowOpenHandler!;
    expect(open({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://intranet.local/crm?id=1' })).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls).toEqual([['https://example.com/help'], ['http://intranet.local/crm?id=1']]);
  });

  it('never hands a non-http(s) URL to the OS', () => {
    const { contents, sink } = openWindow();
    const open = contents.windowOpenHandler!;
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'ms-msdt:/id', 'app://calldesk/index.html', 'data:text/html,x', 'not a url']) {
      expect(open({ url }), url).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(sink.records.filter((r) => r.msg === 'external url refused')).toHaveLength(7);
  });
});

describe('session hardening', () => {
  beforeEach(() => resetElectronFake());

  function hardened() {
    const session = fakeSession();
    const { log, sink } = logger();
    hardenSession(session as never, policy, electronCsp(), log);
    const request = (permission: string, details: Record<string, unknown>) => {
      let granted: boolean | undefined;
      session.requestHandler!({}, permission, (g) => (granted = g), details);
      return granted;
    };
    return { session, request, sink };
  }

  it('puts the strict CSP on every response, replacing any CSP the server sent', () => {
    const { session } = hardened();
    let out: Record<string, string[]> | undefined;
    session.headersListener!({ responseHeaders: { 'content-security-policy': ["default-src *"], 'content-type': ['text/html'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [electronCsp()] });
    expect(electronCsp()).toMatch(/script-src 'self';/);
    expect(electronCsp()).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(electronCsp()).toMatch(/object-src 'none'/);
  });

  it('grants the microphone and notifications to our page only', () => {
    const { request, sink } = hardened();
    expect(request('media', { requestingUrl: 'app://calldesk/index.html', mediaTypes: ['audio'] })).toBe(true);
    expect(request('notifications', { requestingUrl: 'app://calldesk/index.html' })).toBe(true);
    expect(request('media', { requestingUrl: 'app://calldesk/index.html', mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(request('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
    expect(request('notifications', { requestingUrl: 'https://evil.example/' })).toBe(false);
    for (const p of ['geolocation', 'display-capture', 'clipboard-read', 'openExternal', 'midiSysex', 'unknown']) {
      expect(request(p, { requestingUrl: 'app://calldesk/index.html' }), p).toBe(false);
    }
    expect(sink.records.filter((r) => r.msg === 'permission refused')).toHaveLength(9);
  });

  it('answers permission checks by the same rule', () => {
    const { session } = hardened();
    const check = session.checkHandler!;
    expect(check({}, 'media', 'app://calldesk', { requestingUrl: 'app://calldesk/index.html', mediaType: 'audio' })).toBe(true);
    expect(check({}, 'media', 'app://calldesk', { requestingUrl: 'app://calldesk/index.html', mediaType: 'video' })).toBe(false);
    expect(check({}, 'notifications', 'https://evil.example', { requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(check({}, 'geolocation', 'app://calldesk', { requestingUrl: 'app://calldesk/index.html' })).toBe(false);
  });

  it('isPermissionAllowed follows the dev server origin when one is configured', () => {
    const dev = createAppUrlPolicy('http://localhost:5173');
    expect(isPermissionAllowed('media', 'http://localhost:5173/', dev, ['audio'])).toBe(true);
    expect(isPermissionAllowed('media', 'app://calldesk/index.html', dev, ['audio'])).toBe(false);
  });
});
