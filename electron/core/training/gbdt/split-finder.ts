// The best split of a node from its histograms: for each feature the split with the largest loss
// reduction (gain) that leaves both children at least minSamplesLeaf rows and minHessian hessian.
// Gain is GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ) (sklearn's and LightGBM's, without the ½).
//
// Numeric features are scanned twice, as sklearn does: missing values going right, then going left,
// so each split learns where missing values belong; "all non-missing left, missing right" is a
// split too. Categorical features use LightGBM's sorted-gradient method: categories with enough
// support are ordered by G/(H + catSmooth) and prefixes of that order, from either end, are the
// candidate left sets (the best set split over the order, which is exact for the one-output case
// up to the smoothing); missing values are a category of their own there.
import type { BinMapper } from './binning.js';
import { HIST_STRIDE, type HistogramLayout } from './histogram.js';

export interface SplitConstraints {
  minSamplesLeaf: number;
  /** Least hessian sum in a child (sklearn's and LightGBM's 1e-3). */
  minHessian: number;
  /** L2 penalty on leaf values (λ). */
  l2: number;
  /** A categorical split sends at most this many categories to the smaller-scanned side (LightGBM's max_cat_threshold). */
  maxCatThreshold: number;
  /** A category takes part in a categorical split only with this much support (rows, by hessian); else it goes right. */
  minCatSupport: number;
  /** Added to a category's hessian sum when ordering by G/H, so small categories do not lead the order. */
  catSmooth: number;
}

/** LightGBM's max_cat_threshold; sklearn's MIN_CAT_SUPPORT for support and smoothing. */
export const DEFAULT_SPLIT_CONSTRAINTS: Omit<SplitConstraints, 'minSamplesLeaf' | 'l2'> = {
  minHessian: 1e-3,
  maxCatThreshold: 32,
  minCatSupport: 10,
  catSmooth: 10,
};

/** Sums of a node's rows. */
export interface NodeSums {
  g: number;
  h: number;
  count: number;
}

export interface Split {
  feature: number;
  gain: number;
  /** goLeft[bin] is 1 when rows in that bin go to the left child (missing bin included). */
  goLeft: Uint8Array;
  /** Numeric: the highest bin that goes left (rows with x <= its threshold). -1 for categorical. */
  bin: number;
  missingLeft: boolean;
  left: NodeSums;
  right: NodeSums;
}

/** The leaf value of a node with these sums, before the learning rate: the Newton step. */
export function leafValue(g: number, h: number, l2: number): number {
  return -g / (h + l2);
}

const score = (g: number, h: number, l2: number): number => (g * g) / (h + l2);

/** One node's histograms and what a split of it must respect: what each feature's split search reads. */
interface NodeScan {
  hist: Float64Array;
  layout: HistogramLayout;
  mapper: BinMapper;
  node: NodeSums;
  c: SplitConstraints;
}

/** The best split of a node over `features`, or null when none has a positive gain. */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  mapper: BinMapper,
  features: Int32Array,
  node: NodeSums,
  c: SplitConstraints,
): Split | null {
  const scan: NodeScan = { hist, layout, mapper, node, c };
  let best: Split | null = null;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const search = mapper.featureKinds[f] === 'categorical' ? categoricalSplit : numericSplit;
    const found = search(scan, f, best ? best.gain : 0);
    if (found) best = found;
  }
  return best;
}

function allowed(gl: number, hl: number, cl: number, node: NodeSums, c: SplitConstraints): boolean {
  return (
    cl >= c.minSamplesLeaf && node.count - cl >= c.minSamplesLeaf && hl >= c.minHessian && node.h - hl >= c.minHessian
  );
}

