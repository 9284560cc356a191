// Permutation importance (Breiman 2001; scikit-learn's permutation_importance): how much a model's
// score on held-out rows drops when one column's values are shuffled across rows, breaking its link
// to the target while keeping its distribution. Works for any model through its predictions. A
// column's features (one-hot) move together, under one permutation of the rows.
import type { Predict } from './attributions.js';
import { outputCount, rowWidth } from './attributions.js';
import type { FeatureGroup } from './feature-groups.js';
import { checkGroups } from './feature-groups.js';
import { accuracy, argmaxRows, logLoss, r2, rmse } from '../training/evaluation-metrics.js';
import { seededRandom, shuffleInPlace } from '../training/seeded-random.js';

/** A score of a model's predictions (n×k) for the rows being scored, and which way is better. */
export interface Scorer {
  name: string;
  greaterIsBetter: boolean;
  score(predictions: Float64Array | Float32Array): number;
}

export interface GroupImportance {
  /** The group's (column's) name. */
  name: string;
  /** Mean drop in score over the repeats (positive: the model needed the column). */
  mean: number;
  /** Their standard deviation (population, as scikit-learn reports it). */
  std: number;
  /** The drop of each repeat. */
  drops: Float64Array;
}

export interface PermutationImportance {
  scorer: string;
  /** The score on the rows as they are. */
  baseline: number;
  /** One entry per group, in the groups' order. */
  groups: GroupImportance[];
}

export interface PermutationOptions {
  repeats?: number;
  seed?: number;
}

export const PERMUTATION_DEFAULTS = { repeats: 5, seed: 0 };

/** Importance of each group for n rows of x (row-major n×d, usually the test split). */
export function permutationImportance(
  predict: Predict,
  x: Float32Array,
  n: number,
  groups: readonly FeatureGroup[],
  scorer: Scorer,
  options: PermutationOptions = {},
): PermutationImportance {
  const repeats = options.repeats ?? PERMUTATION_DEFAULTS.repeats;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`repeats must be a whole number ≥ 1, got ${repeats}`);
  const d = rowWidth(x, n);
  checkGroups(groups, d);
  const baseline = scorer.score(predict(x, n));
  const random = seededRandom(options.seed ?? PERMUTATION_DEFAULTS.seed);
  const work = x.slice();
  const order = new Uint32Array(n);
  const sign = scorer.greaterIsBetter ? 1 : -1;
  const result = groups.map((g) => {
    const drops = new Float64Array(repeats);
    for (let rep = 0; rep < repeats; rep++) {
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleInPlace(order, random);
      for (let i = 0; i < n; i++) for (const j of g.features) work[i * d + j] = x[order[i]! * d + j]!;
      drops[rep] = sign * (baseline - scorer.score(predict(work, n)));
    }
    for (let i = 0; i < n; i++) for (const j of g.features) work[i * d + j] = x[i * d + j]!;
    let mean = 0;
    for (const v of drops) mean += v / repeats;
    let variance = 0;
    for (const v of drops) variance += (v - mean) ** 2 / repeats;
    return { name: g.name, mean, std: Math.sqrt(variance), drops };
  });
  return { scorer: scorer.name, baseline, groups: result };
}

/** Accuracy of class probabilities (n×k) against labels 0..k-1. */
export function accuracyScorer(labels: Int32Array): Scorer {
  return {
    name: 'accuracy',
    greaterIsBetter: true,
    score: (p) => accuracy(labels, argmaxRows(p, outputCount(p, labels.length))),
  };
}

/** Log loss of class probabilities (n×k) against labels 0..k-1. */
export function logLossScorer(labels: Int32Array): Scorer {
  return { name: 'log_loss', greaterIsBetter: false, score: (p) => logLoss(labels, p, outputCount(p, labels.length)) };
}

/** R² of predicted values (n×1). */
export function r2Scorer(values: ArrayLike<number>): Scorer {
  return { name: 'r2', greaterIsBetter: true, score: (p) => r2(values, p) };
}

/** Root mean squared error of predicted values (n×1). */
export function rmseScorer(values: ArrayLike<number>): Scorer {
  return { name: 'rmse', greaterIsBetter: false, score: (p) => rmse(values, p) };
}
