import { createRandom } from '../../../../electron/core/customer/demoData';

/** The demo data's seeded generator (mulberry32), so a failing property names its seed and replays. */
export const seededRandom = createRandom;

/** A Fisher-Yates shuffled copy. */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
