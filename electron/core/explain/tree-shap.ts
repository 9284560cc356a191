// Exact SHAP values of a tree ensemble in polynomial time: Lundberg, Erion & Lee 2018, "Consistent
// Individualized Feature Attribution for Tree Ensembles", Algorithm 2 (the path-dependent TreeSHAP of
// SHAP's TreeExplainer with feature_perturbation='tree_path_dependent'). The value of a feature set
// S is E[f(x) | x_S] where a feature outside S averages a split's children by their training cover.
// One walk of each tree keeps, for the path to the current node, the weights of every subset size
// of the features met on it (EXTEND adds a feature, UNWIND takes one back out), so a leaf credits
// each feature on its path without enumerating subsets: O(trees × leaves × depth²) per row.
import { CairnError } from '../errors.js';
import type { TreeEnsembleJson, TreeJson } from '../training/gbdt/tree-format.js';
import { TREE_CAPS } from '../training/gbdt/tree-format.js';
import type { Attributions } from './attributions.js';

/** A tree in flat typed arrays, checked to be a tree (every node reached once from the root). */
interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  /** Categories sent left, for categorical splits; null for numeric ones and leaves. */
  categories: (Set<number> | null)[];
  value: Float64Array;
  /** Share of a node's cover that went left, so the right share is 1 − leftShare. */
  leftShare: Float64Array;
  output: number;
  depth: number;
}

export interface TreeShapExplainer {
  /** Features per row (the ensemble's feature count). */
  features: number;
  outputs: number;
  /** The cover-weighted expected raw score plus the base score, per output. */
  base: Float64Array;
  /** Contributions in raw-score space for n rows of a row-major n×features matrix (NaN is missing). */
  explain(x: Float32Array, n: number): Attributions;
}

/**
 * A TreeSHAP explainer for an ensemble (checked once here, then reused for any number of rows).
 * Categorical features are single features holding a category id, as the trees split them.
 */
export function treeShapExplainer(ensemble: TreeEnsembleJson): TreeShapExplainer {
  const d = ensemble.featureKinds.length;
  const outputs = ensemble.nOutputs;
  if (ensemble.baseScore.length !== outputs)
    throw invalid(`baseScore has ${ensemble.baseScore.length} values for ${outputs} outputs`);
  if (ensemble.treeOutputs.length !== ensemble.trees.length)
    throw invalid(`treeOutputs has ${ensemble.treeOutputs.length} entries for ${ensemble.trees.length} trees`);
  const trees = ensemble.trees.map((t, i) => flatten(t, i, ensemble));
  const base = Float64Array.from(ensemble.baseScore);
  for (const t of trees) base[t.output]! += expectedValue(t, 0);
  const maxDepth = trees.reduce((m, t) => Math.max(m, t.depth), 0);
  const path = pathBuffers(maxDepth);

  return {
    features: d,
    outputs,
    base,
    explain(x, n) {
      if (!Number.isInteger(n) || n < 0 || x.length !== n * d)
        throw new RangeError(`Expected ${n}×${d} features, got ${x.length} values`);
      const values = new Float64Array(n * outputs * d);
      for (let r = 0; r < n; r++) {
        for (const t of trees) {
          // The path starts with a placeholder element (feature -1) that no leaf credits.
          recurse(t, x, r * d, values, (r * outputs + t.output) * d, path, 0, 0, 0, 1, 1, -1);
        }
      }
      return { rows: n, outputs, width: d, base, values };
    },
  };
}

