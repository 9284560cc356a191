// A sweep's importance as sweeps.get gives it: the saved trials (only complete ones count) over the
// sweep's own space, through importance.ts.
import { describe, expect, it } from 'vitest';
import type { Sweep, SweepTrial } from '../../../../../shared/api.js';
import { sweepImportance } from '../../../../../electron/core/sweeps/sweep-importance.js';

function trial(number: number, lr: number, batch: number, status: SweepTrial['status'] = 'complete'): SweepTrial {
  return {
    number,
    runId: `r${number}`,
    status,
    params: { learningRate: lr, batchSize: batch, epochs: 10 },
    // The value follows the learning rate alone: the batch size does not matter.
    value: status === 'complete' ? 1 - Math.abs(Math.log10(lr) + 2) / 4 : null,
    validation: null,
    error: null,
  };
}

function sweepOf(trials: SweepTrial[]): Sweep {
  return {
    id: 's',
    datasetVersionId: 'v',
    datasetName: 'iris',
    datasetVersion: 1,
    target: 'species',
    task: 'classification',
    model: 'mlp',
    strategy: 'random',
    stopping: 'none',
    metric: 'accuracy',
    direction: 'maximize',
    budget: { trials: trials.length, seconds: null },
    parallel: 1,
    seed: 3,
    status: 'succeeded',
    error: null,
    trialsDone: trials.length,
    bestRunId: null,
    bestValue: null,
    createdAt: 'c',
    finishedAt: null,
    notes: [],
    space: {
      learningRate: { type: 'log', min: 0.0001, max: 1 },
      batchSize: { type: 'choice', values: [16, 64] },
      epochs: { type: 'fixed', value: 10 },
    },
    request: {},
    trials,
  };
}

describe('sweepImportance', () => {
  it('ranks the parameter the metric follows first, over the complete trials only', async () => {
    const lrs = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 0.002, 0.02, 0.2];
    const trials = lrs.map((lr, i) => trial(i, lr, i % 2 ? 16 : 64));
    const ranked = await sweepImportance(sweepOf(trials));
    expect(ranked.map((r) => r.param)).toEqual(['learningRate', 'batchSize']);
    expect(ranked[0]!.importance).toBeGreaterThan(0.8);
    expect(ranked.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1);
  });

  it('is empty below five complete trials, failed and pruned ones not counting', async () => {
    const trials = [0.001, 0.01, 0.1, 1].map((lr, i) => trial(i, lr, 16));
    trials.push(trial(4, 0.5, 64, 'failed'), trial(5, 0.05, 64, 'pruned'));
    expect(await sweepImportance(sweepOf(trials))).toEqual([]);
  });
});
