/** Percentile figures of one measured operation. */
export interface Figures {
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  unit: string;
}

/** The q-quantile of sorted samples (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Summarises raw samples. */
export function summarise(name: string, samples: number[], unit = 'ms'): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return { name, n: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), mean, unit };
}

/** Runs `fn` `iterations` times after `warmup` runs and returns its latency figures (ms). */
export async function measure(name: string, iterations: number, fn: () => Promise<unknown> | unknown, warmup = Math.min(20, iterations)): Promise<Figures> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarise(name, samples);
}

/** Prints figures as one aligned line each (what `npm run bench` shows). */
export function report(...all: Figures[]): void {
  for (const f of all) {
    const fmt = (v: number) => v.toFixed(v < 10 ? 3 : 1).padStart(9);
    console.log(`BENCH ${f.name.padEnd(52)} n=${String(f.n).padStart(6)}  p50=${fmt(f.p50)}  p95=${fmt(f.p95)}  p99=${fmt(f.p99)}  mean=${fmt(f.mean)} ${f.unit}`);
  }
}

/**
 * `npm run bench -- --full` sets CALLDESK_BENCH_FULL=1: the 1M-row figures the issues quote. The
 * default profile is quick (the whole bench in a few minutes) with smaller data sets.
 */
export const FULL_PROFILE = process.env.CALLDESK_BENCH_FULL === '1';

/** A data-set size: the environment variable `envName` when set, else the full or the quick profile's value. */
export function benchSize(envName: string, quick: number, full: number): number {
  const set = Number(process.env[envName]);
  return Number.isFinite(set) && set > 0 ? set : FULL_PROFILE ? full : quick;
}
