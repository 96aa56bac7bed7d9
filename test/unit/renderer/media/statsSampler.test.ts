import { describe, expect, it } from 'vitest';
import { StatsSampler } from '../../../../renderer/media/statsSampler';

function pc(stats: Record<string, unknown>[]): RTCPeerConnection {
  return { getStats: async () => new Map(stats.map((s, i) => [String(i), s])) } as unknown as RTCPeerConnection;
}

describe('StatsSampler', () => {
  it('turns two getStats reports into loss, jitter, RTT, bitrate and a MOS', async () => {
    const sampler = new StatsSampler();
    const codec = { type: 'codec', id: 'C1', mimeType: 'audio/PCMU' };
    expect(await sampler.sample(pc([{ type: 'inbound-rtp', kind: 'audio', bytesReceived: 0, packetsReceived: 0, packetsLost: 0, jitter: 0, codecId: 'C1' }, codec]), 1000)).toBeNull();
    const s = await sampler.sample(
      pc([
        { type: 'inbound-rtp', kind: 'audio', bytesReceived: 16_000, packetsReceived: 95, packetsLost: 5, jitter: 0.004, codecId: 'C1' },
        { type: 'remote-inbound-rtp', roundTripTime: 0.06 },
        codec,
      ]),
      3000,
    );
    expect(s).toMatchObject({ rttMs: 60, jitterMs: 4, loss: 0.05, bitrateKbps: 64, codec: 'pcmu' });
    expect(s!.mos).toBeGreaterThan(1);
    expect(s!.mos).toBeLessThan(4.2);
  });
});
