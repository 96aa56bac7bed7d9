/** Small statistics helpers shared by the KPIs (pure, no rounding). */

/** Sum of numbers. */
export function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** `num / den`, or null when `den` is 0 (a KPI with nothing to measure shows "—", never 0 or NaN). */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/** Median: the middle value, the mean of the two middle values for an even count; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Percentile by nearest rank: the value at rank ⌈p·n⌉ of the sorted values (p in 0..1); null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(p * s.length))) - 1]!;
}
