// One batch of training rows and its loss: the same numbers tfjs-layers' fit computes, from the
// model's outputs read back as plain numbers.
import * as tf from '@tensorflow/tfjs';
import type { Task } from './models.js';

/** One batch: its features as a tensor, its targets (class indices or numbers) and row weights as numbers. */
export interface Batch {
  x: tf.Tensor2D;
  targets: Float64Array;
  weights?: Float64Array;
}

/** One trained batch: the loss as fit reports it (penalties included) and the summed metric. */
export interface StepResult {
  loss: number;
  metricSum: number;
}

/**
 * Loss, metric and gradient of the batch loss with respect to the model's outputs (before the
 * softmax, for classes), from the outputs read back as numbers: per row, categorical cross-entropy
 * with tfjs-layers' clipping, or the squared error; weighted and averaged as fit's train function
 * does (the mean of weight × loss). The metric is summed: 1 for each row whose most probable class
 * (the first, on ties, as tf.argMax) is its label, or the absolute error.
 */
export function scoreOutputs(
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
