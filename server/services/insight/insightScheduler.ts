import type { Logger } from '../../log';
import type { InsightService } from './insightService';

/** How often the scheduler looks whether a recompute is due. */
export const INSIGHT_CHECK_MS = 60_000;

/**
 * Runs the insight recompute on schedule: every check, when the last run is older than the
 * configured `recomputeMinutes` (0: never on schedule). Several instances may run it: the recompute
 * takes a try-lock, so one computes and the others skip.
 */
export class InsightScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly insight: InsightService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly checkMs: number = INSIGHT_CHECK_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.checkMs);
    this.timer.unref();
  }

  /** One check; resolves when a recompute it started is done. */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const s = await this.insight.settings();
        if (s.recomputeMinutes === 0) return;
        const last = await this.insight.lastRunAt();
        if (last !== null && this.now() - last < s.recomputeMinutes * 60_000) return;
        const report = await this.insight.recompute();
        if (report.ran) this.logger.info('insight recomputed', { customers: report.customers, changed: report.changed, ms: report.ms });
      } catch (err) {
        this.logger.error('insight recompute failed', { error: (err as Error).message });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
