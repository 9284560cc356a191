// The training loop: what tfjs's model.fit does, computed the same way (loss, class weights, L2
// penalties, metrics averaged over the epoch's rows), plus what fit lacks or gets wrong for us: a
// seeded shuffle (fit's own uses Math.random), early stopping that really restores the best weights
// (the stock callback only stops), balanced class weights, a clear stop on divergence, cancellation,
// and no leaked tensors. It is its own loop rather than fit for speed: on the CPU backends (wasm,
// cpu) the small models Cairn trains cost a fixed amount per tensor operation far more than per
// multiply, and fit spends several operations per batch on gathering rows and averaging metrics
// that plain JavaScript does for nothing (bench/train.ts measures it).
import * as tf from '@tensorflow/tfjs';
import { CairnError } from '../errors.js';
import { scoreOutputs, type Batch, type StepResult } from './batch-loss.js';
import { chainGradients, closedFormChain, type Stage } from './dense-gradients.js';
import { makeOptimizer } from './flat-adam.js';
import { lossFor, type Task } from './models.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';
import type { EarlyStopping, TrainParams } from './train-params.js';

/** Metrics of one epoch as tfjs reports them: loss, acc, and val_ versions when validating. */
export type EpochLogs = Record<string, number>;

/**
 * Rows as typed arrays: x row-major n×nFeatures, or a function that writes the features of rows
 * `rows` into `out` (row-major) when a batch is made (pictures: decoded once, then varied per
 * batch by augmentation, and never all held as float features at once); y class indices 0..k-1
 * or numeric targets.
 */
export interface TrainData {
  x: Float32Array | BatchFeatures;
  y: Int32Array | Float32Array | Float64Array;
}

/** Writes the features of `rows` into `out`, row i at i × nFeatures. */
export type BatchFeatures = (rows: ArrayLike<number>, out: Float32Array) => void;

/**
 * Values a validation batch holds at most: wide rows (a picture's thousands of numbers, whose
 * convolutions hold many times that) get fewer rows per batch than a table's.
 */
const EVAL_BATCH_VALUES = 1 << 22;

export interface TrainOptions extends Omit<TrainParams, 'earlyStopping' | 'classWeight'>, TrainData {
  model: tf.LayersModel;
  nFeatures: number;
  task: Task;
  validation?: TrainData;
  earlyStopping?: EarlyStopping;
  classWeight?: 'none' | 'balanced';
  signal?: AbortSignal;
  /** Called after each epoch (0-based) with its metrics and the estimated time left. */
  onEpoch?: (epoch: number, logs: EpochLogs, etaMs: number) => void | Promise<void>;
}

export interface TrainResult {
  /** Per-metric values, one per epoch run. */
  history: Record<string, number[]>;
  epochsRun: number;
  stoppedEarly: boolean;
  /** Epoch (0-based) with the best monitored value; null without early stopping. */
  bestEpoch: number | null;
  restoredBestWeights: boolean;
}

/** The metric shown beside the loss: accuracy (logged as acc) for classes, mean absolute error for numbers. */
function metricFor(task: Task): string {
  return task === 'classification' ? 'accuracy' : 'mae';
}

/** Weight per class n / (k · count), so every class carries the same total weight (scikit-learn's "balanced"). */
export function balancedClassWeights(y: Int32Array, k: number): Record<number, number> {
  const counts = new Array<number>(k).fill(0);
  for (const c of y) counts[c]!++;
  const weights: Record<number, number> = {};
  // A class with no training rows never needs its weight; 1 keeps the map complete for tfjs.
  counts.forEach((count, c) => (weights[c] = count === 0 ? 1 : y.length / (k * count)));
  return weights;
}

function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0]!.shape;
  return shape[shape.length - 1] ?? 1;
}

