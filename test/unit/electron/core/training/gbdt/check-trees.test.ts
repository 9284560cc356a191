// checkTrees refuses each way a schema-valid trees.json can still be unsafe or wrong to walk.
import { describe, expect, it } from 'vitest';
import { checkTrees } from '../../../../../../electron/core/training/gbdt/check-trees.js';
import {
  addNode,
  emptyTree,
  TREE_CAPS,
  TreeEnsembleJson,
  type TreeJson,
} from '../../../../../../electron/core/training/gbdt/tree-format.js';
import { smallEnsemble, smallTree } from './trees-fixture.js';

/** The small ensemble with its second tree changed. */
function withTree(change: (t: TreeJson) => void): TreeEnsembleJson {
  const e = smallEnsemble();
  change(e.trees[1]!);
  return e;
}

/** A chain of `depth` splits on feature 0 (each node's right child a leaf). */
function chain(depth: number): TreeJson {
  const t = emptyTree();
  const push = (feature: number, left: number, right: number) =>
    addNode(t, { feature, threshold: 0, left, right, missingLeft: 0, categories: null, value: 0, cover: 1, gain: 0 });
  // Node 2i splits, its left child is 2i + 2 and its right 2i + 1 (a leaf).
  for (let i = 0; i < depth; i++) {
    push(0, 2 * i + 2, 2 * i + 1);
    push(-1, 0, 0);
  }
  push(-1, 0, 0);
  return t;
}

describe('checkTrees', () => {
  it('accepts a well-formed ensemble (which the schema accepts too)', () => {
    expect(TreeEnsembleJson.safeParse(smallEnsemble()).success).toBe(true);
    expect(checkTrees(smallEnsemble())).toEqual({ ok: true });
    expect(checkTrees({ ...smallEnsemble(), trees: [], treeOutputs: [] })).toEqual({ ok: true });
  });

  const refusals: [string, TreeEnsembleJson, RegExp][] = [
    ['per-node arrays of different lengths', withTree((t) => t.value.pop()), /tree 1: value has 4 entries for 5 nodes/],
    ['a child index out of range', withTree((t) => (t.right[1] = 9)), /tree 1 node 1: child 9 is not below 5/],
    ['a cycle back to the root', withTree((t) => (t.right[1] = 0)), /tree 1 node 1: child 0 is reached twice/],
    ['a node with two parents', withTree((t) => (t.right[1] = 3)), /tree 1 node 1: child 3 is reached twice/],
    [
      'a node nobody reaches',
      withTree((t) => {
        t.feature[1] = -1;
        t.categories[1] = null;
      }),
      /tree 1: 2 nodes are not reachable from node 0/,
    ],
    ['a feature past the feature list', withTree((t) => (t.feature[0] = 2)), /tree 1 node 0: feature 2 is not below 2/],
    [
      'a categorical split on a numeric feature',
      withTree((t) => (t.categories[0] = [1])),
      /tree 1 node 0: categories on a numeric feature/,
    ],
    [
      'a threshold split on a categorical feature',
      withTree((t) => (t.categories[1] = null)),
      /tree 1 node 1: a categorical feature needs categories/,
    ],
    [
      'treeOutputs shorter than trees',
      { ...smallEnsemble(), treeOutputs: [0] },
      /treeOutputs has 1 entries for 2 trees/,
    ],
    [
      'a tree output past nOutputs',
      { ...smallEnsemble(), treeOutputs: [0, 1] },
      /tree 1: output 1 is not below nOutputs 1/,
    ],
    [
      'baseScore of the wrong length',
      { ...smallEnsemble(), baseScore: [0, 0] },
      /baseScore has 2 values for 1 outputs/,
    ],
    [
      'one-output objective with several outputs',
      { ...smallEnsemble(), nOutputs: 2, baseScore: [0, 0] },
      /squared_error has 1 output, not 2/,
    ],
    [
      'softmax with too few outputs',
      { ...smallEnsemble(), objective: 'softmax', nOutputs: 2, baseScore: [0, 0] },
      /softmax needs at least 3/,
    ],
    ['a non-finite leaf value', withTree((t) => (t.value[2] = Infinity)), /tree 1 node 2: value is not finite/],
  ];
  it.each(refusals)('refuses %s', (_name, e, reason) => {
    const check = checkTrees(e);
    expect(check.ok).toBe(false);
    expect(check.ok === false && check.reason).toMatch(reason);
  });

  it('refuses a tree deeper than the cap, and accepts one at it', () => {
    const at = { ...smallEnsemble(), trees: [chain(TREE_CAPS.depth)], treeOutputs: [0] };
    expect(checkTrees(at)).toEqual({ ok: true });
    const over = { ...smallEnsemble(), trees: [chain(TREE_CAPS.depth + 1)], treeOutputs: [0] };
    const check = checkTrees(over);
    expect(check.ok === false && check.reason).toMatch(/deeper than 64/);
  });

  it('refuses an ensemble over the total node cap', () => {
    const big = smallTree();
    const e = { ...smallEnsemble(), trees: [big], treeOutputs: [0] };
    // The same tree object many times: the count passes the cap without building the nodes.
    const copies = Math.ceil(TREE_CAPS.nodes / big.feature.length) + 1;
    e.trees = new Array<TreeJson>(copies).fill(big);
    e.treeOutputs = new Array<number>(copies).fill(0);
    const check = checkTrees(e);
    expect(check.ok === false && check.reason).toMatch(/nodes, more than 20000000/);
  });
});
