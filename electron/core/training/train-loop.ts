// The training loop around tfjs's model.fit, adding what fit lacks or gets wrong for us: a seeded
// shuffle (fit's own uses Math.random), early stopping that really restores the best weights (the
// stock callback only stops), balanced class weights, a clear stop on divergence, cancellation,
// and no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { CairnError } from '../errors.js';
import { lossFor, type Task } from './models.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

export const OptimizerName = z.enum(['adam', 'sgd', 'rmsprop']);
export type OptimizerName = z.infer<typeof OptimizerName>;

/** Epoch metrics a run can watch: loss always, accuracy ("acc", as tfjs names it) for classes, MAE for numbers. */
export const Monitor = z.enum(['val_loss', 'loss', 'val_acc', 'acc', 'val_mae', 'mae']);
export type Monitor = z.infer<typeof Monitor>;

export const EarlyStopping = z.object({
  monitor: Monitor.default('val_loss'),
  /** Epochs without improvement after which training stops (as Keras counts: 0 stops at the first). */
  patience: z.number().int().min(0).max(10_000).default(5),
  /** A change smaller than this is not an improvement. */
  minDelta: z.number().min(0).default(0),
  /** Put back the weights of the best epoch when training ends (stopped early or not). */
  restoreBestWeights: z.boolean().default(true),
});
export type EarlyStopping = z.infer<typeof EarlyStopping>;

/** The hyperparameters of one training run, with the defaults a user starts from. */
export const TrainParams = z.object({
  epochs: z.number().int().min(1).max(100_000).default(50),
  batchSize: z.number().int().min(1).max(1_000_000).default(32),
  learningRate: z.number().positive().max(100).default(0.001),
  optimizer: OptimizerName.default('adam'),
  earlyStopping: EarlyStopping.optional(),
  classWeight: z.enum(['none', 'balanced']).default('none'),
  seed: z.number().int().default(42),
});
export type TrainParams = z.infer<typeof TrainParams>;

/** Metrics of one epoch as tfjs reports them: loss, acc, and val_ versions when validating. */
export type EpochLogs = Record<string, number>;

/** Rows as typed arrays: x row-major n×nFeatures; y class indices 0..k-1 or numeric targets. */
export interface TrainData {
  x: Float32Array;
  y: Int32Array | Float32Array | Float64Array;
}

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

function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  return tf.train.adam(learningRate);
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
  if (data.x.length !== n * nFeatures) {
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

/** The tensors fit needs, built once from the typed arrays; the caller disposes them. */
function toTensors(data: TrainData, nFeatures: number, task: Task, k: number): [tf.Tensor2D, tf.Tensor2D] {
  const n = data.y.length;
  const x = tf.tensor2d(data.x, [n, nFeatures], 'float32');
  const y =
    task === 'classification'
      ? tf.tidy(() => tf.oneHot(tf.tensor1d(data.y as Int32Array, 'int32'), k).toFloat() as tf.Tensor2D)
      : tf.tensor2d(Float32Array.from(data.y), [n, 1], 'float32');
  return [x, y];
}

/** Stops fit between batches once the signal is aborted (a plain property read, no tensor sync). */
class AbortBetweenBatches extends tf.Callback {
  constructor(private readonly signal: AbortSignal | undefined) {
    super();
  }
  override async onBatchEnd(): Promise<void> {
    if (this.signal?.aborted) this.model.stopTraining = true;
  }
}

function cancelled(epoch: number): CairnError {
  return new CairnError('cancelled', `Training was cancelled during epoch ${epoch + 1}.`, { epoch });
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
  model.compile({ optimizer, loss: lossFor(task), metrics: [metricFor(task)] });
  const classWeight =
    task === 'classification' && opts.classWeight === 'balanced'
      ? balancedClassWeights(opts.y as Int32Array, k)
      : undefined;

  const owned: tf.Tensor[] = [];
  let best: tf.Tensor[] | undefined;
  try {
    const [x, y] = toTensors(opts, nFeatures, task, k);
    owned.push(x, y);
    let validationData: [tf.Tensor, tf.Tensor] | undefined;
    if (opts.validation) {
      validationData = toTensors(opts.validation, nFeatures, task, k);
      owned.push(...validationData);
    }
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
      const logs = await fitOneEpoch(model, x, y, order, { batchSize, validationData, classWeight, signal });
      if (signal?.aborted) throw cancelled(epoch);
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
    tf.dispose(owned);
    optimizer.dispose();
  }
}

async function fitOneEpoch(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  order: Int32Array,
  opts: {
    batchSize: number;
    validationData?: [tf.Tensor, tf.Tensor];
    classWeight?: Record<number, number>;
    signal?: AbortSignal;
  },
): Promise<EpochLogs> {
  const indices = tf.tensor1d(order, 'int32');
  const xs = tf.gather(x, indices);
  const ys = tf.gather(y, indices);
  try {
    const h = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: opts.batchSize,
      // Shuffled above from the seed; fit's own shuffle would draw from Math.random.
      shuffle: false,
      verbose: 0,
      validationData: opts.validationData,
      classWeight: opts.classWeight,
      callbacks: [new AbortBetweenBatches(opts.signal)],
    });
    const logs: EpochLogs = {};
    for (const [key, values] of Object.entries(h.history)) {
      const v = values[values.length - 1];
      if (typeof v === 'number') logs[key] = v;
    }
    return logs;
  } finally {
    tf.dispose([indices, xs, ys]);
  }
}

/** Class probabilities (row-major n×k) for row-major features, in batches so large inputs fit in memory. */
export async function predictProba(
  model: tf.LayersModel,
  x: Float32Array,
  nFeatures: number,
  batchSize = 8192,
): Promise<Float32Array> {
  return predictRows(model, x, nFeatures, batchSize);
}

/** Numeric predictions (one per row) of a regression model, in batches. */
export async function predictValues(
  model: tf.LayersModel,
  x: Float32Array,
  nFeatures: number,
  batchSize = 8192,
): Promise<Float32Array> {
  return predictRows(model, x, nFeatures, batchSize);
}

async function predictRows(
  model: tf.LayersModel,
  x: Float32Array,
  nFeatures: number,
  batchSize: number,
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
