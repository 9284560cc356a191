// The saved form of a gradient-boosted tree ensemble (trees.json beside a GBDT model's
// preprocess.json and card.json). Plain JSON arrays, one entry per node, so it is small to write,
// checks with one zod schema before anything uses it, and reads into typed arrays for scoring.
// Everything that reads trees (scoring, TreeSHAP, ONNX export) reads this one shape.
import { z } from 'zod';

export const TREES_JSON = 'trees.json';

/** Loss the trees were fitted to; it fixes how raw scores become predictions. */
export const GbdtObjective = z.enum(['binary_logloss', 'softmax', 'squared_error', 'absolute_error', 'huber']);
export type GbdtObjective = z.infer<typeof GbdtObjective>;

/**
 * How a feature column is split: 'numeric' by a threshold, 'categorical' by a set of category ids
 * (non-negative integers). NaN is missing in both.
 */
export const FeatureKind = z.enum(['numeric', 'categorical']);
export type FeatureKind = z.infer<typeof FeatureKind>;

/** Caps a loaded ensemble must respect: a crafted trees.json cannot ask scoring for unbounded work. */
export const TREE_CAPS = {
  trees: 100_000,
  nodesPerTree: 2 * 65_536,
  /** Nodes over the whole ensemble: bounds the memory and the per-row work of scoring. */
  nodes: 20_000_000,
  depth: 64,
  features: 1_000_000,
  outputs: 10_000,
  categoriesPerSplit: 65_536,
} as const;

/**
 * One tree, nodes in any order with node 0 the root. A node whose `feature` is -1 is a leaf whose
 * `value` adds to the raw score (learning rate already applied). An internal node sends a row
 * left when: numeric, x <= threshold; categorical, x is one of `categories`; missing (NaN),
 * `missingLeft` is 1. `cover` is the (weighted) count of training rows that reached the node and
 * `gain` the loss reduction of its split (0 on leaves): TreeSHAP and importance read them.
 */
export const TreeJson = z
  .object({
    feature: z.array(z.number().int().min(-1)).min(1).max(TREE_CAPS.nodesPerTree),
    threshold: z.array(z.number()),
    left: z.array(z.number().int().min(0)),
    right: z.array(z.number().int().min(0)),
    missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
    categories: z.array(z.array(z.number().int().min(0)).max(TREE_CAPS.categoriesPerSplit).nullable()),
    value: z.array(z.number()),
    cover: z.array(z.number().nonnegative()),
    gain: z.array(z.number()),
  })
  .strict();
export type TreeJson = z.infer<typeof TreeJson>;

/** One node's entry in each of a TreeJson's per-node arrays. */
export interface TreeNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  missingLeft: 0 | 1;
  categories: number[] | null;
  value: number;
  cover: number;
  gain: number;
}

/** A tree with no nodes yet, to build with addNode (node 0, the first added, is the root). */
export function emptyTree(): TreeJson {
  return {
    feature: [],
    threshold: [],
    left: [],
    right: [],
    missingLeft: [],
    categories: [],
    value: [],
    cover: [],
    gain: [],
  };
}

/** A leaf (feature -1; the split fields at their unused defaults). */
export function leafNode(value: number, cover: number): TreeNode {
  return { feature: -1, threshold: 0, left: 0, right: 0, missingLeft: 0, categories: null, value, cover, gain: 0 };
}

/** Appends a node to every per-node array at once (so they cannot drift apart); returns its index. */
export function addNode(tree: TreeJson, node: TreeNode): number {
  tree.feature.push(node.feature);
  tree.threshold.push(node.threshold);
  tree.left.push(node.left);
  tree.right.push(node.right);
  tree.missingLeft.push(node.missingLeft);
  tree.categories.push(node.categories);
  tree.value.push(node.value);
  tree.cover.push(node.cover);
  tree.gain.push(node.gain);
  return tree.feature.length - 1;
}

export const TreeEnsembleJson = z
  .object({
    format: z.literal('cairn-trees/1'),
    objective: GbdtObjective,
    featureKinds: z.array(FeatureKind).min(1).max(TREE_CAPS.features),
    /** Raw scores per row: the class count for softmax, else 1. */
    nOutputs: z.number().int().min(1).max(TREE_CAPS.outputs),
    /** The raw score every row starts from, per output. */
    baseScore: z.array(z.number()),
    trees: z.array(TreeJson).max(TREE_CAPS.trees),
    /** The output each tree adds to (softmax grows one tree per class per round). */
    treeOutputs: z.array(z.number().int().min(0)),
  })
  .strict();
export type TreeEnsembleJson = z.infer<typeof TreeEnsembleJson>;
