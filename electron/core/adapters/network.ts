/** What the host reports about the machine's connectivity. */
export type NetworkSignal = 'network-change' | 'resume';

/**
 * Host adapter telling the phone that the network changed or the machine woke from sleep
 * (Electron: `powerMonitor` 'resume' and `net` online changes; browser host: `online` events).
 * The phone then probes its transport and re-registers.
 */
export interface NetworkMonitor {
  /** Subscribes; returns an unsubscribe. */
  onSignal(listener: (signal: NetworkSignal) => void): () => void;
}

/** A monitor the host (or a test) triggers by hand. */
export class ManualNetworkMonitor implements NetworkMonitor {
  private readonly listeners = new Set<(signal: NetworkSignal) => void>();
  onSignal(listener: (signal: NetworkSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Reports a signal to every subscriber. */
  emit(signal: NetworkSignal): void {
    for (const l of [...this.listeners]) l(signal);
  }
}
