// One parameter's Parzen estimator, as Optuna 3.1's independent TPE builds it
// (optuna/samplers/_tpe/parzen_estimator.py): a mixture of one kernel per observation plus a prior
// kernel. Numbers: truncated normals centred on the observations (in log space for log ranges),
// each as wide as the larger gap to its neighbours, clipped to [range/min(100, n+2), range] ("magic
// clip"); the prior is centred on the range, as wide as it. Steps and whole numbers widen the range
// by half a step each side and score a value by its kernel mass over ±half a step. Choices: each
// observation a one-hot smoothed by prior_weight/(n+1), the prior uniform. A kernel's density is
// that of a normal truncated to the range, 1/sigma included: Optuna 3.1 left the 1/sigma out,
// favouring wide kernels, until optuna#5110 (3.5) put it back.
import { clamp, onStep, type Distribution } from './distributions.js';
import { logGaussMass, truncatedStandardNormal } from './truncated-normal.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export interface ParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** The observations' weights (oldest first) before normalising, as Optuna's `weights(n)`. */
  weights: (n: number) => number[];
}

type Estimated = Exclude<Distribution, { kind: 'fixed' }>;

/** The mixture over one parameter; values in and out are the parameter's own (choice values, numbers on their step). */
export class ParzenEstimator {
  private readonly mixture: Float64Array;
  private readonly mus: Float64Array;
  private readonly sigmas: Float64Array;
  /** Per kernel: log of its mixture weight over its mass inside the range (a truncated kernel's normaliser). */
  private readonly logScale: Float64Array;
  /** Per kernel, per choice: its probability. */
  private readonly choiceWeights: Float64Array[];
  private readonly low: number;
  private readonly high: number;
  /** Half-open bins of this width around each value: whole numbers and stepped ranges. */
  private readonly q: number | undefined;

  /** `observations` in the distribution's own terms (choice values, plain numbers). */
  constructor(
    private readonly d: Estimated,
    observations: readonly (number | string)[],
    options: ParzenOptions,
  ) {
    const n = observations.length;
    const w = new Float64Array(n + 1);
    w.set(options.weights(n).slice(0, n));
    w[n] = options.priorWeight;
    const total = w.reduce((s, x) => s + x, 0);
    this.mixture = w.map((x) => x / total);

    if (d.kind === 'categorical') {
      this.low = this.high = 0;
      this.q = undefined;
      this.mus = this.sigmas = new Float64Array(0);
      this.logScale = this.mixture.map(Math.log);
      const k = d.choices.length;
      const smooth = options.priorWeight / (n + 1);
      this.choiceWeights = Array.from({ length: n + 1 }, (_, i) => {
        const row = new Float64Array(k).fill(smooth);
        if (i < n) row[d.choices.indexOf(observations[i]!)]! += 1;
        const sum = row.reduce((s, x) => s + x, 0);
        return row.map((x) => x / sum);
      });
      return;
    }
    this.choiceWeights = [];
    [this.low, this.high, this.q] = parzenBounds(d);
    const mus = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) mus[i] = this.toInternal(observations[i] as number);
    mus[n] = 0.5 * (this.low + this.high);
    this.mus = mus;
    this.sigmas = bandwidths(mus, this.low, this.high, options);
    this.logScale = this.mixture.map(
      (w, k) =>
        Math.log(w) - logGaussMass((this.low - mus[k]!) / this.sigmas[k]!, (this.high - mus[k]!) / this.sigmas[k]!),
    );
  }

  /** `size` draws from the mixture. */
  sample(random: () => number, size: number): (number | string)[] {
    const out: (number | string)[] = [];
    for (let s = 0; s < size; s++) {
      const k = this.pickKernel(random());
      if (this.d.kind === 'categorical') {
        out.push(this.d.choices[pick(this.choiceWeights[k]!, random())]!);
        continue;
      }
      const mu = this.mus[k]!;
      const sigma = this.sigmas[k]!;
      const z = truncatedStandardNormal((this.low - mu) / sigma, (this.high - mu) / sigma, random());
      out.push(this.fromInternal(mu + sigma * z));
    }
    return out;
  }

  /** The mixture's log density (log mass for choices and stepped values) at each value. */
  logPdf(values: readonly (number | string)[]): number[] {
    const terms = new Float64Array(this.mixture.length);
    return values.map((value) => {
      for (let k = 0; k < terms.length; k++) terms[k] = this.logScale[k]! + this.kernelLogPdf(k, value);
      return logSumExp(terms);
    });
  }

  /** Kernel k's log density (log mass) at `value` before truncation: logScale holds the rest. */
  private kernelLogPdf(k: number, value: number | string): number {
    if (this.d.kind === 'categorical') return Math.log(this.choiceWeights[k]![this.d.choices.indexOf(value)]!);
    const x = this.toInternal(value as number);
    const mu = this.mus[k]!;
    const sigma = this.sigmas[k]!;
    if (this.q === undefined) {
      const z = (x - mu) / sigma;
      return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma);
    }
    const lower = Math.max(x - this.q / 2, this.low);
    const upper = Math.min(x + this.q / 2, this.high);
    return logGaussMass((lower - mu) / sigma, (upper - mu) / sigma);
  }

  private pickKernel(u: number): number {
    return pick(this.mixture, u);
  }

  private toInternal(v: number): number {
    return this.d.kind !== 'categorical' && this.d.log ? Math.log(v) : v;
  }

  /** A kernel's draw back in the parameter's terms: exp for log, rounded onto the step, clipped into the range. */
  private fromInternal(x: number): number {
    const d = this.d as Exclude<Estimated, { kind: 'categorical' }>;
    if (d.kind === 'int') {
      if (d.log) return clamp(Math.round(Math.exp(x)), d.low, d.high);
      return clamp(d.low + Math.round((x - d.low) / d.step) * d.step, d.low, d.high);
    }
    if (d.log) return clamp(Math.exp(x), d.low, d.high);
    if (d.step !== undefined) return clamp(onStep(d.low, d.step, x), d.low, d.high);
    return x;
  }
}

