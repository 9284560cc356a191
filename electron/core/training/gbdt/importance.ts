// Gain and split-count feature importance of an ensemble: how much each feature's splits reduced
// the loss in total, and how often it was split on (LightGBM's importance_type gain and split).
import type { TreeEnsembleJson } from './tree-format.js';

export interface TreeImportance {
  /** Per feature: the summed gain of its splits. */
  gain: number[];
  /** Per feature: the number of splits on it. */
  splits: number[];
}

export function importance(ensemble: TreeEnsembleJson): TreeImportance {
  const d = ensemble.featureKinds.length;
  const gain = new Array<number>(d).fill(0);
  const splits = new Array<number>(d).fill(0);
  for (const t of ensemble.trees) {
    for (let j = 0; j < t.feature.length; j++) {
      const f = t.feature[j]!;
      if (f < 0) continue;
      gain[f]! += t.gain[j]!;
      splits[f]!++;
    }
  }
  return { gain, splits };
}