/** The path of the current node, one segment per recursion level, in struct-of-arrays form. */
interface PathBuffers {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function pathBuffers(maxDepth: number): PathBuffers {
  // Level u (unique depth u) keeps u + 1 elements at offset (u + 1)(u + 2)/2; u reaches depth + 1.
  const levels = maxDepth + 3;
  const size = ((levels + 1) * (levels + 2)) / 2;
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
}

/**
 * Algorithm 2's RECURSE for node `node`, reached with `depth` distinct features on the path held at
 * `parentAt`, the edge into it carrying (`zero`, `one`) for feature `feature`: `zero` the share of
 * rows that would come here with the feature unknown, `one` 1 when x itself comes here, else 0.
 */
function recurse(
  t: FlatTree,
  x: Float32Array,
  xAt: number,
  phi: Float64Array,
  phiAt: number,
  p: PathBuffers,
  node: number,
  parentAt: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  const at = parentAt + depth + 1;
  for (let i = 0; i < depth; i++) {
    p.feature[at + i] = p.feature[parentAt + i]!;
    p.zero[at + i] = p.zero[parentAt + i]!;
    p.one[at + i] = p.one[parentAt + i]!;
    p.weight[at + i] = p.weight[parentAt + i]!;
  }
  extend(p, at, depth, zero, one, feature);

  const split = t.feature[node]!;
  if (split < 0) {
    const v = t.value[node]!;
    // For an element x does not follow (one = 0) the unwound sum is Σ w_i / (depth − i) scaled by
    // its zero fraction: the sum is the same for all of them, so it is taken once per leaf.
    let coldSum = Number.NaN;
    for (let i = 1; i <= depth; i++) {
      const one = p.one[at + i]!;
      const zero = p.zero[at + i]!;
      let w: number;
      if (one !== 0) w = unwoundSum(p, at, depth, i);
      else {
        if (Number.isNaN(coldSum)) coldSum = coldWeightSum(p, at, depth);
        w = (coldSum * (depth + 1)) / zero;
      }
      phi[phiAt + p.feature[at + i]!]! += w * (one - zero) * v;
    }
    return;
  }

  const goLeft = goesLeft(t, node, x[xAt + split]!);
  const hot = goLeft ? t.left[node]! : t.right[node]!;
  const cold = goLeft ? t.right[node]! : t.left[node]!;
  const leftShare = t.leftShare[node]!;
  const hotShare = goLeft ? leftShare : 1 - leftShare;
  const coldShare = 1 - hotShare;

  // A feature split on again below: undo its earlier extension and fold its fractions into this one.
  let inZero = 1;
  let inOne = 1;
  let k = 1;
  while (k <= depth && p.feature[at + k] !== split) k++;
  let nextDepth = depth + 1;
  if (k <= depth) {
    inZero = p.zero[at + k]!;
    inOne = p.one[at + k]!;
    unwind(p, at, depth, k);
    nextDepth = depth;
  }
  // A child with both fractions 0 credits nothing anywhere below it (every weight becomes 0).
  if (hotShare * inZero !== 0 || inOne !== 0)
    recurse(t, x, xAt, phi, phiAt, p, hot, at, nextDepth, hotShare * inZero, inOne, split);
  if (coldShare * inZero !== 0) recurse(t, x, xAt, phi, phiAt, p, cold, at, nextDepth, coldShare * inZero, 0, split);
}

/** EXTEND: adds an element to the path and updates the weights of each subset size. */
function extend(p: PathBuffers, at: number, depth: number, zero: number, one: number, feature: number): void {
  const w = p.weight;
  const inv = 1 / (depth + 1);
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  w[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    const wi = w[at + i]!;
    w[at + i + 1]! += one * wi * (i + 1) * inv;
    w[at + i] = zero * wi * (depth - i) * inv;
  }
}

// UNWIND and the unwound sum run at every leaf for every path element: they multiply by 1/k from
// RECIPROCALS instead of dividing. `one` is 0 or 1 in the path-dependent algorithm (a product of
// "x goes this way" indicators), so dividing by it when non-zero is dividing by 1, and is left out.
const RECIPROCALS = Float64Array.from({ length: TREE_CAPS.depth + 3 }, (_, k) => (k === 0 ? 0 : 1 / k));

/** UNWIND: removes element k from the path, undoing its EXTEND on the weights. */
function unwind(p: PathBuffers, at: number, depth: number, k: number): void {
  const w = p.weight;
  const one = p.one[at + k]!;
  const zero = p.zero[at + k]!;
  const d1 = depth + 1;
  const invD1 = RECIPROCALS[d1]!;
  if (one !== 0) {
    let next = w[at + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = w[at + i]!;
      const wi = next * d1 * RECIPROCALS[i + 1]!;
      w[at + i] = wi;
      next = tmp - wi * zero * (depth - i) * invD1;
    }
  } else {
    const invZero = 1 / zero;
    for (let i = depth - 1; i >= 0; i--) w[at + i] = w[at + i]! * d1 * invZero * RECIPROCALS[depth - i]!;
  }
  for (let i = k; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1]!;
    p.zero[at + i] = p.zero[at + i + 1]!;
    p.one[at + i] = p.one[at + i + 1]!;
  }
}