function checkData(data: TrainData, nFeatures: number, task: Task, k: number, what: string): void {
  const n = data.y.length;
  if (n === 0) throw new CairnError('invalid_argument', `The ${what} rows are empty.`);
  if (typeof data.x !== 'function' && data.x.length !== n * nFeatures) {
    throw new CairnError(
      'invalid_argument',
      `The ${what} features hold ${data.x.length} values, expected ${n} rows × ${nFeatures}.`,
    );
  }
  if (task === 'classification') {
    if (!(data.y instanceof Int32Array))
      throw new CairnError('invalid_argument', `Classification labels must be class indices (Int32Array).`);
    for (let i = 0; i < n; i++) {
      const c = data.y[i]!;
      if (c < 0 || c >= k)
        throw new CairnError(
          'invalid_argument',
          `The ${what} label at row ${i} is ${c}, outside the model's ${k} classes.`,
        );
    }
  }
}

function cancelled(epoch: number): CairnError {
  return new CairnError('cancelled', `Training was cancelled during epoch ${epoch + 1}.`, { epoch });
}

/** What an epoch needs to train or score batches of rows. */
interface Batches {
  model: tf.LayersModel;
  nFeatures: number;
  task: Task;
  /** Classes (classification) or 1. */
  k: number;
  /** Weight per class, when class weights apply. */
  classWeight?: Float64Array;
  /** The model as a chain of dense layers whose gradients are taken in closed form, if it is one. */
  chain?: Stage[];
}

/**
 * Copies the rows `rows` of `data` into a fresh batch. A fresh array each time: the cpu backend
 * keeps the array it is given rather than a copy.
 */
function makeBatch(b: Batches, data: TrainData, rows: ArrayLike<number>): Batch {
  const m = rows.length;
  const f = b.nFeatures;
  const x = new Float32Array(m * f);
  const targets = new Float64Array(m);
  const features = data.x;
  if (typeof features === 'function') features(rows, x);
  for (let i = 0; i < m; i++) {
    if (typeof features !== 'function') {
      const from = rows[i]! * f;
      for (let j = 0; j < f; j++) x[i * f + j] = features[from + j]!;
    }
    // Targets are float32, as in the tensors tfjs compares outputs with.
    targets[i] = Math.fround(data.y[rows[i]!]!);
  }
  const weights = b.classWeight;
  return {
    x: tf.tensor2d(x, [m, f]),
    targets,
    weights: weights && Float64Array.from(targets, (c) => weights[c]!),
  };
}

/** The targets as the model's outputs: one-hot rows for classes, a column of numbers otherwise. */
function targetTensor(b: Batches, targets: Float64Array): tf.Tensor2D {
  if (b.task === 'regression') return tf.tensor2d(Float32Array.from(targets), [targets.length, 1]);
  const y = new Float32Array(targets.length * b.k);
  targets.forEach((c, i) => (y[i * b.k + c] = 1));
  return tf.tensor2d(y, [targets.length, b.k]);
}

/** tfjs-layers' own per-row loss for the task, the function compile({ loss }) resolves to. */
function lossFunction(task: Task): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  return task === 'classification' ? tf.metrics.categoricalCrossentropy : tf.metrics.meanSquaredError;
}

/**
 * One optimizer step on one batch. A chain takes its gradients in closed form; any other model
 * through tfjs's gradient tape, with the loss fit's train function builds. The CPU backends read
 * results synchronously, a copy and no wait, so no await is needed.
 */
function trainStep(b: Batches, optimizer: tf.Optimizer, variables: tf.Variable[], batch: Batch): StepResult {
  if (b.chain) {
    const { grads, ...result } = chainGradients(b.chain, b.task, b.k, batch);
    try {
      optimizer.applyGradients(grads);
    } finally {
      tf.dispose(grads.map((g) => g.tensor));
    }
    return result;
  }
  let output: tf.Tensor | undefined;
  const y = targetTensor(b, batch.targets);
  const w = batch.weights && tf.tensor1d(Float32Array.from(batch.weights));
  const loss = lossFunction(b.task);
  try {
    const cost = optimizer.minimize(
      () => {
        output = tf.keep(b.model.apply(batch.x, { training: true }) as tf.Tensor);
        let perRow = loss(y, output);
        if (w) perRow = tf.mul(perRow, w);
        let total = tf.mean(perRow);
        for (const penalty of b.model.calculateLosses()) total = tf.add(total, penalty);
        return total as tf.Scalar;
      },
      true,
      variables,
    )!;
    try {
      const { metricSum } = scoreOutputs(b.task, b.k, output!.dataSync() as Float32Array, batch);
      return { loss: cost.dataSync()[0]!, metricSum };
    } finally {
      cost.dispose();
    }
  } finally {
    tf.dispose([y, ...(w ? [w] : []), ...(output ? [output] : [])]);
  }
}

