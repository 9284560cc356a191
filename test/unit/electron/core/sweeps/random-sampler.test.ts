// Random search is reproducible from its seed, trial by trial (a resumed sweep asks what the
// interrupted one would have), stays inside the space and covers it.
import { describe, expect, it } from 'vitest';
import { distributionsOf } from '../../../../../electron/core/sweeps/distributions.js';
import { RandomSampler } from '../../../../../electron/core/sweeps/random-sampler.js';
import { Study } from '../../../../../electron/core/sweeps/study.js';
import type { TrialParams } from '../../../../../shared/sweep/parameters.js';

const DISTRIBUTIONS = distributionsOf('gbdt', {
  learningRate: { type: 'log', min: 0.01, max: 0.3 },
  maxLeaves: { type: 'log', min: 8, max: 256 },
  minSamplesLeaf: { type: 'int', min: 5, max: 100, step: 5 },
  subsample: { type: 'float', min: 0.5, max: 1, step: 0.05 },
  colsample: { type: 'float', min: 0.5, max: 1 },
  loss: { type: 'choice', values: ['squared_error', 'huber'] },
  trees: { type: 'fixed', value: 300 },
});

function run(seed: number, n: number): TrialParams[] {
  const study = new Study({ distributions: DISTRIBUTIONS, sampler: new RandomSampler(seed), direction: 'minimize' });
  const out: TrialParams[] = [];
  for (let i = 0; i < n; i++) {
    const t = study.ask()!;
    out.push(t.params);
    study.tell(t.number, { state: 'complete', value: Math.random() });
  }
  return out;
}

describe('RandomSampler', () => {
  it('asks the same parameters for the same seed, other ones for another', () => {
    expect(run(3, 20)).toEqual(run(3, 20));
    expect(run(3, 20)).not.toEqual(run(4, 20));
  });

  it('draws each trial from its number, whatever came before', () => {
    const sampler = new RandomSampler(3);
    const alone = sampler.sample({ distributions: DISTRIBUTIONS, trials: [], number: 12, direction: 'minimize' });
    expect(alone).toEqual(run(3, 13)[12]);
  });

  it('stays in the space: on steps, whole where whole, log ranges spread over decades', () => {
    const trials = run(1, 400);
    for (const p of trials) {
      expect(p.trees).toBe(300);
      expect(['squared_error', 'huber']).toContain(p.loss);
      expect(Number.isInteger(p.maxLeaves) && (p.maxLeaves as number) >= 8 && (p.maxLeaves as number) <= 256).toBe(
        true,
      );
      expect(((p.minSamplesLeaf as number) - 5) % 5).toBe(0);
      expect(Math.round((p.subsample as number) * 20) / 20).toBe(p.subsample);
      expect(p.learningRate as number).toBeGreaterThanOrEqual(0.01);
      expect(p.learningRate as number).toBeLessThanOrEqual(0.3);
    }
    // Log-uniform: about as many draws below 0.055 (the geometric middle) as above; uniform would put ~16% below.
    const below = trials.filter((p) => (p.learningRate as number) < Math.sqrt(0.01 * 0.3)).length;
    expect(below / trials.length).toBeGreaterThan(0.4);
    expect(below / trials.length).toBeLessThan(0.6);
    expect(new Set(trials.map((p) => p.minSamplesLeaf)).size).toBe(20);
    expect(trials.some((p) => p.subsample === 1) && trials.some((p) => p.subsample === 0.5)).toBe(true);
  });
});
