import { summariseQuality, type QualitySample, type QualitySummary } from '../../../shared/phone/quality';
import type { CoreBus } from '../bus/coreBus';
import { CallEnded } from '../phone/callEvents';

const MAX_SAMPLES_PER_CALL = 3600;
/** Summaries of ended calls kept for late readers (the call log reads it as the call ends). */
const MAX_SUMMARIES_KEPT = 50;

/**
 * Keeps the call-quality samples the renderer's media engine measures (getStats -> E-model MOS)
 * and the summary of each call, which the interaction log stores with the call record.
 */
export class CallQualityService {
  private readonly samples = new Map<string, QualitySample[]>();
  private readonly summaries = new Map<string, QualitySummary>();
  private readonly off: () => void;

  constructor(bus: CoreBus) {
    // Summarise when the call ends; keep only the summaries of the last calls.
    this.off = bus.on(CallEnded, ({ call }) => {
      if (this.samples.has(call.id)) this.finish(call.id);
    });
  }

  /** Records one sample of a live call. */
  record(callId: string, sample: QualitySample): void {
    let list = this.samples.get(callId);
    if (!list) this.samples.set(callId, (list = []));
    if (list.length < MAX_SAMPLES_PER_CALL) list.push(sample);
  }

  /** The summary of a call so far (live) or at its end; null without samples. */
  summary(callId: string): QualitySummary | null {
    return this.summaries.get(callId) ?? summariseQuality(this.samples.get(callId) ?? []);
  }

  /**
   * WebRTC stats for the diagnostics bundle: the samples of live calls (the last 60 of each) and the
   * summaries of the calls ended lately, by call id.
   */
  report(): { live: Record<string, QualitySample[]>; ended: Record<string, QualitySummary> } {
    return {
      live: Object.fromEntries([...this.samples].map(([id, list]) => [id, list.slice(-60)])),
      ended: Object.fromEntries(this.summaries),
    };
  }

  close(): void {
    this.off();
  }

  private finish(callId: string): void {
    const summary = summariseQuality(this.samples.get(callId) ?? []);
    this.samples.delete(callId);
    if (summary) this.summaries.set(callId, summary);
    for (const id of this.summaries.keys()) {
      if (this.summaries.size <= MAX_SUMMARIES_KEPT) break;
      this.summaries.delete(id);
    }
  }
}
