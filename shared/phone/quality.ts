import { z } from 'zod';

/**
 * Call quality from WebRTC statistics, scored with the ITU-T G.107 E-model (simplified for VoIP as
 * in G.107 Annex and common practice): R = R0 - Id - Ie,eff, then R -> MOS (G.107 formula B-4).
 */

/** Schema of one quality sample taken from getStats. */
export const qualitySampleSchema = z.object({
  at: z.number(),
  /** Round-trip time (ms). */
  rttMs: z.number().nonnegative(),
  /** Inbound jitter (ms). */
  jitterMs: z.number().nonnegative(),
  /** Inbound packet loss over the sample interval (0..1). */
  loss: z.number().min(0).max(1),
  /** Inbound audio bitrate over the interval (kbit/s). */
  bitrateKbps: z.number().nonnegative(),
  codec: z.string(),
  mos: z.number().min(1).max(5),
  /**
   * Liveness counters for the media watchdog: cumulative inbound RTP bytes and RTCP reports received,
   * the ICE connection state, and when the last inbound RTP packet arrived (epoch ms, when known).
   */
  liveness: z
    .object({
      rtpBytes: z.number().nonnegative(),
      rtcpReports: z.number().nonnegative(),
      ice: z.string().max(32),
      lastPacketAt: z.number().optional(),
    })
    .optional(),
});
/** One quality sample. */
export type QualitySample = z.infer<typeof qualitySampleSchema>;

/** Schema of the quality summary kept on the call record. */
export const qualitySummarySchema = z.object({
  samples: z.number().int().nonnegative(),
  mosAvg: z.number(),
  mosMin: z.number(),
  rttAvgMs: z.number(),
  jitterAvgMs: z.number(),
  lossAvg: z.number(),
  codec: z.string(),
});
/** The quality of a whole call. */
export type QualitySummary = z.infer<typeof qualitySummarySchema>;

/** Equipment impairment Ie and packet-loss robustness Bpl per codec (G.113 Appendix I values). */
const CODECS: Record<string, { ie: number; bpl: number }> = {
  pcmu: { ie: 0, bpl: 25.1 },
  pcma: { ie: 0, bpl: 25.1 },
  g722: { ie: 0, bpl: 25.1 },
  opus: { ie: 0, bpl: 20 },
  g729: { ie: 11, bpl: 19 },
};

/** Transmission rating R from one-way delay, loss and codec. */
export function rFactor(oneWayDelayMs: number, lossRatio: number, codec: string): number {
  const { ie, bpl } = CODECS[codec.toLowerCase()] ?? { ie: 0, bpl: 20 };
  const d = Math.max(0, oneWayDelayMs);
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ppl = Math.min(100, Math.max(0, lossRatio * 100));
  const ieEff = ie + ((95 - ie) * ppl) / (ppl + bpl);
  return 93.2 - id - ieEff;
}

/** MOS (1..4.5) from R (G.107 B-4). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.min(4.5, Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6));
}

/** Estimated MOS: effective one-way delay = RTT/2 + 2 x jitter (jitter buffer) + 10 ms (codec). */
export function estimateMos(rttMs: number, jitterMs: number, loss: number, codec: string): number {
  return Number(mosFromR(rFactor(rttMs / 2 + 2 * jitterMs + 10, loss, codec)).toFixed(2));
}

/** Summarises the samples of a call. */
export function summariseQuality(samples: QualitySample[]): QualitySummary | null {
  if (samples.length === 0) return null;
  const avg = (f: (s: QualitySample) => number) => samples.reduce((a, s) => a + f(s), 0) / samples.length;
  return {
    samples: samples.length,
    mosAvg: Number(avg((s) => s.mos).toFixed(2)),
    mosMin: Math.min(...samples.map((s) => s.mos)),
    rttAvgMs: Math.round(avg((s) => s.rttMs)),
    jitterAvgMs: Number(avg((s) => s.jitterMs).toFixed(1)),
    lossAvg: Number(avg((s) => s.loss).toFixed(4)),
    codec: samples[samples.length - 1]!.codec,
  };
}
