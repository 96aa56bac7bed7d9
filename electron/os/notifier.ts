import { app, Notification, type BrowserWindow } from 'electron';
import { plainText } from '../../shared/text/plainText';
import type { Notifier } from '../core/adapters';
import type { Logger } from '../core/log/logger';

/**
 * The core's Notifier in Electron: OS notifications (a click brings the window forward) and
 * bring-to-front for screen pops. Windows refuses focus to a background app unless the window is
 * briefly made topmost; macOS needs `app.focus({ steal: true })`.
 */
export function createElectronNotifier(getWindow: () => BrowserWindow | null, logger: Logger): Notifier {
  // Keep shown notifications referenced: a collected Notification loses its click handler.
  const shown = new Set<Notification>();
  const focusWindow = () => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    if (!window.isVisible()) window.show();
    if (process.platform === 'win32') {
      window.setAlwaysOnTop(true);
      window.focus();
      window.setAlwaysOnTop(false);
    } else {
      window.focus();
    }
    if (process.platform === 'darwin') app.focus({ steal: true });
  };
  return {
    notify(title, body) {
      if (!Notification.isSupported()) {
        logger.info('os notifications not supported here');
        return;
      }
      // The core sends plain bounded text; bound it here too so no caller can flood the OS centre.
      const notification = new Notification({ title: plainText(title, 120), body: plainText(body, 400) });
      shown.add(notification);
      const forget = () => shown.delete(notification);
      notification.on('click', () => {
        forget();
        focusWindow();
      });
      notification.on('close', forget);
      notification.on('failed', (_event, error) => {
        forget();
        logger.warn('os notification failed', { error });
      });
      notification.show();
    },
    focusWindow,
  };
}
