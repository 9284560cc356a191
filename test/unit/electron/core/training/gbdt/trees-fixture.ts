// A small hand-written ensemble over one numeric and one categorical feature, for the scoring and
// structural-check tests.
import type { TreeEnsembleJson, TreeJson } from '../../../../../../electron/core/training/gbdt/tree-format.js';

/**
 * Node 0 splits feature 0 at 1.5 (missing left); node 1 splits feature 1 on {2, 40} (missing
 * right). Leaves: 2 (x0 > 1.5) = 10, 3 (in the set) = 1, 4 (not in it) = 2.
 */
export function smallTree(): TreeJson {
  return {
    feature: [0, 1, -1, -1, -1],
    threshold: [1.5, 0, 0, 0, 0],
    left: [1, 3, 0, 0, 0],
    right: [2, 4, 0, 0, 0],
    missingLeft: [1, 0, 0, 0, 0],
    categories: [null, [2, 40], null, null, null],
    value: [0, 0, 10, 1, 2],
    cover: [10, 6, 4, 3, 3],
    gain: [5, 2, 0, 0, 0],
  };
}

export function smallEnsemble(): TreeEnsembleJson {
  return {
    format: 'cairn-trees/1',
    objective: 'squared_error',
    featureKinds: ['numeric', 'categorical'],
    nOutputs: 1,
    baseScore: [0.5],
    trees: [smallTree(), smallTree()],
    treeOutputs: [0, 0],
  };
}
