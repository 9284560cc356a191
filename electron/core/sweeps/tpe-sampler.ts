// The tree-structured Parzen estimator, as Optuna's default TPESampler (3.1, independent) does it:
// random draws for the first n_startup_trials finished trials; then per parameter, the finished
// trials split into the best gamma(n) ("below") and the rest, a Parzen estimator l(x) over the
// first and g(x) over the second, n_ei_candidates draws from l, and the draw with the largest
// l(x)/g(x) wins (Bergstra et al. 2011, "Algorithms for Hyper-Parameter Optimization").
import type { TrialParams } from '../../../shared/sweep/parameters.js';
import { sampleUniform } from './distributions.js';
import { ParzenEstimator, type ParzenOptions } from './parzen-estimator.js';
import { trialRandom } from './random-sampler.js';
import { loss, type SampleContext, type Sampler, type Trial } from './trials.js';

export interface TpeOptions {
  seed: number;
  /** Finished trials drawn at random before the model takes over (Optuna: 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter (Optuna: 24). */
  nEiCandidates?: number;
  /** Weight of the prior kernel against one observation's (Optuna: 1). */
  priorWeight?: number;
  /** How many of n finished trials count as good (Optuna: ceil(n/10), at most 25). */
  gamma?: (n: number) => number;
  /** Observation weights, oldest first (Optuna: flat, older ones ramped down past 25). */
  weights?: (n: number) => number[];
  /**
   * Count running trials as the worst so far (Optuna's constant_liar), so trials asked while
   * others run in parallel spread out instead of piling onto the same promising point.
   */
  constantLiar?: boolean;
}

/** Optuna's default_gamma: the best tenth, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default_weights: all 1 under 25 observations; past that, the oldest n − 25 ramp up from 1/n. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out = Array.from({ length: ramp }, (_, i) => (ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1)));
  return [...out, ...new Array<number>(25).fill(1)];
}

export class TpeSampler implements Sampler {
  private readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenOptions;

  constructor(private readonly options: TpeOptions) {
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
    this.gamma = options.gamma ?? defaultGamma;
    this.parzen = {
      priorWeight: options.priorWeight ?? 1,
      considerMagicClip: true,
      considerEndpoints: false,
      weights: options.weights ?? defaultWeights,
    };
  }

  sample({ distributions, trials, number, direction }: SampleContext): TrialParams {
    const random = trialRandom(this.options.seed, number);
    const finished = trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    const observed = this.options.constantLiar
      ? trials.filter((t) => t.state === 'complete' || t.state === 'pruned' || t.state === 'running')
      : finished;
    const { below, above } = splitTrials(observed, this.gamma(finished.length), direction);
    const params: TrialParams = {};
    for (const [name, d] of Object.entries(distributions)) {
      if (d.kind === 'fixed' || finished.length < this.nStartupTrials) {
        params[name] = sampleUniform(d, random);
        continue;
      }
      // A trial from before the space changed (a resumed sweep) may lack the parameter.
      const valuesOf = (group: Trial[]) =>
        group.flatMap((t) => {
          const v = t.params[name];
          return v !== undefined && fits(d, v) ? [v] : [];
        });
      const l = new ParzenEstimator(d, valuesOf(below), this.parzen);
      const g = new ParzenEstimator(d, valuesOf(above), this.parzen);
      const candidates = l.sample(random, this.nEiCandidates);
      const logL = l.logPdf(candidates);
      const logG = g.logPdf(candidates);
      let best = 0;
      for (let i = 1; i < candidates.length; i++) if (logL[i]! - logG[i]! > logL[best]! - logG[best]!) best = i;
      params[name] = candidates[best]!;
    }
    return params;
  }
}

/**
 * The best `nBelow` finished trials and the rest, each in trial order. Complete trials rank by
 * value; a pruned one ranks below every complete one, by how far it got and then by its last value
 * (Optuna's (-step, value) key), so a trial stopped late counts as better than one stopped early.
 * A running trial (with the constant liar) ranks below them all.
 */
export function splitTrials(
  finished: readonly Trial[],
  nBelow: number,
  direction: SampleContext['direction'],
): { below: Trial[]; above: Trial[] } {
  const key = (t: Trial): [number, number] => {
    if (t.state === 'running') return [Infinity, Infinity];
    if (t.state === 'complete')
      return [-Infinity, t.value === undefined || Number.isNaN(t.value) ? Infinity : loss(t.value, direction)];
    const last = t.curve.at(-1);
    if (!last) return [1, 0];
    return [-last.step, Number.isNaN(last.value) ? Infinity : loss(last.value, direction)];
  };
  const ranked = finished.map((t, i) => ({ t, i, k: key(t) }));
  ranked.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i);
  const belowSet = new Set(ranked.slice(0, nBelow).map((r) => r.i));
  return {
    below: finished.filter((_, i) => belowSet.has(i)),
    above: finished.filter((_, i) => !belowSet.has(i)),
  };
}

function fits(d: SampleContext['distributions'][string], v: number | string): boolean {
  if (d.kind === 'categorical') return d.choices.includes(v);
  if (d.kind === 'fixed') return true;
  return typeof v === 'number' && v >= d.low && v <= d.high;
}
