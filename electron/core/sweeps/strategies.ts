// The sampler and pruner a sweep's settings name, built from its distributions and seed; the sweep
// runner's one entry into this folder besides Study.
import type { SweepStrategy, TrialStopping } from '../../../shared/sweep/strategy.js';
import { AshaPruner } from './asha-pruner.js';
import type { Distributions } from './distributions.js';
import { GridSampler } from './grid-sampler.js';
import { MedianPruner } from './median-pruner.js';
import { RandomSampler } from './random-sampler.js';
import { TpeSampler } from './tpe-sampler.js';
import type { Pruner, Sampler } from './trials.js';

/**
 * Throws a CairnError (invalid_argument) for a grid over a range without a step or count. With
 * trials run in parallel, TPE counts the running ones as bad (constant liar) so they spread out.
 *
 * Reproducibility. With `parallel` 1 every strategy asks trial n after trials 0..n-1 ended, so a
 * seed gives the same trials every time (and a resumed sweep those the unbroken one would have).
 * With `parallel` above 1, random search still is reproducible (trial n's draw depends on the seed
 * and n only), and so is the grid's order (its next point is the first no trial, running or not,
 * has taken); every trial's own split and training stay seeded too. TPE is not: which trials have
 * ended (and with what value) when trial n is asked depends on how fast the others train, and the
 * model it draws from depends on that, as in Optuna with n_jobs > 1. Only its first 10 random
 * trials and each trial's random stream are fixed by the seed.
 */
export function createSampler(
  strategy: SweepStrategy,
  distributions: Distributions,
  seed: number,
  parallel = 1,
): Sampler {
  if (strategy === 'grid') return new GridSampler(distributions, seed);
  if (strategy === 'random') return new RandomSampler(seed);
  return new TpeSampler({ seed, constantLiar: parallel > 1 });
}

/** The pruner with Optuna's defaults (median: 5 startup trials; ASHA: η 4 from step 1); none for 'none'. */
export function createPruner(stopping: TrialStopping): Pruner | undefined {
  if (stopping === 'median') return new MedianPruner();
  if (stopping === 'asha') return new AshaPruner();
  return undefined;
}
