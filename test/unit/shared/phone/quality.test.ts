import { describe, expect, it } from 'vitest';
import { estimateMos, mosFromR, rFactor, summariseQuality, type QualitySample } from '../../../../shared/phone/quality';

describe('E-model (ITU-T G.107) call quality', () => {
  it('scores a clean LAN call near the top of the narrowband scale', () => {
    expect(estimateMos(20, 2, 0, 'opus')).toBeGreaterThanOrEqual(4.3);
    expect(estimateMos(20, 2, 0, 'opus')).toBeLessThanOrEqual(4.5);
  });

  it('falls with loss and with delay, as G.107 predicts', () => {
    const clean = estimateMos(40, 5, 0, 'pcmu');
    expect(estimateMos(40, 5, 0.05, 'pcmu')).toBeLessThan(clean);
    expect(estimateMos(40, 5, 0.2, 'pcmu')).toBeLessThan(estimateMos(40, 5, 0.05, 'pcmu'));
    expect(estimateMos(600, 5, 0, 'pcmu')).toBeLessThan(estimateMos(100, 5, 0, 'pcmu'));
    expect(estimateMos(40, 5, 0.2, 'pcmu')).toBeLessThan(3.1);
  });

  it('applies the delay knee at 177.3 ms and maps R to MOS with G.107 B-4', () => {
    expect(rFactor(100, 0, 'pcmu')).toBeCloseTo(93.2 - 2.4, 5);
    expect(rFactor(277.3, 0, 'pcmu')).toBeCloseTo(93.2 - 0.024 * 277.3 - 0.11 * 100, 5);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(50)).toBeCloseTo(1 + 1.75 + 50 * -10 * 50 * 7e-6, 5);
  });

  it('summarises the samples of a call', () => {
    const s = (mos: number, rtt: number): QualitySample => ({ at: 0, rttMs: rtt, jitterMs: 2, loss: 0.01, bitrateKbps: 32, codec: 'opus', mos });
    expect(summariseQuality([])).toBeNull();
    expect(summariseQuality([s(4.4, 20), s(3.6, 40)])).toEqual({ samples: 2, mosAvg: 4, mosMin: 3.6, rttAvgMs: 30, jitterAvgMs: 2, lossAvg: 0.01, codec: 'opus' });
  });
});
