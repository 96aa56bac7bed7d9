import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/api/contract';
import { fail, type Result } from '../../shared/api/result';
import type { Dispatcher } from '../core/api/dispatcher';
import type { CoreEvents } from '../core/events';
import type { Logger } from '../core/log/logger';

/** What the IPC server needs from the core. */
export interface IpcServerCore {
  readonly dispatcher: Dispatcher;
  readonly events: CoreEvents;
}

/** Options of {@link startIpcServer}. */
export interface IpcServerOptions {
  core: IpcServerCore;
  logger: Logger;
  /** The main window, or null while there is none (calls are refused then). */
  getWindow(): BrowserWindow | null;
  /** True for our own app page (`app://calldesk/...` or the dev server). */
  isAppUrl(url: string): boolean;
}

/** A running IPC server. */
export interface IpcServer {
  /** Removes every handler and event subscription. */
  close(): void;
}

/** Why a sender was refused, for the log (never sent to the renderer). */
type SenderVerdict = { ok: true } | { ok: false; reason: string };

function frameLabel(frame: WebFrameMain | null): string {
  if (!frame) return '(no frame)';
  try {
    return frame.url.slice(0, 200);
  } catch {
    return '(destroyed frame)';
  }
}

/**
 * Accepts a call only from the main frame of our main window showing our own page. Refuses calls
 * from other windows or webContents, from subframes, from a frame that navigated elsewhere, and
 * calls whose frame is already gone.
 */
export function checkSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, isAppUrl: (url: string) => boolean): SenderVerdict {
  if (!window || window.isDestroyed()) return { ok: false, reason: 'no main window' };
  const contents = window.webContents;
  if (event.sender !== contents) return { ok: false, reason: 'sender is not the main window' };
  const frame = event.senderFrame;
  if (!frame) return { ok: false, reason: 'sender frame is gone' };
  const main = contents.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.frameToken !== main.frameToken) {
    return { ok: false, reason: 'sender is not the top-level frame' };
  }
  if (!isAppUrl(frame.url)) return { ok: false, reason: 'sender frame is not our app page' };
  return { ok: true };
}

/**
 * The one module that imports `ipcMain`. Registers one handler per invoke channel of the contract;
 * each checks the sender frame, then hands the payload to the core's dispatcher (which validates it
 * against the channel's schema). Forwards every event channel to the main window while it shows our page.
 */
export function startIpcServer({ core, logger, getWindow, isAppUrl }: IpcServerOptions): IpcServer {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> => {
      const verdict = checkSender(event, getWindow(), isAppUrl);
      if (!verdict.ok) {
        logger.warn('ipc sender refused', { channel, reason: verdict.reason, frame: frameLabel(event.senderFrame) });
        return fail('FORBIDDEN', `This page may not call ${channel}`);
      }
      return core.dispatcher.invoke(channel, payload, { transport: 'ipc' });
    });
  }
  const unsubscribers = EVENT_CHANNELS.map((channel) =>
    core.events.on(channel, (payload) => {
      const window = getWindow();
      if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
      // Core state must never reach a page that is not ours (navigation is blocked; belt and braces).
      if (!isAppUrl(window.webContents.mainFrame.url)) return;
      window.webContents.send(channel, payload);
    }),
  );
  logger.info('ipc server ready', { invoke: INVOKE_CHANNELS.length, events: EVENT_CHANNELS.length });
  return {
    close() {
      for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
      for (const off of unsubscribers) off();
    },
  };
}
