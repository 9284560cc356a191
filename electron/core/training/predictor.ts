// What scores rows for a loaded model of any kind: a network (TensorFlow.js, or the plain
// JavaScript forward pass for small dense chains) or a tree ensemble. Every caller (the endpoint,
// batch predict, held-out judging, pipeline evaluation, explanations) sees only this, so a new
// model kind is one more constructor here.
import * as tf from '@tensorflow/tfjs';
import { compileDenseForward } from './dense-forward.js';
import type { TreeEnsembleJson } from './gbdt/tree-format.js';
import { compileTrees, predictOutput } from './gbdt/predict-trees.js';

export interface Predictor {
  /** Outputs per row: class probabilities (k), or 1 standardised value for a numeric target. */
  units: number;
  /** Scores n row-major feature rows; synchronous on every backend Cairn uses. */
  predict(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

/** Rows per tfjs call: bounds the tensors one call holds for a large input. */
const TF_BATCH = 8192;
/**
 * Input values per tfjs call at most: a picture model's rows are thousands of numbers wide and its
 * convolutions hold many times its input, so it scores fewer rows per call than a table's model.
 */
const TF_BATCH_VALUES = 1 << 22;

/** A network's predictor: the plain forward pass where it applies, else tfjs in batches. */
export function networkPredictor(model: tf.LayersModel, width: number, units: number): Predictor {
  const forward = compileDenseForward(model, width);
  const batch = Math.max(1, Math.min(TF_BATCH, Math.floor(TF_BATCH_VALUES / width)));
  const predict =
    forward ??
    ((x: Float32Array, n: number): Float32Array => {
      const out = new Float32Array(n * units);
      for (let start = 0; start < n; start += batch) {
        const rows = Math.min(batch, n - start);
        const y = tf.tidy(() => {
          const input = tf.tensor2d(x.subarray(start * width, (start + rows) * width), [rows, width]);
          return (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
        });
        out.set(y, start * units);
      }
      return out;
    });
  let disposed = false;
  return {
    units,
    predict,
    dispose: () => {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}

/** A tree ensemble's predictor (trees.json, already checked). */
export function treePredictor(ensemble: TreeEnsembleJson): Predictor {
  const compiled = compileTrees(ensemble);
  const units = ensemble.objective === 'binary_logloss' ? 2 : ensemble.nOutputs;
  return {
    units,
    predict: (x, n) => Float32Array.from(predictOutput(compiled, x, n)),
    dispose: () => undefined,
  };
}
