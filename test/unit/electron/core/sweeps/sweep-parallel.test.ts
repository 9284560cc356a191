// Sweeps with trials in parallel, on iris with job processes the test ends by hand (fake-jobs.ts):
// N trials in flight and never more, the trial budget counted with trials in flight, trials
// trained without their explanation and only the best explained at the end, the trials at once
// lowered (with a note) when the injected free memory cannot hold them, the automatic default,
// and a host closing with several trials in flight.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, Sweep, SweepProgress } from '../../../../../shared/api.js';
import type { MachineFigures } from '../../../../../electron/core/sweeps/trial-memory.js';
import { tempDirFor } from '../helpers.js';
import { FAKE_EXPLANATION, serviceWithFakeJobs, type FakeTrainJob } from '../jobs/fake-jobs.js';

const tmp = tempDirFor('file', 'cairn-sweep-parallel-');
const PLENTY: MachineFigures = { cores: 8, freeBytes: 64e9, totalBytes: 64e9 };
let machine: MachineFigures;
/** The sweeps' clock, in milliseconds: moved by the test only. */
let clock: number;
const env = serviceWithFakeJobs(() => path.join(tmp.dir, 'home'), { machine: () => machine, clock: () => clock });
beforeEach(() => {
  machine = PLENTY;
  clock = 0;
});

const SWEEP: MethodInput<'sweeps.start'> = {
  dataset: 'iris',
  target: 'species',
  model: 'logistic_regression',
  space: { learningRate: { type: 'log', min: 0.001, max: 0.3 } },
  strategy: 'random',
  seed: 3,
};

/** Resolves with the sweep once it is no longer running. */
function ended(sweepId: string): Promise<Sweep> {
  return new Promise((resolve) => {
    const off = env.service.events.subscribe((event, payload) => {
      const p = payload as SweepProgress;
      if (event === 'sweep.progress' && p.sweepId === sweepId && p.status !== 'running') {
        off();
        resolve(env.service.invoke('sweeps.get', { sweepId }));
      }
    });
  });
}

/** Ends trial job `i` (in start order) with a validation accuracy that rises with i. */
const finish = (i: number) => (env.fake.train[i] as FakeTrainJob).succeed(0.5 + i / 100);

