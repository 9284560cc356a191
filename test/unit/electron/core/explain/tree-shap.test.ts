// TreeSHAP against Shapley values by definition (every feature subset, with the path-dependent value
// function), and additivity: base + contributions = the raw score.
import { describe, expect, it } from 'vitest';
import { treeShapExplainer } from '../../../../../electron/core/explain/tree-shap.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { bruteShapley } from './brute-shapley.js';
import { conditionalExpectation, randomEnsemble, randomRows, rawScore } from './random-trees.js';

describe('treeShapExplainer', () => {
  it('equals brute-force Shapley values on random small ensembles', () => {
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const features = 2 + (seed % 7); // 3..8
      const outputs = seed % 2 === 0 ? 2 : 1;
      const ensemble = randomEnsemble({ features, trees: 3 + (seed % 3), outputs, maxDepth: 1 + (seed % 6), seed });
      const explainer = treeShapExplainer(ensemble);
      const n = 4;
      const x = randomRows(ensemble, n, seed + 100);
      const got = explainer.explain(x, n);
      const empty = conditionalExpectation(ensemble, [], new Array<boolean>(features).fill(false));
      for (let k = 0; k < outputs; k++) expect(got.base[k]).toBeCloseTo(ensemble.baseScore[k]! + empty[k]!, 12);
      for (let r = 0; r < n; r++) {
        const row = x.subarray(r * features, (r + 1) * features);
        const phi = bruteShapley(features, (inS) => conditionalExpectation(ensemble, row, inS));
        for (let k = 0; k < outputs; k++) {
          for (let j = 0; j < features; j++) {
            const value = got.values[(r * outputs + k) * features + j]!;
            expect(Math.abs(value - phi[j]![k]!)).toBeLessThan(1e-9);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('adds up to the raw score on larger ensembles (base + contributions)', () => {
    const ensemble = randomEnsemble({ features: 12, trees: 30, outputs: 3, maxDepth: 8, maxLeaves: 31, seed: 7 });
    const explainer = treeShapExplainer(ensemble);
    const n = 50;
    const x = randomRows(ensemble, n, 8);
    const got = explainer.explain(x, n);
    let worst = 0;
    for (let r = 0; r < n; r++) {
      const raw = rawScore(ensemble, x.subarray(r * 12, (r + 1) * 12));
      for (let k = 0; k < 3; k++) {
        let sum = got.base[k]!;
        for (let j = 0; j < 12; j++) sum += got.values[(r * 3 + k) * 12 + j]!;
        worst = Math.max(worst, Math.abs(sum - raw[k]!));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    // Not vacuous: the contributions are not all zero.
    expect(got.values.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });

  it('credits nothing to a feature no tree splits on, and a stump all to its feature', () => {
    const ensemble = randomEnsemble({ features: 2, trees: 1, outputs: 1, maxDepth: 1, seed: 3 });
    const tree = ensemble.trees[0]!;
    Object.assign(tree, {
      feature: [0, -1, -1],
      threshold: [0.5, 0, 0],
      left: [1, 0, 0],
      right: [2, 0, 0],
      missingLeft: [0, 0, 0],
      categories: [null, null, null],
      value: [0, 1, 3],
      cover: [4, 3, 1],
      gain: [1, 0, 0],
    });
    ensemble.featureKinds = ['numeric', 'numeric'];
    ensemble.baseScore = [0.25];
    const got = treeShapExplainer(ensemble).explain(Float32Array.of(2, 7), 1);
    // E = 3/4·1 + 1/4·3 = 1.5; the row goes right (3): feature 0 gets 1.5, feature 1 nothing.
    expect(got.base[0]).toBeCloseTo(1.75, 12);
    expect(got.values[0]).toBeCloseTo(1.5, 12);
    expect(got.values[1]).toBe(0);
  });

  it('refuses a node graph that is not a tree, and a row of the wrong width', () => {
    const ensemble = randomEnsemble({ features: 3, trees: 1, outputs: 1, maxDepth: 2, seed: 5 });
    const cyclic = structuredClone(ensemble);
    const t = cyclic.trees[0]!;
    t.feature[0] = 0;
    t.left[0] = 0;
    expect(() => treeShapExplainer(cyclic)).toThrow(CairnError);
    const outside = structuredClone(ensemble);
    outside.trees[0]!.feature[0] = 3;
    expect(() => treeShapExplainer(outside)).toThrow(/feature 3/);
    expect(() => treeShapExplainer(ensemble).explain(new Float32Array(4), 1)).toThrow(RangeError);
  });
});
