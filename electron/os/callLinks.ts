import path from 'node:path';
import type { App } from 'electron';
import type { Logger } from '../core/log/logger';

/** URL schemes CallDesk handles: clicking a phone link anywhere in the OS dials it here. */
export const CALL_LINK_SCHEMES = ['tel', 'sip', 'callto'] as const;

const MAX_LINK_LENGTH = 2048;
const LINK_PATTERN = new RegExp(`^(${CALL_LINK_SCHEMES.join('|')}):`, 'i');

/** True for a `tel:`, `sip:` or `callto:` URL of sane length. */
export function isCallLink(value: string): boolean {
  return value.length <= MAX_LINK_LENGTH && LINK_PATTERN.test(value) && !/[\u0000-\u001f]/.test(value);
}

/** The call links in a command line (Windows and Linux pass the clicked URL as an argument). */
export function extractCallLinks(argv: readonly string[]): string[] {
  return argv.filter((a) => typeof a === 'string' && isCallLink(a));
}

/**
 * Where clicked call links arrive. Links that arrive before anyone listens (the app was launched by
 * the click) are kept and delivered to the first listener, so none is lost during start-up.
 */
export interface CallLinkSource {
  on(listener: (url: string) => void): () => void;
}

/** A {@link CallLinkSource} the composition root pushes links into. */
export interface CallLinkQueue extends CallLinkSource {
  push(url: string): void;
}

/** Creates the queue. At most `limit` early links are kept (the oldest are dropped). */
export function createCallLinkQueue(logger: Logger, limit = 20): CallLinkQueue {
  const pending: string[] = [];
  const listeners = new Set<(url: string) => void>();
  return {
    push(url) {
      if (!isCallLink(url)) {
        logger.warn('call link ignored', { scheme: url.split(':')[0]?.slice(0, 20) ?? '' });
        return;
      }
      // The number is personal data: log the scheme only.
      logger.info('call link received', { scheme: url.split(':')[0]!.toLowerCase(), listeners: listeners.size });
      if (listeners.size === 0) {
        pending.push(url);
        if (pending.length > limit) pending.shift();
        return;
      }
      for (const l of listeners) l(url);
    },
    on(listener) {
      listeners.add(listener);
      for (const url of pending.splice(0)) listener(url);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Registers CallDesk as the OS handler of the call link schemes. In development (`electron .`) the
 * registration must name the app folder, or the OS would start bare Electron.
 */
export function registerCallLinkProtocols(
  app: Pick<App, 'setAsDefaultProtocolClient'>,
  logger: Logger,
  launch: { isPackaged: boolean; execPath: string; appArg?: string },
): string[] {
  const registered: string[] = [];
  for (const scheme of CALL_LINK_SCHEMES) {
    const ok = launch.isPackaged || !launch.appArg
      ? app.setAsDefaultProtocolClient(scheme)
      : app.setAsDefaultProtocolClient(scheme, launch.execPath, [path.resolve(launch.appArg)]);
    if (ok) registered.push(scheme);
    else logger.warn('protocol registration refused by the OS', { scheme });
  }
  return registered;
}
