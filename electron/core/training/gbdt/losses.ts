// The losses trees are fitted to: gradients and hessians of each row's loss with respect to its
// raw score, the raw score every row starts from, and the mean loss reported per round. Gradient
// and hessian conventions follow scikit-learn's _loss module (half squared error, so a gradient of
// raw - y and a hessian of 1; multinomial hessian p(1 - p)) so the trees match sklearn's.
//
// Raw scores and gradients of K outputs are output-major: output k of row i at k * n + i, so each
// tree of a round reads one contiguous block. Gradient and hessian are interleaved (gh[2j], gh[2j + 1]
// for raw score j) so a histogram's gather reads one cache line per row, not two.
//
// A gradient pass covers a range of rows, so threads can share it out; the loss of each row goes
// into `terms` and meanOfTerms sums them in row order on one thread, so the reported loss is the
// same to the bit whatever the number of threads.
import type { GbdtObjective } from './tree-format.js';

/** What names a loss, so a helper thread can build the same one (lossOf). */
export interface LossSpec {
  objective: GbdtObjective;
  /** Softmax: the number of classes. */
  classes?: number;
  /** Huber: its delta. */
  delta?: number;
}

export interface Loss {
  spec: LossSpec;
  objective: GbdtObjective;
  /** Raw scores per row. */
  nOutputs: number;
  /** The raw score every row starts from (the best constant), per output. */
  baseScore(y: ArrayLike<number>, w: Float32Array | undefined): Float64Array;
  /**
   * Fills gh (nOutputs × n pairs, output-major) at raw scores `raw` for rows [from, to), and each
   * row's weighted loss into terms[i]; meanOfTerms over all rows is then meanLoss's value to the bit.
   * One pass gives the next round's gradients and the loss each round reports, sharing the
   * exponentials both need.
   */
  gradients(
    y: ArrayLike<number>,
    raw: Float64Array,
    w: Float32Array | undefined,
    gh: Float32Array,
    terms: Float64Array,
    from: number,
    to: number,
  ): void;
  /** The (weighted) mean loss at raw scores `raw`. */
  meanLoss(y: ArrayLike<number>, raw: Float64Array, w: Float32Array | undefined): number;
  /**
   * Losses whose Newton step is no good (absolute error's hessian says nothing) set each leaf's
   * value afterwards from the residuals of its rows: here the (weighted) median of y - raw.
   */
  leafFromResiduals: boolean;
}

/** Probabilities are kept off 0 and 1 for logs and logits, as sklearn's intercept fit does. */
const EPS = 1e-15;

/** log(1 + exp(z)) without overflow. */
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

function weightedMean(y: ArrayLike<number>, w: Float32Array | undefined): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    s += wi * y[i]!;
    sw += wi;
  }
  return sw > 0 ? s / sw : 0;
}

/**
 * The median of `values` (the mean of the middle two when their count is even), or with weights
 * the smallest value whose cumulative weight reaches half the total: numpy's median and sklearn's
 * _weighted_percentile, which sklearn's absolute error uses for the intercept and for leaves.
 */
export function weightedMedian(values: Float64Array, weights: Float64Array | undefined): number {
  const n = values.length;
  if (n === 0) return 0;
  if (!weights) {
    const s = Float64Array.from(values).sort();
    return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  }
  const order = Array.from({ length: n }, (_v, i) => i).sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  let acc = 0;
  for (const i of order) {
    acc += weights[i]!;
    if (acc >= total / 2) return values[i]!;
  }
  return values[order[n - 1]!]!;
}

function median(y: ArrayLike<number>, w: Float32Array | undefined): number {
  return weightedMedian(Float64Array.from(y), w ? Float64Array.from(w) : undefined);
}

/** The (weighted) mean loss from the per-row terms of a gradient pass over all rows. */
export function meanOfTerms(terms: Float64Array, w: Float32Array | undefined): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < terms.length; i++) {
    s += terms[i]!;
    sw += w ? w[i]! : 1;
  }
  return sw > 0 ? s / sw : 0;
}

function meanOf(n: number, w: Float32Array | undefined, lossAt: (i: number) => number): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    s += wi * lossAt(i);
    sw += wi;
  }
  return sw > 0 ? s / sw : 0;
}

