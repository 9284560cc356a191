// The structural checks a trees.json needs beyond its zod schema before anything walks it: a
// model bundle comes from outside, and scoring, TreeSHAP and export all assume every tree is a
// finite tree over known features. The schema checks shapes of values; this checks how they
// refer to each other.
import { TREE_CAPS, type TreeEnsembleJson } from './tree-format.js';

export type TreeCheck = { ok: true } | { ok: false; reason: string };

const PER_NODE = ['threshold', 'left', 'right', 'missingLeft', 'categories', 'value', 'cover', 'gain'] as const;

export function checkTrees(e: TreeEnsembleJson): TreeCheck {
  const fail = (reason: string): TreeCheck => ({ ok: false, reason });
  const d = e.featureKinds.length;
  const K = e.nOutputs;
  if (e.baseScore.length !== K) return fail(`baseScore has ${e.baseScore.length} values for ${K} outputs`);
  if (e.treeOutputs.length !== e.trees.length) {
    return fail(`treeOutputs has ${e.treeOutputs.length} entries for ${e.trees.length} trees`);
  }
  const wantOutputs = e.objective === 'softmax' ? null : 1;
  if (wantOutputs !== null && K !== wantOutputs) return fail(`objective ${e.objective} has 1 output, not ${K}`);
  if (e.objective === 'softmax' && K < 3) return fail(`softmax needs at least 3 outputs, got ${K}`);
  // The node cap first, so an oversized ensemble is refused before any tree is walked.
  let total = 0;
  for (const t of e.trees) total += t.feature.length;
  if (total > TREE_CAPS.nodes) return fail(`the ensemble has ${total} nodes, more than ${TREE_CAPS.nodes}`);
  for (let ti = 0; ti < e.trees.length; ti++) {
    const t = e.trees[ti]!;
    const at = `tree ${ti}`;
    if (e.treeOutputs[ti]! >= K) return fail(`${at}: output ${e.treeOutputs[ti]} is not below nOutputs ${K}`);
    const m = t.feature.length;
    for (const field of PER_NODE) {
      if (t[field].length !== m) return fail(`${at}: ${field} has ${t[field].length} entries for ${m} nodes`);
    }
    const depth = new Int32Array(m).fill(-1);
    depth[0] = 0;
    // Walk from the root: every node reached once (no cycle, no shared child) within the depth cap.
    const stack = [0];
    let reached = 0;
    while (stack.length > 0) {
      const j = stack.pop()!;
      reached++;
      const f = t.feature[j]!;
      const node = `${at} node ${j}`;
      if (!Number.isFinite(t.value[j]!)) return fail(`${node}: value is not finite`);
      if (f < 0) continue;
      if (f >= d) return fail(`${node}: feature ${f} is not below ${d}`);
      const categorical = e.featureKinds[f] === 'categorical';
      if (categorical !== (t.categories[j] !== null)) {
        return fail(
          `${node}: ${categorical ? 'a categorical feature needs categories' : 'categories on a numeric feature'}`,
        );
      }
      if (!categorical && Number.isNaN(t.threshold[j]!)) return fail(`${node}: threshold is not a number`);
      if (depth[j]! >= TREE_CAPS.depth) return fail(`${node}: deeper than ${TREE_CAPS.depth}`);
      for (const child of [t.left[j]!, t.right[j]!]) {
        if (child >= m) return fail(`${node}: child ${child} is not below ${m}`);
        if (depth[child] !== -1) return fail(`${node}: child ${child} is reached twice`);
        depth[child] = depth[j]! + 1;
        stack.push(child);
      }
    }
    if (reached !== m) return fail(`${at}: ${m - reached} nodes are not reachable from node 0`);
  }
  return { ok: true };
}
