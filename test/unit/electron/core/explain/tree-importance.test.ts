// Gain and split counts per feature, read off the trees (training/gbdt/importance.ts).
import { describe, expect, it } from 'vitest';
import { importance as treeImportance } from '../../../../../electron/core/training/gbdt/importance.js';
import { randomEnsemble } from './random-trees.js';

describe('treeImportance', () => {
  it('sums the gain and counts the splits of each feature over every tree', () => {
    const ensemble = randomEnsemble({ features: 4, trees: 2, outputs: 1, maxDepth: 2, seed: 9 });
    const split = (feature: number[], gain: number[]) => ({
      feature,
      threshold: feature.map(() => 0),
      left: [1, 0, 0],
      right: [2, 0, 0],
      missingLeft: [0, 0, 0] as (0 | 1)[],
      categories: feature.map(() => null),
      value: [0, 1, -1],
      cover: [2, 1, 1],
      gain,
    });
    ensemble.featureKinds = ['numeric', 'numeric', 'numeric', 'numeric'];
    ensemble.trees = [split([2, -1, -1], [1.5, 0, 0]), split([2, -1, -1], [0.25, 0, 0]), split([0, -1, -1], [3, 0, 0])];
    ensemble.treeOutputs = [0, 0, 0];
    const got = treeImportance(ensemble);
    expect(Array.from(got.gain)).toEqual([3, 0, 1.75, 0]);
    expect(Array.from(got.splits)).toEqual([1, 0, 2, 0]);
  });
});