/** The metric's key in the logs, as fit names it. */
function metricKey(task: Task): 'acc' | 'mae' {
  return task === 'classification' ? 'acc' : 'mae';
}

/**
 * Trains one epoch over the rows in `order`, batch by batch, stopping between batches once
 * `signal` aborts. Loss and metric are averaged over the rows seen, as fit's logs are.
 */
function trainEpoch(
  b: Batches,
  data: TrainData,
  order: Int32Array,
  opts: { optimizer: tf.Optimizer; variables: tf.Variable[]; batchSize: number; signal?: AbortSignal },
): EpochLogs {
  let lossSum = 0;
  let metric = 0;
  let seen = 0;
  for (let start = 0; start < order.length; start += opts.batchSize) {
    const batch = makeBatch(b, data, order.subarray(start, start + opts.batchSize));
    try {
      const { loss, metricSum } = trainStep(b, opts.optimizer, opts.variables, batch);
      lossSum += loss * batch.targets.length;
      metric += metricSum;
      seen += batch.targets.length;
    } finally {
      batch.x.dispose();
    }
    if (opts.signal?.aborted) break;
  }
  return { loss: lossSum / seen, [metricKey(b.task)]: metric / seen };
}

/** Validation loss (without penalties or class weights, as fit's) and metric, in large batches. */
function evaluate(b: Batches, data: TrainData, batchSize: number): EpochLogs {
  const n = data.y.length;
  const loss = lossFunction(b.task);
  let lossSum = 0;
  let metric = 0;
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const batch = makeBatch(
      { ...b, classWeight: undefined },
      data,
      Int32Array.from({ length: m }, (_, i) => start + i),
    );
    const y = targetTensor(b, batch.targets);
    try {
      const [perRow, output] = tf.tidy(() => {
        const out = b.model.apply(batch.x, { training: false }) as tf.Tensor;
        return [loss(y, out), out];
      });
      try {
        for (const v of perRow.dataSync()) lossSum += v;
        metric += scoreOutputs(b.task, b.k, output.dataSync() as Float32Array, batch).metricSum;
      } finally {
        tf.dispose([perRow, output]);
      }
    } finally {
      tf.dispose([batch.x, y]);
    }
  }
  return { val_loss: lossSum / n, [`val_${metricKey(b.task)}`]: metric / n };
}

