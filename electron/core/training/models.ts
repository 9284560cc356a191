// Model builders with TensorFlow.js layers: logistic regression, linear regression and a multilayer
// perceptron. Every random choice (initial weights, dropout masks) comes from the run's seed, so the
// same seed on the same backend trains the same model.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { choiceSchema } from '../../../shared/setting-schemas.js';
import { MODEL_KIND } from '../../../shared/training-settings.js';
import { CairnError } from '../errors.js';
import { BoostingParams } from './gbdt/boosting-params.js';
import { seededRandom } from './seeded-random.js';

export const Task = z.enum(['classification', 'regression']);
export type Task = z.infer<typeof Task>;

export const ModelKind = choiceSchema(MODEL_KIND);
export type ModelKind = z.infer<typeof ModelKind>;
/** The kinds saved as a TensorFlow.js network (model.json and weights); 'gbdt' is trees. */
export type NetworkKind = Exclude<ModelKind, 'gbdt'>;
/** The kinds that are a chain of Dense layers (buildModel); 'cnn' is cnn-model.ts's. */
export type DenseKind = Exclude<NetworkKind, 'cnn'>;

/** Whether a kind is a chain of Dense layers buildModel makes. */
export function isDenseKind(kind: ModelKind): kind is DenseKind {
  return kind !== 'gbdt' && kind !== 'cnn';
}

export const Activation = z.enum(['relu', 'tanh', 'elu', 'selu', 'sigmoid', 'softplus', 'linear']);
export type Activation = z.infer<typeof Activation>;

export const HiddenLayer = z.object({
  units: z.number().int().min(1).max(4096),
  activation: Activation.default('relu'),
  /** Share of this layer's outputs dropped at each training step; 0 turns dropout off. */
  dropout: z.number().min(0).max(0.9).default(0),
});
export type HiddenLayer = z.infer<typeof HiddenLayer>;

/** What a user picks for a model; hidden layers matter only for the MLP. */
export const ModelParams = z.object({
  kind: ModelKind.default(MODEL_KIND.default),
  hiddenLayers: z
    .array(HiddenLayer)
    .max(16)
    .default([
      { units: 64, activation: 'relu', dropout: 0 },
      { units: 32, activation: 'relu', dropout: 0 },
    ]),
  /** L2 penalty on every kernel (not biases), added to the loss; for trees, on leaf values. */
  l2: z.number().min(0).max(10).default(0),
  /** The tree settings, read only for 'gbdt'. */
  boosting: BoostingParams.default(BoostingParams.parse({})),
});
export type ModelParams = z.infer<typeof ModelParams>;
/** ModelParams as given, before defaults are filled. */
export type ModelParamsInput = z.input<typeof ModelParams>;

/** The shape of the problem a model is built for. */
export interface ModelShape {
  task: Task;
  nFeatures: number;
  /** Number of classes (≥ 2) for classification. */
  nClasses?: number;
}

/**
 * Dropout whose masks come from the run's seed. tfjs's own Dropout either draws from Math.random
 * (not reproducible) or, given a seed, reuses that one seed on every call and so drops the same
 * units at every step; this one advances the seed per training call.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  /** Share of values dropped; 0 turns the layer off. */
  readonly rate: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: { rate: number; seed: number; name?: string }) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs.training !== true || this.rate === 0) return x;
    return tf.mul(x, this.nextMask(x.shape));
  }

  /**
   * The multiplier the next training call applies, 0 or 1 / (1 − rate) per value, as tf.dropout
   * computes it; advances the seed. The training loop uses it to take gradients in closed form.
   */
  nextMask(shape: number[]): tf.Tensor {
    const keep = 1 - this.rate;
    const seed = this.seed + this.calls++;
    return tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

/** The outputs per row a model of `kind` makes for `shape` (classes, or 1); a mismatch is a user error. */
export function checkShape(kind: ModelKind, shape: ModelShape): number {
  if (!Number.isInteger(shape.nFeatures) || shape.nFeatures < 1) {
    throw new CairnError('invalid_argument', `A model needs at least one input feature, got ${shape.nFeatures}.`);
  }
  if (kind === 'logistic_regression' && shape.task !== 'classification') {
    throw new CairnError(
      'invalid_argument',
      'Logistic regression predicts classes: pick linear regression or an MLP for a numeric target.',
    );
  }
  if (kind === 'linear_regression' && shape.task !== 'regression') {
    throw new CairnError(
      'invalid_argument',
      'Linear regression predicts numbers: pick logistic regression or an MLP for a class target.',
    );
  }
  if (shape.task === 'regression') return 1;
  const k = shape.nClasses ?? 0;
  if (!Number.isInteger(k) || k < 2)
    throw new CairnError('invalid_argument', `Classification needs at least 2 classes, the target has ${k}.`);
  return k;
}

/**
 * Builds an uncompiled model for `params` and `shape`, initial weights drawn from `seed`.
 * Classification always ends in a k-unit softmax, binary included (two units rather than one
 * sigmoid): predictions are then an n×k probability matrix for every k, and the loss is the same
 * categorical cross-entropy; for logistic regression the two are the same model family.
 */
export function buildModel(input: ModelParamsInput, shape: ModelShape, seed: number): tf.Sequential {
  const params = ModelParams.parse(input);
  if (!isDenseKind(params.kind))
    throw new CairnError('internal', 'buildModel builds dense networks; trees and CNNs train elsewhere');
  const units = checkShape(params.kind, shape);
  // One seed per layer, from the run's seed, so layers of equal shape do not start equal.
  const random = seededRandom(seed);
  const nextSeed = () => Math.floor(random() * 0x7fffffff);
  const kernelRegularizer = params.l2 > 0 ? tf.regularizers.l2({ l2: params.l2 }) : undefined;
  const model = tf.sequential();
  const hidden = params.kind === 'mlp' ? params.hiddenLayers : [];
  hidden.forEach((layer, i) => {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [shape.nFeatures] } : {}),
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
        biasInitializer: 'zeros',
        kernelRegularizer,
      }),
    );
    if (layer.dropout > 0) model.add(new SeededDropout({ rate: layer.dropout, seed: nextSeed() }));
  });
  model.add(
    tf.layers.dense({
      ...(hidden.length === 0 ? { inputShape: [shape.nFeatures] } : {}),
      units,
      activation: shape.task === 'classification' ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      biasInitializer: 'zeros',
      kernelRegularizer,
    }),
  );
  return model;
}

/** The loss a task trains on: cross-entropy on one-hot classes, mean squared error on numbers. */
export function lossFor(task: Task): string {
  return task === 'classification' ? 'categoricalCrossentropy' : 'meanSquaredError';
}
