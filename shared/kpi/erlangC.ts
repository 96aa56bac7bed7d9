/**
 * Staffing calculator (Erlang C, issue 12 item 7).
 *
 * Model: calls arrive at random (Poisson) at `calls / intervalSec`, handling times are exponential
 * with mean `ahtSec`, callers wait in one queue and never abandon, `n` identical agents.
 *
 * - Traffic intensity A (Erlangs) = calls × AHT / interval length.
 * - Erlang B by the stable recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) (no factorials, so
 *   no overflow for thousands of agents).
 * - P(wait) = Erlang C = N·B(N) / (N − A·(1 − B(N))), defined for N > A (with N ≤ A the queue grows
 *   without bound: P(wait) = 1, SL = 0, ASA = ∞).
 * - Service level within T seconds = 1 − P(wait) · e^(−(N − A)·T / AHT).
 * - ASA = P(wait) · AHT / (N − A).
 * - Occupancy = A / N.
 * - Agents to schedule with shrinkage s (0 ≤ s < 1, the share of paid time not on the phones) =
 *   ⌈N / (1 − s)⌉.
 *
 * Erlang C ignores abandons, so it slightly overstates the agents needed when callers hang up:
 * the usual, conservative choice for planning.
 */

/** What the planner enters. */
export interface StaffingInput {
  /** Calls expected in one interval. */
  calls: number;
  /** Interval length in seconds (e.g. 1800 for 30 minutes). */
  intervalSec: number;
  /** Average handling time in seconds (talk + hold + wrap-up). */
  ahtSec: number;
  /** Target share of calls answered within `targetSec` (0..1, e.g. 0.8). */
  targetSl: number;
  /** Service level threshold in seconds (e.g. 20). */
  targetSec: number;
  /** Share of paid time not available for calls (0..1, default 0). */
  shrinkage?: number;
  /** Upper bound of the search (default 10,000 agents). */
  maxAgents?: number;
}

/** The expected figures for one number of agents. */
export interface StaffingFigures {
  agents: number;
  /** Traffic in Erlangs. */
  erlangs: number;
  /** Probability that a caller waits at all (0..1). */
  pWait: number;
  /** Share answered within the threshold (0..1). */
  serviceLevel: number;
  /** Average speed of answer, seconds (Infinity when agents ≤ Erlangs). */
  asaSec: number;
  /** Agent occupancy (0..1, capped at 1). */
  occupancy: number;
}

/** The calculator's answer. */
export interface StaffingResult extends StaffingFigures {
  /** Agents to schedule once shrinkage is added (= `agents` without shrinkage). */
  scheduled: number;
}

/** Traffic intensity in Erlangs. */
export function erlangs(calls: number, intervalSec: number, ahtSec: number): number {
  return (calls * ahtSec) / intervalSec;
}

/** Erlang C: probability of waiting with `n` agents and `a` Erlangs. */
export function erlangC(n: number, a: number): number {
  if (a <= 0) return 0;
  if (n <= a) return 1;
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return (n * b) / (n - a * (1 - b));
}

/** Every figure for `n` agents. */
export function staffingFigures(n: number, a: number, ahtSec: number, targetSec: number): StaffingFigures {
  const pWait = erlangC(n, a);
  const stable = n > a;
  return {
    agents: n,
    erlangs: a,
    pWait,
    serviceLevel: a <= 0 ? 1 : stable ? 1 - pWait * Math.exp((-(n - a) * targetSec) / ahtSec) : 0,
    asaSec: a <= 0 ? 0 : stable ? (pWait * ahtSec) / (n - a) : Infinity,
    occupancy: n === 0 ? 0 : Math.min(1, a / n),
  };
}

/** Thrown for input the model cannot use (the message names the field). */
export class StaffingInputError extends Error {
  constructor(readonly field: keyof StaffingInput, message: string) {
    super(message);
    this.name = 'StaffingInputError';
  }
}

function check(input: StaffingInput): void {
  const bad = (field: keyof StaffingInput, why: string): never => {
    throw new StaffingInputError(field, `${field} ${why}`);
  };
  if (!Number.isFinite(input.calls) || input.calls < 0) bad('calls', 'must be a number ≥ 0');
  if (!Number.isFinite(input.intervalSec) || input.intervalSec <= 0) bad('intervalSec', 'must be > 0');
  if (!Number.isFinite(input.ahtSec) || input.ahtSec <= 0) bad('ahtSec', 'must be > 0');
  if (!Number.isFinite(input.targetSl) || input.targetSl <= 0 || input.targetSl >= 1) bad('targetSl', 'must be between 0 and 1 (exclusive)');
  if (!Number.isFinite(input.targetSec) || input.targetSec < 0) bad('targetSec', 'must be ≥ 0');
  const s = input.shrinkage ?? 0;
  if (!Number.isFinite(s) || s < 0 || s >= 1) bad('shrinkage', 'must be between 0 (included) and 1');
}

/**
 * The fewest agents that reach the service level target, with their figures and the number to
 * schedule after shrinkage. Throws {@link StaffingInputError} for bad input, and when even
 * `maxAgents` agents are not enough.
 */
export function agentsNeeded(input: StaffingInput): StaffingResult {
  check(input);
  const a = erlangs(input.calls, input.intervalSec, input.ahtSec);
  const max = input.maxAgents ?? 10_000;
  const shrink = input.shrinkage ?? 0;
  if (a === 0) return { ...staffingFigures(0, 0, input.ahtSec, input.targetSec), scheduled: 0 };
  for (let n = Math.max(1, Math.floor(a) + 1); n <= max; n++) {
    const f = staffingFigures(n, a, input.ahtSec, input.targetSec);
    if (f.serviceLevel >= input.targetSl) return { ...f, scheduled: Math.ceil(n / (1 - shrink) - 1e-9) };
  }
  throw new StaffingInputError('maxAgents', `more than ${max} agents would be needed`);
}