/** The estimator's range and bin width: log ranges in logs, whole numbers and steps widened by half a step. */
function parzenBounds(d: Exclude<Estimated, { kind: 'categorical' }>): [number, number, number | undefined] {
  if (d.kind === 'int') {
    if (d.log) return [Math.log(d.low - 0.5), Math.log(d.high + 0.5), undefined];
    return [d.low - 0.5 * d.step, d.high + 0.5 * d.step, d.step];
  }
  if (d.log) return [Math.log(d.low), Math.log(d.high), undefined];
  if (d.step !== undefined) return [d.low - 0.5 * d.step, d.high + 0.5 * d.step, d.step];
  return [d.low, d.high, undefined];
}

/** Each kernel's width: the larger gap to its sorted neighbours (the range's ends count as neighbours), clipped; the prior (last) as wide as the range. */
function bandwidths(mus: Float64Array, low: number, high: number, options: ParzenOptions): Float64Array {
  const m = mus.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
  const ends = [low, ...order.map((i) => mus[i]!), high];
  const sorted = order.map((_, j) => Math.max(ends[j + 1]! - ends[j]!, ends[j + 2]! - ends[j + 1]!));
  if (!options.considerEndpoints && ends.length >= 4) {
    sorted[0] = ends[2]! - ends[1]!;
    sorted[m - 1] = ends[m]! - ends[m - 1]!;
  }
  const sigmas = new Float64Array(m);
  order.forEach((i, j) => (sigmas[i] = sorted[j]!));
  const maxSigma = high - low;
  const minSigma = options.considerMagicClip ? (high - low) / Math.min(100, 1 + m) : 1e-12;
  for (let i = 0; i < m; i++) sigmas[i] = clamp(sigmas[i]!, minSigma, maxSigma);
  sigmas[m - 1] = high - low;
  return sigmas;
}

/** The index whose cumulative weight first reaches `u` (weights sum to 1). */
function pick(weights: ArrayLike<number>, u: number): number {
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!;
    if (u < cumulative) return i;
  }
  return weights.length - 1;
}

function logSumExp(terms: Float64Array): number {
  let max = -Infinity;
  for (const t of terms) if (t > max) max = t;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}
