// The training loop: what tfjs's model.fit does, computed the same way (loss, class weights, L2
// penalties, metrics averaged over the epoch's rows), plus what fit lacks or gets wrong for us: a
// seeded shuffle (fit's own uses Math.random), early stopping that really restores the best weights
// (the stock callback only stops), balanced class weights, a clear stop on divergence, cancellation,
// and no leaked tensors. It is its own loop rather than fit for speed: on the CPU backends (wasm,
// cpu) the small models Cairn trains cost a fixed amount per tensor operation far more than per
// multiply, and fit spends several operations per batch on gathering rows and averaging metrics
// that plain JavaScript does for nothing (bench/train.ts measures it).
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  BATCH_SIZE,
  choiceSchema,
  CLASS_WEIGHT,
  EPOCHS,
  LEARNING_RATE,
  MIN_DELTA,
  MONITOR,
  numberSchema,
  OPTIMIZER,
  PATIENCE,
  SEED,
} from '../../../shared/training-settings.js';
import { CairnError } from '../errors.js';
import { Activation, SeededDropout, lossFor, type Task } from './models.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

export const OptimizerName = choiceSchema(OPTIMIZER);
export type OptimizerName = z.infer<typeof OptimizerName>;

/** Epoch metrics a run can watch: loss always, accuracy ("acc", as tfjs names it) for classes, MAE for numbers. */
export const Monitor = choiceSchema(MONITOR);
export type Monitor = z.infer<typeof Monitor>;

// Bounds and defaults: shared/training-settings.ts.
export const EarlyStopping = z.object({
  monitor: Monitor.default(MONITOR.default),
  patience: numberSchema(PATIENCE).default(PATIENCE.default),
  minDelta: numberSchema(MIN_DELTA).default(MIN_DELTA.default),
  /** Put back the weights of the best epoch when training ends (stopped early or not). */
  restoreBestWeights: z.boolean().default(true),
});
export type EarlyStopping = z.infer<typeof EarlyStopping>;

/**
 * The loop's own learning rate when a caller gives none; run-training.ts first picks one per task
 * and model (LEARNING_RATE has no default of its own: "chosen for the task and model").
 */
const FALLBACK_LEARNING_RATE = 0.001;

