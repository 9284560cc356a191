// Random tree ensembles in the saved format, and the plain scoring and path-dependent value function
// the TreeSHAP tests check against (written the obvious way, independently of tree-shap.ts).
import {
  addNode,
  emptyTree,
  leafNode,
  type FeatureKind,
  type TreeEnsembleJson,
  type TreeJson,
} from '../../../../../electron/core/training/gbdt/tree-format.js';
import { randomInt, seededRandom } from '../../../../../electron/core/training/seeded-random.js';

export const CATEGORY_COUNT = 5;

export interface RandomEnsembleOptions {
  features: number;
  trees: number;
  outputs: number;
  maxDepth: number;
  /** Leaves per tree, at most; a tree stops growing at maxDepth either way. */
  maxLeaves?: number;
  seed: number;
}

/** An ensemble of random trees: numeric and categorical splits, random missing directions, covers that add up. */
export function randomEnsemble(o: RandomEnsembleOptions): TreeEnsembleJson {
  const random = seededRandom(o.seed);
  const featureKinds: FeatureKind[] = Array.from({ length: o.features }, (_, j) =>
    j % 3 === 2 ? 'categorical' : 'numeric',
  );
  const trees: TreeJson[] = [];
  const treeOutputs: number[] = [];
  for (let t = 0; t < o.trees; t++) {
    trees.push(randomTree(random, featureKinds, o.maxDepth, o.maxLeaves ?? 2 ** o.maxDepth));
    treeOutputs.push(t % o.outputs);
  }
  return {
    format: 'cairn-trees/1',
    objective: o.outputs > 1 ? 'softmax' : 'squared_error',
    featureKinds,
    nOutputs: o.outputs,
    baseScore: Array.from({ length: o.outputs }, () => random() - 0.5),
    trees,
    treeOutputs,
  };
}

function randomTree(random: () => number, kinds: FeatureKind[], maxDepth: number, maxLeaves: number): TreeJson {
  const tree = emptyTree();
  // Some leaves no training row reached: their value counts only for rows that go there.
  const add = () => addNode(tree, leafNode(random() * 2 - 1, random() < 0.1 ? 0 : 1 + randomInt(random, 20)));
  let leaves = 1;
  // Split breadth-first-ish in random order until the leaf budget runs out.
  const open: [node: number, depth: number][] = [[add(), 0]];
  while (open.length > 0 && leaves < maxLeaves) {
    const [node, depth] = open.splice(randomInt(random, open.length), 1)[0]!;
    if (depth >= maxDepth || (depth > 0 && random() < 0.2)) continue;
    const f = randomInt(random, kinds.length);
    tree.feature[node] = f;
    if (kinds[f] === 'categorical') {
      tree.categories[node] = Array.from({ length: CATEGORY_COUNT }, (_, c) => c).filter(() => random() < 0.5);
    } else {
      tree.threshold[node] = random() * 2 - 1;
    }
    tree.missingLeft[node] = random() < 0.5 ? 1 : 0;
    tree.gain[node] = random();
    const l = add();
    const r = add();
    tree.left[node] = l;
    tree.right[node] = r;
    leaves++;
    open.push([l, depth + 1], [r, depth + 1]);
  }
  // Internal covers add up from the leaves.
  const cover = (node: number): number => {
    if (tree.feature[node]! < 0) return tree.cover[node]!;
    tree.cover[node] = cover(tree.left[node]!) + cover(tree.right[node]!);
    return tree.cover[node];
  };
  cover(0);
  return tree;
}

/** Random rows for an ensemble's features: values in [-1.2, 1.2] or category ids, ~15% missing. */
export function randomRows(ensemble: TreeEnsembleJson, n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const d = ensemble.featureKinds.length;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const kind = ensemble.featureKinds[i % d];
    // Category ids include one no split lists (CATEGORY_COUNT), as an unseen category would be.
    x[i] =
      random() < 0.15
        ? Number.NaN
        : kind === 'categorical'
          ? randomInt(random, CATEGORY_COUNT + 1)
          : random() * 2.4 - 1.2;
  }
  return x;
}

function left(tree: TreeJson, node: number, v: number): boolean {
  if (Number.isNaN(v)) return tree.missingLeft[node] === 1;
  const cats = tree.categories[node];
  return cats ? cats.includes(v) : v <= tree.threshold[node]!;
}

/** Raw scores of one row, per output: the base score plus the leaf each tree sends the row to. */
export function rawScore(ensemble: TreeEnsembleJson, row: ArrayLike<number>): number[] {
  const out = [...ensemble.baseScore];
  ensemble.trees.forEach((tree, t) => {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      node = left(tree, node, row[tree.feature[node]!]!) ? tree.left[node]! : tree.right[node]!;
    }
    out[ensemble.treeOutputs[t]!]! += tree.value[node]!;
  });
  return out;
}

/**
 * E[f(x) | x_S] the path-dependent way, per output: follow the row at splits on features in S,
 * otherwise average both children weighted by their covers. Without the base score.
 */
export function conditionalExpectation(ensemble: TreeEnsembleJson, row: ArrayLike<number>, inS: boolean[]): number[] {
  const out = new Array<number>(ensemble.nOutputs).fill(0);
  ensemble.trees.forEach((tree, t) => {
    const walk = (node: number): number => {
      const f = tree.feature[node]!;
      if (f < 0) return tree.value[node]!;
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      if (inS[f]) return walk(left(tree, node, row[f]!) ? l : r);
      const cl = tree.cover[l]!;
      const cr = tree.cover[r]!;
      const share = cl + cr > 0 ? cl / (cl + cr) : 0.5;
      return share * walk(l) + (1 - share) * walk(r);
    };
    out[ensemble.treeOutputs[t]!]! += walk(0);
  });
  return out;
}
