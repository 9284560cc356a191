// A sweep's parameter importance as its page shows it: the saved trials read back as the Study's
// trials, measured by importance.ts over the sweep's own space. Computed on each read rather than
// stored: a surrogate over a few dozen trials fits in milliseconds, and it then always covers
// every trial that has ended.
import type { ParamImportance, Sweep } from '../../../shared/api.js';
import { distributionsOf } from './distributions.js';
import { parameterImportance } from './importance.js';
import type { Trial } from './trials.js';

export async function sweepImportance(sweep: Sweep): Promise<ParamImportance[]> {
  const trials: Trial[] = sweep.trials.map((t) => ({
    number: t.number,
    params: t.params,
    state: t.status,
    ...(t.value !== null && { value: t.value }),
    curve: [],
  }));
  return parameterImportance(distributionsOf(sweep.model, sweep.space), trials, sweep.direction, sweep.seed);
}
