// A sweep whose host died (a killed CLI, a crash) is marked interrupted at the next open, with its
// running trial; finished trials stay as they were, and a sweep of a living host is left alone.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../../../electron/core/db/open.js';
import { SweepsRepo, type NewSweep } from '../../../../../electron/core/db/sweeps-repo.js';
import { seedRuns, type SeedRun } from './seed-runs.js';

const RUN: SeedRun = {
  id: 'run-1',
  name: null,
  model: 'mlp',
  status: 'running',
  task: 'classification',
  dataset: 'iris',
  version: 1,
  target: 'species',
  backend: null,
  created: '2026-12-01T00:00:00.000Z',
  started: null,
  finished: null,
  params: {},
  test: null,
  validation: null,
};

function sweep(id: string, hostPid: number): NewSweep {
  return {
    id,
    datasetVersionId: 'iris@1',
    target: 'species',
    task: 'classification',
    model: 'mlp',
    request: {},
    space: { learningRate: { type: 'log', min: 0.001, max: 0.1 } },
    strategy: 'random',
    stopping: 'none',
    metric: 'accuracy',
    direction: 'maximize',
    maxTrials: 4,
    maxSeconds: null,
    parallel: 1,
    seed: 0,
    hostPid,
  };
}

describe('SweepsRepo.interruptOrphans', () => {
  it('marks the sweeps of dead hosts and their running trials interrupted', () => {
    const db = openDb(':memory:');
    try {
      seedRuns(db, [RUN]);
      const repo = new SweepsRepo(db);
      const now = '2026-12-01T00:00:00.000Z';
      repo.create(sweep('dead', 111), now);
      repo.create(sweep('alive', 222), now);
      for (const id of ['dead', 'alive']) {
        repo.addTrial(id, 0, { learningRate: 0.01 });
        repo.endTrial(id, 0, 'complete', 0.9, null);
        repo.addTrial(id, 1, { learningRate: 0.02 });
      }
      repo.setTrialRun('dead', 1, 'run-1');
      // Trials in parallel: a dead host leaves several running, and each is marked.
      repo.addTrial('dead', 2, { learningRate: 0.03 });

      expect(repo.interruptOrphans((pid) => pid === 222, now)).toEqual(['dead']);
      const dead = repo.get('dead')!;
      expect(dead.status).toBe('interrupted');
      expect(dead.trials.map((t) => t.status)).toEqual(['complete', 'interrupted', 'interrupted']);
      expect(dead.trials[1]!.error?.message).toMatch(/stopped before this trial finished/);
      expect(dead.trialsDone).toBe(1);
      expect(repo.get('alive')!.status).toBe('running');
      expect(repo.get('alive')!.trials.map((t) => t.status)).toEqual(['complete', 'running']);
      // The Study reads the saved trials back with their values.
      expect(repo.studyTrials('dead')).toEqual([
        { number: 0, params: { learningRate: 0.01 }, state: 'complete', value: 0.9, curve: [] },
        { number: 1, params: { learningRate: 0.02 }, state: 'interrupted', curve: [] },
        { number: 2, params: { learningRate: 0.03 }, state: 'interrupted', curve: [] },
      ]);
    } finally {
      db.close();
    }
  });

  it('keeps what a sweep says to its user, in order, and the trials at once a resume lowered', () => {
    const db = openDb(':memory:');
    try {
      seedRuns(db, [RUN]);
      const repo = new SweepsRepo(db);
      repo.create({ ...sweep('s', 1), parallel: 4, notes: ['first'] }, '2026-12-01T00:00:00.000Z');
      expect(repo.get('s')).toMatchObject({ parallel: 4, notes: ['first'] });
      repo.addNote('s', 'second, with "quotes"');
      repo.setParallel('s', 2);
      expect(repo.get('s')).toMatchObject({ parallel: 2, notes: ['first', 'second, with "quotes"'] });
      expect(repo.list()[0]?.notes).toEqual(['first', 'second, with "quotes"']);
    } finally {
      db.close();
    }
  });
});
