/** Reconnect timing: capped exponential backoff with jitter. */
export interface BackoffPolicy {
  /** Delay before the first retry (ms). */
  baseMs: number;
  /** Upper bound of any delay (ms). Keep it small for agents: a call may be waiting. */
  maxMs: number;
  /** Fraction of the delay that is randomised (0 = none, 0.5 = delay in [d/2, d]). */
  jitter: number;
}

/** Default policy: 250 ms, 500 ms, 1 s, 2 s, then at most 3 s, each minus up to 30 % jitter. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 3000, jitter: 0.3 };

/**
 * Delay before reconnect attempt `attempt` (0-based): min(max, base * 2^attempt), reduced by a random
 * share of up to `jitter` so that many agents losing the same PBX do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp * (1 - policy.jitter * r));
}
