import type { MediaHealth } from '../../../shared/phone/call';
import type { QualitySample } from '../../../shared/phone/quality';
import { repeat, systemScheduler, type Scheduler } from '../adapters/scheduler';

/** What the watchdog of one call reports to the phone service. */
export interface MediaWatchdogEvents {
  /** The health changed (ok / silent / paused): re-emit the phone state. */
  onHealth(health: MediaHealth): void;
  /** ICE is failed/disconnected and nothing arrives: try an ICE restart (called once per outage). */
  onBroken(): void;
  /** No media for the whole timeout: end the call; `lastMediaAt` is the real end of the conversation. */
  onTimeout(lastMediaAt: number): void;
}

/** Timing of a media watchdog. */
export interface MediaWatchdogOptions {
  /** Silence (no inbound RTP or RTCP, or ICE failed/disconnected) that ends the call (ms); read on every check. */
  timeoutMs(): number;
  now(): number;
  /** Timers of the periodic check; the real timers when absent. */
  scheduler?: Scheduler;
  /** Samples older than this mean the media engine is away (window closed): no verdict then (ms). */
  staleAfterMs?: number;
  /** Silence after which an ICE restart is tried when ICE is failed/disconnected too (ms). */
  brokenAfterMs?: number;
  /** How often the verdict is re-checked between samples (ms). */
  checkEveryMs?: number;
}

const BROKEN_ICE = new Set(['failed', 'disconnected']);

/**
 * Decides from the media engine's statistics whether the other side of one established call is still
 * there. Media counts as seen when inbound RTP bytes or received RTCP reports grow; on hold (either
 * side) silence is expected and the clock restarts on resume. The agent is warned once the silence
 * reaches a third of the timeout (at most 10 s), an ICE restart is asked for when ICE is broken too,
 * and the call is ended at the timeout. Without fresh samples (the media engine is away) nothing is
 * decided: absence of statistics is not absence of media.
 */
export class MediaWatchdog {
  private lastMediaAt: number;
  private graceFrom: number;
  private lastSampleAt = 0;
  private rtpBytes = -1;
  private rtcpReports = -1;
  private ice = 'new';
  private iceBrokenSince: number | null = null;
  private paused = false;
  private brokenReported = false;
  private fired = false;
  private health: MediaHealth;
  private readonly cancelChecks: () => void;

  constructor(
    private readonly options: MediaWatchdogOptions,
    private readonly events: MediaWatchdogEvents,
  ) {
    const now = options.now();
    this.lastMediaAt = now;
    this.graceFrom = now;
    this.health = { state: 'ok', lastMediaAt: now };
    this.cancelChecks = repeat(options.scheduler ?? systemScheduler, options.checkEveryMs ?? 1000, () => this.check());
  }

  /** The current health (for the call snapshot). */
  get current(): MediaHealth {
    return { ...this.health };
  }

  /** When media was last seen (epoch ms). */
  get lastSeen(): number {
    return this.lastMediaAt;
  }

  /** One statistics sample of this call's media. */
  sample(sample: QualitySample): void {
    const l = sample.liveness;
    if (!l) return;
    const now = this.options.now();
    this.lastSampleAt = now;
    // Counters going down mean a new peer connection (media engine restarted): a new baseline.
    const grew = (this.rtpBytes >= 0 && l.rtpBytes > this.rtpBytes) || (this.rtcpReports >= 0 && l.rtcpReports > this.rtcpReports);
    if (l.rtpBytes < this.rtpBytes || l.rtcpReports < this.rtcpReports) this.graceFrom = now;
    this.rtpBytes = l.rtpBytes;
    this.rtcpReports = l.rtcpReports;
    if (grew) {
      const at = l.lastPacketAt !== undefined && l.lastPacketAt <= now && l.lastPacketAt > this.lastMediaAt ? l.lastPacketAt : now;
      this.lastMediaAt = Math.max(this.lastMediaAt, at);
      this.brokenReported = false;
    }
    if (l.ice !== this.ice) {
      this.ice = l.ice;
      this.iceBrokenSince = BROKEN_ICE.has(l.ice) ? now : null;
      if (!BROKEN_ICE.has(l.ice)) this.brokenReported = false;
    }
    this.check();
  }

  /** Hold (either side) started or ended: silence on hold never ends a call. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (!paused) this.graceFrom = this.options.now();
    this.check();
  }

  /** Media was renegotiated (re-INVITE): give the new path the whole timeout again. */
  restartGrace(): void {
    this.graceFrom = this.options.now();
    this.check();
  }

  dispose(): void {
    this.cancelChecks();
    this.fired = true;
  }

  private check(): void {
    if (this.fired) return;
    const now = this.options.now();
    const timeout = this.options.timeoutMs();
    if (this.paused) return this.setHealth({ state: 'paused', lastMediaAt: this.lastMediaAt });
    const stale = now - this.lastSampleAt > (this.options.staleAfterMs ?? 5000);
    const from = Math.max(this.lastMediaAt, this.graceFrom);
    const silentFor = now - from;
    const iceBrokenFor = this.iceBrokenSince === null ? 0 : now - Math.max(this.iceBrokenSince, this.graceFrom);
    if (stale || (silentFor < Math.min(10_000, timeout / 3) && iceBrokenFor < Math.min(10_000, timeout / 3))) {
      return this.setHealth({ state: 'ok', lastMediaAt: this.lastMediaAt });
    }
    const endsAt = Math.min(from + timeout, this.iceBrokenSince === null ? Infinity : Math.max(this.iceBrokenSince, this.graceFrom) + timeout);
    this.setHealth({ state: 'silent', lastMediaAt: this.lastMediaAt, endsAt });
    if (this.iceBrokenSince !== null && !this.brokenReported && silentFor >= (this.options.brokenAfterMs ?? 3000)) {
      this.brokenReported = true;
      this.events.onBroken();
    }
    if (now >= endsAt) {
      this.fired = true;
      this.cancelChecks();
      this.events.onTimeout(this.lastMediaAt);
    }
  }

  private setHealth(next: MediaHealth): void {
    const h = this.health;
    if (h.state === next.state && h.lastMediaAt === next.lastMediaAt && h.endsAt === next.endsAt) return;
    // Media arriving moves lastMediaAt every second: report only state changes and silence details.
    const notable = h.state !== next.state || next.state === 'silent';
    this.health = next;
    if (notable) this.events.onHealth({ ...next });
  }
}