describe('a sweep with parallel trials', () => {
  it('keeps N trials in flight, starts no more than its trial budget, and explains only the best', async () => {
    const sweep = await env.service.invoke('sweeps.start', { ...SWEEP, parallel: 3, trials: 5 });
    const done = ended(sweep.id);
    expect(sweep.parallel).toBe(3);
    await env.fake.until(() => env.fake.alive.length === 3);
    expect((await env.service.invoke('sweeps.get', { sweepId: sweep.id })).trials.map((t) => t.status)).toEqual([
      'running',
      'running',
      'running',
    ]);
    // One ends: one more starts, so three train again.
    await finish(1);
    await env.fake.until(() => env.fake.train.length === 4);
    expect(env.fake.alive).toHaveLength(3);
    // Two more end: only one more starts, since 3 finished + 2 in flight make the budget of 5.
    await finish(0);
    await finish(3);
    await env.fake.until(() => env.fake.train.length === 5);
    expect(env.fake.alive).toHaveLength(2);
    await finish(2);
    await finish(4);
    const result = await done;
    expect(env.fake.train).toHaveLength(5);
    expect(env.fake.maxAlive).toBe(3);
    expect(result).toMatchObject({ status: 'succeeded', trialsDone: 5, notes: [] });
    expect(result.trials.map((t) => t.status)).toEqual(Array(5).fill('complete'));
    // Trials train without their explanation; the best (the last job started, 0.54) gets one at the end.
    expect(env.fake.train.map((j) => 'explain' in j.input && j.input.explain)).toEqual(Array(5).fill(false));
    const best = result.trials.find((t) => t.value === 0.54)!;
    expect(result.bestRunId).toBe(best.runId);
    expect(env.fake.explained).toHaveLength(1);
    for (const t of result.trials) {
      const run = await env.service.invoke('runs.get', { runId: t.runId! });
      expect(run.metrics?.explanation).toEqual(t.runId === best.runId ? FAKE_EXPLANATION : undefined);
    }
  });

  it('starts no trial once its time is spent, and lets those in flight finish', async () => {
    const sweep = await env.service.invoke('sweeps.start', { ...SWEEP, parallel: 2, seconds: 60 });
    const done = ended(sweep.id);
    await env.fake.until(() => env.fake.alive.length === 2);
    await finish(0);
    await env.fake.until(() => env.fake.train.length === 3);
    clock = 61_000;
    await finish(1);
    await finish(2);
    const result = await done;
    expect(env.fake.train).toHaveLength(3);
    expect(result).toMatchObject({ status: 'succeeded', trialsDone: 3, budget: { trials: null, seconds: 60 } });
  });

  it('lowers its trials at once to what the free memory holds, and says so', async () => {
    // Each trial's estimate is about 280 MB, and 80% of the free memory is for trials: two fit in 800 MB.
    machine = { cores: 8, freeBytes: 800e6, totalBytes: 16e9 };
    const sweep = await env.service.invoke('sweeps.start', { ...SWEEP, parallel: 4, trials: 3 });
    const done = ended(sweep.id);
    expect(sweep.parallel).toBe(2);
    expect(sweep.notes).toEqual([
      'Parallel trials lowered from 4 to 2: each trial needs about 280 MB at its peak and 800 MB of 16,000 MB are free.',
    ]);
    await env.fake.until(() => env.fake.alive.length === 2);
    await finish(0);
    await env.fake.until(() => env.fake.train.length === 3);
    await finish(1);
    await finish(2);
    expect(await done).toMatchObject({ status: 'succeeded', parallel: 2 });
    expect(env.fake.maxAlive).toBe(2);
    expect((await env.service.invoke('sweeps.list', {}))[0]?.notes).toEqual(sweep.notes);
  });

  it('trains one per core less one when not told, all of them while memory holds them', async () => {
    machine = { cores: 4, freeBytes: 64e9, totalBytes: 64e9 };
    const sweep = await env.service.invoke('sweeps.start', { ...SWEEP, trials: 3 });
    const done = ended(sweep.id);
    expect(sweep).toMatchObject({ parallel: 3, notes: [] });
    await env.fake.until(() => env.fake.alive.length === 3);
    await Promise.all([0, 1, 2].map(finish));
    expect((await done).status).toBe('succeeded');
  });

  it('marks every trial in flight interrupted when the host closes, and resumes with the budget left', async () => {
    const sweep = await env.service.invoke('sweeps.start', { ...SWEEP, parallel: 2, trials: 3 });
    await env.fake.until(() => env.fake.alive.length === 2);
    await env.service.close();
    await env.open();
    const closed = await env.service.invoke('sweeps.get', { sweepId: sweep.id });
    expect(closed.status).toBe('interrupted');
    expect(closed.trials.map((t) => t.status)).toEqual(['interrupted', 'interrupted']);
    for (const t of closed.trials)
      expect((await env.service.invoke('runs.get', { runId: t.runId! })).status).toBe('interrupted');

    await env.service.invoke('sweeps.resume', { sweepId: sweep.id });
    const done = ended(sweep.id);
    await env.fake.until(() => env.fake.alive.length === 2);
    await finish(2);
    await env.fake.until(() => env.fake.train.length === 5);
    await finish(3);
    await finish(4);
    const resumed = await done;
    expect(resumed).toMatchObject({ status: 'succeeded', trialsDone: 3 });
    expect(resumed.trials.map((t) => t.status)).toEqual([
      'interrupted',
      'interrupted',
      'complete',
      'complete',
      'complete',
    ]);
  });

  it('cancels every trial in flight', async () => {
    const sweep = await env.service.invoke('sweeps.start', { ...SWEEP, parallel: 2, trials: 4 });
    const done = ended(sweep.id);
    await env.fake.until(() => env.fake.alive.length === 2);
    expect(await env.service.invoke('sweeps.cancel', { sweepId: sweep.id })).toEqual({ cancelled: true });
    const result = await done;
    expect(result.status).toBe('cancelled');
    expect(result.trials.map((t) => t.status)).toEqual(['interrupted', 'interrupted']);
    expect(env.fake.train.map((j) => j.killed)).toEqual([true, true]);
  });
});
