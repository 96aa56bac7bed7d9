import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionTimer, decideAsUac, decideAsUas, parseMinSe, parseSessionExpires } from '../../../../electron/core/phone/sessionTimer';

const CONFIG = { expiresSeconds: 1800, minSeconds: 90 };

describe('session timer headers (RFC 4028)', () => {
  it('parses Session-Expires with and without a refresher, and rejects garbage', () => {
    expect(parseSessionExpires('1800;refresher=uac')).toEqual({ seconds: 1800, refresher: 'uac' });
    expect(parseSessionExpires(' 90 ; Refresher=UAS')).toEqual({ seconds: 90, refresher: 'uas' });
    expect(parseSessionExpires('600')).toEqual({ seconds: 600 });
    expect(parseSessionExpires('soon')).toBeNull();
    expect(parseSessionExpires('0')).toBeNull();
    expect(parseSessionExpires(undefined)).toBeNull();
    expect(parseMinSe('120')).toBe(120);
    expect(parseMinSe('x')).toBeNull();
  });

  it('as UAS: 422 below Min-SE, echoes the interval, picks the refresher, none for a UAC without timers', () => {
    expect(decideAsUas({ sessionExpires: '30', supported: ['timer'] }, CONFIG)).toEqual({ kind: 'reject', minSe: 90 });
    expect(decideAsUas({ sessionExpires: '600;refresher=uac', supported: ['100rel, timer'] }, CONFIG)).toEqual({
      kind: 'timer',
      seconds: 600,
      weRefresh: false,
      headers: ['Session-Expires: 600;refresher=uac', 'Require: timer'],
    });
    expect(decideAsUas({ sessionExpires: '600', supported: [] }, CONFIG)).toMatchObject({ kind: 'timer', weRefresh: true, headers: ['Session-Expires: 600;refresher=uas'] });
    expect(decideAsUas({ sessionExpires: undefined, supported: ['timer'] }, CONFIG)).toMatchObject({ kind: 'timer', seconds: 1800, weRefresh: true });
    expect(decideAsUas({ sessionExpires: undefined, supported: ['replaces'] }, CONFIG)).toEqual({ kind: 'none' });
  });

  it('as UAC: the 2xx decides; no refresher parameter means we refresh', () => {
    expect(decideAsUac({ sessionExpires: '900;refresher=uas' })).toEqual({ seconds: 900, weRefresh: false });
    expect(decideAsUac({ sessionExpires: '900' })).toEqual({ seconds: 900, weRefresh: true });
    expect(decideAsUac({ sessionExpires: undefined })).toBeNull();
  });
});

describe('SessionTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('expires at SE - min(32, SE/3) without a refresh from the other side; a refresh restarts the interval', () => {
    const expired = vi.fn();
    const t = new SessionTimer(90, false, CONFIG, { refresh: vi.fn(), expired, log: () => undefined });
    vi.advanceTimersByTime(59_000);
    t.refreshedByPeer('90;refresher=uac');
    vi.advanceTimersByTime(59_000);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('as refresher re-INVITEs at half the interval, and retries a 422 with the peer Min-SE', async () => {
    const refresh = vi.fn().mockResolvedValueOnce({ code: 422, minSe: 300 }).mockResolvedValue({ code: 0, sessionExpires: '300;refresher=uac' });
    const t = new SessionTimer(120, true, CONFIG, { refresh, expired: vi.fn(), log: () => undefined });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(refresh.mock.calls[0]![0]).toContain('Session-Expires: 120;refresher=uac');
    expect(refresh.mock.calls[1]![0]).toContain('Session-Expires: 300;refresher=uac');
    expect(t.state).toEqual({ seconds: 300, weRefresh: true });
    t.stop();
  });

  it('a refresh answered 481 or 408 ends the session at once as expired', async () => {
    for (const code of [481, 408]) {
      const expired = vi.fn();
      const t = new SessionTimer(60, true, CONFIG, { refresh: vi.fn().mockResolvedValue({ code }), expired, log: () => undefined });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(expired).toHaveBeenCalledTimes(1);
      t.stop();
    }
  });

  it('a refresh that gets no answer ends the session when it would expire, not never', async () => {
    const expired = vi.fn();
    const refresh = vi.fn(() => new Promise<{ code: number }>(() => undefined));
    new SessionTimer(60, true, CONFIG, { refresh, expired, log: () => undefined });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(expired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('a refresh refused for a passing reason (491) is retried while the session runs, then the session expires', async () => {
    const expired = vi.fn();
    const refresh = vi.fn().mockResolvedValue({ code: 491 });
    new SessionTimer(60, true, CONFIG, { refresh, expired, log: () => undefined });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(expired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(refresh.mock.calls.length).toBeGreaterThan(1);
    expect(expired).toHaveBeenCalledTimes(1);
    const calls = refresh.mock.calls.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(refresh).toHaveBeenCalledTimes(calls);
  });
});
