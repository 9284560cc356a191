// Ask-and-tell: a study hands out numbered trials, stops the ones its pruner names, keeps the best,
// and picks up after a restart from its trials as plain data.
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../../../electron/core/errors.js';
import { AshaPruner } from '../../../../../electron/core/sweeps/asha-pruner.js';
import { distributionsOf } from '../../../../../electron/core/sweeps/distributions.js';
import { GridSampler } from '../../../../../electron/core/sweeps/grid-sampler.js';
import { MedianPruner } from '../../../../../electron/core/sweeps/median-pruner.js';
import { RandomSampler } from '../../../../../electron/core/sweeps/random-sampler.js';
import { createPruner, createSampler } from '../../../../../electron/core/sweeps/strategies.js';
import { Study } from '../../../../../electron/core/sweeps/study.js';
import { TpeSampler } from '../../../../../electron/core/sweeps/tpe-sampler.js';

const DISTRIBUTIONS = distributionsOf('mlp', {
  learningRate: { type: 'log', min: 1e-4, max: 0.1 },
  units: { type: 'int', min: 8, max: 64 },
});

describe('Study', () => {
  it('numbers trials, records their curves and outcomes, and keeps the best complete one', () => {
    const study = new Study({ distributions: DISTRIBUTIONS, sampler: new RandomSampler(1), direction: 'maximize' });
    const a = study.ask()!;
    const b = study.ask()!;
    expect([a.number, b.number]).toEqual([0, 1]);
    expect(study.report(a.number, 1, 0.5)).toBe(false);
    study.tell(a.number, { state: 'complete', value: 0.7 });
    study.tell(b.number, { state: 'failed' });
    const c = study.ask()!;
    study.tell(c.number, { state: 'complete', value: 0.9 });
    expect(study.best()?.number).toBe(2);
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'failed', 'complete']);
    expect(study.trials[0]!.curve).toEqual([{ step: 1, value: 0.5 }]);
  });

  it('refuses a report or a tell for a trial that is not running, and steps that go back', () => {
    const study = new Study({ distributions: DISTRIBUTIONS, sampler: new RandomSampler(1), direction: 'minimize' });
    const a = study.ask()!;
    study.report(a.number, 2, 1);
    expect(() => study.report(a.number, 2, 1)).toThrow(/step 2 reported after step 2/);
    study.tell(a.number, { state: 'pruned' });
    expect(() => study.tell(a.number, { state: 'complete', value: 1 })).toThrow(/is pruned, not running/);
    expect(() => study.report(7, 1, 1)).toThrow(/No trial 7/);
  });

  it('asks its pruner at each report and says to stop a trial worse than the median', () => {
    const study = new Study({
      distributions: DISTRIBUTIONS,
      sampler: new RandomSampler(2),
      direction: 'minimize',
      pruner: new MedianPruner({ startupTrials: 2 }),
    });
    for (const v of [1, 2, 3]) {
      const t = study.ask()!;
      study.report(t.number, 1, v);
      study.tell(t.number, { state: 'complete', value: v });
    }
    const bad = study.ask()!;
    expect(study.report(bad.number, 1, 2.5)).toBe(true);
    const good = study.ask()!;
    expect(study.report(good.number, 1, 1.5)).toBe(false);
  });

  it('resumes from its trials: running ones become interrupted, and the next ask is what an unbroken study asks', () => {
    const sampler = () => new TpeSampler({ seed: 4, nStartupTrials: 3 });
    const f = (p: Record<string, number | string>) =>
      Math.log10(p.learningRate as number) ** 2 + (p.units as number) / 64;
    const unbroken = new Study({ distributions: DISTRIBUTIONS, sampler: sampler(), direction: 'minimize' });
    for (let i = 0; i < 8; i++) {
      const t = unbroken.ask()!;
      unbroken.tell(t.number, { state: 'complete', value: f(t.params) });
    }
    const killed = unbroken.ask()!; // in flight when the host died
    const saved = JSON.parse(JSON.stringify(unbroken.trials)) as typeof unbroken.trials;

    const resumed = new Study({
      distributions: DISTRIBUTIONS,
      sampler: sampler(),
      direction: 'minimize',
      trials: saved,
    });
    expect(resumed.trials[killed.number]!.state).toBe('interrupted');
    const next = resumed.ask()!;
    expect(next.number).toBe(9);
    unbroken.tell(killed.number, { state: 'failed' });
    expect(next.params).toEqual(unbroken.ask()!.params);
  });
});

describe('createSampler and createPruner', () => {
  it('build what each strategy and stopping rule names', () => {
    const grid = distributionsOf('mlp', { units: { type: 'int', min: 8, max: 10 } });
    expect(createSampler('grid', grid, 1)).toBeInstanceOf(GridSampler);
    expect(createSampler('random', grid, 1)).toBeInstanceOf(RandomSampler);
    expect(createSampler('tpe', grid, 1)).toBeInstanceOf(TpeSampler);
    expect(() => createSampler('grid', DISTRIBUTIONS, 1)).toThrow(/learningRate: a log range needs a count/);
    expect(createPruner('median')).toBeInstanceOf(MedianPruner);
    expect(createPruner('asha')).toBeInstanceOf(AshaPruner);
    expect(createPruner('none')).toBeUndefined();
  });
});

describe('distributionsOf', () => {
  it('turns a bad space into an invalid_argument error naming each problem', () => {
    const bad = { units: { type: 'int', min: 64, max: 8 }, trees: { type: 'fixed', value: 10 } };
    expect(() => distributionsOf('mlp', bad)).toThrow(CairnError);
    try {
      distributionsOf('mlp', bad);
    } catch (e) {
      expect((e as CairnError).code).toBe('invalid_argument');
      expect((e as CairnError).message.split('\n')).toHaveLength(2);
      expect(((e as CairnError).details?.problems as { param: string }[]).map((p) => p.param)).toEqual([
        'units',
        'trees',
      ]);
    }
  });

  it('lowers a stepped range onto its last step and makes a log range on a whole-number setting whole', () => {
    const d = distributionsOf('gbdt', {
      subsample: { type: 'float', min: 0.5, max: 0.97, step: 0.1 },
      minSamplesLeaf: { type: 'int', min: 5, max: 100, step: 10 },
      maxLeaves: { type: 'log', min: 8, max: 256 },
      learningRate: { type: 'log', min: 0.01, max: 0.3 },
    });
    expect(d.subsample).toEqual({ kind: 'float', low: 0.5, high: 0.9, step: 0.1, log: false });
    expect(d.minSamplesLeaf).toEqual({ kind: 'int', low: 5, high: 95, step: 10, log: false });
    expect(d.maxLeaves).toEqual({ kind: 'int', low: 8, high: 256, step: 1, log: true });
    expect(d.learningRate).toEqual({ kind: 'float', low: 0.01, high: 0.3, log: true });
  });
});
