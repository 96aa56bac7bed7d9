import type { LogSink } from '../log/logger';
import type { CommandRunner } from '../config/osPolicy';
import type { NetworkMonitor } from './network';
import type { Scheduler } from './scheduler';
import type { UpdateInstaller } from '../update/updateService';

export type { NetworkMonitor, NetworkSignal } from './network';
export { systemScheduler, type Scheduler, type TimerHandle } from './scheduler';

/** Time source; injected so tests control it. */
export interface Clock {
  now(): number;
}

/** Where the core keeps its files. */
export interface CorePaths {
  dataDir: string;
  databaseFile: string;
  logFile: string;
  /** System policy file provisioned by IT (may not exist). */
  policyFile: string;
}

/** Stores credentials: the OS keychain in Electron, a 0600 file in the browser host. */
export interface SecretStore {
  /** A human-readable warning when the store is weaker than an OS keychain, else null. */
  readonly warning: string | null;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Shows OS notifications and brings the window forward. */
export interface Notifier {
  notify(title: string, body: string): void;
  focusWindow(): void;
}

/** Everything the core needs from its host. */
export interface CoreAdapters {
  clock: Clock;
  paths: CorePaths;
  secrets: SecretStore;
  notifier: Notifier;
  /** Extra log sinks (console in development, memory in tests). The file sink is always added. */
  logSinks?: LogSink[];
  /** Timers of every service (phone, sync, media, workflow); the real timers when absent. Tests pass a fake clock. */
  scheduler?: Scheduler;
  /** Network-change and resume-from-sleep signals (the phone re-registers on them). */
  network?: NetworkMonitor;
  /** Runs OS tools that read system policy (`reg`, `plutil`); tests pass a fake. Default: child_process. */
  runCommand?: CommandRunner;
  /**
   * Downloads and installs the release the core's update service chose (Electron: electron-updater,
   * quit-and-install). Default: a verified download into `<data dir>/updates`, installed by IT.
   */
  updateInstaller?: UpdateInstaller;
  /** The fetch the update service reads the feed with (tests). */
  fetch?: typeof fetch;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };
