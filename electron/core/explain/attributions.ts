// What every explainer here shares: how a model is seen (a batch prediction function over its
// feature matrix) and the shape of the answer (per row, per output, one value per feature or group).
import type { FeatureGroup } from './feature-groups.js';

/**
 * A model as the explainers see it: predictions for `n` rows of the row-major n×d feature matrix
 * `x` (as preprocess.ts `transform` makes it), row-major n×k (k outputs: class probabilities,
 * logits, or one value). Explainers call it in batches and never keep `x` after it returns.
 */
export type Predict = (x: Float32Array, n: number) => Float64Array | Float32Array;

/**
 * Additive explanations of `rows` rows: for each row and output, `width` values (one per feature,
 * or per group) that sum with `base` to the model's output for that row.
 */
export interface Attributions {
  rows: number;
  outputs: number;
  /** Values per row and output: the feature count, or the group count after sumByGroup. */
  width: number;
  /** The expected output, per output (the same for every row). */
  base: Float64Array;
  /** rows × outputs × width, row-major: row r, output k, feature j at (r * outputs + k) * width + j. */
  values: Float64Array;
  /** Standard error of each value, laid out as `values`, where the values are estimates (KernelSHAP). */
  stdErr?: Float64Array;
}

/**
 * Attributions per feature summed over each group's features (a one-hot column's features into its
 * column). Exact for additive explanations; a KernelSHAP run over groups needs no summing.
 */
export function sumByGroup(a: Attributions, groups: readonly FeatureGroup[]): Attributions {
  const width = groups.length;
  const values = new Float64Array(a.rows * a.outputs * width);
  for (let ro = 0; ro < a.rows * a.outputs; ro++) {
    for (let g = 0; g < width; g++) {
      let s = 0;
      for (const j of groups[g]!.features) s += a.values[ro * a.width + j]!;
      values[ro * width + g] = s;
    }
  }
  return { rows: a.rows, outputs: a.outputs, width, base: a.base, values };
}

/** The output count of predictions for n rows (their length over n), refusing a ragged result. */
export function outputCount(predictions: ArrayLike<number>, n: number): number {
  const k = n > 0 ? predictions.length / n : 0;
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`The model returned ${predictions.length} values for ${n} rows`);
  return k;
}

/** The width d of n rows of a row-major feature matrix, refusing a length that is not n×d rows. */
export function rowWidth(x: ArrayLike<number>, n: number): number {
  const d = n > 0 ? x.length / n : 0;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`Expected ${n} rows of features, got ${x.length} values`);
  return d;
}
