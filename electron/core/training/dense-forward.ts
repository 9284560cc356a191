// A plain-JavaScript forward pass for the small dense models Cairn trains (a Sequential chain of
// Dense layers with a bias and dropout between them). On the cpu backend a micro-batch of a few
// rows through such a model costs far more in tfjs's per-op dispatch (tensors, tidy scopes,
// kernel lookup) than in arithmetic; here it is loops over Float32Array weights read once at
// load. Anything else returns undefined and is served through tfjs.
import * as tf from '@tensorflow/tfjs';

export type DenseActivation = 'linear' | 'relu' | 'tanh' | 'elu' | 'selu' | 'sigmoid' | 'softplus' | 'softmax';
const ACTIVATIONS: ReadonlySet<string> = new Set([
  'linear',
  'relu',
  'tanh',
  'elu',
  'selu',
  'sigmoid',
  'softplus',
  'softmax',
]);
// Layers that do nothing at inference.
const INERT: ReadonlySet<string> = new Set(['Dropout', 'SeededDropout']);
// tfjs's SELU constants.
export const SELU_SCALE = 1.0507009873554805;
export const SELU_SCALE_ALPHA = 1.7580993408473768;

export interface DenseLayer {
  /** Row-major in × out, as tfjs stores a Dense kernel. */
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: DenseActivation;
}

/** Above this many weights the arithmetic outweighs tfjs's dispatch, and a native backend wins. */
const MAX_WEIGHTS = 1 << 16;

/**
 * The model as a function of row-major features, or undefined when it is not a chain of Dense
 * layers this pass knows (any other layer, constraint-free config aside) or is too big to gain.
 */
export function compileDenseForward(
  model: tf.LayersModel,
  width: number,
): ((x: Float32Array, n: number) => Float32Array) | undefined {
  const layers = denseChain(model, width);
  if (!layers || layers.reduce((n, l) => n + l.inputs * l.units, 0) > MAX_WEIGHTS) return undefined;
  const compiled = layers.map(unitMajor);
  const widest = Math.max(...layers.map((l) => l.inputs));
  const scratch = { at: new Int32Array(widest), values: new Float64Array(widest) };
  return (x, n) => {
    let a = x;
    for (const layer of compiled) a = dense(layer, a, n, scratch);
    return a;
  };
}

/**
 * The weights of a Sequential chain of Dense layers (with a bias and a known activation; dropout
 * layers skipped) taking `width` features, or undefined for any other model.
 */
export function denseChain(model: tf.LayersModel, width: number): DenseLayer[] | undefined {
  if (!(model instanceof tf.Sequential)) return undefined;
  const layers: DenseLayer[] = [];
  let inputs = width;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (INERT.has(cls)) continue;
    if (cls !== 'Dense') return undefined;
    const config = layer.getConfig();
    const activation = typeof config.activation === 'string' ? config.activation : '';
    const w = layer.getWeights();
    if (config.useBias !== true || !ACTIVATIONS.has(activation) || w.length !== 2) return undefined;
    const [k, b] = w as [tf.Tensor, tf.Tensor];
    if (k.shape.length !== 2 || k.shape[0] !== inputs || b.shape.length !== 1 || b.shape[0] !== k.shape[1])
      return undefined;
    const units = k.shape[1];
    layers.push({
      kernel: Float32Array.from(k.dataSync()),
      bias: Float32Array.from(b.dataSync()),
      inputs,
      units,
      activation: activation as DenseActivation,
    });
    inputs = units;
  }
  return layers.length === 0 ? undefined : layers;
}

/** A layer as dense() reads it: each unit's weights side by side (the kernel transposed). */
interface UnitMajorLayer extends DenseLayer {
  /** units × inputs: unit j's weight for input i at j × inputs + i. */
  byUnit: Float64Array;
}

