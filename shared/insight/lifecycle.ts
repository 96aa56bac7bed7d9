import type { LifecycleStage } from '../customer/schema';

/**
 * Lifecycle stage derived from the purchase history, with rules an admin can tune.
 *
 * Rules, first match wins (`now` and the order dates in epoch ms; a year is 365 days):
 * 1. No order yet: `acquisition` (still being won).
 * 2. Last order more than `lapsedAfterDays` ago: `lapsed`.
 * 3. First order at most `acquisitionDays` ago: `acquisition`.
 * 4. Spend in the last `windowDays` is below `declineRatio` x the spend in the window before it
 *    (which was > 0): `decline`.
 * 5. Customer for less than `maturityAfterDays`, or the last window's spend is at least
 *    `growthRatio` x the window before, or the window before had no spend: `growth`.
 * 6. Otherwise: `maturity`.
 *
 * A stage an agent or admin set by hand wins over the computed one and is marked `manual`.
 */
export interface LifecycleRules {
  lapsedAfterDays: number;
  acquisitionDays: number;
  windowDays: number;
  declineRatio: number;
  growthRatio: number;
  maturityAfterDays: number;
}

/** Built-in rules. */
export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = {
  lapsedAfterDays: 365,
  acquisitionDays: 90,
  windowDays: 365,
  declineRatio: 0.7,
  growthRatio: 1.25,
  maturityAfterDays: 730,
};

const DAY = 86_400_000;

/** Refuses rules that cannot work (RangeError naming the field). */
export function checkLifecycleRules(rules: LifecycleRules): LifecycleRules {
  for (const [key, value] of Object.entries(rules)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`lifecycle rule ${key} must be a positive number`);
  }
  if (rules.declineRatio >= rules.growthRatio) throw new RangeError('lifecycle rule declineRatio must be below growthRatio');
  return rules;
}

/** One order as the lifecycle rules see it. */
export interface DatedAmount {
  at: number;
  amount: number;
}

/** The computed stage from a customer's orders (any order). */
export function computeLifecycle(orders: readonly DatedAmount[], now: number, rules: LifecycleRules = DEFAULT_LIFECYCLE_RULES): LifecycleStage {
  if (orders.length === 0) return 'acquisition';
  let first = Infinity;
  let last = -Infinity;
  let recent = 0;
  let previous = 0;
  const window = rules.windowDays * DAY;
  for (const o of orders) {
    first = Math.min(first, o.at);
    last = Math.max(last, o.at);
    if (o.at > now - window) recent += o.amount;
    else if (o.at > now - 2 * window) previous += o.amount;
  }
  if (now - last > rules.lapsedAfterDays * DAY) return 'lapsed';
  if (now - first <= rules.acquisitionDays * DAY) return 'acquisition';
  if (previous > 0 && recent < previous * rules.declineRatio) return 'decline';
  if (now - first < rules.maturityAfterDays * DAY || previous <= 0 || recent >= previous * rules.growthRatio) return 'growth';
  return 'maturity';
}

/** The stage shown, with where it comes from. */
export interface LifecycleView {
  stage: LifecycleStage;
  source: 'manual' | 'computed';
  /** What the rules say, also when a manual stage wins (null: not computed yet). */
  computed: LifecycleStage | null;
}

/** A manual stage (set by hand) wins and is marked; otherwise the computed one. */
export function effectiveLifecycle(manual: LifecycleStage | null, computed: LifecycleStage | null, fallback: LifecycleStage = 'acquisition'): LifecycleView {
  if (manual) return { stage: manual, source: 'manual', computed };
  return { stage: computed ?? fallback, source: 'computed', computed };
}
