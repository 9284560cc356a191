// Gradient boosting over histogram trees: each round fits one tree per output to the loss's
// gradients at the current raw scores and adds it, shrunk by the learning rate. With a validation
// set, training stops once the validation loss has not improved (by more than EARLY_STOPPING_TOL)
// for earlyStoppingRounds rounds, and the ensemble keeps the trees up to its best round.
// Deterministic: the seed drives the binning sample, row subsampling and feature subsampling.
import { numberSchema } from '../../../../shared/setting-schemas.js';
import { LEARNING_RATE, TREE_LEARNING_RATE } from '../../../../shared/training-settings.js';
import { z } from 'zod';
import { binRows, fitBins, MAX_BINS, type BinMapper } from './binning.js';
import { availableParallelism } from 'node:os';
import { GrowContext, growTree, leafOfBinned, toTreeJson, type GrownTree } from './grower.js';
import { histogramLayout, type HistogramLayout } from './histogram.js';
import { rowThreads, type RowWork } from './row-threads.js';
import {
  absoluteError,
  binaryLogLoss,
  huberDelta,
  huberLoss,
  softmaxLoss,
  squaredError,
  weightedMedian,
  type Loss,
} from './losses.js';
import { DEFAULT_SPLIT_CONSTRAINTS } from './split-finder.js';
import { TREE_CAPS, type FeatureKind, type TreeEnsembleJson, type TreeJson } from './tree-format.js';
import { sampleWithoutReplacement, seededRandom } from '../seeded-random.js';

export const GbdtParams = z
  .object({
    /** Boosting rounds (trees per output). */
    trees: z.number().int().min(1).max(10_000).default(100),
    // The run's bound (shared/training-settings.ts), so any rate a request may name trains.
    learningRate: numberSchema(LEARNING_RATE).default(TREE_LEARNING_RATE),
    maxLeaves: z
      .number()
      .int()
      .min(2)
      .max(TREE_CAPS.nodesPerTree / 2)
      .default(31),
    /** Edges from the root to the deepest leaf; none by default (TREE_CAPS.depth bounds it). */
    maxDepth: z.number().int().min(1).max(TREE_CAPS.depth).optional(),
    minSamplesLeaf: z.number().int().min(1).default(20),
    /** L2 penalty on leaf values. */
    l2: z.number().nonnegative().default(0),
    maxBins: z.number().int().min(2).max(MAX_BINS).default(MAX_BINS),
    /** Fraction of the training rows each round grows on, drawn without replacement. */
    subsample: z.number().gt(0).max(1).default(1),
    /** Fraction of the features each tree may split on. */
    colsample: z.number().gt(0).max(1).default(1),
    /** Rounds without validation improvement before stopping; 0 turns early stopping off. */
    earlyStoppingRounds: z.number().int().min(0).default(10),
    /** Regression loss; classification uses log loss (binary) or softmax (more classes). */
    loss: z.enum(['squared_error', 'absolute_error', 'huber']).default('squared_error'),
    seed: z.number().int().default(42),
  })
  .strict();
export type GbdtParams = z.infer<typeof GbdtParams>;
export type GbdtParamsInput = z.input<typeof GbdtParams>;

/** How training runs, not what it learns: the trees are the same whatever these are. */
export interface GbdtEngineOptions {
  /** Threads sharing the passes over the rows (this one included); by default 2 on big enough tables with 2+ cores. */
  threads?: number;
}

/** Rows × features from which a second thread pays for itself by default. */
export const PARALLEL_MIN_VALUES = 2_000_000;

/** sklearn's tol: a validation loss must drop by more than this to count as an improvement. */
export const EARLY_STOPPING_TOL = 1e-7;

/** Rows: x row-major n × featureKinds.length (NaN missing), y per row, optional weights per row. */
export interface GbdtSet {
  x: Float32Array;
  /** Regression: Float32Array (standardised by the caller). Classification: Int32Array of 0..classes-1. */
  y: Float32Array | Int32Array;
  /** Per-row weights (class weights go through here). */
  sampleWeight?: Float32Array;
}

export interface GbdtData {
  featureKinds: FeatureKind[];
  task: 'classification' | 'regression';
  /** Classification: the number of classes (labels 0..classes-1; a class may be absent from the rows). */
  classes?: number;
  train: GbdtSet;
  validation?: GbdtSet;
}

export interface GbdtRoundLosses {
  loss: number;
  valLoss?: number;
}
export interface GbdtRound extends GbdtRoundLosses {
  round: number;
}
/** Called after each round (1-based); awaited, and a throw cancels training. */
export type OnGbdtRound = (round: number, losses: GbdtRoundLosses) => void | Promise<void>;

