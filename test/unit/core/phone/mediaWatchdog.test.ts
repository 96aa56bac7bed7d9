import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaWatchdog } from '../../../../electron/core/phone/mediaWatchdog';
import type { QualitySample } from '../../../../shared/phone/quality';

function sample(rtpBytes: number, ice = 'connected', rtcpReports = 0): QualitySample {
  return { at: Date.now(), rttMs: 0, jitterMs: 0, loss: 0, bitrateKbps: 0, codec: 'opus', mos: 4.4, liveness: { rtpBytes, rtcpReports, ice } };
}

describe('MediaWatchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function make(timeoutMs = 30_000) {
    const events = { onHealth: vi.fn(), onBroken: vi.fn(), onTimeout: vi.fn() };
    const w = new MediaWatchdog({ timeoutMs: () => timeoutMs, now: () => Date.now() }, events);
    return { w, events };
  }

  it('warns after a third of the timeout and ends at the timeout with the time media was last seen', () => {
    const { w, events } = make();
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      w.sample(sample((bytes += 1000)));
      vi.advanceTimersByTime(1000);
    }
    const lastMedia = Date.now() - 1000;
    for (let i = 0; i < 10; i++) {
      w.sample(sample(bytes));
      vi.advanceTimersByTime(1000);
    }
    expect(w.current.state).toBe('silent');
    expect(events.onHealth).toHaveBeenCalledWith(expect.objectContaining({ state: 'silent', lastMediaAt: lastMedia }));
    expect(events.onTimeout).not.toHaveBeenCalled();
    for (let i = 0; i < 21; i++) {
      w.sample(sample(bytes));
      vi.advanceTimersByTime(1000);
    }
    expect(events.onTimeout).toHaveBeenCalledWith(lastMedia);
  });

  it('never ends a held call, and gives a resumed call the whole timeout again', () => {
    const { w, events } = make(10_000);
    w.sample(sample(100));
    w.setPaused(true);
    for (let i = 0; i < 60; i++) {
      w.sample(sample(100));
      vi.advanceTimersByTime(1000);
    }
    expect(w.current.state).toBe('paused');
    w.setPaused(false);
    for (let i = 0; i < 9; i++) {
      w.sample(sample(100));
      vi.advanceTimersByTime(1000);
    }
    expect(events.onTimeout).not.toHaveBeenCalled();
  });

  it('RTCP alone keeps the call alive; without samples at all nothing is decided', () => {
    const { w, events } = make(10_000);
    for (let i = 0; i < 20; i++) {
      w.sample(sample(0, 'connected', i));
      vi.advanceTimersByTime(1000);
    }
    expect(events.onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(events.onTimeout).not.toHaveBeenCalled();
    expect(w.current.state).toBe('ok');
  });

  it('asks once for an ICE restart when ICE is broken and nothing arrives', () => {
    const { w, events } = make();
    w.sample(sample(100));
    for (let i = 0; i < 12; i++) {
      w.sample(sample(100, 'disconnected'));
      vi.advanceTimersByTime(1000);
    }
    expect(events.onBroken).toHaveBeenCalledTimes(1);
    w.dispose();
  });
});
