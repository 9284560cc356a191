// KernelSHAP: exact when it enumerates (the linear closed form, brute-force Shapley values of a
// nonlinear model with the same interventional value function), additive always, seeded, and its
// sampled estimates within their stated error of the exact values.
import { describe, expect, it } from 'vitest';
import type { Predict } from '../../../../../electron/core/explain/attributions.js';
import type { FeatureGroup } from '../../../../../electron/core/explain/feature-groups.js';
import { kernelShap } from '../../../../../electron/core/explain/kernel-shap.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { bruteShapley } from './brute-shapley.js';

const random = seededRandom(21);
const uniform = (length: number) => Float32Array.from({ length }, () => random() * 4 - 2);

/** Row-wise model from a function of one row: k outputs. */
function rowModel(d: number, k: number, f: (row: Float32Array, out: Float64Array) => void): Predict {
  return (x, n) => {
    const out = new Float64Array(n * k);
    for (let r = 0; r < n; r++) f(x.subarray(r * d, (r + 1) * d), out.subarray(r * k, (r + 1) * k));
    return out;
  };
}

/** v(S): mean over the background of f with the group's features of S taken from the row. */
function interventional(predict: Predict, row: Float32Array, background: Float32Array, groups: FeatureGroup[]) {
  const d = row.length;
  const nb = background.length / d;
  return (inS: boolean[]): number[] => {
    const mixed = background.slice();
    groups.forEach((g, i) => {
      if (inS[i]) for (const j of g.features) for (let b = 0; b < nb; b++) mixed[b * d + j] = row[j]!;
    });
    const pred = predict(mixed, nb);
    const k = pred.length / nb;
    const mean = new Array<number>(k).fill(0);
    for (let b = 0; b < nb; b++) for (let o = 0; o < k; o++) mean[o]! += pred[b * k + o]! / nb;
    return mean;
  };
}

const d = 8;
const groups: FeatureGroup[] = [
  { name: 'a', features: [0], encoding: 'number' },
  { name: 'color', features: [1, 2, 3], encoding: 'one-hot' },
  { name: 'b', features: [4], encoding: 'number' },
  { name: 'c', features: [5], encoding: 'number' },
  { name: 'e', features: [6], encoding: 'number' },
  { name: 'f', features: [7], encoding: 'number' },
];
const weights = uniform(d * 2);
const linear = rowModel(d, 2, (row, out) => {
  for (let o = 0; o < 2; o++) {
    let s = o - 0.5;
    for (let j = 0; j < d; j++) s += weights[j * 2 + o]! * row[j]!;
    out[o] = s;
  }
});
// The three-way term matters: paired sampling is exact for games of pairwise interactions only.
const nonlinear = rowModel(d, 1, (row, out) => {
  out[0] =
    row[0]! * row[4]! +
    Math.sin(row[5]!) +
    Math.max(row[6]!, 0) * row[1]! -
    row[2]! * row[7]! ** 2 +
    row[3]! +
    Math.tanh(row[0]! * row[5]! * row[6]!);
});
const background = uniform(20 * d);
const x = uniform(3 * d);

function sumCheck(predict: Predict, got: ReturnType<typeof kernelShap>): number {
  let worst = 0;
  const fx = predict(x, 3);
  for (let r = 0; r < 3; r++) {
    for (let o = 0; o < got.outputs; o++) {
      let s = got.base[o]!;
      for (let g = 0; g < got.width; g++) s += got.values[(r * got.outputs + o) * got.width + g]!;
      worst = Math.max(worst, Math.abs(s - fx[r * got.outputs + o]!));
    }
  }
  return worst;
}

describe('kernelShap', () => {
  it('equals the linear closed form, summed per group, when it enumerates', () => {
    const got = kernelShap(linear, x, 3, background, groups);
    expect(got.exact).toBe(true);
    expect(got.coalitions).toBe(2 ** 6 - 2);
    for (let r = 0; r < 3; r++) {
      for (let o = 0; o < 2; o++) {
        groups.forEach((g, i) => {
          let expected = 0;
          for (const j of g.features) {
            let mean = 0;
            for (let b = 0; b < 20; b++) mean += background[b * d + j]! / 20;
            expected += weights[j * 2 + o]! * (x[r * d + j]! - mean);
          }
          expect(Math.abs(got.values[(r * 2 + o) * 6 + i]! - expected)).toBeLessThan(1e-6);
        });
      }
    }
    expect(got.stdErr.every((e) => e === 0)).toBe(true);
    expect(sumCheck(linear, got)).toBeLessThan(1e-6);
  });

  it('equals brute-force Shapley values of a nonlinear model when it enumerates', () => {
    const got = kernelShap(nonlinear, x, 3, background, groups);
    for (let r = 0; r < 3; r++) {
      const row = x.subarray(r * d, (r + 1) * d);
      const phi = bruteShapley(groups.length, interventional(nonlinear, row, background, groups));
      for (let g = 0; g < groups.length; g++) expect(Math.abs(got.values[r * 6 + g]! - phi[g]![0]!)).toBeLessThan(1e-9);
    }
  });

  it('samples coalitions when told to: additive, seeded, and within its stated error of the exact values', () => {
    const options = { exactUpTo: 3, samples: 40, seed: 5 };
    const got = kernelShap(nonlinear, x, 3, background, groups, options);
    expect(got.exact).toBe(false);
    expect(got.coalitions).toBe(40);
    expect(sumCheck(nonlinear, got)).toBeLessThan(1e-6);
    const again = kernelShap(nonlinear, x, 3, background, groups, options);
    expect(again.values).toEqual(got.values);
    expect(again.stdErr).toEqual(got.stdErr);
    const other = kernelShap(nonlinear, x, 3, background, groups, { ...options, seed: 6 });
    expect(other.values).not.toEqual(got.values);
    const exact = kernelShap(nonlinear, x, 3, background, groups);
    let within = 0;
    for (let i = 0; i < got.values.length; i++) {
      expect(got.stdErr[i]).toBeGreaterThan(0);
      if (Math.abs(got.values[i]! - exact.values[i]!) <= 3 * got.stdErr[i]!) within++;
    }
    // About 99% of errors fall within 3 standard errors; 18 estimates here.
    expect(within).toBeGreaterThanOrEqual(got.values.length - 1);
  });

  it('batches coalitions across predict calls without changing the answer', () => {
    let calls = 0;
    const counted: Predict = (xs, n) => {
      calls++;
      return nonlinear(xs, n);
    };
    const small = kernelShap(counted, x, 3, background, groups, { batchRows: 100 });
    expect(calls).toBeGreaterThan(3 * 12);
    const big = kernelShap(nonlinear, x, 3, background, groups);
    for (let i = 0; i < big.values.length; i++) expect(small.values[i]).toBeCloseTo(big.values[i]!, 12);
  });

  it('gives a single group the whole difference from the base', () => {
    const one: FeatureGroup[] = [{ name: 'all', features: [0, 1, 2, 3, 4, 5, 6, 7], encoding: 'number' }];
    const got = kernelShap(nonlinear, x, 3, background, one);
    expect(sumCheck(nonlinear, got)).toBeLessThan(1e-9);
  });
});
