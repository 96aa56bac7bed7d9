/**
 * Customer satisfaction index (CSI) from survey answers.
 *
 * Each answer scores one or more dimensions from 1 (very dissatisfied) to 5 (very satisfied). A score
 * s is put on 0..100 as (s - 1) / 4 x 100. An answer's index is the weighted mean over the
 * dimensions it answered: sum(w_d x score_d) / sum(w_d) (a dimension left blank does not count and
 * the others' weights are renormalised). The CSI of a customer, team or period is the mean of its
 * answers' indexes; no answer gives null. Default weights: overall 0.4, resolution 0.3, attitude 0.2,
 * speed 0.1.
 */
export const CSI_DIMENSIONS = ['overall', 'resolution', 'attitude', 'speed'] as const;
/** A survey dimension. */
export type CsiDimension = (typeof CSI_DIMENSIONS)[number];

/** Weight of each dimension (non-negative, at least one positive). */
export type CsiWeights = Record<CsiDimension, number>;

/** Default weights. */
export const DEFAULT_CSI_WEIGHTS: CsiWeights = { overall: 0.4, resolution: 0.3, attitude: 0.2, speed: 0.1 };

/** One survey answer: a 1..5 score per answered dimension (`overall` is the CSAT question). */
export type SurveyScores = Partial<Record<CsiDimension, number>>;

/** Refuses weights that are negative, not numbers or all zero. */
export function checkCsiWeights(w: CsiWeights): CsiWeights {
  let sum = 0;
  for (const d of CSI_DIMENSIONS) {
    if (!Number.isFinite(w[d]) || w[d] < 0) throw new RangeError(`CSI weight ${d} must be a non-negative number`);
    sum += w[d];
  }
  if (sum <= 0) throw new RangeError('CSI weights must not all be zero');
  return w;
}

/** The 0..100 index of one answer; null when it answered no weighted dimension. */
export function answerIndex(scores: SurveyScores, weights: CsiWeights = DEFAULT_CSI_WEIGHTS): number | null {
  checkCsiWeights(weights);
  let weighted = 0;
  let weightSum = 0;
  for (const d of CSI_DIMENSIONS) {
    const s = scores[d];
    if (s === undefined) continue;
    if (!Number.isInteger(s) || s < 1 || s > 5) throw new RangeError(`survey score ${d} must be a whole number from 1 to 5`);
    weighted += weights[d] * ((s - 1) / 4) * 100;
    weightSum += weights[d];
  }
  return weightSum > 0 ? weighted / weightSum : null;
}

/** CSI of a group of answers (a customer, a team, a period), 0..100 to one decimal; null with no answer. */
export function satisfactionIndex(answers: readonly SurveyScores[], weights: CsiWeights = DEFAULT_CSI_WEIGHTS): number | null {
  const indexes = answers.map((a) => answerIndex(a, weights)).filter((x): x is number => x !== null);
  if (indexes.length === 0) return null;
  return Math.round((indexes.reduce((s, x) => s + x, 0) / indexes.length) * 10) / 10;
}
