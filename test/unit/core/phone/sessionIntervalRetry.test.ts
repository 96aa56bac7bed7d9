import { describe, expect, it } from 'vitest';
import { MAX_INTERVAL_RETRIES, MAX_SESSION_INTERVAL_SECONDS, intervalAfterTooSmall, retryInviteHeaders } from '../../../../electron/core/phone/sessionIntervalRetry';

describe('422 Session Interval Too Small to our INVITE (RFC 4028 7.4)', () => {
  it('retries with the Min-SE the peer asked for when it raises our interval', () => {
    expect(intervalAfterTooSmall('600', 90, 0)).toBe(600);
    expect(intervalAfterTooSmall(' 1800;x=y', 90, 1)).toBe(1800);
  });

  it('does not retry without a usable, larger, sane Min-SE or once the retries are used up', () => {
    expect(intervalAfterTooSmall(undefined, 90, 0)).toBeNull();
    expect(intervalAfterTooSmall('abc', 90, 0)).toBeNull();
    expect(intervalAfterTooSmall('90', 90, 0)).toBeNull();
    expect(intervalAfterTooSmall(String(MAX_SESSION_INTERVAL_SECONDS + 1), 90, 0)).toBeNull();
    expect(intervalAfterTooSmall('600', 90, MAX_INTERVAL_RETRIES)).toBeNull();
  });

  it('the retried INVITE keeps the caller headers and offers the raised interval as Session-Expires and Min-SE', () => {
    expect(retryInviteHeaders(['X-Queue: sales'], { expiresSeconds: 60, minSeconds: 5 }, 120)).toEqual(['X-Queue: sales', 'Supported: timer', 'Session-Expires: 120', 'Min-SE: 120']);
  });
});
