// Permutation importance finds the informative columns of a generated table and puts pure-noise
// columns last with no importance; one-hot columns move as one; seeded.
import { describe, expect, it } from 'vitest';
import type { Predict } from '../../../../../electron/core/explain/attributions.js';
import type { FeatureGroup } from '../../../../../electron/core/explain/feature-groups.js';
import {
  accuracyScorer,
  logLossScorer,
  permutationImportance,
  r2Scorer,
  rmseScorer,
} from '../../../../../electron/core/explain/permutation-importance.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

// Columns: a, b (numeric), color (one-hot, 3 features), then three noise columns, one of them one-hot.
const groups: FeatureGroup[] = [
  { name: 'a', features: [0], encoding: 'number' },
  { name: 'b', features: [1], encoding: 'number' },
  { name: 'color', features: [2, 3, 4], encoding: 'one-hot' },
  { name: 'noise1', features: [5], encoding: 'number' },
  { name: 'noise2', features: [6, 7], encoding: 'one-hot' },
  { name: 'noise3', features: [8], encoding: 'number' },
];
const d = 9;
const n = 400;
const COLOR = [1.5, -1.5, 0];

function table(seed: number): Float32Array {
  const random = seededRandom(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    x[i * d] = random() * 2 - 1;
    x[i * d + 1] = random() * 2 - 1;
    x[i * d + 2 + Math.floor(random() * 3)] = 1;
    x[i * d + 5] = random() * 2 - 1;
    x[i * d + 6 + Math.floor(random() * 2)] = 1;
    x[i * d + 8] = random() * 2 - 1;
  }
  return x;
}

/** The true signal: 3a + 2b² + the colour's effect; the noise columns play no part. */
function signal(x: Float32Array, i: number): number {
  let color = 0;
  for (let c = 0; c < 3; c++) color += COLOR[c]! * x[i * d + 2 + c]!;
  return 3 * x[i * d]! + 2 * x[i * d + 1]! ** 2 + color;
}

const x = table(1);
const regression: Predict = (xs, rows) => Float64Array.from({ length: rows }, (_, i) => signal(xs, i));
const target = Float64Array.from({ length: n }, (_, i) => signal(x, i) + (seededRandom(i)() - 0.5) * 0.5);

describe('permutationImportance', () => {
  it('ranks the informative columns first and the noise columns last at zero (R²)', () => {
    const got = permutationImportance(regression, x, n, groups, r2Scorer(target), { seed: 3 });
    expect(got.baseline).toBeGreaterThan(0.95);
    const ranked = [...got.groups].sort((p, q) => q.mean - p.mean).map((g) => g.name);
    expect(ranked.slice(0, 3).sort()).toEqual(['a', 'b', 'color']);
    expect(ranked[0]).toBe('a');
    for (const g of got.groups.slice(0, 3)) {
      expect(g.mean).toBeGreaterThan(0.1);
      expect(g.drops.length).toBe(5);
      expect(g.std).toBeGreaterThan(0);
      expect(g.std).toBeLessThan(g.mean);
    }
    for (const g of got.groups.slice(3)) expect(Math.abs(g.mean)).toBeLessThan(1e-12);
  });

  it('counts a rise of an error as a drop in score (RMSE), and is the same for the same seed', () => {
    const got = permutationImportance(regression, x, n, groups, rmseScorer(target), { repeats: 3, seed: 4 });
    expect(got.groups[0]!.mean).toBeGreaterThan(1);
    expect(got.groups[3]!.mean).toBe(0);
    const again = permutationImportance(regression, x, n, groups, rmseScorer(target), { repeats: 3, seed: 4 });
    expect(again).toEqual(got);
    const other = permutationImportance(regression, x, n, groups, rmseScorer(target), { repeats: 3, seed: 5 });
    expect(other.groups[0]!.mean).not.toBe(got.groups[0]!.mean);
  });

  it('scores classes by accuracy and log loss', () => {
    const labels = Int32Array.from({ length: n }, (_, i) => (signal(x, i) > 1 ? 1 : 0));
    const classifier: Predict = (xs, rows) => {
      const out = new Float64Array(rows * 2);
      for (let i = 0; i < rows; i++) {
        const p = 1 / (1 + Math.exp(-4 * (signal(xs, i) - 1)));
        out[i * 2] = 1 - p;
        out[i * 2 + 1] = p;
      }
      return out;
    };
    for (const scorer of [accuracyScorer(labels), logLossScorer(labels)]) {
      const got = permutationImportance(classifier, x, n, groups, scorer, { seed: 1 });
      const ranked = [...got.groups].sort((p, q) => q.mean - p.mean).map((g) => g.name);
      expect(ranked.slice(0, 3).sort()).toEqual(['a', 'b', 'color']);
      for (const g of got.groups.slice(3)) expect(g.mean).toBe(0);
    }
  });

  it('moves a one-hot column as one: every permuted row keeps exactly one category', () => {
    const seen: number[] = [];
    const probe: Predict = (xs, rows) => {
      for (let i = 0; i < rows; i++) seen.push(xs[i * d + 2]! + xs[i * d + 3]! + xs[i * d + 4]!);
      return new Float64Array(rows);
    };
    permutationImportance(probe, x, n, groups.slice(2, 3), rmseScorer(target), { repeats: 2 });
    expect(seen.length).toBe(3 * n);
    expect(seen.every((s) => s === 1)).toBe(true);
  });
});
