import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../electron/core/adapters/backoff';

describe('reconnect backoff', () => {
  const policy = { baseMs: 250, maxMs: 3000, jitter: 0.3 };
  it('doubles from the base and stops at the cap', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 20].map((n) => backoffDelay(n, policy, noJitter))).toEqual([250, 500, 1000, 2000, 3000, 3000, 3000]);
  });
  it('jitter only shortens the delay, by at most the jitter share', () => {
    expect(backoffDelay(10, policy, () => 1)).toBe(2100);
    expect(backoffDelay(10, policy, () => 0.5)).toBe(2550);
  });
});
