// Groups from a preprocessing manifest: one per column, a one-hot column's features together.
import { describe, expect, it } from 'vitest';
import {
  checkGroups,
  featureGroups,
  singleFeatureGroups,
} from '../../../../../electron/core/explain/feature-groups.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';

describe('featureGroups', () => {
  it('maps each column of a manifest to its features', () => {
    const manifest: PreprocessManifest = {
      format: 'cairn-preprocess/1',
      features: [
        { kind: 'numeric', column: 'age', type: 'numeric', median: 30, mean: 31, std: 4 },
        { kind: 'one-hot', column: 'color', categories: ['blue', 'red', 'green'] },
        { kind: 'boolean', column: 'member', fill: 0 },
        { kind: 'index', column: 'city', categories: ['a', 'b'] },
      ],
      featureNames: ['age', 'color=blue', 'color=red', 'color=green', 'member', 'city'],
      dropped: [],
      target: null,
      fittedRows: 10,
    };
    const groups = featureGroups(manifest);
    expect(groups).toEqual([
      { name: 'age', features: [0], encoding: 'number', scale: { mean: 31, std: 4 } },
      { name: 'color', features: [1, 2, 3], encoding: 'one-hot', categories: ['blue', 'red', 'green'] },
      { name: 'member', features: [4], encoding: 'number' },
      { name: 'city', features: [5], encoding: 'code', categories: ['a', 'b'] },
    ]);
    expect(() => checkGroups(groups, 6)).not.toThrow();
    expect(() => checkGroups(groups, 5)).toThrow(/feature 5/);
  });

  it('makes one group per feature for a tree model, categorical ones as codes', () => {
    expect(singleFeatureGroups(['x', 'c'], ['numeric', 'categorical'])).toEqual([
      { name: 'x', features: [0], encoding: 'number' },
      { name: 'c', features: [1], encoding: 'code' },
    ]);
    expect(() =>
      checkGroups(
        [
          { name: 'a', features: [0, 1], encoding: 'one-hot' },
          { name: 'b', features: [1], encoding: 'number' },
        ],
        2,
      ),
    ).toThrow(/more than one group/);
  });
});
