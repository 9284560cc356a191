// Exact SHAP values of a linear model (linear regression, or logistic regression before its
// softmax): with features taken as independent, feature j's value is w_j (x_j − E[x_j]) for each
// output, and the base is the output at the mean row, b + w·E[x] (Lundberg & Lee 2017, linear SHAP).
// Logistic models are explained in logit space, where they are additive.
import type { Attributions } from './attributions.js';

/** One Dense layer's parameters, as tfjs keeps them: kernel inputs×units row-major, bias per unit. */
export interface DenseWeights {
  inputs: number;
  units: number;
  kernel: Float32Array | Float64Array;
  bias: Float32Array | Float64Array;
}

/** The mean of each of d features over n rows of a row-major matrix: the background for linearShap. */
export function featureMeans(x: Float32Array, n: number, d: number): Float64Array {
  if (n < 1 || x.length !== n * d) throw new RangeError(`Expected ${n}×${d} features, got ${x.length} values`);
  const means = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) means[j]! += x[r * d + j]!;
  for (let j = 0; j < d; j++) means[j]! /= n;
  return means;
}

/** Contributions of each feature to each unit's raw output (before any activation) for n rows. */
export function linearShap(layer: DenseWeights, x: Float32Array, n: number, means: Float64Array): Attributions {
  const { inputs: d, units: k, kernel, bias } = layer;
  if (kernel.length !== d * k || bias.length !== k)
    throw new RangeError(`A ${d}×${k} layer needs ${d * k} weights and ${k} biases`);
  if (means.length !== d) throw new RangeError(`Expected ${d} feature means, got ${means.length}`);
  if (x.length !== n * d) throw new RangeError(`Expected ${n}×${d} features, got ${x.length} values`);
  const base = Float64Array.from(bias);
  for (let j = 0; j < d; j++) for (let u = 0; u < k; u++) base[u]! += kernel[j * k + u]! * means[j]!;
  const values = new Float64Array(n * k * d);
  for (let r = 0; r < n; r++) {
    for (let u = 0; u < k; u++) {
      const at = (r * k + u) * d;
      for (let j = 0; j < d; j++) values[at + j] = kernel[j * k + u]! * (x[r * d + j]! - means[j]!);
    }
  }
  return { rows: n, outputs: k, width: d, base, values };
}