export interface GbdtResult {
  ensemble: TreeEnsembleJson;
  /** Rounds kept: the best validation round with early stopping, else every round. */
  bestIteration: number;
  /** Rounds trained. */
  rounds: number;
  history: GbdtRound[];
}

/** The loss of a task and params, fitted on the training targets where it needs them (Huber's delta). */
export function chooseLoss(data: GbdtData, params: GbdtParams): Loss {
  if (data.task === 'classification') {
    const classes = data.classes ?? 0;
    return classes === 2 ? binaryLogLoss : softmaxLoss(classes);
  }
  if (params.loss === 'absolute_error') return absoluteError;
  if (params.loss === 'huber') return huberLoss(huberDelta(data.train.y));
  return squaredError;
}

function checkSet(set: GbdtSet, d: number, data: GbdtData, name: string): number {
  const n = set.y.length;
  if (set.x.length !== n * d) throw new RangeError(`${name}: x has ${set.x.length} values, expected ${n} × ${d}`);
  if (set.sampleWeight && set.sampleWeight.length !== n) throw new RangeError(`${name}: sampleWeight length != rows`);
  if (set.sampleWeight?.some((w) => !(w >= 0 && Number.isFinite(w)))) {
    throw new RangeError(`${name}: sample weights must be finite and non-negative`);
  }
  if (data.task === 'classification') {
    const classes = data.classes ?? 0;
    if (!(set.y instanceof Int32Array)) throw new TypeError(`${name}: classification labels must be an Int32Array`);
    if (set.y.some((v) => v < 0 || v >= classes)) throw new RangeError(`${name}: labels must be in [0, ${classes})`);
  } else if (!(set.y instanceof Float32Array) || set.y.some((v) => !Number.isFinite(v))) {
    throw new TypeError(`${name}: regression targets must be a Float32Array of finite numbers`);
  }
  return n;
}

/** Trains a GBDT on data.train, early-stopping on data.validation when given. */
export async function trainGbdt(
  data: GbdtData,
  paramsInput: GbdtParamsInput = {},
  onRound?: OnGbdtRound,
  engine: GbdtEngineOptions = {},
): Promise<GbdtResult> {
  const params = GbdtParams.parse(paramsInput);
  const d = data.featureKinds.length;
  if (d < 1) throw new RangeError('GBDT needs at least one feature');
  if (data.task === 'classification' && !(Number.isInteger(data.classes) && (data.classes ?? 0) >= 2)) {
    throw new RangeError(`classification needs classes >= 2, got ${data.classes}`);
  }
  const n = checkSet(data.train, d, data, 'train');
  if (n < 1) throw new RangeError('GBDT needs at least one training row');
  const val = data.validation;
  if (val) checkSet(val, d, data, 'validation');

  const mapper = fitBins(data.train.x, n, data.featureKinds, params.maxBins, params.seed);
  const bins = binRows(mapper, data.train.x, n);
  const vbins = val ? binRows(mapper, val.x, val.y.length) : undefined;
  const layout = histogramLayout(mapper.nBins);
  const threads = engine.threads ?? defaultThreads(n, d);
  const loss = chooseLoss(data, params);
  const { y, sampleWeight: w } = data.train;
  const work = rowThreads({ layout, bins, y, w, loss, maxLeaves: params.maxLeaves }, threads);
  let result: GbdtResult;
  try {
    result = await boost(data, params, onRound, { mapper, layout, bins, vbins, loss, work });
  } catch (e) {
    await work.close().catch(() => undefined);
    throw e;
  }
  await work.close();
  return result;
}

/** Threads by default: two where there are two cores and enough values to share out. */
function defaultThreads(n: number, d: number): number {
  return availableParallelism() >= 2 && n * d >= PARALLEL_MIN_VALUES ? 2 : 1;
}

interface Prepared {
  mapper: BinMapper;
  layout: HistogramLayout;
  bins: Uint8Array;
  vbins: Uint8Array | undefined;
  loss: Loss;
  work: RowWork;
}

