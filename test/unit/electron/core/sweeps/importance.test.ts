// Importance ranks first the parameter that drives the metric, and gives next to nothing to one
// that does nothing.
import { describe, expect, it } from 'vitest';
import { distributionsOf } from '../../../../../electron/core/sweeps/distributions.js';
import { MIN_IMPORTANCE_TRIALS, parameterImportance } from '../../../../../electron/core/sweeps/importance.js';
import { RandomSampler } from '../../../../../electron/core/sweeps/random-sampler.js';
import type { Trial } from '../../../../../electron/core/sweeps/trials.js';
import type { TrialParams } from '../../../../../shared/sweep/parameters.js';

const DISTRIBUTIONS = distributionsOf('mlp', {
  learningRate: { type: 'log', min: 1e-4, max: 0.1 },
  units: { type: 'int', min: 8, max: 256 },
  activation: { type: 'choice', values: ['relu', 'tanh', 'elu'] },
  dropout: { type: 'float', min: 0, max: 0.5 },
  epochs: { type: 'fixed', value: 10 },
});

function trials(n: number, f: (p: TrialParams) => number, seed = 1): Trial[] {
  const sampler = new RandomSampler(seed);
  const out: Trial[] = [];
  for (let number = 0; number < n; number++) {
    const params = sampler.sample({ distributions: DISTRIBUTIONS, trials: out, number, direction: 'minimize' });
    out.push({ number, params, state: 'complete', value: f(params), curve: [] });
  }
  return out;
}

describe('parameterImportance', () => {
  it('ranks the parameters by their true share of the variance, the dead one last', async () => {
    // Variances of each effect over the space: the rate's 0.45 ((u + 2.5)² for u uniform on -4..-1),
    // activation's 0.22, units' 0.078, dropout's none.
    const f = (p: TrialParams) =>
      (Math.log10(p.learningRate as number) + 2.5) ** 2 + (p.units as number) / 256 + (p.activation === 'tanh' ? 1 : 0);
    const ranked = await parameterImportance(DISTRIBUTIONS, trials(60, f), 'minimize');
    console.log(ranked.map((r) => `${r.param} ${r.importance.toFixed(3)}`).join(', '));
    expect(ranked.map((r) => r.param)).toEqual(['learningRate', 'activation', 'units', 'dropout']);
    // The true shares: 0.45, 0.22, 0.078 and 0 of 0.75.
    const truth: Record<string, number> = { learningRate: 0.6, activation: 0.296, units: 0.104, dropout: 0 };
    for (const r of ranked) expect(Math.abs(r.importance - truth[r.param]!)).toBeLessThan(0.1);
    expect(ranked.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 9);
  });

  it('sees a choice that dominates', async () => {
    const f = (p: TrialParams) => (p.activation === 'elu' ? 5 : 0) + (p.dropout as number);
    const ranked = await parameterImportance(DISTRIBUTIONS, trials(40, f, 2), 'maximize');
    expect(ranked[0]!.param).toBe('activation');
    expect(ranked[0]!.importance).toBeGreaterThan(0.8);
  });

  it('says nothing from fewer than its minimum of complete trials, and leaves out fixed parameters', async () => {
    const f = (p: TrialParams) => p.units as number;
    const few = trials(MIN_IMPORTANCE_TRIALS, f).map((t, i) => (i === 0 ? { ...t, state: 'failed' as const } : t));
    expect(await parameterImportance(DISTRIBUTIONS, few, 'minimize')).toEqual([]);
    const enough = await parameterImportance(DISTRIBUTIONS, trials(MIN_IMPORTANCE_TRIALS, f), 'minimize');
    expect(enough.map((r) => r.param).sort()).toEqual(['activation', 'dropout', 'learningRate', 'units']);
  });

  it('is the same for the same trials and seed', async () => {
    const f = (p: TrialParams) => p.dropout as number;
    const t = trials(20, f);
    expect(await parameterImportance(DISTRIBUTIONS, t, 'minimize', 3)).toEqual(
      await parameterImportance(DISTRIBUTIONS, t, 'minimize', 3),
    );
  });
});
