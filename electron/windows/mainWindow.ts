import { BrowserWindow, shell, type BrowserWindowConstructorOptions, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/log/logger';
import { isSafeExternalUrl, type AppUrlPolicy } from './appUrl';

/** Permissions the renderer may get, and only on our own page: the microphone and notifications. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'notifications']);

/**
 * The main window's options. Security flags follow Electron's checklist: a sandboxed renderer with
 * context isolation and no Node. `backgroundThrottling: false` because a call centre app must keep
 * ringing, timing and answering calls while hidden or minimised.
 */
export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    ...(iconPath ? { icon: iconPath } : {}),
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'CallDesk',
    backgroundColor: '#f5f5f5',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      backgroundThrottling: false,
    },
  };
}

/** Opens http(s) URLs in the OS browser; anything else (file:, javascript:, smb:, custom schemes) is refused. */
export function openExternalSafely(url: string, logger: Logger): boolean {
  if (!isSafeExternalUrl(url)) {
    logger.warn('external url refused', { url: url.slice(0, 200) });
    return false;
  }
  shell.openExternal(url).catch((err: unknown) => logger.warn('openExternal failed', { error: err as Error }));
  return true;
}

/**
 * Locks down one webContents: no navigation away from the loaded page, no new windows (http(s)
 * links go to the OS browser instead), no <webview>.
 */
export function lockDownContents(contents: WebContents, logger: Logger): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    logger.warn('navigation blocked', { url: String(url).slice(0, 200) });
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    logger.warn('redirect blocked', { url: String(url).slice(0, 200) });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, logger);
    return { action: 'deny' };
  });
}

/** True when `permission` may be granted to `requestingUrl`; media only for audio (the headset). */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  policy: AppUrlPolicy,
  mediaTypes: readonly string[] = [],
): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission) || !policy.isAppUrl(requestingUrl)) return false;
  if (permission === 'media') return mediaTypes.every((t) => t === 'audio');
  return true;
}

/**
 * Session-wide rules: the CSP header on every response (the dev server's and any other), and the
 * permission handlers (request and check) allowing only {@link ALLOWED_PERMISSIONS} for our origin.
 */
export function hardenSession(session: Session, policy: AppUrlPolicy, csp: string, logger: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const allowed = isPermissionAllowed(permission, details.requestingUrl, policy, mediaTypes);
    if (!allowed) logger.warn('permission refused', { permission, url: details.requestingUrl.slice(0, 200), mediaTypes });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const url = details.requestingUrl ?? requestingOrigin;
    const mediaTypes = details.mediaType ? [details.mediaType] : [];
    return isPermissionAllowed(permission, url, policy, mediaTypes);
  });
}

/** Options of {@link createMainWindow}. */
export interface MainWindowOptions {
  preloadPath: string;
  /** The window icon (Linux; Windows and macOS use the executable's). */
  iconPath?: string;
  policy: AppUrlPolicy;
  logger: Logger;
}

/** Creates the main window, locked down, loading our page; shown once painted. */
export function createMainWindow({ preloadPath, iconPath, policy, logger }: MainWindowOptions): BrowserWindow {
  const options = mainWindowOptions(preloadPath, iconPath);
  // The three isolation switches once more at the construction site: no options change can drop
  // them, and static scanners (Electronegativity) see them where the window is made.
  const window = new BrowserWindow({ ...options, webPreferences: { ...options.webPreferences, sandbox: true, contextIsolation: true, nodeIntegration: false } });
  lockDownContents(window.webContents, logger);
  window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) => logger.error('renderer gone', { reason: details.reason, exitCode: details.exitCode }));
  window.webContents.on('did-fail-load', (_event, code, description, url) => logger.error('page failed to load', { code, description, url }));
  window.loadURL(policy.entryUrl).catch((err: unknown) => logger.error('loadURL failed', { error: err as Error }));
  return window;
}
