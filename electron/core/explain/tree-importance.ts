// The split statistics of a tree ensemble as global importance, as LightGBM's feature_importance
// reports them: per feature, how many splits use it and the total loss reduction (gain) they bring.
// Free to compute (read off trees.json), but biased toward features with many split points, which is
// why permutation importance is shown beside them.
import type { TreeEnsembleJson } from '../training/gbdt/tree-format.js';

export interface TreeImportance {
  /** Total gain of the splits on each feature, over every tree and output. */
  gain: Float64Array;
  /** Count of splits on each feature. */
  splits: Uint32Array;
}

/** Gain and split counts per feature of an ensemble. */
export function treeImportance(ensemble: TreeEnsembleJson): TreeImportance {
  const d = ensemble.featureKinds.length;
  const gain = new Float64Array(d);
  const splits = new Uint32Array(d);
  for (const tree of ensemble.trees) {
    tree.feature.forEach((f, node) => {
      if (f < 0 || f >= d) return;
      gain[f]! += tree.gain[node] ?? 0;
      splits[f]! += 1;
    });
  }
  return { gain, splits };
}
