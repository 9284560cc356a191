// What scoring one row through a checked tree ensemble costs, in the terms every model kind
// reports (topology.ts's ModelCost), so the endpoint bounds a call's rows the same way for trees
// as for networks.
import type { ModelCost } from '../topology.js';
import type { TreeEnsembleJson, TreeJson } from './tree-format.js';

/** The longest root-to-leaf path of a tree that passed checkTrees (so it has no cycle). */
export function treeDepth(tree: TreeJson): number {
  const depth = new Int32Array(tree.feature.length);
  let deepest = 0;
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const d = depth[node] as number;
    if ((tree.feature[node] as number) < 0) {
      if (d > deepest) deepest = d;
      continue;
    }
    for (const child of [tree.left[node] as number, tree.right[node] as number]) {
      depth[child] = d + 1;
      stack.push(child);
    }
  }
  return deepest;
}

/** Nodes as parameters; per row, a comparison and a branch per level of every tree. */
export function treeCost(ensemble: TreeEnsembleJson): ModelCost {
  let params = 0;
  let flopsPerRow = 0;
  for (const tree of ensemble.trees) {
    params += tree.feature.length;
    flopsPerRow += 2 * (treeDepth(tree) + 1);
  }
  return {
    params,
    flopsPerRow,
    activationsPerRow: Math.max(ensemble.featureKinds.length, ensemble.nOutputs),
  };
}
