// Which parameters mattered in a sweep: a surrogate model fitted to the finished trials
// (parameters -> validation value), then each parameter's first-order effect as fANOVA measures it
// (Hutter et al. 2014, "An Efficient Approach for Assessing Hyperparameter Importance", which
// Optuna's default importance evaluator follows): the variance, over the parameter's values, of the
// surrogate's prediction averaged over the other parameters' observed values (its partial
// dependence; Greenwell et al. 2018 show this variance as an importance). Shares sum to 1.
//
// The surrogate is the repository's own gradient-boosted trees (training/gbdt/): trees split
// choices natively, do not care whether a range is on a log scale, fit a few dozen rows in
// milliseconds and are deterministic from a seed, which is what fANOVA's random forest gives it.
import { MIN_IMPORTANCE_TRIALS, type ParamImportance } from '../../../shared/api.js';
import { compileTrees, predictRaw } from '../training/gbdt/predict-trees.js';
import { trainGbdt } from '../training/gbdt/train-gbdt.js';
import type { FeatureKind } from '../training/gbdt/tree-format.js';
import type { Distributions, ParamValue } from './distributions.js';
import { loss, type Direction, type Trial } from './trials.js';

export { MIN_IMPORTANCE_TRIALS };

/** Grid points per parameter at most when averaging its partial dependence (quantiles past this). */
const MAX_GRID = 32;

/**
 * Importance of each parameter that varied across the complete trials, most important first;
 * empty below MIN_IMPORTANCE_TRIALS complete trials or when nothing varied.
 */
export async function parameterImportance(
  distributions: Distributions,
  trials: readonly Trial[],
  direction: Direction,
  seed = 0,
): Promise<ParamImportance[]> {
  const done = trials.filter((t) => t.state === 'complete' && Number.isFinite(t.value));
  if (done.length < MIN_IMPORTANCE_TRIALS) return [];
  const names = Object.keys(distributions).filter((name) => {
    const d = distributions[name]!;
    return (
      d.kind !== 'fixed' &&
      done.every((t) => t.params[name] !== undefined) &&
      new Set(done.map((t) => t.params[name])).size > 1
    );
  });
  if (names.length === 0) return [];

  const n = done.length;
  const dims = names.length;
  const encode = (name: string, v: ParamValue) => {
    const d = distributions[name]!;
    return d.kind === 'categorical' ? d.choices.indexOf(v) : (v as number);
  };
  const x = new Float32Array(n * dims);
  done.forEach((t, i) => names.forEach((name, j) => (x[i * dims + j] = encode(name, t.params[name]!))));
  const y = standardised(done.map((t) => loss(t.value!, direction)));
  const featureKinds: FeatureKind[] = names.map((name) =>
    distributions[name]!.kind === 'categorical' ? 'categorical' : 'numeric',
  );
  const { ensemble } = await trainGbdt(
    { featureKinds, task: 'regression', train: { x, y } },
    // Small leaves and row subsampling: a few dozen noisy rows, and a smooth average of many weak trees.
    { trees: 100, learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 2, subsample: 0.8, earlyStoppingRounds: 0, seed },
  );
  const trees = compileTrees(ensemble);

  const variances = names.map((_, j) => {
    const grid = gridOf(Array.from({ length: n }, (_, i) => x[i * dims + j]!));
    const probe = new Float32Array(x);
    const effects = grid.map((v) => {
      for (let i = 0; i < n; i++) probe[i * dims + j] = v;
      return mean(predictRaw(trees, probe, n));
    });
    return variance(effects);
  });
  const total = variances.reduce((s, v) => s + v, 0);
  return names
    .map((param, j) => ({ param, importance: total > 0 ? variances[j]! / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
}

/** The observed values of a parameter as its grid: every one (repeats weigh it as observed), or quantiles of them. */
function gridOf(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= MAX_GRID) return sorted;
  return Array.from({ length: MAX_GRID }, (_, k) => sorted[Math.round((k * (sorted.length - 1)) / (MAX_GRID - 1))]!);
}

function standardised(values: number[]): Float32Array {
  const m = mean(values);
  const sd = Math.sqrt(variance(values)) || 1;
  return Float32Array.from(values, (v) => (v - m) / sd);
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return s / values.length;
}
