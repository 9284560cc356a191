// The optimisers a run can use: tfjs's SGD and RMSprop, and Adam as one flat update (FlatAdam),
// which gives tfjs's Adam's weights at a fraction of its per-variable operations.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from './train-params.js';

/** A fresh optimiser of the named kind. */
export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
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