export const binaryLogLoss: Loss = {
  spec: { objective: 'binary_logloss' },
  objective: 'binary_logloss',
  nOutputs: 1,
  leafFromResiduals: false,
  baseScore(y, w) {
    const p = Math.min(Math.max(weightedMean(y, w), EPS), 1 - EPS);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(y, raw, w, gh, terms, from, to) {
    for (let i = from; i < to; i++) {
      const z = raw[i]!;
      // exp(-|z|) is the one exponential both the sigmoid and softplus need, each without overflow.
      const e = Math.exp(z >= 0 ? -z : z);
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      const wi = w ? w[i]! : 1;
      gh[2 * i] = wi * (p - y[i]!);
      gh[2 * i + 1] = wi * p * (1 - p);
      terms[i] = wi * ((z > 0 ? z + Math.log1p(e) : Math.log1p(e)) - y[i]! * z);
    }
  },
  meanLoss(y, raw, w) {
    // -log p(y) = log(1 + e^z) - y z.
    return meanOf(y.length, w, (i) => softplus(raw[i]!) - y[i]! * raw[i]!);
  },
};

/** Softmax over `classes` outputs, one tree per class per round. */
export function softmaxLoss(classes: number): Loss {
  return {
    spec: { objective: 'softmax', classes },
    objective: 'softmax',
    nOutputs: classes,
    leafFromResiduals: false,
    baseScore(y, w) {
      // Log class priors, centred (sklearn's symmetric multinomial link): softmax ignores a shift.
      const prior = new Float64Array(classes);
      let total = 0;
      for (let i = 0; i < y.length; i++) {
        const wi = w ? w[i]! : 1;
        prior[y[i]!]! += wi;
        total += wi;
      }
      const out = prior.map((p) => Math.log(Math.min(Math.max(p / total, EPS), 1 - EPS)));
      const mean = out.reduce((a, b) => a + b, 0) / classes;
      return out.map((v) => v - mean);
    },
    gradients(y, raw, w, gh, terms, from, to) {
      const n = y.length;
      const p = new Float64Array(classes);
      for (let i = from; i < to; i++) {
        const wi = w ? w[i]! : 1;
        terms[i] = wi * softmaxRow(raw, n, i, y[i]!, p);
        for (let k = 0; k < classes; k++) {
          const pk = p[k]!;
          gh[2 * (k * n + i)] = wi * (pk - (y[i] === k ? 1 : 0));
          gh[2 * (k * n + i) + 1] = wi * pk * (1 - pk);
        }
      }
    },
    meanLoss(y, raw, w) {
      const n = y.length;
      const p = new Float64Array(classes);
      return meanOf(n, w, (i) => softmaxRow(raw, n, i, y[i]!, p));
    },
  };
}

/**
 * Class probabilities of row i from output-major raw scores (n rows) into p; returns the row's
 * loss -log p[label], computed as meanLoss does.
 */
function softmaxRow(raw: Float64Array, n: number, i: number, label: number, p: Float64Array): number {
  const classes = p.length;
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, raw[k * n + i]!);
  let s = 0;
  for (let k = 0; k < classes; k++) {
    p[k] = Math.exp(raw[k * n + i]! - max);
    s += p[k]!;
  }
  for (let k = 0; k < classes; k++) p[k]! /= s;
  return max + Math.log(s) - raw[label * n + i]!;
}

/**
 * A regression loss of the residual r = raw - y alone, with hessian 1 (times the row's weight):
 * what squared, absolute and Huber error share. `gradientAt` is d loss / d raw at r.
 */
function residualLoss(
  spec: LossSpec,
  leafFromResiduals: boolean,
  baseScore: (y: ArrayLike<number>, w: Float32Array | undefined) => number,
  gradientAt: (r: number) => number,
  lossAt: (r: number) => number,
): Loss {
  return {
    spec,
    objective: spec.objective,
    nOutputs: 1,
    leafFromResiduals,
    baseScore: (y, w) => Float64Array.of(baseScore(y, w)),
    gradients(y, raw, w, gh, terms, from, to) {
      for (let i = from; i < to; i++) {
        const wi = w ? w[i]! : 1;
        const r = raw[i]! - y[i]!;
        gh[2 * i] = wi * gradientAt(r);
        gh[2 * i + 1] = wi;
        terms[i] = wi * lossAt(r);
      }
    },
    meanLoss: (y, raw, w) => meanOf(y.length, w, (i) => lossAt(raw[i]! - y[i]!)),
  };
}

/** Half squared error: gradient raw - y, hessian 1; the reported loss is the mean squared error. */
export const squaredError: Loss = residualLoss(
  { objective: 'squared_error' },
  false,
  weightedMean,
  (r) => r,
  (r) => r * r,
);

/** Absolute error: gradient sign(raw - y), hessian 1, leaves set to the median residual. */
export const absoluteError: Loss = residualLoss({ objective: 'absolute_error' }, true, median, Math.sign, Math.abs);

/** The quantile of |y - median(y)| that sets Huber's delta (the 0.9 of sklearn's GradientBoosting's alpha). */
export const HUBER_QUANTILE = 0.9;

/**
 * Huber: squared within delta of the target, absolute beyond. Delta is fixed for the whole fit at
 * the HUBER_QUANTILE quantile of |y - median(y)| over the training rows, so the loss reported each
 * round (and early stopping on it) measures the same thing every round; sklearn's
 * GradientBoostingRegressor takes the same quantile but of the current residuals, moving it each
 * round. The caller standardises y, so the scale is the target's own. Newton leaves (hessian 1).
 */
export function huberLoss(delta: number): Loss {
  const lossAt = (r: number): number => {
    const a = Math.abs(r);
    return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
  };
  return residualLoss(
    { objective: 'huber', delta },
    false,
    median,
    (r) => (r > delta ? delta : r < -delta ? -delta : r),
    lossAt,
  );
}

/** Huber's delta for targets y (see huberLoss); never 0, so a constant target still has a loss. */
export function huberDelta(y: ArrayLike<number>): number {
  const m = median(y, undefined);
  const dev = Float64Array.from(y, (v) => Math.abs(v - m)).sort();
  if (dev.length === 0) return 1;
  const q = dev[Math.min(dev.length - 1, Math.floor(HUBER_QUANTILE * (dev.length - 1)))]!;
  return q > 0 ? q : 1;
}

/** The loss a spec names (the same object, for the parameterless ones). */
export function lossOf(spec: LossSpec): Loss {
  switch (spec.objective) {
    case 'binary_logloss':
      return binaryLogLoss;
    case 'softmax':
      return softmaxLoss(spec.classes ?? 0);
    case 'squared_error':
      return squaredError;
    case 'absolute_error':
      return absoluteError;
    case 'huber':
      return huberLoss(spec.delta ?? 1);
  }
}
