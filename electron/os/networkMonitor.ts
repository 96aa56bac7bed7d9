import os from 'node:os';
import type { Net, PowerMonitor } from 'electron';
import type { NetworkMonitor, NetworkSignal } from '../core/adapters/network';

/** A NetworkMonitor the shell can stop. */
export interface ClosableNetworkMonitor extends NetworkMonitor {
  close(): void;
}

/** Options of {@link createElectronNetworkMonitor}. */
export interface ElectronNetworkMonitorOptions {
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  net: Pick<Net, 'isOnline'>;
  /** The machine's network interfaces (injected in tests). */
  interfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  /** How often to sample connectivity; Electron's main process has no online/offline event. */
  pollMs?: number;
}

/** The machine's external addresses as one comparable string (a Wi-Fi switch or VPN changes it). */
function addressFingerprint(interfaces: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>): string {
  const list: string[] = [];
  for (const [name, infos] of Object.entries(interfaces())) {
    for (const info of infos ?? []) if (!info.internal) list.push(`${name}/${info.address}`);
  }
  return list.sort().join(',');
}

/**
 * The phone's NetworkMonitor in Electron: `resume` from powerMonitor (the machine woke up), and
 * `network-change` when, sampled every `pollMs`, the machine comes back online (`net.isOnline()`)
 * or its external addresses change. The phone then probes its transport and re-registers at once
 * instead of waiting for a keep-alive to time out. Create it after `app` is ready.
 */
export function createElectronNetworkMonitor({ powerMonitor, net, interfaces = os.networkInterfaces, pollMs = 3000 }: ElectronNetworkMonitorOptions): ClosableNetworkMonitor {
  const listeners = new Set<(signal: NetworkSignal) => void>();
  const emit = (signal: NetworkSignal) => {
    for (const l of [...listeners]) {
      try {
        l(signal);
      } catch {
        // A broken listener must not stop the others from reconnecting.
      }
    }
  };
  const onResume = () => emit('resume');
  powerMonitor.on('resume', onResume);
  let online = net.isOnline();
  let addresses = addressFingerprint(interfaces);
  const timer = setInterval(() => {
    const nowOnline = net.isOnline();
    const nowAddresses = addressFingerprint(interfaces);
    const cameBack = nowOnline && !online;
    const moved = nowOnline && nowAddresses !== addresses;
    online = nowOnline;
    addresses = nowAddresses;
    if (cameBack || moved) emit('network-change');
  }, pollMs);
  timer.unref?.();
  return {
    onSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      powerMonitor.removeListener('resume', onResume);
      listeners.clear();
    },
  };
}
