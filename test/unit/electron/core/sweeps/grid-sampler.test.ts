// Grid search tries every combination exactly once, then says the space is used up.
import { describe, expect, it } from 'vitest';
import { distributionsOf } from '../../../../../electron/core/sweeps/distributions.js';
import { GridSampler, gridValues } from '../../../../../electron/core/sweeps/grid-sampler.js';
import { Study } from '../../../../../electron/core/sweeps/study.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import type { TrialParams } from '../../../../../shared/sweep/parameters.js';

const SPACE = {
  units: { type: 'int', min: 16, max: 64, step: 16 },
  dropout: { type: 'float', min: 0, max: 0.3, step: 0.1 },
  learningRate: { type: 'log', min: 0.001, max: 0.1, count: 3 },
  activation: { type: 'choice', values: ['relu', 'tanh'] },
  epochs: { type: 'fixed', value: 5 },
};

/** Every trial a grid study asks for until it has nothing left (bounded). */
function exhaust(seed: number): TrialParams[] {
  const distributions = distributionsOf('mlp', SPACE);
  const study = new Study({ distributions, sampler: new GridSampler(distributions, seed), direction: 'minimize' });
  const asked: TrialParams[] = [];
  for (let i = 0; i < 1000; i++) {
    const trial = study.ask();
    if (!trial) break;
    asked.push(trial.params);
    study.tell(trial.number, { state: 'complete', value: i });
  }
  return asked;
}

describe('GridSampler', () => {
  it('enumerates every combination exactly once, then nothing', () => {
    const asked = exhaust(7);
    expect(asked).toHaveLength(4 * 4 * 3 * 2);
    const keys = asked.map((p) => JSON.stringify([p.units, p.dropout, p.learningRate, p.activation, p.epochs]));
    expect(new Set(keys).size).toBe(96);
    const expected: string[] = [];
    for (const units of [16, 32, 48, 64])
      for (const dropout of [0, 0.1, 0.2, 0.3])
        for (const learningRate of [0.001, 0.01, 0.1])
          for (const activation of ['relu', 'tanh'])
            expected.push(JSON.stringify([units, dropout, learningRate, activation, 5]));
    expect([...keys].sort()).toEqual(expected.sort());
  });

  it('shuffles the order by the seed, the same for the same seed', () => {
    expect(exhaust(7)).toEqual(exhaust(7));
    expect(exhaust(7)).not.toEqual(exhaust(8));
  });

  it('does not retry a point a failed or interrupted trial took', () => {
    const distributions = distributionsOf('mlp', { units: { type: 'int', min: 1, max: 3 } });
    const study = new Study({ distributions, sampler: new GridSampler(distributions, 1), direction: 'minimize' });
    const first = study.ask()!;
    study.tell(first.number, { state: 'failed' });
    const rest = [study.ask()!, study.ask()!];
    expect(study.ask()).toBeUndefined();
    expect(new Set([first, ...rest].map((t) => t.params.units))).toEqual(new Set([1, 2, 3]));
  });

  it('lowers a range to its last step and spaces counts evenly', () => {
    expect(gridValues({ kind: 'int', low: 1, high: 10, step: 4, log: false })).toEqual([1, 5, 9]);
    expect(gridValues({ kind: 'float', low: 0.1, high: 0.5, log: false, count: 5 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(gridValues({ kind: 'int', low: 8, high: 256, step: 1, log: true, count: 6 })).toEqual([
      8, 16, 32, 64, 128, 256,
    ]);
    expect(gridValues({ kind: 'float', low: 0, high: 1, log: false, step: 0.25 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('names each parameter without a grid, and a grid too large to finish', () => {
    const noGrid = distributionsOf('mlp', {
      learningRate: { type: 'log', min: 1e-4, max: 0.1 },
      dropout: { type: 'float', min: 0, max: 0.5 },
    });
    expect(() => new GridSampler(noGrid, 0)).toThrow(CairnError);
    try {
      new GridSampler(noGrid, 0);
    } catch (e) {
      expect((e as CairnError).code).toBe('invalid_argument');
      expect((e as CairnError).details?.problems).toEqual([
        { param: 'learningRate', message: 'learningRate: a log range needs a count for a grid.' },
        { param: 'dropout', message: 'dropout: a float range needs a step or a count for a grid.' },
      ]);
    }
    const huge = distributionsOf('gbdt', {
      trees: { type: 'int', min: 1, max: 10_000 },
      minSamplesLeaf: { type: 'int', min: 1, max: 100 },
    });
    expect(() => new GridSampler(huge, 0)).toThrow(/1,000,000 points/);
  });
});
