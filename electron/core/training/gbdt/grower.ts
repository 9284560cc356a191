// Grows one tree leaf-wise (best-first, as LightGBM and sklearn do): the leaf whose best split
// gains most is split next, until maxLeaves leaves or no leaf has a split with positive gain.
// A node's rows are a range of one index array, partitioned in place when it splits, so the
// leaves end as ranges too and the caller can add leaf values to its rows without walking the tree.
import type { BinMapper } from './binning.js';
import { HIST_STRIDE, subtractHistograms, type HistogramLayout } from './histogram.js';
import type { RowWork } from './row-threads.js';
import { findBestSplit, leafValue, type NodeSums, type Split, type SplitConstraints } from './split-finder.js';
import { addNode, emptyTree, leafNode, type TreeJson } from './tree-format.js';

export interface GrowOptions extends SplitConstraints {
  maxLeaves: number;
  /** Splits stop at this depth (edges from the root). */
  maxDepth: number;
  learningRate: number;
}

/** What a tree is grown from; the buffers are reused from tree to tree. */
export class GrowContext {
  private readonly pool: Float64Array[] = [];

  constructor(
    readonly mapper: BinMapper,
    readonly layout: HistogramLayout,
    readonly n: number,
    /** Builds node histograms and partitions; its state.rows are the row indices trees are grown on. */
    readonly work: RowWork,
    readonly options: GrowOptions,
    /** Sample weights, for each node's cover. */
    readonly weights: Float32Array | undefined,
  ) {}

  takeHistogram(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.layout.totalBins * HIST_STRIDE);
  }

  giveBack(hist: Float64Array | undefined): void {
    if (hist) this.pool.push(hist);
  }
}

/** A grown tree: the TreeJson arrays (leaf values with the learning rate applied) plus what training needs. */
export interface GrownTree extends TreeJson {
  /** Internal nodes: which bins go left. */
  goLeft: (Uint8Array | null)[];
  /** Leaves: their rows are rows[start, end) of the array the tree was grown on. */
  start: number[];
  end: number[];
  depth: number[];
}

interface Candidate {
  node: number;
  sums: NodeSums;
  hist: Float64Array;
  split: Split;
}

/**
 * Grows a tree on the first `count` rows of ctx.work.state.rows (reordered in place: each leaf's
 * rows end contiguous) with gradients and hessians of output `output`, splitting on `features` only.
 */
