import { describe, expect, it } from 'vitest';
import {
  compileTrees,
  outputFromRaw,
  predictOutput,
  predictRaw,
} from '../../../../../../electron/core/training/gbdt/predict-trees.js';
import { smallEnsemble } from './trees-fixture.js';

describe('predictRaw', () => {
  it('walks thresholds (x <= t left), category sets and missing directions', () => {
    const c = compileTrees(smallEnsemble());
    const rows = [
      [2, 2], // x0 > 1.5: right leaf 10
      [1.5, 2], // x0 <= 1.5, category 2 in the set: 1
      [0, 40], // in the set: 1
      [0, 3], // not in the set: 2
      [NaN, 40], // x0 missing goes left, then in the set: 1
      [1, NaN], // category missing goes right: 2
      [1, 1e6], // a category the trees never saw: right, 2
      [1, 2.5], // not an integer id: right, 2
      [1, -2], // negative: right, 2
    ];
    const raw = predictRaw(c, Float32Array.from(rows.flat()), rows.length);
    // Base 0.5 plus the leaf of each of the two identical trees.
    expect(Array.from(raw)).toEqual([10, 1, 1, 2, 1, 2, 2, 2, 2].map((v) => 0.5 + 2 * v));
  });

  it('scores Float64Array rows too, and refuses a short matrix', () => {
    const c = compileTrees(smallEnsemble());
    expect(Array.from(predictRaw(c, Float64Array.of(5, 0), 1))).toEqual([20.5]);
    expect(() => predictRaw(c, Float32Array.of(1), 1)).toThrow(RangeError);
  });

  it('adds each tree to its output, row-major n × outputs', () => {
    const e = {
      ...smallEnsemble(),
      objective: 'softmax' as const,
      nOutputs: 3,
      baseScore: [0, 1, 2],
      treeOutputs: [0, 2],
    };
    const raw = predictRaw(compileTrees(e), Float32Array.of(2, 2, 0, 3), 2);
    expect(Array.from(raw)).toEqual([10, 1, 12, 2, 1, 4]);
  });
});

describe('outputs', () => {
  it('binary: [1 - p, p] with p the sigmoid of the raw score', () => {
    const out = outputFromRaw({ objective: 'binary_logloss', nOutputs: 1 }, Float64Array.of(0, Math.log(3), -800), 3);
    [0.5, 0.5, 0.25, 0.75].forEach((p, j) => expect(out[j]).toBeCloseTo(p, 12));
    expect(out[4]).toBe(1);
    expect(out[5]).toBe(0);
  });

  it('softmax: probabilities per row summing to 1', () => {
    const out = outputFromRaw({ objective: 'softmax', nOutputs: 3 }, Float64Array.of(0, 0, 0, 1000, 0, -1000), 2);
    expect(Array.from(out.subarray(0, 3)).map((p) => p * 3)).toEqual([1, 1, 1]);
    expect(Array.from(out.subarray(3))).toEqual([1, 0, 0]);
  });

  it('regression: the raw score', () => {
    const c = compileTrees(smallEnsemble());
    expect(Array.from(predictOutput(c, Float32Array.of(0, 3), 1))).toEqual([4.5]);
  });
});