/**
 * Compiles `model` with a fresh optimizer and trains it one epoch at a time on a seeded order of
 * the rows. Throws CairnError 'cancelled' when `signal` aborts and 'invalid_argument' when the
 * loss stops being finite. The optimizer is disposed at the end: compile again to train more.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const { model, nFeatures, task, epochs, batchSize, signal } = opts;
  const k = task === 'classification' ? outputUnits(model) : 1;
  checkData(opts, nFeatures, task, k, 'training');
  if (opts.validation) checkData(opts.validation, nFeatures, task, k, 'validation');
  const stopping = opts.earlyStopping;
  if (stopping?.monitor.startsWith('val_') && !opts.validation) {
    throw new CairnError('invalid_argument', `Early stopping on ${stopping.monitor} needs a validation split.`);
  }
  if (stopping?.monitor.endsWith('acc') && task !== 'classification') {
    throw new CairnError('invalid_argument', `Early stopping on ${stopping.monitor} needs a classification task.`);
  }
  if (stopping?.monitor.endsWith('mae') && task !== 'regression') {
    throw new CairnError('invalid_argument', `Early stopping on ${stopping.monitor} needs a regression task.`);
  }
  if (signal?.aborted) throw cancelled(0);

  const optimizer = makeOptimizer(opts.optimizer, opts.learningRate);
  // Compiled as before, so the model carries its optimizer, loss and metric as fit would leave it.
  model.compile({ optimizer, loss: lossFor(task), metrics: [metricFor(task)] });
  const weights =
    task === 'classification' && opts.classWeight === 'balanced'
      ? balancedClassWeights(opts.y as Int32Array, k)
      : undefined;
  const batches: Batches = {
    model,
    nFeatures,
    task,
    k,
    classWeight: weights && Float64Array.from({ length: k }, (_, c) => weights[c]!),
    chain: closedFormChain(model, task),
  };
  // What fit trains: the model's trainable weights, in its order.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // Validation costs no gradients: larger batches mean fewer operations for the same result.
  const evalBatch = Math.max(batchSize, Math.min(4096, Math.floor(EVAL_BATCH_VALUES / nFeatures)));

  let best: tf.Tensor[] | undefined;
  try {
    const n = opts.y.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const random = seededRandom(opts.seed);
    const history: Record<string, number[]> = {};
    const mode = stopping?.monitor.endsWith('acc') ? 'max' : 'min';
    let bestValue = mode === 'max' ? -Infinity : Infinity;
    let bestEpoch: number | null = null;
    let wait = 0;
    let stoppedEarly = false;
    let epochsRun = 0;
    const started = performance.now();

    for (let epoch = 0; epoch < epochs; epoch++) {
      if (signal?.aborted) throw cancelled(epoch);
      shuffleInPlace(order, random);
      const logs = trainEpoch(batches, opts, order, { optimizer, variables, batchSize, signal });
      if (signal?.aborted) throw cancelled(epoch);
      if (opts.validation) Object.assign(logs, evaluate(batches, opts.validation, evalBatch));
      epochsRun = epoch + 1;
      if (!Number.isFinite(logs.loss)) {
        throw new CairnError(
          'invalid_argument',
          `Training diverged: the loss became ${logs.loss} in epoch ${epoch + 1}. Try a lower learning rate (now ${opts.learningRate}), or scale the features.`,
          { epoch, loss: String(logs.loss), learningRate: opts.learningRate },
        );
      }
      for (const [key, value] of Object.entries(logs)) (history[key] ??= []).push(value);

      if (stopping) {
        const value = logs[stopping.monitor];
        if (value === undefined)
          throw new CairnError(
            'invalid_argument',
            `Early stopping watches ${stopping.monitor}, which this run does not report.`,
          );
        const improved = mode === 'min' ? value < bestValue - stopping.minDelta : value > bestValue + stopping.minDelta;
        if (improved) {
          bestValue = value;
          bestEpoch = epoch;
          wait = 0;
          if (stopping.restoreBestWeights) {
            tf.dispose(best);
            best = model.getWeights().map((w) => w.clone());
          }
        } else if (++wait >= stopping.patience) {
          stoppedEarly = true;
        }
      }
      const elapsed = performance.now() - started;
      const etaMs = stoppedEarly ? 0 : (elapsed / epochsRun) * (epochs - epochsRun);
      await opts.onEpoch?.(epoch, logs, etaMs);
      if (stoppedEarly) break;
    }

    // The best epoch's weights, whether training stopped early or ran out of epochs.
    const restoredBestWeights = best !== undefined && bestEpoch !== epochsRun - 1;
    if (best && restoredBestWeights) model.setWeights(best);
    return { history, epochsRun, stoppedEarly, bestEpoch, restoredBestWeights };
  } finally {
    tf.dispose(best);
    optimizer.dispose();
  }
}

/**
 * The model's outputs for row-major features (row-major n×units), in batches so large inputs fit
 * in memory: class probabilities for a classifier, one value per row for a regressor.
 */
export async function predictRows(
  model: tf.LayersModel,
  x: Float32Array,
  nFeatures: number,
  batchSize = 8192,
): Promise<Float32Array> {
  if (x.length % nFeatures !== 0)
    throw new CairnError('invalid_argument', `Features hold ${x.length} values, not a multiple of ${nFeatures}.`);
  const n = x.length / nFeatures;
  const units = outputUnits(model);
  const out = new Float32Array(n * units);
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    const prediction = tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * nFeatures, (start + rows) * nFeatures), [rows, nFeatures]);
      return model.predict(input) as tf.Tensor;
    });
    try {
      out.set(await prediction.data(), start * units);
    } finally {
      prediction.dispose();
    }
  }
  return out;
}

/** Class probabilities (row-major n×k) of a classifier. */
export const predictProba = predictRows;
/** Numeric predictions (one per row) of a regression model. */
export const predictValues = predictRows;
