// Sweeps through CairnService end to end, on iris and a small generated regression: trials are
// runs linked to their sweep, the best is chosen on the validation split, bad input is refused
// before anything runs, a failing trial does not stop the sweep, a pruned trial's run is
// cancelled, and a sweep closed mid-way resumes with the budget it has left.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sweep, SweepProgress } from '../../../../../shared/api.js';
import { samplePath } from '../../../../../electron/core/samples.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDirFor } from '../helpers.js';
import { IRIS, nextProgress as progressOf } from './sweep-kit.js';
import { regressionCsv } from '../training/data.js';

process.env.CAIRN_BACKEND = 'cpu';

const tmp = tempDirFor('file', 'cairn-sweeps-');
let home: string;
let service: CairnService;

beforeAll(async () => {
  home = path.join(tmp.dir, 'home');
  service = await CairnService.open({ home, host: 'cli' });
  await service.invoke('datasets.importNow', { path: samplePath('iris'), name: 'iris' });
  await writeFile(path.join(tmp.dir, 'prices.csv'), regressionCsv());
  await service.invoke('datasets.importNow', { path: path.join(tmp.dir, 'prices.csv') });
});
afterAll(async () => {
  await service.close();
});

/** The next sweep.progress event `matches` accepts from the current service (subscribe before causing it). */
const nextProgress = (matches: (p: SweepProgress) => boolean) => progressOf(service.events, matches);

/** The progress event of trial `number` getting its run. */
const trialStarted = (number: number) => (p: SweepProgress) => p.trial?.number === number && p.trial.runId !== null;

function validationOf(sweep: Sweep, number: number): number {
  const v = sweep.trials[number]?.validation?.[sweep.metric];
  if (typeof v !== 'number') throw new Error(`trial ${number} has no validation ${sweep.metric}`);
  return v;
}