/** The hyperparameters of one training run, with the defaults a user starts from. */
export const TrainParams = z.object({
  epochs: numberSchema(EPOCHS).default(EPOCHS.default),
  batchSize: numberSchema(BATCH_SIZE).default(BATCH_SIZE.default),
  learningRate: numberSchema(LEARNING_RATE).default(FALLBACK_LEARNING_RATE),
  optimizer: OptimizerName.default(OPTIMIZER.default),
  earlyStopping: EarlyStopping.optional(),
  classWeight: choiceSchema(CLASS_WEIGHT).default(CLASS_WEIGHT.default),
  seed: numberSchema(SEED).default(SEED.default),
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
  return new FlatAdam(learningRate);
}

/**
 * Adam exactly as tfjs's AdamOptimizer computes it (default betas and epsilon; the same float32
 * operations in the same order, so the same weights), but as one update of all variables at once.
 * tfjs's costs 14 tensor operations per variable plus a scalar upload per constant used: on the CPU
 * backends, where each operation has a fixed cost, that is most of a small model's training step.
 * Up to `inJsUpTo` parameters the update runs in plain JavaScript on the values read back (each
 * operation rounded to float32, as the backends round: the same numbers); above, as tensor
 * operations on the variables concatenated into one vector, about 30 whatever the number of layers.
 */
export class FlatAdam extends tf.Optimizer {
  static readonly className = 'CairnFlatAdam';
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly epsilon = tf.backend().epsilon();
  /** beta^t as float32 numbers: a float32 product rounded once, as tfjs's scalar tensors hold it. */
  private accBeta1 = Math.fround(this.beta1);
  private accBeta2 = Math.fround(this.beta2);
  private names: string[] | undefined;
  private moments: { m: Float32Array; v: Float32Array } | { m: tf.Variable; v: tf.Variable } | undefined;

  constructor(
    private readonly learningRate: number,
    // Measured (a step of a dense model): on wasm the loop wins below about 20,000 parameters; the
    // cpu backend's own operations are JavaScript loops too, slower than this one at any size.
    private readonly inJsUpTo = tf.getBackend() === 'cpu' ? Infinity : 16_384,
  ) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const names = named.map((g) => g.name);
    this.names ??= names;
    // The moments are laid out in this order: every step must bring the same variables.
    if (names.length !== this.names.length || names.some((n, i) => n !== this.names![i]))
      throw new Error(`FlatAdam was first given [${this.names.join(', ')}], now [${names.join(', ')}]`);
    const values = named.map(({ name, tensor }) => {
      const value = tf.engine().registeredVariables[name];
      if (!value || !tensor) throw new Error(`FlatAdam has no gradient or variable for ${name}`);
      return value;
    });
    const grads = named.map((g) => g.tensor);
    const size = values.reduce((sum, v) => sum + v.size, 0);
    if (size <= this.inJsUpTo) this.stepInJs(values, grads, size);
    else this.stepWithTensors(values, grads);
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
    this.incrementIterations();
  }

  private stepInJs(values: tf.Variable[], grads: tf.Tensor[], size: number): void {
    if (!(this.moments?.m instanceof Float32Array))
      this.moments = { m: new Float32Array(size), v: new Float32Array(size) };
    const { m, v } = this.moments as { m: Float32Array; v: Float32Array };
    const f = Math.fround;
    const beta1 = f(this.beta1);
    const oneMinusBeta1 = f(1 - this.beta1);
    const beta2 = f(this.beta2);
    const oneMinusBeta2 = f(1 - this.beta2);
    const epsilon = f(this.epsilon);
    const negLr = f(-this.learningRate);
    const correction1 = f(1 - this.accBeta1);
    const correction2 = f(1 - this.accBeta2);
    let at = 0;
    values.forEach((value, i) => {
      const g = grads[i]!.dataSync();
      const w = value.dataSync();
      const next = new Float32Array(w.length);
      for (let j = 0; j < w.length; j++, at++) {
        const gj = g[j]!;
        const mj = (m[at] = f(f(m[at]! * beta1) + f(gj * oneMinusBeta1)));
        const vj = (v[at] = f(f(v[at]! * beta2) + f(f(gj * gj) * oneMinusBeta2)));
        const denominator = f(f(Math.sqrt(f(vj / correction2))) + epsilon);
        next[j] = f(f(f(f(mj / correction1) / denominator) * negLr) + w[j]!);
      }
      tf.tidy(() => value.assign(tf.tensor(next, value.shape)));
    });
  }

  private stepWithTensors(values: tf.Variable[], grads: tf.Tensor[]): void {
    tf.tidy(() => {
      const g = tf.concat(grads.map((t) => (t.rank === 1 ? t : tf.reshape(t, [-1]))));
      if (!(this.moments?.m instanceof tf.Variable))
        this.moments = { m: tf.keep(tf.zerosLike(g).variable(false)), v: tf.keep(tf.zerosLike(g).variable(false)) };
      const { m, v } = this.moments as { m: tf.Variable; v: tf.Variable };
      const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
      const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      const correctedM = tf.div(newM, Math.fround(1 - this.accBeta1));
      const correctedV = tf.div(newV, Math.fround(1 - this.accBeta2));
      m.assign(newM);
      v.assign(newV);
      const step = tf.mul(tf.div(correctedM, tf.add(tf.sqrt(correctedV), this.epsilon)), -this.learningRate);
      const parts = tf.split(
        step,
        values.map((value) => value.size),
      );
      values.forEach((value, i) => {
        const part = value.rank === 1 ? parts[i]! : tf.reshape(parts[i]!, value.shape);
        value.assign(tf.add(part, value));
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    super.dispose();
    if (this.moments?.m instanceof tf.Variable) tf.dispose([this.moments.m, this.moments.v]);
    this.moments = undefined;
  }
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

/** One batch: its features as a tensor, its targets (class indices or numbers) and row weights as numbers. */
export interface Batch {
  x: tf.Tensor2D;
  targets: Float64Array;
  weights?: Float64Array;
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
  for (let i = 0; i < m; i++) {
    const from = rows[i]! * f;
    for (let j = 0; j < f; j++) x[i * f + j] = data.x[from + j]!;
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
 * Loss, metric and gradient of the batch loss with respect to the model's outputs (before the
 * softmax, for classes), from the outputs read back as numbers: per row, categorical cross-entropy
 * with tfjs-layers' clipping, or the squared error; weighted and averaged as fit's train function
 * does (the mean of weight × loss). The metric is summed: 1 for each row whose most probable class
 * (the first, on ties, as tf.argMax) is its label, or the absolute error.
 */
function scoreOutputs(
  task: Task,
  k: number,
  outputs: Float32Array,
  batch: Batch,
): { lossSum: number; metricSum: number; gradient: Float32Array } {
  const { targets, weights } = batch;
  const m = targets.length;
  const gradient = new Float32Array(outputs.length);
  let lossSum = 0;
  let metricSum = 0;
  if (task === 'regression') {
    for (let i = 0; i < m; i++) {
      const err = outputs[i]! - targets[i]!;
      lossSum += err * err;
      metricSum += Math.abs(err);
      gradient[i] = (2 * err) / m;
    }
    return { lossSum, metricSum, gradient };
  }
  const eps = tf.backend().epsilon();
  for (let i = 0; i < m; i++) {
    const label = targets[i]!;
    const w = weights ? weights[i]! : 1;
    let sum = 0;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = outputs[i * k + c]!;
      sum += p;
      if (p > outputs[i * k + best]!) best = c;
      gradient[i * k + c] = (w * (p - (c === label ? 1 : 0))) / m;
    }
    const p = Math.min(Math.max(outputs[i * k + label]! / sum, eps), 1 - eps);
    lossSum -= w * Math.log(p);
    if (best === label) metricSum++;
  }
  return { lossSum, metricSum, gradient };
}

/** One trained batch: the loss as fit reports it (penalties included) and the summed metric. */
interface StepResult {
  loss: number;
  metricSum: number;
}

/** A dense layer of the chain, with the variables and penalty its gradients need. */
interface DenseStage {
  kind: 'dense';
  kernel: tf.Variable;
  bias: tf.Variable;
  activation: Activation | 'softmax';
  /** L2 factor of the kernel's penalty; 0 for none. */
  l2: number;
}
/** A step of a dense chain: a dense layer, or dropout on the layer before. */
export type Stage = DenseStage | { kind: 'dropout'; layer: SeededDropout };

const FUSED_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'elu', 'sigmoid']);
// tfjs's SELU constants.
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;

/**
 * The model as a chain of stages whose gradients trainStep takes in closed form: what buildModel
 * makes (dense layers with a bias, any activation of ours, an optional L2 kernel penalty, seeded
 * dropout between them; a softmax output for classes, a linear one for numbers). Anything else
 * (another layer, constraint or regularizer) returns undefined, and is trained through tfjs's
 * gradient tape instead.
 */
export function closedFormChain(model: tf.LayersModel, task: Task): Stage[] | undefined {
  // Only a Sequential model's layers are sure to be one chain in the order listed.
  if (!(model instanceof tf.Sequential)) return undefined;
  const stages: Stage[] = [];
  const variables: tf.LayerVariable[] = [];
  for (const layer of model.layers) {
    if (layer instanceof SeededDropout) {
      // Dropout applies to the output of the dense layer just before it.
      if (stages.at(-1)?.kind !== 'dense') return undefined;
      if (layer.rate > 0) stages.push({ kind: 'dropout', layer });
      continue;
    }
    if (layer.getClassName() !== 'Dense') return undefined;
    const config = layer.getConfig();
    const weights = layer.trainableWeights;
    const activation = typeof config.activation === 'string' ? config.activation : '';
    const regularizer = config.kernelRegularizer as {
      className?: string;
      config?: { l1?: number; l2?: number };
    } | null;
    if (
      weights.length !== 2 ||
      weights[0]!.shape.length !== 2 ||
      weights[1]!.shape.length !== 1 ||
      config.useBias !== true ||
      config.biasRegularizer ||
      config.activityRegularizer ||
      config.kernelConstraint ||
      config.biasConstraint ||
      (regularizer && (regularizer.className !== 'L1L2' || (regularizer.config?.l1 ?? 0) !== 0)) ||
      !(Activation.options as readonly string[]).concat('softmax').includes(activation)
    )
      return undefined;
    variables.push(...weights);
    stages.push({
      kind: 'dense',
      kernel: weights[0]!.read() as tf.Variable,
      bias: weights[1]!.read() as tf.Variable,
      activation: activation as DenseStage['activation'],
      l2: regularizer?.config?.l2 ?? 0,
    });
  }
  const last = stages.at(-1);
  const output = task === 'classification' ? 'softmax' : 'linear';
  if (last?.kind !== 'dense' || last.activation !== output) return undefined;
  if (stages.some((s) => s !== last && s.kind === 'dense' && s.activation === 'softmax')) return undefined;
  // Every trainable weight must be one of ours, or training would leave some untouched.
  if (model.trainableWeights.length !== variables.length) return undefined;
  return stages;
}

/** A dense layer's output from its input, with the activation fused into the product where tfjs can. */
function denseForward(stage: DenseStage, input: tf.Tensor2D): { output: tf.Tensor2D; preActivation?: tf.Tensor2D } {
  const { kernel, bias, activation } = stage;
  if (FUSED_ACTIVATIONS.has(activation)) {
    const fused = activation as 'linear' | 'relu' | 'elu' | 'sigmoid';
    return { output: tf.fused.matMul({ a: input, b: kernel, bias, activation: fused }) as tf.Tensor2D };
  }
  const z = tf.fused.matMul({ a: input, b: kernel, bias }) as tf.Tensor2D;
  const output: tf.Tensor2D =
    activation === 'tanh'
      ? tf.tanh(z)
      : activation === 'selu'
        ? tf.selu(z)
        : activation === 'softplus'
          ? tf.softplus(z)
          : tf.softmax(z);
  return { output, preActivation: z };
}

/** The gradient at a hidden layer's pre-activation from the one at its output (`a`, the output). */
function activationBackward(
  activation: Activation,
  a: tf.Tensor,
  z: tf.Tensor | undefined,
  grad: tf.Tensor,
): tf.Tensor {
  switch (activation) {
    case 'linear':
      return grad;
    case 'relu':
      return tf.mul(grad, tf.step(a));
    case 'tanh':
      return tf.mul(grad, tf.sub(1, tf.square(a)));
    case 'sigmoid':
      return tf.mul(grad, tf.mul(a, tf.sub(1, a)));
    case 'elu':
      return tf.where(tf.greater(a, 0), grad, tf.mul(grad, tf.add(a, 1)));
    case 'selu':
      return tf.where(tf.greater(a, 0), tf.mul(grad, SELU_SCALE), tf.mul(grad, tf.add(a, SELU_SCALE_ALPHA)));
    case 'softplus':
      return tf.mul(grad, tf.sigmoid(z!));
  }
}

/**
 * One batch's loss (as fit's train function computes it: mean of weight × per-row loss, plus the
 * L2 penalties), summed metric, and the gradients of the loss for each variable of `chain`, by
 * backpropagation written out for dense layers: a handful of tensor operations per layer where
 * tfjs's gradient tape records several times as many. The output layer's gradient is the closed
 * form of softmax with cross-entropy (probabilities − one-hot targets) or of the squared error;
 * it differs from the tape's only where tfjs-layers clips a probability below 1e-7 or above
 * 1 − 1e-7, where the tape's gradient is zero.
 */
export function chainGradients(
  chain: Stage[],
  task: Task,
  k: number,
  batch: Batch,
): StepResult & { grads: { name: string; tensor: tf.Tensor }[] } {
  return tf.tidy(() => {
    // Forward, keeping what the backward pass needs: each dense layer's input and outputs.
    const saved: { input: tf.Tensor2D; output: tf.Tensor; preActivation?: tf.Tensor; mask?: tf.Tensor }[] = [];
    let h: tf.Tensor2D = batch.x;
    for (const stage of chain) {
      if (stage.kind === 'dropout') {
        const mask = stage.layer.nextMask(h.shape);
        saved.at(-1)!.mask = mask;
        h = tf.mul<tf.Tensor2D>(h, mask);
      } else {
        const { output, preActivation } = denseForward(stage, h);
        saved.push({ input: h, output, preActivation });
        h = output;
      }
    }
    const { lossSum, metricSum, gradient } = scoreOutputs(task, k, h.dataSync() as Float32Array, batch);
    const m = batch.targets.length;
    let loss = lossSum / m;

    const dense = chain.filter((s): s is DenseStage => s.kind === 'dense');
    const grads: { name: string; tensor: tf.Tensor }[] = [];
    const penalties: tf.Tensor[] = [];
    let grad: tf.Tensor = tf.tensor2d(gradient, h.shape);
    for (let i = dense.length - 1; i >= 0; i--) {
      const stage = dense[i]!;
      const { input } = saved[i]!;
      let kernelGrad = tf.matMul(input, grad, true, false);
      if (stage.l2 > 0) {
        penalties.push(tf.mul(stage.l2, tf.sum(tf.square(stage.kernel))));
        kernelGrad = tf.add(kernelGrad, tf.mul(stage.kernel, 2 * stage.l2));
      }
      grads.push({ name: stage.bias.name, tensor: tf.sum(grad, 0) }, { name: stage.kernel.name, tensor: kernelGrad });
      if (i === 0) break;
      const below = saved[i - 1]!;
      let upstream: tf.Tensor = tf.matMul(grad, stage.kernel, false, true);
      if (below.mask) upstream = tf.mul(upstream, below.mask);
      grad = activationBackward(dense[i - 1]!.activation as Activation, below.output, below.preActivation, upstream);
    }
    if (penalties.length > 0) loss += tf.addN(penalties).dataSync()[0]!;
    grads.reverse();
    return { loss, metricSum, grads };
  });
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
  const evalBatch = Math.max(batchSize, 4096);

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
