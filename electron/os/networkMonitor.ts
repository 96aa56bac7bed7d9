import type { Net, PowerMonitor } from 'electron';

/** Signals after which the phone should check its connection at once instead of waiting for a timeout. */
export type NetworkSignal = 'resume' | 'online';

/**
 * Tells the phone when the machine woke up (`resume`) or the network came back (`online`), so it
 * can reconnect and re-register immediately. Listeners never throw into the emitter.
 */
export interface NetworkMonitor {
  on(signal: NetworkSignal, listener: () => void): () => void;
  close(): void;
}

/** Options of {@link createElectronNetworkMonitor}. */
export interface ElectronNetworkMonitorOptions {
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  net: Pick<Net, 'isOnline'>;
  /** How often to sample `net.isOnline()`; Electron has no online/offline event in main. */
  pollMs?: number;
}

/**
 * NetworkMonitor over Electron's powerMonitor (`resume`) and `net.isOnline()` sampled every
 * `pollMs` (an offline -> online transition emits `online`). Create it after `app` is ready.
 */
export function createElectronNetworkMonitor({ powerMonitor, net, pollMs = 3000 }: ElectronNetworkMonitorOptions): NetworkMonitor {
  const listeners: Record<NetworkSignal, Set<() => void>> = { resume: new Set(), online: new Set() };
  const emit = (signal: NetworkSignal) => {
    for (const l of listeners[signal]) {
      try {
        l();
      } catch {
        // A broken listener must not stop the others from reconnecting.
      }
    }
  };
  const onResume = () => emit('resume');
  powerMonitor.on('resume', onResume);
  let online = net.isOnline();
  const timer = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) emit('online');
    online = now;
  }, pollMs);
  timer.unref?.();
  return {
    on(signal, listener) {
      listeners[signal].add(listener);
      return () => listeners[signal].delete(listener);
    },
    close() {
      clearInterval(timer);
      powerMonitor.removeListener('resume', onResume);
      for (const set of Object.values(listeners)) set.clear();
    },
  };
}
