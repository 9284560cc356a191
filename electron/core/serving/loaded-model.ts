// One model version loaded for serving: its network, compiled input check and output decoding.
// Every model call runs inside tf.tidy, so no tensor outlives the call that made it.
import * as tf from '@tensorflow/tfjs';
import { loadArtifacts, type ModelCard } from '../training/artifacts.js';
import type { PreprocessManifest } from '../training/manifest.js';
import { targetScale } from '../training/preprocess.js';
import type { ServedModel } from './protocol.js';
import { compileDenseForward } from './dense-forward.js';
import { compileValidator, type CompiledValidator } from './validator.js';

/** One prediction as the API returns it, without its id. */
export type Output = { label: string; probabilities: Record<string, number> } | { value: number };

export interface LoadedModel {
  name: string;
  version: number;
  /** Model outputs per row: the class count, or 1. */
  units: number;
  validator: CompiledValidator;
  card: ModelCard;
  preprocess: PreprocessManifest;
  /** Scores n rows of features; synchronous on every backend Cairn uses (cpu, wasm, tensorflow). */
  predict(x: Float32Array, n: number): Float32Array;
  /** Row i of a model call's output as the API's prediction. */
  decode(y: Float32Array, i: number): Output;
  dispose(): void;
}

/** Loads a served version after checking its files against the recorded sha256. */
export async function loadServedModel(spec: ServedModel): Promise<LoadedModel> {
  const { model, preprocess, card } = await loadArtifacts(spec.dir, spec.sha256);
  const validator = compileValidator(preprocess);
  const target = preprocess.target;
  const classes = target?.task === 'classification' ? target.classes : null;
  const units = classes ? classes.length : 1;
  const { mean, std } = targetScale(preprocess);
  const width = validator.width;
  // Small dense chains are scored in plain JavaScript (same numbers within float32 rounding);
  // anything else goes through tfjs.
  const predict =
    compileDenseForward(model, width) ??
    ((x: Float32Array, n: number): Float32Array =>
      tf.tidy(() => {
        const y = model.predict(tf.tensor2d(x, [n, width])) as tf.Tensor;
        return y.dataSync() as Float32Array;
      }));
  // A warm-up call: the first predict builds kernels and caches, which should not land on a request.
  predict(new Float32Array(width), 1);
  let disposed = false;
  const decode = classes
    ? (y: Float32Array, i: number): Output => {
        const base = i * units;
        let best = 0;
        const probabilities: Record<string, number> = {};
        for (let k = 0; k < units; k++) {
          const p = y[base + k] as number;
          probabilities[classes[k] as string] = p;
          if (p > (y[base + best] as number)) best = k;
        }
        return { label: classes[best] as string, probabilities };
      }
    : (y: Float32Array, i: number): Output => ({ value: (y[i] as number) * std + mean });
  return {
    name: spec.name,
    version: spec.version,
    units,
    validator,
    card,
    preprocess,
    predict,
    decode,
    dispose: () => {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}