function numericSplit(scan: NodeScan, f: number, beat: number): Split | null {
  const { hist, layout, mapper, node, c } = scan;
  const nb = mapper.nBins[f]!;
  const base = layout.offset[f]! * HIST_STRIDE;
  const parent = score(node.g, node.h, c.l2);
  const scanLeft = mapper.hasMissing[f] === 1;
  let bestGain = beat;
  let bestBin = -1;
  let bestMissingLeft = false;
  let bestGl = 0;
  let bestHl = 0;
  let bestCl = 0;
  const consider = (bin: number, gl: number, hl: number, cl: number, missingLeft: boolean): void => {
    if (!allowed(gl, hl, cl, node, c)) return;
    const gain = score(gl, hl, c.l2) + score(node.g - gl, node.h - hl, c.l2) - parent;
    if (gain > bestGain) {
      bestGain = gain;
      bestBin = bin;
      bestMissingLeft = missingLeft;
      bestGl = gl;
      bestHl = hl;
      bestCl = cl;
    }
  };
  // Missing right: thresholds after bins 0..nb-2, and after nb-1 (all non-missing left) if any are missing.
  let gl = 0;
  let hl = 0;
  let cl = 0;
  const lastRight = scanLeft ? nb : nb - 1;
  for (let b = 0; b < lastRight; b++) {
    const k = base + b * HIST_STRIDE;
    gl += hist[k]!;
    hl += hist[k + 1]!;
    cl += hist[k + 2]!;
    consider(b, gl, hl, cl, false);
  }
  if (scanLeft) {
    // Missing left: thresholds after bins nb-2..0, scanned downwards as sklearn does, so that of
    // equal gains (an empty bin between) the higher threshold wins as in sklearn.
    let gr = 0;
    let hr = 0;
    let cr = 0;
    for (let b = nb - 2; b >= 0; b--) {
      const k = base + (b + 1) * HIST_STRIDE;
      gr += hist[k]!;
      hr += hist[k + 1]!;
      cr += hist[k + 2]!;
      consider(b, node.g - gr, node.h - hr, node.count - cr, true);
    }
  }
  if (bestBin < 0) return null;
  const goLeft = new Uint8Array(256);
  for (let b = 0; b <= bestBin; b++) goLeft[b] = 1;
  let missingLeft = bestMissingLeft;
  // No missing values in training: missing rows at prediction go with the majority (sklearn's rule).
  if (!scanLeft) missingLeft = bestCl > node.count - bestCl;
  goLeft[nb] = missingLeft ? 1 : 0;
  return { feature: f, gain: bestGain, goLeft, bin: bestBin, missingLeft, ...children(node, bestGl, bestHl, bestCl) };
}

function categoricalSplit(scan: NodeScan, f: number, beat: number): Split | null {
  const { hist, layout, mapper, node, c } = scan;
  const nb = mapper.nBins[f]!;
  const base = layout.offset[f]! * HIST_STRIDE;
  const other = mapper.otherBin[f]!;
  // Support in rows: hessian sums rescaled so they add up to the node's count (sklearn's support_factor).
  const supportFactor = node.h > 0 ? node.count / node.h : 0;
  const used: number[] = [];
  const order = new Float64Array(nb + 1);
  const lastBin = mapper.hasMissing[f] === 1 ? nb : nb - 1;
  for (let b = 0; b <= lastBin; b++) {
    if (b === other) continue;
    const k = base + b * HIST_STRIDE;
    if (hist[k + 1]! * supportFactor >= c.minCatSupport) {
      used.push(b);
      order[b] = hist[k]! / (hist[k + 1]! + c.catSmooth);
    }
  }
  if (used.length < 2) return null;
  used.sort((a, b) => order[a]! - order[b]! || a - b);
  const parent = score(node.g, node.h, c.l2);
  // Up to the middle from the front, one fewer from the back (sklearn's bounds), so no set is tried twice.
  const half = (used.length + 1) >> 1;
  let bestGain = beat;
  let bestLen = -1;
  let bestFromEnd = false;
  let bestGl = 0;
  let bestHl = 0;
  let bestCl = 0;
  for (const fromEnd of [false, true]) {
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const prefixMax = Math.min(fromEnd ? half - 1 : half, c.maxCatThreshold);
    for (let i = 0; i < prefixMax; i++) {
      const b = used[fromEnd ? used.length - 1 - i : i]!;
      const k = base + b * HIST_STRIDE;
      gl += hist[k]!;
      hl += hist[k + 1]!;
      cl += hist[k + 2]!;
      if (!allowed(gl, hl, cl, node, c)) continue;
      const gain = score(gl, hl, c.l2) + score(node.g - gl, node.h - hl, c.l2) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        bestLen = i + 1;
        bestFromEnd = fromEnd;
        bestGl = gl;
        bestHl = hl;
        bestCl = cl;
      }
    }
  }
  if (bestLen < 0) return null;
  const goLeft = new Uint8Array(256);
  for (let i = 0; i < bestLen; i++) goLeft[used[bestFromEnd ? used.length - 1 - i : i]!] = 1;
  let missingLeft = goLeft[nb] === 1;
  if (mapper.hasMissing[f] !== 1) {
    missingLeft = bestCl > node.count - bestCl;
    goLeft[nb] = missingLeft ? 1 : 0;
  }
  return { feature: f, gain: bestGain, goLeft, bin: -1, missingLeft, ...children(node, bestGl, bestHl, bestCl) };
}

/** The sums of both children from the left one's. */
function children(node: NodeSums, gl: number, hl: number, cl: number): Pick<Split, 'left' | 'right'> {
  return { left: { g: gl, h: hl, count: cl }, right: { g: node.g - gl, h: node.h - hl, count: node.count - cl } };
}
