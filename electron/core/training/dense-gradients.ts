// Gradients of a dense chain (what buildModel makes) in closed form: a handful of tensor operations
// per layer where tfjs's gradient tape records several times as many. The training loop uses them
// whenever the model is such a chain, and the tape otherwise.
import * as tf from '@tensorflow/tfjs';
import { Activation, SeededDropout, type Task } from './models.js';
import { scoreOutputs, type Batch, type StepResult } from './batch-loss.js';

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
    // In JavaScript where that gives the backend's own number (see l2PenaltyAsWasm): four tensor
    // operations per layer fewer on every step.
    const penaltiesInJs = tf.getBackend() === 'wasm';
    let penaltySum: number | undefined;
    let grad: tf.Tensor = tf.tensor2d(gradient, h.shape);
    for (let i = dense.length - 1; i >= 0; i--) {
      const stage = dense[i]!;
      const { input } = saved[i]!;
      let kernelGrad = tf.matMul(input, grad, true, false);
      if (stage.l2 > 0) {
        if (!penaltiesInJs) penalties.push(tf.mul(stage.l2, tf.sum(tf.square(stage.kernel))));
        else {
          const p = l2PenaltyAsWasm(stage.kernel.dataSync() as Float32Array, stage.l2);
          // tf.addN's float32 sum, in the order the layers are met.
          penaltySum = penaltySum === undefined ? p : Math.fround(penaltySum + p);
        }
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
    if (penaltySum !== undefined) loss += penaltySum;
    grads.reverse();
    return { loss, metricSum, grads };
  });
}

/**
 * l2 × Σ w² as the wasm backend computes tf.mul(l2, tf.sum(tf.square(w))): each square rounded to
 * float32, summed one after another in a float32 accumulator, times l2 as a float32 scalar. The
 * same bits (test/unit/electron/core/training/dense-gradients-wasm.test.ts); other backends sum
 * in another order or precision, and keep their tensor operations.
 */
export function l2PenaltyAsWasm(w: Float32Array, l2: number): number {
  const f = Math.fround;
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum = f(sum + f(w[i]! * w[i]!));
  return f(f(l2) * sum);
}
