// What a sweep's page does to it, through CairnService on iris: pause (the training trial
// finishes, no other starts, and a resume goes on with the budget left), cancel of a paused sweep,
// "promote best" (an alias moved to the best trial's model version through the registry), and
// each run knowing the sweep it is a trial of.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepProgress } from '../../../../../shared/api.js';
import { samplePath } from '../../../../../electron/core/samples.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDirFor } from '../helpers.js';
import { IRIS, nextProgress as progressOf } from './sweep-kit.js';

process.env.CAIRN_BACKEND = 'cpu';

const tmp = tempDirFor('file', 'cairn-sweep-controls-');
let service: CairnService;

beforeAll(async () => {
  service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
  await service.invoke('datasets.importNow', { path: samplePath('iris'), name: 'iris' });
});
afterAll(async () => {
  await service.close();
});

/** The next sweep.progress event `matches` accepts from the current service (subscribe before causing it). */
const nextProgress = (matches: (p: SweepProgress) => boolean) => progressOf(service.events, matches);

/** Starts a sweep of slow trials and pauses it while its first trial trains; answers once it reads paused. */
async function startAndPause(trials: number) {
  const firstStarted = nextProgress((p) => p.trial?.number === 0 && p.trial.runId !== null);
  const started = await service.invoke('sweeps.start', {
    ...IRIS,
    space: { learningRate: { type: 'log', min: 0.001, max: 0.3 }, epochs: { type: 'fixed', value: 300 } },
    trials,
  });
  const stopped = nextProgress((p) => p.sweepId === started.id && p.status !== 'running');
  await firstStarted;
  expect(await service.invoke('sweeps.pause', { sweepId: started.id })).toEqual({ pausing: true });
  expect((await stopped).status).toBe('paused');
  return service.invoke('sweeps.get', { sweepId: started.id });
}

describe('sweep controls', () => {
  it('pauses after the training trial, resumes with the budget left, and promotes the best', async () => {
    const paused = await startAndPause(3);
    // The trial that was training ran to its end: nothing was cancelled or interrupted.
    expect(paused.trials.length).toBeGreaterThanOrEqual(1);
    expect(paused.trials.length).toBeLessThan(3);
    expect(paused.trials.map((t) => t.status)).toEqual(paused.trials.map(() => 'complete'));
    for (const t of paused.trials)
      expect((await service.invoke('runs.get', { runId: t.runId! })).status).toBe('succeeded');
    expect(await service.invoke('sweeps.pause', { sweepId: paused.id })).toEqual({ pausing: false });

    const sweep = await service.invoke('sweeps.resume', { sweepId: paused.id, wait: true });
    expect(sweep).toMatchObject({ status: 'succeeded', trialsDone: 3 });
    expect(sweep.trials.map((t) => t.status)).toEqual(['complete', 'complete', 'complete']);
    expect(sweep.trials.slice(0, paused.trials.length)).toEqual(paused.trials);

    // Each trial's run knows its sweep.
    const trialRuns = new Set(sweep.trials.map((t) => t.runId));
    const runs = await service.invoke('runs.list', { query: `sweep = "${sweep.id}"` });
    expect(runs.map((r) => r.sweepId)).toEqual([sweep.id, sweep.id, sweep.id]);
    expect(new Set(runs.map((r) => r.id))).toEqual(trialRuns);

    // Promote: the best trial's model version gets the alias, champion by default.
    const best = sweep.trials.find((t) => t.runId === sweep.bestRunId)!;
    const run = await service.invoke('runs.get', { runId: best.runId! });
    expect(run.sweepId).toBe(sweep.id);
    expect(run.model).not.toBeNull();
    const promoted = await service.invoke('sweeps.promote', { sweepId: sweep.id });
    expect(promoted).toEqual({
      sweepId: sweep.id,
      trial: best.number,
      runId: best.runId,
      model: run.model,
      alias: 'champion',
      fromVersion: null,
      value: sweep.bestValue,
    });
    const model = await service.invoke('models.get', { name: run.model!.name });
    expect(model.model.aliases).toContainEqual(
      expect.objectContaining({ alias: 'champion', version: run.model!.version }),
    );
    expect(model.aliasHistory[0]?.reason).toMatch(new RegExp(`best of sweep ${sweep.id.slice(0, 8)}`));
    // Any alias may be moved; one already there is named as such.
    expect(await service.invoke('sweeps.promote', { sweepId: sweep.id, alias: 'staging' })).toMatchObject({
      alias: 'staging',
    });
    await expect(service.invoke('sweeps.promote', { sweepId: sweep.id })).rejects.toThrow(/already points at version/);
    await expect(service.invoke('sweeps.promote', { sweepId: sweep.id, alias: 'no spaces' })).rejects.toThrow();
  });

  it('cancels a paused sweep, and pauses only a running one', async () => {
    const paused = await startAndPause(2);
    const cancelled = nextProgress((p) => p.sweepId === paused.id && p.status === 'cancelled');
    expect(await service.invoke('sweeps.cancel', { sweepId: paused.id })).toEqual({ cancelled: true });
    await cancelled;
    expect((await service.invoke('sweeps.get', { sweepId: paused.id })).status).toBe('cancelled');
    expect(await service.invoke('sweeps.pause', { sweepId: paused.id })).toEqual({ pausing: false });
    expect(await service.invoke('sweeps.cancel', { sweepId: paused.id })).toEqual({ cancelled: false });
    await expect(service.invoke('sweeps.pause', { sweepId: 'nope' })).rejects.toThrow(/no sweep with id nope/);
  });

  it('refuses to promote a sweep with no complete trial', async () => {
    const firstStarted = nextProgress((p) => p.trial?.number === 0 && p.trial.runId !== null);
    const started = await service.invoke('sweeps.start', {
      ...IRIS,
      space: { learningRate: { type: 'log', min: 0.001, max: 0.3 }, epochs: { type: 'fixed', value: 300 } },
      trials: 2,
    });
    const ended = nextProgress((p) => p.sweepId === started.id && p.status !== 'running');
    await firstStarted;
    await service.invoke('sweeps.cancel', { sweepId: started.id });
    await ended;
    await expect(service.invoke('sweeps.promote', { sweepId: started.id })).rejects.toThrow(/no complete trial/);
  });
});