/** The total weight the path would have with element k, which x follows (one = 1), unwound. */
function unwoundSum(p: PathBuffers, at: number, depth: number, k: number): number {
  const w = p.weight;
  const d1 = depth + 1;
  const zeroOverD1 = p.zero[at + k]! * RECIPROCALS[d1]!;
  let total = 0;
  let next = w[at + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    const tmp = next * d1 * RECIPROCALS[i + 1]!;
    total += tmp;
    next = w[at + i]! - tmp * zeroOverD1 * (depth - i);
  }
  return total;
}

/** Σ_i w_i / (depth − i): the unwound sum of any element x does not follow, times its zero / (depth + 1). */
function coldWeightSum(p: PathBuffers, at: number, depth: number): number {
  const w = p.weight;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) total += w[at + i]! * RECIPROCALS[depth - i]!;
  return total;
}

/** Which way a row goes at an internal node: NaN by missingLeft, categories by membership, else x <= threshold. */
function goesLeft(t: FlatTree, node: number, v: number): boolean {
  if (Number.isNaN(v)) return t.missingLeft[node] === 1;
  const cats = t.categories[node];
  return cats ? cats.has(v) : v <= t.threshold[node]!;
}

/** The cover-weighted mean leaf value under `node` (an unknown feature splits rows as training did). */
function expectedValue(t: FlatTree, node: number): number {
  if (t.feature[node]! < 0) return t.value[node]!;
  const share = t.leftShare[node]!;
  return share * expectedValue(t, t.left[node]!) + (1 - share) * expectedValue(t, t.right[node]!);
}

/** Typed arrays of one tree, refusing a node graph that is not a tree or reads outside the row. */
function flatten(tree: TreeJson, index: number, ensemble: TreeEnsembleJson): FlatTree {
  const m = tree.feature.length;
  const fields = ['threshold', 'left', 'right', 'missingLeft', 'categories', 'value', 'cover', 'gain'] as const;
  for (const f of fields)
    if (tree[f].length !== m) throw invalid(`tree ${index}: ${f} has ${tree[f].length} entries for ${m} nodes`);
  const output = ensemble.treeOutputs[index]!;
  if (output >= ensemble.nOutputs) throw invalid(`tree ${index} adds to output ${output} of ${ensemble.nOutputs}`);
  const kinds = ensemble.featureKinds;
  const t: FlatTree = {
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    missingLeft: Uint8Array.from(tree.missingLeft),
    categories: new Array<Set<number> | null>(m).fill(null),
    value: Float64Array.from(tree.value),
    leftShare: new Float64Array(m),
    output,
    depth: 0,
  };
  // Walk from the root with an explicit stack: a node reached twice (a cycle or shared child) is refused.
  const seen = new Uint8Array(m);
  const stack: [node: number, depth: number][] = [[0, 0]];
  seen[0] = 1;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > TREE_CAPS.depth) throw invalid(`tree ${index} is deeper than ${TREE_CAPS.depth}`);
    t.depth = Math.max(t.depth, depth);
    const f = tree.feature[node]!;
    if (f < 0) continue;
    if (f >= kinds.length) throw invalid(`tree ${index} node ${node} splits on feature ${f} of ${kinds.length}`);
    const cats = tree.categories[node];
    if (kinds[f] === 'categorical') {
      if (!cats) throw invalid(`tree ${index} node ${node} splits categorical feature ${f} without categories`);
      t.categories[node] = new Set(cats);
    } else if (cats) {
      throw invalid(`tree ${index} node ${node} splits numeric feature ${f} by categories`);
    }
    for (const child of [tree.left[node]!, tree.right[node]!]) {
      if (child >= m || seen[child]) throw invalid(`tree ${index} node ${node} has a bad child ${child}`);
      seen[child] = 1;
      stack.push([child, depth + 1]);
    }
    // Shares from the children's covers, so they sum to 1 even when a parent's cover was rounded.
    const cl = tree.cover[tree.left[node]!]!;
    const cr = tree.cover[tree.right[node]!]!;
    t.leftShare[node] = cl + cr > 0 ? cl / (cl + cr) : 0.5;
  }
  return t;
}

function invalid(message: string): CairnError {
  return new CairnError('invalid_argument', `Invalid tree ensemble: ${message}`);
}
