import type { AppUpdater } from 'electron-updater';
import { AppError } from '../../shared/api/result';
import type { Logger } from '../core/log/logger';
import type { UpdateInstaller } from '../core/update/updateService';

/**
 * The Electron shell's part of controlled updates: the core decides which release and when
 * (electron/core/update/); this only fetches that release through electron-updater, which verifies
 * its SHA-512 and, on Windows, the publisher's code signature (on macOS Squirrel checks the
 * signature), and quits and installs when the core says so. electron-updater decides nothing:
 * no automatic download or install on quit, no rollout of its own, no downgrade.
 */
export function createElectronInstaller(logger: Logger): UpdateInstaller {
  // Loaded on first use: nothing of electron-updater runs at start-up or in a development run.
  let updater: Promise<AppUpdater> | null = null;
  const load = () =>
    (updater ??= import('electron-updater').then(({ autoUpdater }) => {
      autoUpdater.autoDownload = false;
      autoUpdater.autoInstallOnAppQuit = false;
      autoUpdater.allowDowngrade = false;
      // The core's staged rollout (update.rolloutPercent, a stable hash of the install id) already chose.
      autoUpdater.isUserWithinRollout = () => true;
      autoUpdater.logger = {
        info: (m: unknown) => logger.info(`electron-updater: ${String(m)}`),
        warn: (m: unknown) => logger.warn(`electron-updater: ${String(m)}`),
        error: (m: unknown) => logger.error(`electron-updater: ${String(m)}`),
        debug: (m: string) => logger.debug(`electron-updater: ${m}`),
      };
      return autoUpdater;
    }));
  let ready: AppUpdater | null = null;
  return {
    async download(target) {
      const autoUpdater = await load();
      autoUpdater.allowPrerelease = target.channel === 'beta';
      autoUpdater.setFeedURL({ provider: 'generic', url: target.feedUrl, channel: target.channel === 'stable' ? 'latest' : target.channel });
      const found = await autoUpdater.checkForUpdates();
      const version = found?.updateInfo.version ?? null;
      // The feed may have moved on since the core read it: install only what the core chose.
      if (version !== target.version) throw new AppError('CONFLICT', `The update feed now offers ${version ?? 'nothing'} instead of ${target.version}; checking again later`);
      await autoUpdater.downloadUpdate();
      ready = autoUpdater;
    },
    install(target) {
      if (!ready) {
        logger.error('no downloaded update to install', { version: target.version });
        return;
      }
      logger.info('quitting to install the update', { version: target.version });
      ready.quitAndInstall(true, true);
    },
  };
}
