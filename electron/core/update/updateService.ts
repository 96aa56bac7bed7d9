import { AppError } from '../../../shared/api/result';
import type { UpdateState } from '../../../shared/update/api';
import { repeat, type Scheduler } from '../adapters/scheduler';
import type { SettingsService } from '../config/settingsService';
import type { Logger } from '../log/logger';
import { fetchUpdateInfo } from './updateFeed';
import { decideUpdate, installTiming, type UpdateChannel, type UpdateFile } from './updatePolicy';

/** The release the core chose, for the installer. */
export interface UpdateTarget {
  /** Base URL of the feed (`update.url`). */
  feedUrl: string;
  channel: UpdateChannel;
  version: string;
  file: UpdateFile;
}

/**
 * Gets a chosen release ready and installs it: in Electron, electron-updater (which verifies the
 * SHA-512 and, on Windows, the code signature) and quit-and-install; elsewhere a verified download.
 */
export interface UpdateInstaller {
  /** Downloads and verifies `target`; resolves when it can be installed. */
  download(target: UpdateTarget): Promise<void>;
  /** Installs the downloaded release (the app restarts). Never called during a call or wrap-up. */
  install(target: UpdateTarget): void;
}

/** What the update service needs. */
export interface UpdateServiceDeps {
  settings: SettingsService;
  currentVersion: string;
  platform: string;
  /** Stable id of this installation (rollout bucket). */
  installId: string;
  installer: UpdateInstaller;
  /** True during a call or wrap-up: nothing installs then. */
  busy: () => boolean;
  scheduler: Scheduler;
  now: () => number;
  logger: Logger;
  onState?: (state: UpdateState) => void;
  fetch?: typeof fetch;
}

/**
 * Controlled updates: reads the company's feed (`update.url`, channel file), decides with the rules
 * in force (policy or the server per team: enabled, channel, pinned or maximum version, staged
 * rollout) which release to take, has the installer download it, and installs only when the agent
 * is idle: asked first while postpones are left, then at the next idle moment.
 */
export class UpdateService {
  private phase: UpdateState['phase'] = 'idle';
  private target: UpdateTarget | null = null;
  private skipped: UpdateState['skipped'] = null;
  private lastCheckAt: number | null = null;
  private error: string | null = null;
  private postponed = 0;
  private running: Promise<UpdateState> | null = null;
  private stopTimer: (() => void) | null = null;

  constructor(private readonly deps: UpdateServiceDeps) {}

  /** The state the UI shows. */
  state(): UpdateState {
    const s = this.deps.settings;
    const off = !s.get('update.enabled') || s.get('update.url') === '';
    const maxPostpones = s.get('update.maxPostpones');
    return {
      phase: off && this.phase === 'idle' ? 'off' : this.phase,
      current: this.deps.currentVersion,
      available: this.target?.version ?? null,
      skipped: this.skipped,
      timing: this.phase === 'ready' ? installTiming({ busy: this.deps.busy(), postponed: this.postponed, maxPostpones }) : null,
      postponesLeft: Math.max(0, maxPostpones - this.postponed),
      lastCheckAt: this.lastCheckAt,
      error: this.error,
    };
  }

  /** Checks now, then every `update.checkIntervalMinutes`. */
  start(): void {
    this.stopTimer?.();
    void this.check();
    this.stopTimer = repeat(this.deps.scheduler, this.deps.settings.get('update.checkIntervalMinutes') * 60_000, () => void this.check());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Reads the feed, decides and downloads what is chosen. One check at a time. */
  check(): Promise<UpdateState> {
    this.running ??= this.runCheck().finally(() => (this.running = null));
    return this.running;
  }

  private async runCheck(): Promise<UpdateState> {
    const s = this.deps.settings;
    const url = s.get('update.url');
    const rules = {
      enabled: s.get('update.enabled') && url !== '',
      channel: s.get('update.channel'),
      maxVersion: s.get('update.maxVersion'),
      pinnedVersion: s.get('update.pinnedVersion'),
      rolloutPercent: s.get('update.rolloutPercent'),
    };
    if (this.phase === 'ready' || this.phase === 'installing') return this.publish();
    if (!rules.enabled) {
      this.skipped = { version: null, reason: 'disabled' };
      this.phase = 'idle';
      return this.publish();
    }
    this.phase = 'checking';
    this.error = null;
    this.publish();
    try {
      const feed = await fetchUpdateInfo(url, rules.channel, this.deps.platform, this.deps.fetch);
      this.lastCheckAt = this.deps.now();
      const decision = decideUpdate({ current: this.deps.currentVersion, feed, rules, installId: this.deps.installId });
      if (decision.action === 'none') {
        this.skipped = { version: decision.version ?? null, reason: decision.reason };
        this.phase = 'idle';
        this.deps.logger.info('no update taken', { reason: decision.reason, version: decision.version ?? null, channel: rules.channel });
        return this.publish();
      }
      const target: UpdateTarget = { feedUrl: url, channel: rules.channel, version: decision.version, file: decision.file };
      this.skipped = null;
      this.phase = 'downloading';
      this.target = target;
      this.publish();
      this.deps.logger.info('update chosen: downloading', { version: target.version, channel: rules.channel });
      await this.deps.installer.download(target);
      this.phase = 'ready';
      this.postponed = 0;
      this.deps.logger.info('update downloaded and verified', { version: target.version });
      return this.poke();
    } catch (err) {
      this.phase = 'error';
      this.target = null;
      this.error = (err as Error).message;
      this.deps.logger.warn('update check failed', { error: this.error, code: (err as AppError).code });
      return this.publish();
    }
  }

  /**
   * Re-evaluates a ready update after the agent's situation changed (call ended, wrap-up done):
   * installs when idle and no postpone is left; otherwise publishes (the UI asks, or waits).
   */
  poke(): UpdateState {
    const st = this.state();
    if (st.phase === 'ready' && st.timing === 'install') return this.install('postpones used up');
    return this.publish();
  }

  /** The agent postpones the ready update. */
  postpone(): UpdateState {
    const st = this.state();
    if (st.phase !== 'ready') throw new AppError('NOT_FOUND', 'No update is waiting to install');
    if (st.postponesLeft === 0) throw new AppError('FORBIDDEN', 'This update cannot be postponed any more: it installs at the next idle moment');
    this.postponed += 1;
    this.deps.logger.info('update postponed by the agent', { version: this.target?.version, postponesLeft: st.postponesLeft - 1 });
    return this.publish();
  }

  /** The agent installs the ready update now (never during a call or wrap-up). */
  installNow(): UpdateState {
    const st = this.state();
    if (st.phase !== 'ready') throw new AppError('NOT_FOUND', 'No update is waiting to install');
    if (st.timing === 'wait') throw new AppError('UNAVAILABLE', 'The update installs after the call and wrap-up');
    return this.install('agent chose to install');
  }

  private install(why: string): UpdateState {
    const target = this.target!;
    this.phase = 'installing';
    this.deps.logger.info('installing update', { version: target.version, why });
    const st = this.publish();
    this.deps.installer.install(target);
    return st;
  }

  private publish(): UpdateState {
    const st = this.state();
    this.deps.onState?.(st);
    return st;
  }
}
