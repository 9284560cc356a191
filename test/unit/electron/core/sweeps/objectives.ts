// Known functions to search, and a loop that runs a sampler on one through the Study's ask/tell.
import type { Distributions } from '../../../../../electron/core/sweeps/distributions.js';
import { Study } from '../../../../../electron/core/sweeps/study.js';
import type { Sampler } from '../../../../../electron/core/sweeps/trials.js';
import type { TrialParams } from '../../../../../shared/sweep/parameters.js';

/** Branin-Hoo on x in [-5, 10], y in [0, 15]: minimum 0.397887 at three points. */
export const BRANIN_SPACE: Distributions = {
  x: { kind: 'float', low: -5, high: 10, log: false },
  y: { kind: 'float', low: 0, high: 15, log: false },
};
export const BRANIN_MIN = 0.397887;

export function branin(p: TrialParams): number {
  const x = p.x as number;
  const y = p.y as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
}

/** Best value after `n` trials of `sampler` minimising `f`, and the trials' values in order. */
export function minimise(
  sampler: Sampler,
  distributions: Distributions,
  f: (p: TrialParams) => number,
  n: number,
): { best: number; values: number[] } {
  const study = new Study({ distributions, sampler, direction: 'minimize' });
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const asked = study.ask();
    if (!asked) break;
    const v = f(asked.params);
    values.push(v);
    study.tell(asked.number, { state: 'complete', value: v });
  }
  return { best: Math.min(...values), values };
}

export function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
