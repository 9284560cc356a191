// Cairn's TPE against Optuna's TPESampler (Debian's python3-optuna 3.1, with optuna#5110's density
// fix applied: see optuna-tpe.py): the Parzen estimator's log density is Optuna's to 1e-5 on every
// kind of parameter, and on Branin both samplers behave alike over the same seeds.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Distribution } from '../../../../../electron/core/sweeps/distributions.js';
import { ParzenEstimator } from '../../../../../electron/core/sweeps/parzen-estimator.js';
import { RandomSampler } from '../../../../../electron/core/sweeps/random-sampler.js';
import { defaultWeights, TpeSampler } from '../../../../../electron/core/sweeps/tpe-sampler.js';
import { BRANIN_SPACE, branin, mean, minimise } from './objectives.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(import.meta.dirname, 'optuna-tpe.py');

const SEEDS = 6;
const TRIALS = 35;

/** Optuna's log densities for PARZEN_CASES and the values of its TPE studies on Branin, seeds 0.. */
function optuna(): { parzen: number[][]; studies: number[][] } {
  const request = { parzen: PARZEN_CASES, studies: { seeds: SEEDS, trials: TRIALS } };
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`optuna-tpe.py failed (needs Debian's python3-optuna): ${run.stderr}`);
  return JSON.parse(run.stdout) as { parzen: number[][]; studies: number[][] };
}

const PARZEN_CASES: { name: string; d: Distribution; obs: (number | string)[]; xs: (number | string)[] }[] = [
  { name: 'float', d: { kind: 'float', low: -5, high: 10, log: false }, obs: [1, 2, 3.5, 9], xs: [-4, 0, 2.2, 9.9] },
  { name: 'float, one observation', d: { kind: 'float', low: 0, high: 1, log: false }, obs: [0.3], xs: [0, 0.3, 0.99] },
  { name: 'float, none', d: { kind: 'float', low: 0, high: 1, log: false }, obs: [], xs: [0.1, 0.5] },
  {
    name: 'log',
    d: { kind: 'float', low: 1e-4, high: 0.1, log: true },
    obs: [1e-3, 2e-3, 0.05],
    xs: [1e-4, 1e-3, 0.01, 0.1],
  },
  {
    name: 'stepped float',
    d: { kind: 'float', low: 0, high: 0.5, step: 0.05, log: false },
    obs: [0.1, 0.1, 0.45],
    xs: [0, 0.1, 0.25, 0.5],
  },
  { name: 'int', d: { kind: 'int', low: 1, high: 20, step: 1, log: false }, obs: [1, 2, 3, 9], xs: [1, 5, 20] },
  {
    name: 'int with a step',
    d: { kind: 'int', low: 16, high: 256, step: 16, log: false },
    obs: [32, 64, 64, 240],
    xs: [16, 64, 256],
  },
  {
    name: 'int on a log scale',
    d: { kind: 'int', low: 8, high: 256, step: 1, log: true },
    obs: [8, 30, 31, 200],
    xs: [8, 31, 100, 256],
  },
  { name: 'choice', d: { kind: 'categorical', choices: ['a', 'b', 'c'] }, obs: ['a', 'a', 'c'], xs: ['a', 'b', 'c'] },
  {
    name: 'many observations (weights ramp past 25)',
    d: { kind: 'float', low: 0, high: 10, log: false },
    obs: Array.from({ length: 40 }, (_, i) => (i * 7.3) % 10),
    xs: [0.5, 2.5, 7.77],
  },
];

let reference: ReturnType<typeof optuna>;
beforeAll(() => {
  reference = optuna();
});

describe('Parzen estimator against Optuna', () => {
  it.each(PARZEN_CASES.map((c, i) => [c.name, i] as const))('%s: the same log density', (_name, i) => {
    const c = PARZEN_CASES[i]!;
    const options = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights };
    const ours = new ParzenEstimator(c.d as Exclude<Distribution, { kind: 'fixed' }>, c.obs, options).logPdf(c.xs);
    expect(ours).toHaveLength(reference.parzen[i]!.length);
    ours.forEach((v, j) => expect(v).toBeCloseTo(reference.parzen[i]![j]!, 5));
  });
});

describe('TPE on Branin beside Optuna, same seeds', () => {
  it('finds as good a minimum and proposes as good points after the random start', () => {
    const theirs = reference.studies;
    const ours = Array.from(
      { length: SEEDS },
      (_, s) => minimise(new TpeSampler({ seed: s }), BRANIN_SPACE, branin, TRIALS).values,
    );
    const random = Array.from(
      { length: SEEDS },
      (_, s) => minimise(new RandomSampler(s), BRANIN_SPACE, branin, TRIALS).values,
    );
    const best = (runs: number[][]) => mean(runs.map((v) => Math.min(...v)));
    const proposed = (runs: number[][]) => mean(runs.map((v) => mean(v.slice(10))));
    const figures = {
      ours: [best(ours), proposed(ours)],
      optuna: [best(theirs), proposed(theirs)],
      random: [best(random), proposed(random)],
    };
    console.log('Branin, mean best and mean value after the 10 random trials:', JSON.stringify(figures));
    // Both model-based samplers propose far better points than random once the model takes over...
    expect(proposed(ours)).toBeLessThan(0.75 * proposed(random));
    expect(proposed(theirs)).toBeLessThan(0.75 * proposed(random));
    // ...and alike: within a third of each other, on the proposals and on the best found.
    expect(proposed(ours) / proposed(theirs)).toBeGreaterThan(2 / 3);
    expect(proposed(ours) / proposed(theirs)).toBeLessThan(1.5);
    expect(best(ours) / best(theirs)).toBeGreaterThan(0.5);
    expect(best(ours) / best(theirs)).toBeLessThan(2);
  });
});