function unitMajor(layer: DenseLayer): UnitMajorLayer {
  const { kernel, inputs, units } = layer;
  const byUnit = new Float64Array(inputs * units);
  for (let i = 0; i < inputs; i++) for (let j = 0; j < units; j++) byUnit[j * inputs + i] = kernel[i * units + j]!;
  return { ...layer, byUnit };
}

/**
 * out[r] = bias + x[r] · kernel, each unit summed over the row's nonzero inputs in input order and
 * rounded to float32 after every addition: the numbers a row-by-row pass over a Float32Array gives,
 * which the endpoint has always returned. Four units at a time, so four independent sums overlap
 * where one would wait on its own rounding (measured: about 1.7 times as fast as that pass).
 */
function dense(
  layer: UnitMajorLayer,
  x: Float32Array,
  n: number,
  nonzero: { at: Int32Array; values: Float64Array },
): Float32Array {
  const { byUnit, bias, inputs, units, activation } = layer;
  const { at, values } = nonzero;
  const f = Math.fround;
  const out = new Float32Array(n * units);
  for (let r = 0; r < n; r++) {
    const xo = r * inputs;
    const oo = r * units;
    // A zero input adds nothing (and must not: 0 × a weight is not always 0), so it is skipped.
    let m = 0;
    for (let i = 0; i < inputs; i++) {
      const v = x[xo + i]!;
      if (v !== 0) {
        at[m] = i;
        values[m++] = v;
      }
    }
    let j = 0;
    for (; j + 4 <= units; j += 4) {
      const k0 = j * inputs;
      const k1 = k0 + inputs;
      const k2 = k1 + inputs;
      const k3 = k2 + inputs;
      let s0 = bias[j]!;
      let s1 = bias[j + 1]!;
      let s2 = bias[j + 2]!;
      let s3 = bias[j + 3]!;
      for (let t = 0; t < m; t++) {
        const v = values[t]!;
        const i = at[t]!;
        s0 = f(s0 + v * byUnit[k0 + i]!);
        s1 = f(s1 + v * byUnit[k1 + i]!);
        s2 = f(s2 + v * byUnit[k2 + i]!);
        s3 = f(s3 + v * byUnit[k3 + i]!);
      }
      out[oo + j] = s0;
      out[oo + j + 1] = s1;
      out[oo + j + 2] = s2;
      out[oo + j + 3] = s3;
    }
    for (; j < units; j++) {
      const k = j * inputs;
      let s = bias[j]!;
      for (let t = 0; t < m; t++) s = f(s + values[t]! * byUnit[k + at[t]!]!);
      out[oo + j] = s;
    }
    activate(activation, out, oo, units);
  }
  return out;
}

function activate(activation: DenseActivation, y: Float32Array, at: number, units: number): void {
  const end = at + units;
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let j = at; j < end; j++) if ((y[j] as number) < 0) y[j] = 0;
      return;
    case 'tanh':
      for (let j = at; j < end; j++) y[j] = Math.tanh(y[j] as number);
      return;
    case 'sigmoid':
      for (let j = at; j < end; j++) y[j] = 1 / (1 + Math.exp(-(y[j] as number)));
      return;
    case 'elu':
      for (let j = at; j < end; j++) {
        const v = y[j] as number;
        if (v < 0) y[j] = Math.exp(v) - 1;
      }
      return;
    case 'selu':
      for (let j = at; j < end; j++) {
        const v = y[j] as number;
        y[j] = v < 0 ? SELU_SCALE_ALPHA * (Math.exp(v) - 1) : SELU_SCALE * v;
      }
      return;
    case 'softplus':
      for (let j = at; j < end; j++) {
        const v = y[j] as number;
        y[j] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
      }
      return;
    case 'softmax': {
      let max = -Infinity;
      for (let j = at; j < end; j++) if ((y[j] as number) > max) max = y[j] as number;
      let sum = 0;
      for (let j = at; j < end; j++) {
        const e = Math.exp((y[j] as number) - max);
        y[j] = e;
        sum += e;
      }
      for (let j = at; j < end; j++) y[j] = (y[j] as number) / sum;
      return;
    }
  }
}
