// A retrain whose policy sweeps: the challenger is the best trial of a small sweep around the
// champion's settings (on the sensors data of the monitoring tests), recorded on the decision, and
// it faces the same held-out comparison as a retrain with the champion's settings.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrainStarted } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDirFor } from '../helpers.js';
import { sensorsCsv } from './sensors.js';

process.env.CAIRN_BACKEND = 'cpu';

const tmp = tempDirFor('file', 'cairn-retrain-sweep-');
let service: CairnService;

beforeAll(async () => {
  service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
  await writeFile(
    path.join(tmp.dir, 'sensors.csv'),
    sensorsCsv(300, 1, () => 'A'),
  );
  await service.invoke('datasets.importNow', { path: path.join(tmp.dir, 'sensors.csv'), name: 'sensors' });
  await service.invoke('runs.startNow', {
    dataset: 'sensors',
    target: 'label',
    model: 'logistic_regression',
    epochs: 8,
    learningRate: 0.1,
    timeColumn: 't',
    modelName: 'sensors',
  });
}, 60_000);
afterAll(async () => {
  await service.close();
});

describe('a retrain policy that sweeps', () => {
  it('saves the mode and trial count; a policy that says nothing keeps the champion settings', async () => {
    expect(await service.invoke('monitoring.retrainPolicy.get', { model: 'sensors' })).toMatchObject({
      mode: 'same',
      sweepTrials: 8,
    });
    const saved = await service.invoke('monitoring.retrainPolicy.set', {
      model: 'sensors',
      metric: 'accuracy',
      mode: 'sweep',
      sweepTrials: 2,
    });
    expect(saved).toMatchObject({ mode: 'sweep', sweepTrials: 2 });
    expect(await service.invoke('monitoring.retrainPolicy.get', { model: 'sensors' })).toMatchObject({
      mode: 'sweep',
      sweepTrials: 2,
    });
    await expect(
      service.invoke('monitoring.retrainPolicy.set', { model: 'sensors', mode: 'sweep', sweepTrials: 0 }),
    ).rejects.toThrow(/sweepTrials/);
  });

  it('trains the challenger by a sweep around the champion and judges its best trial', async () => {
    const started: RetrainStarted[] = [];
    const off = service.events.subscribe((event, payload) => {
      if (event === 'retrain.started') started.push(payload as RetrainStarted);
    });
    const decision = await service.invoke('monitoring.retrainNow', { model: 'sensors', force: true }).finally(off);
    expect(started).toEqual([expect.objectContaining({ model: 'sensors', runId: null, sweepId: decision.sweepId })]);
    expect(decision.sweepId).not.toBeNull();
    const sweep = await service.invoke('sweeps.get', { sweepId: decision.sweepId! });
    expect(sweep).toMatchObject({
      status: 'succeeded',
      model: 'logistic_regression',
      metric: 'accuracy',
      trialsDone: 2,
    });
    // The space is about the champion's settings: its rate from a third to three times, its epochs held.
    expect(sweep.space.learningRate).toEqual({ type: 'log', min: 0.1 / 3, max: 0.1 * 3 });
    expect(sweep.space.epochs).toEqual({ type: 'fixed', value: 8 });
    // Trials train on the champion's split (its time column) and under its model name.
    expect(sweep.request).toMatchObject({ target: 'label', timeColumn: 't', modelName: 'sensors' });
    // The challenger is the sweep's best trial, compared on held-out rows as any challenger is.
    expect(decision.runId).toBe(sweep.bestRunId);
    const best = await service.invoke('runs.get', { runId: sweep.bestRunId! });
    expect(decision).toMatchObject({
      trigger: 'manual',
      champion: { version: 1 },
      challenger: { version: best.model!.version },
    });
    expect(['promoted', 'kept']).toContain(decision.outcome);
    expect(decision.heldOutRows).toBeGreaterThan(0);
    expect(decision.reason).toMatch(
      new RegExp(
        `^version ${best.model!.version} \\(the best trial of sweep ${decision.sweepId!.slice(0, 8)} around version 1's settings\\)`,
      ),
    );
    expect((await service.invoke('monitoring.decisions', { model: 'sensors' }))[0]).toEqual(decision);
  }, 60_000);
});
