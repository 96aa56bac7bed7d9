import type { Logger } from '../log/logger';
import { downloadVerified } from './updateFeed';
import type { UpdateInstaller } from './updateService';

/**
 * The installer outside Electron (browser host, tests): downloads the chosen release into `dir`
 * and verifies it against the feed. It cannot replace the running program: installing is left to
 * IT (or the packaged app), which the log says.
 */
export function downloadOnlyInstaller(dir: string, logger: Logger, fetchImpl?: typeof fetch): UpdateInstaller & { downloaded: string[] } {
  const downloaded: string[] = [];
  return {
    downloaded,
    async download(target) {
      downloaded.push(await downloadVerified(target.feedUrl, target.file, dir, fetchImpl));
    },
    install(target) {
      logger.warn('this host cannot install updates itself: install the downloaded release', { version: target.version, file: downloaded.at(-1) ?? null });
    },
  };
}
