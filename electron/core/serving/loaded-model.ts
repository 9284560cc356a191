// One model version loaded for serving: its predictor (network or trees), compiled input check,
// output decoding and, made on first use, its row explainer. A network's calls run inside tf.tidy,
// so no tensor outlives the call that made it.
import { PICTURES_UNEXPLAINED } from '../../../shared/api.js';
import type { KernelShapOptions } from '../explain/kernel-shap.js';
import { rowExplainer, type RowExplainer } from '../explain/row-explainer.js';
import { loadArtifacts, type ModelCard } from '../training/artifacts.js';
import { denseChain } from '../training/dense-forward.js';
import type { PreprocessManifest } from '../training/manifest.js';
import type { ModelCost } from '../training/topology.js';
import { targetScale } from '../training/preprocess.js';
import type { ServedModel } from './protocol.js';
import { compileValidator, type CompiledValidator } from './validator.js';

/**
 * One prediction as the API returns it, without its id, as JSON text: `{"label","probabilities"}`
 * or `{"value"}`. The same text goes into the response and the request log, so each prediction is
 * serialized once. `answer` is the label or value, for the log's rollups.
 */
export interface EncodedOutput {
  json: string;
  answer: string | number | null;
}

/** A number as JSON: JSON.stringify writes a non-finite one (a diverged model's) as null. */
function jsonNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

export interface LoadedModel {
  name: string;
  version: number;
  /** Model outputs per row: the class count, or 1. */
  units: number;
  validator: CompiledValidator;
  card: ModelCard;
  preprocess: PreprocessManifest;
  /** What scoring one row costs, from the checked topology: bounds the rows of one call. */
  cost: ModelCost;
  /** Scores n rows of features; synchronous on every backend Cairn uses (cpu, wasm, tensorflow). */
  predict(x: Float32Array, n: number): Float32Array;
  /** Row i of a model call's output as the API's prediction. */
  encode(y: Float32Array, i: number): EncodedOutput;
  /**
   * The explainer of this version's rows (built on the first call, never on the prediction path),
   * or why it has none: a network saved before explain.json has no background to integrate over.
   * `kernel` bounds KernelSHAP's model calls; the endpoint's limits, the same on every call.
   */
  explainer(kernel: KernelShapOptions): RowExplainer | { unavailable: string };
  dispose(): void;
}

/** Why a network saved before explain.json cannot be explained. */
export const NO_BACKGROUND =
  'this network was saved before models kept a sample of their training rows to explain with; retrain to explain this network';

/**
 * How row i of a model call's output reads as JSON: a classifier's label and class probabilities,
 * or a regressor's value (unscaled with the target's mean and std).
 */
export function outputEncoder(
  classes: readonly string[] | null,
  mean: number,
  std: number,
): (y: Float32Array, i: number) => EncodedOutput {
  if (!classes) {
    return (y, i) => {
      const value = (y[i] as number) * std + mean;
      return { json: `{"value":${jsonNumber(value)}}`, answer: Number.isFinite(value) ? value : null };
    };
  }
  const units = classes.length;
  // Each class's `"name":` and `{"label":"name","probabilities":{` as JSON, escaped once here.
  const keys = classes.map((c) => `${JSON.stringify(c)}:`);
  const heads = classes.map((c) => `{"label":${JSON.stringify(c)},"probabilities":{`);
  return (y, i) => {
    const base = i * units;
    let best = 0;
    let probabilities = '';
    for (let k = 0; k < units; k++) {
      const p = y[base + k] as number;
      probabilities += `${k ? ',' : ''}${keys[k]}${jsonNumber(p)}`;
      if (p > (y[base + best] as number)) best = k;
    }
    return { json: `${heads[best]}${probabilities}}}`, answer: classes[best] as string };
  };
}

/** Loads a served version after checking its files against the recorded sha256 and its topology against its kind's allow-list. */
export async function loadServedModel(spec: ServedModel): Promise<LoadedModel> {
  const { predictor, preprocess, card, cost, trees, model, explainSample } = await loadArtifacts(spec.dir, spec.sha256);
  const validator = compileValidator(preprocess);
  const target = preprocess.target;
  const classes = target?.task === 'classification' ? target.classes : null;
  const units = classes ? classes.length : 1;
  const { mean, std } = targetScale(preprocess);
  const width = validator.width;
  const predict = (x: Float32Array, n: number) => predictor.predict(x, n);
  // A warm-up call: the first predict builds kernels and caches, which should not land on a request.
  predict(new Float32Array(width), 1);
  const encode = outputEncoder(classes, mean, std);
  // A linear or logistic model is one Dense layer, explained exactly; an MLP through KernelSHAP.
  const linear = model && card.modelKind !== 'mlp' ? denseChain(model, width)?.[0] : undefined;
  let explainer: RowExplainer | { unavailable: string } | undefined;
  const explainable = (kernel: KernelShapOptions) => {
    if (preprocess.image) return { unavailable: PICTURES_UNEXPLAINED };
    if (!trees && !linear && !explainSample) return { unavailable: NO_BACKGROUND };
    return rowExplainer(
      {
        task: target?.task === 'classification' ? 'classification' : 'regression',
        classes,
        preprocess,
        predictor,
        ...(trees ? { trees } : {}),
        ...(linear ? { linear } : {}),
        ...(explainSample ? { means: explainSample.means, background: explainSample.background } : {}),
      },
      kernel,
    );
  };
  return {
    name: spec.name,
    version: spec.version,
    units,
    validator,
    card,
    preprocess,
    cost,
    predict,
    encode,
    explainer: (kernel) => (explainer ??= explainable(kernel)),
    dispose: () => predictor.dispose(),
  };
}
