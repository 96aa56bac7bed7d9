import { AppError } from '../../shared/api/result';

/** The privileged scheme the renderer is served from in Electron (`app://calldesk/index.html`). */
export const APP_SCHEME = 'app';
/** The one host of {@link APP_SCHEME}. */
export const APP_HOST = 'calldesk';

/** Which URLs are our own app page: the sender check, navigation and permissions all use it. */
export interface AppUrlPolicy {
  /** The URL the main window loads. */
  readonly entryUrl: string;
  /** The dev server origin when one is used (development only), else null. */
  readonly devServerOrigin: string | null;
  /** True for a page of our own app (any path, query or hash), false for anything else or garbage. */
  isAppUrl(url: string): boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Builds the policy. Without `devServerUrl` the app page is `app://calldesk/`; with one (development
 * only, never in a packaged app) the page is that loopback http origin instead.
 */
export function createAppUrlPolicy(devServerUrl?: string | null): AppUrlPolicy {
  let devServerOrigin: string | null = null;
  if (devServerUrl) {
    let url: URL;
    try {
      url = new URL(devServerUrl);
    } catch {
      throw new AppError('CONFIG_INVALID', `CALLDESK_DEV_SERVER_URL: "${devServerUrl}" is not a URL`);
    }
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new AppError('CONFIG_INVALID', `CALLDESK_DEV_SERVER_URL: must be http:// on localhost or 127.0.0.1, got "${devServerUrl}"`);
    }
    devServerOrigin = url.origin;
  }
  return {
    entryUrl: devServerOrigin ? `${devServerOrigin}/` : `${APP_SCHEME}://${APP_HOST}/index.html`,
    devServerOrigin,
    isAppUrl(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return false;
      }
      if (devServerOrigin) return url.origin === devServerOrigin;
      return url.protocol === `${APP_SCHEME}:` && url.host.toLowerCase() === APP_HOST && url.username === '' && url.password === '';
    },
  };
}

/** True only for http(s) URLs: the only kind we ever hand to the OS browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