async function boost(
  data: GbdtData,
  params: GbdtParams,
  onRound: OnGbdtRound | undefined,
  { mapper, layout, bins, vbins, loss, work }: Prepared,
): Promise<GbdtResult> {
  const d = data.featureKinds.length;
  const n = data.train.y.length;
  // An empty validation set is no validation set: it has no loss to stop on.
  const val = data.validation && data.validation.y.length > 0 ? data.validation : undefined;
  const nv = val ? val.y.length : 0;
  const K = loss.nOutputs;
  const { y, sampleWeight: w } = data.train;
  const ctx = new GrowContext(
    mapper,
    layout,
    n,
    work,
    {
      ...DEFAULT_SPLIT_CONSTRAINTS,
      minSamplesLeaf: params.minSamplesLeaf,
      l2: params.l2,
      maxLeaves: params.maxLeaves,
      maxDepth: params.maxDepth ?? TREE_CAPS.depth,
      learningRate: params.learningRate,
    },
    w,
  );

  const baseScore = loss.baseScore(y, w);
  const { raw, rows } = work.state;
  const vraw = new Float64Array(K * nv);
  for (let k = 0; k < K; k++) {
    raw.fill(baseScore[k]!, k * n, (k + 1) * n);
    vraw.fill(baseScore[k]!, k * nv, (k + 1) * nv);
  }
  const random = seededRandom(params.seed);
  const sampleSize = Math.max(1, Math.floor(params.subsample * n));
  const featureCount = Math.max(1, Math.round(params.colsample * d));
  const allFeatures = Int32Array.from({ length: d }, (_v, f) => f);
  const early = val !== undefined && params.earlyStoppingRounds > 0;

  const trees: TreeJson[] = [];
  const treeOutputs: number[] = [];
  const history: GbdtRound[] = [];
  let bestLoss = Infinity;
  let bestRound = 0;
  let round = 0;
  // The gradients of the next round and the loss of the last one come from one pass over the rows.
  work.gradients();
  while (round < params.trees) {
    round++;
    const sample = sampleSize < n ? sampleWithoutReplacement(n, sampleSize, random) : undefined;
    for (let k = 0; k < K; k++) {
      if (sample) rows.set(sample);
      else for (let i = 0; i < n; i++) rows[i] = i;
      const features =
        featureCount < d ? Int32Array.from(sampleWithoutReplacement(d, featureCount, random)) : allFeatures;
      const tree = growTree(ctx, sampleSize, k, features);
      if (loss.leafFromResiduals) setLeavesFromResiduals(tree, rows, y, raw, w, params.learningRate);
      if (sample) {
        for (let i = 0; i < n; i++) raw[k * n + i]! += tree.value[leafOfBinned(tree, bins, n, i)]!;
      } else addLeaves(work, tree, k);
      if (vbins) for (let i = 0; i < nv; i++) vraw[k * nv + i]! += tree.value[leafOfBinned(tree, vbins, nv, i)]!;
      trees.push(toTreeJson(tree));
      treeOutputs.push(k);
    }
    const losses: GbdtRoundLosses = { loss: work.gradients() };
    if (val) losses.valLoss = loss.meanLoss(val.y, vraw, val.sampleWeight);
    history.push({ round, ...losses });
    await onRound?.(round, losses);
    // A turn of the event loop between rounds, so the host's messages (a cancel) are handled
    // even when onRound is synchronous.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (early) {
      if (losses.valLoss! < bestLoss - EARLY_STOPPING_TOL) {
        bestLoss = losses.valLoss!;
        bestRound = round;
      } else if (round - bestRound >= params.earlyStoppingRounds) break;
    }
  }
  const bestIteration = early ? bestRound : round;
  const ensemble: TreeEnsembleJson = {
    format: 'cairn-trees/1',
    objective: loss.objective,
    featureKinds: [...data.featureKinds],
    nOutputs: K,
    baseScore: Array.from(baseScore),
    trees: trees.slice(0, bestIteration * K),
    treeOutputs: treeOutputs.slice(0, bestIteration * K),
  };
  return { ensemble, bestIteration, rounds: round, history };
}

/** Adds each leaf's value to output k's raw scores of its rows (the tree was grown on all rows). */
function addLeaves(work: RowWork, tree: GrownTree, k: number): void {
  const starts: number[] = [];
  const ends: number[] = [];
  const values: number[] = [];
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node]! >= 0) continue;
    starts.push(tree.start[node]!);
    ends.push(tree.end[node]!);
    values.push(tree.value[node]!);
  }
  work.addLeaves(starts, ends, values, k);
}

/** Each leaf's value becomes the learning rate times the (weighted) median of y - raw over its rows. */
function setLeavesFromResiduals(
  tree: GrownTree,
  rows: Uint32Array,
  y: ArrayLike<number>,
  raw: Float64Array,
  w: Float32Array | undefined,
  learningRate: number,
): void {
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node]! >= 0) continue;
    const start = tree.start[node]!;
    const m = tree.end[node]! - start;
    const residuals = new Float64Array(m);
    const weights = w ? new Float64Array(m) : undefined;
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      residuals[i] = y[r]! - raw[r]!;
      if (weights) weights[i] = w![r]!;
    }
    tree.value[node] = learningRate * weightedMedian(residuals, weights);
  }
}
