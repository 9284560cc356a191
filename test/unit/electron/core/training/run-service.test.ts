// Training through CairnService end to end, on small generated datasets: runs recorded
// queued → running → terminal, artifacts moved into models/, the same seed giving the same
// metrics, cancellation and crashes leaving nothing half-written, and bad input failing clearly.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../../../shared/api.js';
import { forkSpawner } from '../../../../../electron/core/jobs/fork-spawner.js';
import type { JobProcess } from '../../../../../electron/core/jobs/protocol.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { filesUnder, tempDirFor } from '../helpers.js';
import { classificationCsv, regressionCsv } from './data.js';

process.env.CAIRN_BACKEND = 'cpu';

const tmp = tempDirFor('file', 'cairn-train-');
let home: string;
let service: CairnService;
const children: JobProcess[] = [];

beforeAll(async () => {
  home = path.join(tmp.dir, 'home');
  const fork = forkSpawner();
  service = await CairnService.open({
    home,
    host: 'cli',
    spawn: () => {
      const child = fork();
      children.push(child);
      return child;
    },
  });
  const files: Record<string, string> = {
    'flowers.csv': classificationCsv(),
    'prices.csv': regressionCsv(),
    'tiny.csv': 'a,b\n1,x\n2,y\n3,x\n',
    // Rows out of time order, so a time split is visibly not a file-order split.
    'dated.csv': `day,x,y\n${Array.from({ length: 60 }, (_v, i) => {
      const d = (i * 37) % 60;
      return `2024-01-${String(1 + (d % 28)).padStart(2, '0')}T${String(d % 24).padStart(2, '0')}:00:00,${(d * 0.37).toFixed(2)},${2 * d + 1}`;
    }).join('\n')}\n`,
    'oneclass.csv': `x,label\n${Array.from({ length: 20 }, (_v, i) => `${i},same`).join('\n')}\n`,
    'holes.csv': `x,empty,label\n${Array.from({ length: 20 }, (_v, i) => `${i},,${i % 2 ? 'a' : 'b'}`).join('\n')}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(tmp.dir, name), content);
    await service.invoke('datasets.importNow', { path: path.join(tmp.dir, name) });
  }
});
afterAll(async () => {
  await service.close();
});

const quick = { epochs: 8, learningRate: 0.01, hiddenLayers: [{ units: 16 }] };

describe('training runs', () => {
  let first: Run;

  it('trains a classifier, records the run and saves model version 1 under the dataset name', async () => {
    const statuses: string[] = [];
    const epochs: number[] = [];
    const lifecycle: string[] = [];
    const off = service.events.subscribe((event, payload) => {
      if (event === 'run.queued' || event === 'run.started' || event === 'run.finished') lifecycle.push(event);
      if (event === 'run.progress') epochs.push((payload as { epoch: number }).epoch);
      if (event === 'run.finished') statuses.push((payload as { status: string }).status);
    });
    first = await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick });
    off();
    expect(first).toMatchObject({
      status: 'succeeded',
      task: 'classification',
      backend: 'cpu',
      model: { name: 'flowers', version: 1 },
    });
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(statuses).toEqual(['succeeded']);
    expect(lifecycle).toEqual(['run.queued', 'run.started', 'run.finished']);
    const test = (first.metrics as { test: Record<string, unknown> }).test;
    expect(test.accuracy).toBeGreaterThan(0.85);
    expect(test).toHaveProperty('confusion');
    expect(test).toHaveProperty('roc');
    expect(first.history).toHaveLength(8);
    expect(first.params).toMatchObject({
      split: { seed: 42, method: 'stratified', fractions: { train: 0.7 } },
      train: { epochs: 8 },
    });
    expect(first.preprocess).toMatchObject({ format: 'cairn-preprocess/1' });
    expect(await filesUnder(path.join(home, 'models'))).toEqual(
      ['artifact.json', 'card.json', 'explain.json', 'model.json', 'preprocess.json', 'weights.bin'].map((f) =>
        path.join('flowers', '1', f),
      ),
    );
    expect(await filesUnder(path.join(home, 'work'))).toEqual([]);
    expect((await service.invoke('runs.get', { runId: first.id })).status).toBe('succeeded');
    const summary = (await service.invoke('runs.list', {})).find((r) => r.id === first.id);
    expect(summary).toMatchObject({
      status: 'succeeded',
      epochsRun: 8,
      testMetrics: { accuracy: test.accuracy, f1_macro: test.f1_macro },
    });
    expect(summary).not.toHaveProperty('history');
    // The table's params leave out the feature list; the full run keeps it.
    expect(summary?.params).not.toHaveProperty('features');
    expect(first.params).toHaveProperty('features');
    expect(summary?.testMetrics).not.toHaveProperty('confusion');
  });

  it('gives the same metrics for the same seed, and saves version 2', async () => {
    const again = await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick });
    expect(again.metrics).toEqual(first.metrics);
    expect(again.model).toEqual({ name: 'flowers', version: 2 });
  });

  it('trains a regressor on a numeric target', async () => {
    const run = await service.invoke('runs.startNow', {
      dataset: 'prices',
      target: 'y',
      epochs: 15,
      learningRate: 0.01,
    });
    expect(run).toMatchObject({ status: 'succeeded', task: 'regression', params: { split: { method: 'random' } } });
    const test = (
      run.metrics as {
        test: { r2: number; mae: number; rows: number; points: { actual: number[]; predicted: number[] } };
      }
    ).test;
    expect(test.r2).toBeGreaterThan(0.9);
    // The plots' sample: every test row here (fewer than the 2,000 cap), actual beside predicted.
    expect(test.points.actual).toHaveLength(test.rows);
    expect(test.points.predicted).toHaveLength(test.rows);
  });

  it('splits in time by a datetime column, leaving that column out of the features', async () => {
    const run = await service.invoke('runs.startNow', { dataset: 'dated', target: 'y', timeColumn: 'day', epochs: 3 });
    expect(run.params).toMatchObject({ split: { method: 'time', timeColumn: 'day' }, features: ['x'] });
  });

  it('stops early when the monitored metric stops improving, and records the setting', async () => {
    const run = await service.invoke('runs.startNow', {
      dataset: 'flowers',
      target: 'label',
      epochs: 400,
      learningRate: 0.05,
      earlyStopping: { monitor: 'val_loss', patience: 2 },
      modelName: 'early',
    });
    expect(run.history.length).toBeLessThan(400);
    expect(run.params).toMatchObject({
      train: { earlyStopping: { monitor: 'val_loss', patience: 2, restoreBestWeights: true } },
    });
  });

  it('queues runs one at a time, and cancels a queued and a running run leaving nothing under models/', async () => {
    const before = await filesUnder(path.join(home, 'models'));
    const a = await service.invoke('runs.start', {
      dataset: 'flowers',
      target: 'label',
      epochs: 500,
      modelName: 'cancelme',
    });
    const b = await service.invoke('runs.start', {
      dataset: 'flowers',
      target: 'label',
      epochs: 5,
      modelName: 'cancelme',
    });
    expect((await service.invoke('runs.get', { runId: b.runId })).status).toBe('queued');
    expect(await service.invoke('runs.cancel', { runId: b.runId })).toEqual({ cancelled: true });
    await new Promise<void>((resolve) => {
      const off = service.events.subscribe((event, payload) => {
        if (event === 'run.progress' && (payload as { runId: string }).runId === a.runId) {
          off();
          resolve();
        }
      });
    });
    // A running run's curves so far come with it, and stay with it once cancelled.
    const live = await service.invoke('runs.get', { runId: a.runId });
    expect(live.status).toBe('running');
    expect(live.history.length).toBeGreaterThanOrEqual(1);
    expect(await service.invoke('runs.cancel', { runId: a.runId })).toEqual({ cancelled: true });
    const cancelled = await waitForStatus(a.runId, 'cancelled');
    expect(cancelled.history.length).toBeGreaterThanOrEqual(live.history.length);
    expect((await service.invoke('runs.get', { runId: b.runId })).status).toBe('cancelled');
    expect(await filesUnder(path.join(home, 'models'))).toEqual(before);
    expect(await filesUnder(path.join(home, 'work'))).toEqual([]);
  });

  it('records a run whose job process dies as failed', async () => {
    const { runId } = await service.invoke('runs.start', {
      dataset: 'flowers',
      target: 'label',
      epochs: 500,
      modelName: 'killed',
    });
    await new Promise<void>((resolve) => {
      const off = service.events.subscribe((event, payload) => {
        if (event === 'run.progress' && (payload as { runId: string }).runId === runId) {
          off();
          resolve();
        }
      });
    });
    children.at(-1)?.kill();
    const run = await waitForStatus(runId, 'failed');
    expect(run.error?.message).toMatch(/stopped unexpectedly/);
    expect(await filesUnder(path.join(home, 'models', 'killed'))).toEqual([]);
  });

  it.each([
    [{ dataset: 'flowers', target: 'nope' }, /Unknown column: "nope"/],
    [{ dataset: 'flowers', target: 'label', features: ['x1', 'ghost'] }, /Unknown column: "ghost"/],
    [{ dataset: 'oneclass', target: 'label' }, /only one class/],
    [{ dataset: 'holes', target: 'empty' }, /Target "empty" has no values/],
    [{ dataset: 'holes', target: 'label', features: ['x', 'empty'] }, /Feature "empty" has no values/],
    [{ dataset: 'tiny', target: 'a' }, /Too few rows/],
    [{ dataset: 'prices', target: 'y', learningRate: 100, optimizer: 'sgd' as const, epochs: 5 }, /diverged/],
  ])('fails clearly on bad input %#, recording the reason', async (req, message) => {
    const err = (await service.invoke('runs.startNow', req).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(message);
    const [latest] = await service.invoke('runs.list', {});
    expect(latest).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(message) as unknown } });
  });

  it('marks runs left running by a dead host as interrupted at the next open', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    const db = new Database(path.join(home, 'app.db'));
    db.prepare(`UPDATE runs SET status = 'running', host_pid = ? WHERE id = ?`).run(dead, first.id);
    db.close();
    const other = await CairnService.open({ home, host: 'cli' });
    try {
      expect(await other.invoke('runs.get', { runId: first.id })).toMatchObject({ status: 'interrupted' });
    } finally {
      await other.close();
    }
  });
});

async function waitForStatus(runId: string, status: string): Promise<Run> {
  for (;;) {
    const run = await service.invoke('runs.get', { runId });
    if (run.status === status) return run;
    if (!['queued', 'running'].includes(run.status)) throw new Error(`run ended ${run.status}: ${run.error?.message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
