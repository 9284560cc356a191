// Scoring a saved ensemble: the trees are compiled once into flat typed arrays (all trees' nodes
// end to end, categorical sets as bitsets) so a row walks its trees with no allocation and no
// object lookups, as fast per row as the dense models' path.
import type { GbdtObjective, TreeEnsembleJson } from './tree-format.js';

export interface CompiledTrees {
  objective: GbdtObjective;
  nFeatures: number;
  nOutputs: number;
  baseScore: Float64Array;
  /** Root node of each tree, and the output it adds to. */
  roots: Int32Array;
  outputs: Int32Array;
  /** Per node over all trees; left/right are absolute node indices. */
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  value: Float64Array;
  /** Categorical nodes: their bitset is catBits[catStart, catStart + catWords); catStart -1 for numeric. */
  catStart: Int32Array;
  catWords: Int32Array;
  catBits: Uint32Array;
}

/** Compiles a checked ensemble (see checkTrees) for predictRaw. */
export function compileTrees(e: TreeEnsembleJson): CompiledTrees {
  let nodes = 0;
  let words = 0;
  for (const t of e.trees) {
    nodes += t.feature.length;
    for (const c of t.categories) if (c) words += wordsFor(c);
  }
  const c: CompiledTrees = {
    objective: e.objective,
    nFeatures: e.featureKinds.length,
    nOutputs: e.nOutputs,
    baseScore: Float64Array.from(e.baseScore),
    roots: new Int32Array(e.trees.length),
    outputs: Int32Array.from(e.treeOutputs),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    missingLeft: new Uint8Array(nodes),
    value: new Float64Array(nodes),
    catStart: new Int32Array(nodes).fill(-1),
    catWords: new Int32Array(nodes),
    catBits: new Uint32Array(words),
  };
  let at = 0;
  let word = 0;
  e.trees.forEach((t, ti) => {
    c.roots[ti] = at;
    for (let j = 0; j < t.feature.length; j++) {
      const k = at + j;
      c.feature[k] = t.feature[j]!;
      c.threshold[k] = t.threshold[j]!;
      c.left[k] = at + t.left[j]!;
      c.right[k] = at + t.right[j]!;
      c.missingLeft[k] = t.missingLeft[j]!;
      c.value[k] = t.value[j]!;
      const cats = t.categories[j];
      if (cats) {
        c.catStart[k] = word;
        c.catWords[k] = wordsFor(cats);
        for (const id of cats) c.catBits[word + (id >>> 5)]! |= 1 << (id & 31);
        word += c.catWords[k];
      }
    }
    at += t.feature.length;
  });
  return c;
}

function wordsFor(categories: number[]): number {
  let max = -1;
  for (const id of categories) if (id > max) max = id;
  return (max >>> 5) + 1;
}

/** Raw scores of n rows of row-major x (n × nFeatures): n × nOutputs, row-major. */
export function predictRaw(c: CompiledTrees, x: Float32Array | Float64Array, n: number): Float64Array {
  const d = c.nFeatures;
  const K = c.nOutputs;
  if (x.length < n * d) throw new RangeError(`x has ${x.length} values, expected ${n} rows × ${d} features`);
  const out = new Float64Array(n * K);
  const { roots, outputs, feature, threshold, left, right, missingLeft, value, catStart, catWords, catBits } = c;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const o = i * K;
    for (let k = 0; k < K; k++) out[o + k] = c.baseScore[k]!;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        const v = x[row + f]!;
        let goLeft: boolean;
        if (v !== v) goLeft = missingLeft[node] === 1;
        else if (catStart[node]! >= 0) {
          const id = v | 0;
          goLeft =
            id === v &&
            id >= 0 &&
            id >>> 5 < catWords[node]! &&
            ((catBits[catStart[node]! + (id >>> 5)]! >>> (id & 31)) & 1) === 1;
        } else goLeft = v <= threshold[node]!;
        node = goLeft ? left[node]! : right[node]!;
        f = feature[node]!;
      }
      out[o + outputs[t]!]! += value[node]!;
    }
  }
  return out;
}

/**
 * Predictions from raw scores: class probabilities (n × classes; [1 - p, p] for binary) for
 * classification, the raw score itself for regression (n × 1; in the caller's standardised units).
 */
export function outputFromRaw(
  c: Pick<CompiledTrees, 'objective' | 'nOutputs'>,
  raw: Float64Array,
  n: number,
): Float64Array {
  if (c.objective === 'binary_logloss') {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const z = raw[i]!;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  if (c.objective === 'softmax') {
    const K = c.nOutputs;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[i * K + k]!);
      let s = 0;
      for (let k = 0; k < K; k++) s += out[i * K + k] = Math.exp(raw[i * K + k]! - max);
      for (let k = 0; k < K; k++) out[i * K + k]! /= s;
    }
    return out;
  }
  return raw;
}

/** Predictions of n rows of x: probabilities or values, as outputFromRaw. */
export function predictOutput(c: CompiledTrees, x: Float32Array | Float64Array, n: number): Float64Array {
  return outputFromRaw(c, predictRaw(c, x, n), n);
}
