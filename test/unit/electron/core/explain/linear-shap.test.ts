// Linear SHAP: the closed form w_j (x_j − mean_j), and base + contributions = the raw output.
import { describe, expect, it } from 'vitest';
import { sumByGroup } from '../../../../../electron/core/explain/attributions.js';
import { featureMeans, linearShap } from '../../../../../electron/core/explain/linear-shap.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

describe('linearShap', () => {
  const random = seededRandom(11);
  const d = 5;
  const k = 3;
  const layer = {
    inputs: d,
    units: k,
    kernel: Float32Array.from({ length: d * k }, () => random() * 4 - 2),
    bias: Float32Array.from({ length: k }, () => random() - 0.5),
  };
  const background = Float32Array.from({ length: 40 * d }, () => random() * 3);
  const n = 6;
  const x = Float32Array.from({ length: n * d }, () => random() * 3 - 1);

  it('gives w_j (x_j − mean_j) per unit over the background means', () => {
    const means = featureMeans(background, 40, d);
    let m0 = 0;
    for (let r = 0; r < 40; r++) m0 += background[r * d]!;
    expect(means[0]).toBeCloseTo(m0 / 40, 12);
    const got = linearShap(layer, x, n, means);
    expect([got.rows, got.outputs, got.width]).toEqual([n, k, d]);
    for (let r = 0; r < n; r++)
      for (let u = 0; u < k; u++)
        for (let j = 0; j < d; j++)
          expect(got.values[(r * k + u) * d + j]).toBeCloseTo(
            layer.kernel[j * k + u]! * (x[r * d + j]! - means[j]!),
            12,
          );
  });

  it('adds up to the raw output b + w·x, also after summing features into groups', () => {
    const got = linearShap(layer, x, n, featureMeans(background, 40, d));
    const grouped = sumByGroup(got, [
      { name: 'a', features: [0, 1, 2], encoding: 'one-hot' },
      { name: 'b', features: [3], encoding: 'number' },
      { name: 'c', features: [4], encoding: 'number' },
    ]);
    for (let r = 0; r < n; r++) {
      for (let u = 0; u < k; u++) {
        let raw = layer.bias[u]!;
        for (let j = 0; j < d; j++) raw += layer.kernel[j * k + u]! * x[r * d + j]!;
        let sum = got.base[u]!;
        for (let j = 0; j < d; j++) sum += got.values[(r * k + u) * d + j]!;
        expect(Math.abs(sum - raw)).toBeLessThan(1e-6);
        let groupSum = grouped.base[u]!;
        for (let g = 0; g < 3; g++) groupSum += grouped.values[(r * k + u) * 3 + g]!;
        expect(Math.abs(groupSum - raw)).toBeLessThan(1e-6);
      }
    }
  });

  it('refuses weights that do not fit the layer', () => {
    expect(() => linearShap({ ...layer, units: 2 }, x, n, new Float64Array(d))).toThrow(RangeError);
  });
});