describe('a sweep', () => {
  it('runs its trials as runs linked to it and keeps the best by validation accuracy', async () => {
    const sweep = await service.invoke('sweeps.start', { ...IRIS, trials: 4, wait: true });
    expect(sweep).toMatchObject({ status: 'succeeded', metric: 'accuracy', direction: 'maximize', trialsDone: 4 });
    expect(sweep.trials.map((t) => t.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    // Each trial's value is its run's validation score, and the best is the first with the highest.
    for (const t of sweep.trials) expect(t.value).toBe(validationOf(sweep, t.number));
    const values = sweep.trials.map((t) => validationOf(sweep, t.number));
    const best = sweep.trials[values.indexOf(Math.max(...values))]!;
    expect(sweep.bestRunId).toBe(best.runId);
    expect(sweep.bestValue).toBe(Math.max(...values));
    // Each trial trained with its own learning rate, without an explanation but for the best,
    // explained when the sweep ended (its run page and models.explain show one).
    for (const t of sweep.trials) {
      const run = await service.invoke('runs.get', { runId: t.runId! });
      expect((run.params.train as { learningRate: number }).learningRate).toBeCloseTo(t.params.learningRate as number);
      expect(run.metrics?.test).toBeDefined();
      expect(run.metrics && 'explanation' in run.metrics).toBe(t.runId === sweep.bestRunId);
    }
    const bestRun = await service.invoke('runs.get', { runId: sweep.bestRunId! });
    const explained = await service.invoke('models.explain', { ...bestRun.model!, rows: 5 });
    expect(explained.explanation.importance.map((i) => i.feature).sort()).toEqual([
      'petal_length',
      'petal_width',
      'sepal_length',
      'sepal_width',
    ]);
    // The same explanation as the run would have computed itself: the job re-reads its very rows.
    const alone = await service.invoke('runs.startNow', {
      dataset: 'iris',
      target: 'species',
      model: 'logistic_regression',
      epochs: 15,
      learningRate: (bestRun.params.train as { learningRate: number }).learningRate,
      seed: 7,
    });
    expect(bestRun.metrics?.explanation).toEqual(alone.metrics?.explanation);
    // The runs query language finds and groups the trials by their sweep.
    const runs = await service.invoke('runs.list', { query: `sweep = "${sweep.id}"` });
    expect(runs.map((r) => r.id).sort()).toEqual(sweep.trials.map((t) => t.runId).sort());
    const groups = await service.invoke('runs.groups', { groupBy: 'sweep', metrics: ['validation.accuracy'] });
    expect(groups.groups.find((g) => g.key === sweep.id)).toMatchObject({
      count: 4,
      stats: { 'validation.accuracy': { n: 4 } },
    });
    expect((await service.invoke('sweeps.list', {})).map((s) => s.id)).toContain(sweep.id);
  });

  it('refuses a metric the task lacks, a budget of zero and an unknown model kind before anything runs', async () => {
    const sweepsBefore = (await service.invoke('sweeps.list', {})).length;
    const runsBefore = (await service.invoke('runs.list', {})).length;
    await expect(service.invoke('sweeps.start', { ...IRIS, metric: 'rmse' })).rejects.toThrow(
      /A classification sweep cannot choose by rmse: it has accuracy, balanced_accuracy/,
    );
    await expect(service.invoke('sweeps.start', { ...IRIS, trials: 0 })).rejects.toThrow(/budget of 0 trials/);
    await expect(service.invoke('sweeps.start', { ...IRIS, seconds: 0 })).rejects.toThrow(/budget of 0 seconds/);
    await expect(service.invoke('sweeps.start', { ...IRIS, model: 'forest' as 'mlp' })).rejects.toThrow(/model/);
    await expect(
      service.invoke('sweeps.start', { ...IRIS, space: { learningRate: { type: 'log', min: 0, max: 1 } } }),
    ).rejects.toThrow(/learningRate: the range 0 to 1 leaves its bounds/);
    expect(await service.invoke('sweeps.list', {})).toHaveLength(sweepsBefore);
    expect(await service.invoke('runs.list', {})).toHaveLength(runsBefore);
  });

  it('records a diverging trial as failed with its reason and goes on', async () => {
    const sweep = await service.invoke('sweeps.start', {
      dataset: 'prices',
      target: 'y',
      model: 'linear_regression',
      space: {
        learningRate: { type: 'choice', values: [100, 0.05] },
        optimizer: { type: 'fixed', value: 'sgd' },
        epochs: { type: 'fixed', value: 20 },
      },
      strategy: 'grid',
      parallel: 1,
      wait: true,
    });
    expect(sweep).toMatchObject({ status: 'succeeded', metric: 'rmse', direction: 'minimize', trialsDone: 2 });
    const failed = sweep.trials.find((t) => t.params.learningRate === 100)!;
    const complete = sweep.trials.find((t) => t.params.learningRate === 0.05)!;
    expect(failed).toMatchObject({ status: 'failed', value: null });
    expect(failed.error?.message).toMatch(/diverged/);
    expect(complete.status).toBe('complete');
    expect(sweep.bestRunId).toBe(complete.runId);
  });

  it('cancels a trial whose validation curve the pruner rejects, and records it as pruned', async () => {
    const sweep = await service.invoke('sweeps.start', {
      ...IRIS,
      space: { learningRate: { type: 'choice', values: [0.1, 1e-6] }, epochs: { type: 'fixed', value: 300 } },
      strategy: 'grid',
      stopping: 'asha',
      seed: 1,
      wait: true,
    });
    // The seed puts the good rate first: ASHA's first rung (epoch 1) then stops the hopeless one.
    expect(sweep.trials.map((t) => t.params.learningRate)).toEqual([0.1, 1e-6]);
    expect(sweep.trials.map((t) => t.status)).toEqual(['complete', 'pruned']);
    const pruned = await service.invoke('runs.get', { runId: sweep.trials[1]!.runId! });
    expect(pruned.status).toBe('cancelled');
    expect(pruned.history.length).toBeLessThan(300);
    expect(sweep.bestRunId).toBe(sweep.trials[0]!.runId);
  });

  it('cancels: the training trial stops, no other starts', async () => {
    const firstStarted = nextProgress(trialStarted(0));
    const started = await service.invoke('sweeps.start', {
      ...IRIS,
      space: { learningRate: { type: 'log', min: 0.001, max: 0.3 }, epochs: { type: 'fixed', value: 300 } },
      trials: 3,
    });
    const ended = nextProgress((p) => p.sweepId === started.id && p.status !== 'running');
    await firstStarted;
    expect(await service.invoke('sweeps.cancel', { sweepId: started.id })).toEqual({ cancelled: true });
    await ended;
    const sweep = await service.invoke('sweeps.get', { sweepId: started.id });
    expect(sweep.status).toBe('cancelled');
    expect(sweep.trials.map((t) => t.status)).toEqual(['interrupted']);
    expect((await service.invoke('runs.get', { runId: sweep.trials[0]!.runId! })).status).toBe('cancelled');
    expect(await service.invoke('sweeps.cancel', { sweepId: started.id })).toEqual({ cancelled: false });
  });

  it('is interrupted when the host closes mid-trial, and resumes with the budget left', async () => {
    const secondStarted = nextProgress(trialStarted(1));
    const started = await service.invoke('sweeps.start', {
      ...IRIS,
      space: { learningRate: { type: 'log', min: 0.001, max: 0.3 }, epochs: { type: 'fixed', value: 60 } },
      trials: 3,
    });
    expect(started.status).toBe('running');
    await secondStarted;
    await service.close();

    service = await CairnService.open({ home, host: 'cli' });
    const closed = await service.invoke('sweeps.get', { sweepId: started.id });
    expect(closed.status).toBe('interrupted');
    expect(closed.trials.map((t) => t.status)).toEqual(['complete', 'interrupted']);
    expect((await service.invoke('runs.get', { runId: closed.trials[1]!.runId! })).status).toBe('interrupted');

    const resumed = await service.invoke('sweeps.resume', { sweepId: started.id, wait: true });
    expect(resumed).toMatchObject({ status: 'succeeded', trialsDone: 3 });
    expect(resumed.trials.map((t) => t.status)).toEqual(['complete', 'interrupted', 'complete', 'complete']);
    // The first trial is the one the first session ran; the Study was rebuilt from it.
    expect(resumed.trials[0]).toEqual(closed.trials[0]);
    await expect(service.invoke('sweeps.resume', { sweepId: 'nope' })).rejects.toThrow(/no sweep with id nope/);
  });
});