export function growTree(ctx: GrowContext, count: number, output: number, features: Int32Array): GrownTree {
  const { options: o, mapper, layout, work } = ctx;
  const rows = work.state.rows;
  const gh = work.state.gh;
  const ghAt = 2 * output * ctx.n;
  const t: GrownTree = { ...emptyTree(), goLeft: [], start: [], end: [], depth: [] };
  const addLeaf = (sums: NodeSums, cover: number, start: number, end: number, depth: number): number => {
    const value = o.learningRate * leafValue(sums.g, sums.h, o.l2);
    const at = addNode(t, leafNode(value, cover));
    t.goLeft.push(null);
    t.start.push(start);
    t.end.push(end);
    t.depth.push(depth);
    return at;
  };
  const splittable = (rowCount: number, depth: number): boolean =>
    rowCount >= 2 * o.minSamplesLeaf && depth < o.maxDepth;

  let g = 0;
  let h = 0;
  let rootCover = 0;
  for (let i = 0; i < count; i++) {
    const r = rows[i]!;
    g += gh[ghAt + 2 * r]!;
    h += gh[ghAt + 2 * r + 1]!;
    rootCover += ctx.weights ? ctx.weights[r]! : 1;
  }
  const root: NodeSums = { g, h, count };
  addLeaf(root, rootCover, 0, count, 0);
  const candidates: Candidate[] = [];
  const consider = (node: number, sums: NodeSums, hist: Float64Array): void => {
    const split = findBestSplit(hist, layout, mapper, features, sums, o);
    if (split) candidates.push({ node, sums, hist, split });
    else ctx.giveBack(hist);
  };
  if (o.maxLeaves > 1 && splittable(count, 0)) {
    const hist = ctx.takeHistogram();
    work.build(hist, 0, count, output, features);
    consider(0, root, hist);
  }
  let leaves = 1;
  while (leaves < o.maxLeaves && candidates.length > 0) {
    let bestAt = 0;
    for (let i = 1; i < candidates.length; i++)
      if (candidates[i]!.split.gain > candidates[bestAt]!.split.gain) bestAt = i;
    const { node, hist, split } = candidates[bestAt]!;
    candidates.splice(bestAt, 1);
    const start = t.start[node]!;
    const end = t.end[node]!;
    const mid = work.partition(start, end, split.feature, split.goLeft);
    const leftCover = coverOf(ctx, rows, start, mid);
    const depth = t.depth[node]! + 1;
    const left = addLeaf(split.left, leftCover, start, mid, depth);
    const right = addLeaf(split.right, t.cover[node]! - leftCover, mid, end, depth);
    t.feature[node] = split.feature;
    t.left[node] = left;
    t.right[node] = right;
    t.missingLeft[node] = split.missingLeft ? 1 : 0;
    t.gain[node] = split.gain;
    t.goLeft[node] = split.goLeft;
    if (mapper.featureKinds[split.feature] === 'categorical') {
      const ids: number[] = [];
      const cats = mapper.categories[split.feature]!;
      for (let b = 0; b < cats.length; b++) if (split.goLeft[b] === 1 && cats[b]! >= 0) ids.push(cats[b]!);
      t.categories[node] = ids.sort((a, b) => a - b);
    } else {
      const thresholds = mapper.thresholds[split.feature]!;
      // The last non-missing bin splits missing from the rest: every number goes left.
      t.threshold[node] = split.bin < thresholds.length ? thresholds[split.bin]! : Number.MAX_VALUE;
    }
    leaves++;
    const leftCan = leaves < o.maxLeaves && splittable(mid - start, depth);
    const rightCan = leaves < o.maxLeaves && splittable(end - mid, depth);
    if (!leftCan && !rightCan) {
      ctx.giveBack(hist);
      continue;
    }
    // Build the smaller child; the larger is the parent's histogram minus it.
    const smallerIsLeft = mid - start <= end - mid;
    const small = ctx.takeHistogram();
    const [s0, s1] = smallerIsLeft ? [start, mid] : [mid, end];
    work.build(small, s0, s1, output, features);
    subtractHistograms(hist, small, layout, features);
    const leftHist = smallerIsLeft ? small : hist;
    const rightHist = smallerIsLeft ? hist : small;
    if (leftCan) consider(left, split.left, leftHist);
    else ctx.giveBack(leftHist);
    if (rightCan) consider(right, split.right, rightHist);
    else ctx.giveBack(rightHist);
  }
  for (const c of candidates) ctx.giveBack(c.hist);
  return t;
}

/** The cover of rows[start, end): their weight summed in row order, or their count. */
function coverOf(ctx: GrowContext, rows: Uint32Array, start: number, end: number): number {
  const w = ctx.weights;
  if (!w) return end - start;
  let cover = 0;
  for (let i = start; i < end; i++) cover += w[rows[i]!]!;
  return cover;
}

/** The node a row of a feature-major bin matrix (n rows) ends in. */
export function leafOfBinned(t: GrownTree, bins: Uint8Array, n: number, i: number): number {
  let node = 0;
  while (t.feature[node]! >= 0) {
    node = t.goLeft[node]![bins[t.feature[node]! * n + i]!] === 1 ? t.left[node]! : t.right[node]!;
  }
  return node;
}

/** The saved form of a grown tree. */
export function toTreeJson(t: GrownTree): TreeJson {
  return {
    feature: t.feature,
    threshold: t.threshold,
    left: t.left,
    right: t.right,
    missingLeft: t.missingLeft,
    categories: t.categories,
    value: t.value,
    cover: t.cover,
    gain: t.gain,
  };
}
