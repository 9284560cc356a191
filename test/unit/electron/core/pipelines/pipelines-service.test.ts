// Pipelines through CairnService, end to end on small generated data with short training: saving
// versions (invalid specs refused naming node and field), the dataset source from a name and from
// a file, train / evaluate / register / deploy on the real run queue, registry and endpoint
// supervisor, caching across runs, a partial rerun after a param change, an unmet gate, cancel,
// and run records linking the training runs and model versions.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, PipelineRun } from '../../../../../shared/api.js';
import type { PipelineSpec } from '../../../../../shared/pipeline.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDir } from '../helpers.js';
import { classificationCsv, regressionCsv } from '../training/data.js';
import { states, step, waitForRun as waitFor } from './run-helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let home: string;
let cleanup: () => Promise<void>;
let service: CairnService;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-pipes-'));
  home = path.join(dir, 'home');
  service = await CairnService.open({ home, host: 'cli' });
  await writeFile(path.join(dir, 'flowers.csv'), classificationCsv(160));
  await writeFile(path.join(dir, 'prices.csv'), regressionCsv(120));
  await service.invoke('datasets.importNow', { path: path.join(dir, 'prices.csv') });
});
afterAll(async () => {
  await service.close();
  await cleanup();
});

/** The classification template with short training, as a file next to its data. */
async function flowersSpec(
  name: string,
  gates = ['accuracy >= 0.6'],
  extra: Partial<PipelineSpec> = {},
): Promise<PipelineSpec> {
  const spec = await service.invoke('pipelines.fromTemplate', {
    template: 'tabular-classification',
    dataset: 'flowers.csv',
    target: 'label',
    gates,
    name,
  });
  const train = spec.nodes.find((n) => n.id === 'train');
  Object.assign(train?.params ?? {}, { epochs: 6, learningRate: 0.02, hiddenLayers: [{ units: 8 }] });
  return { ...spec, ...extra };
}

async function runFile(spec: PipelineSpec, file = `${spec.name}.json`): Promise<PipelineRun> {
  await writeFile(path.join(dir, file), JSON.stringify(spec, null, 2));
  return service.invoke('pipelines.runFile', { path: path.join(dir, file) });
}

const waitForRun = (runId: string) => waitFor(service, runId);

async function invokeError(method: Parameters<CairnService['invoke']>[0], arg: unknown): Promise<CairnError> {
  try {
    await service.invoke(method, arg);
  } catch (err) {
    if (err instanceof CairnError) return err;
    throw err;
  }
  throw new Error(`${method} did not fail`);
}

describe('a pipeline file run from start to end', () => {
  let first: PipelineRun;
  const events: { event: string; payload: unknown }[] = [];

  beforeAll(async () => {
    const off = service.events.subscribe((event, payload) => {
      if (event.startsWith('pipeline.')) events.push({ event, payload });
    });
    try {
      first = await runFile(await flowersSpec('flowers-pipe'));
    } finally {
      off();
    }
  });

  it('runs every step in order, imports the file, trains, evaluates, registers', () => {
    expect(first.error).toBeNull();
    expect(first.status).toBe('succeeded');
    expect(first.steps.map((s) => s.nodeId)).toEqual(['source', 'split', 'impute', 'train', 'evaluate', 'register']);
    expect(first.steps.every((s) => s.state === 'succeeded' && !s.cached)).toBe(true);
    expect(step(first, 'source').output?.dataset).toMatchObject({ name: 'flowers', version: 1 });
    expect(step(first, 'split').output?.table?.parts).toEqual({ train: 112, validation: 24, test: 24 });
    // The template splits first, so the fill values come from the train rows alone.
    expect(step(first, 'impute').output?.fit).toEqual({ part: 'train', rows: 112 });
  });

  it('records the training run in Runs, with the split table as its dataset and the split from the pipeline', async () => {
    const runId = step(first, 'train').output?.runId as string;
    const run = await service.invoke('runs.get', { runId });
    expect(run).toMatchObject({
      status: 'succeeded',
      datasetName: 'flowers-pipe.train',
      target: 'label',
      model: { name: 'flowers-pipe', version: 1 },
    });
    expect(run.params.split).toMatchObject({
      method: 'column',
      splitColumn: '__split',
      rows: { train: 112, validation: 24, test: 24 },
    });
    expect(run.params.features).toEqual(['x1', 'x2', 'color']);
    expect(first.trainingRuns).toEqual([{ nodeId: 'train', runId, cached: false }]);
  });

  it("keeps the training table out of the user's datasets, readable by the run that points at it", async () => {
    const names = (await service.invoke('datasets.list', {})).map((d) => d.name);
    expect(names).toContain('flowers');
    expect(names).not.toContain('flowers-pipe.train');
    const runId = step(first, 'train').output?.runId as string;
    const run = await service.invoke('runs.get', { runId });
    expect((await service.invoke('datasets.get', { ref: run.datasetId })).dataset.name).toBe('flowers-pipe.train');
    // The run says whose table it is and what it was made from.
    const flowers = (await service.invoke('datasets.get', { ref: 'flowers' })).dataset;
    expect(run.pipelineTable).toEqual({
      pipeline: 'flowers-pipe',
      source: { datasetId: flowers.id, name: 'flowers', version: 1 },
    });
  });

  it('traces the model to the source dataset version, through the pipeline, in its lineage and card', async () => {
    const source = step(first, 'source').output?.dataset;
    const detail = await service.invoke('models.get', { name: 'flowers-pipe' });
    expect(detail.versions[0]?.lineage).toMatchObject({
      dataset: { name: 'flowers', version: 1, hash: source?.contentHash },
      pipeline: 'flowers-pipe',
    });
    const card = await service.invoke('models.card', { name: 'flowers-pipe', version: 1 });
    // The card names the source; its profile is the table the model learned from (split column and all).
    expect(card.trainingData).toMatchObject({
      dataset: { name: 'flowers', version: 1 },
      pipeline: 'flowers-pipe',
      rows: 160,
    });
    expect(card.trainingData?.columns.map((c) => c.name)).toContain('__split');
  });

  it('evaluates on the test part: the same numbers the run measured on it, the gate met', () => {
    const trained = step(first, 'train').output?.metrics ?? {};
    const evaluated = step(first, 'evaluate').output;
    expect(evaluated?.metrics?.rows).toBe(24);
    for (const k of ['accuracy', 'f1_macro', 'log_loss'])
      expect(evaluated?.metrics?.[k]).toBeCloseTo(trained[k] as number, 5);
    expect(evaluated?.gates).toEqual([
      {
        gate: 'accuracy >= 0.6',
        metric: 'accuracy',
        op: '>=',
        threshold: 0.6,
        actual: evaluated?.metrics?.accuracy,
        passed: true,
      },
    ]);
  });

  it('points the production alias at the new version', async () => {
    expect(step(first, 'register').output?.model).toEqual({ name: 'flowers-pipe', version: 1, alias: 'production' });
    const detail = await service.invoke('models.get', { name: 'flowers-pipe' });
    expect(detail.model.aliases).toMatchObject([{ alias: 'production', version: 1 }]);
    expect(detail.aliasHistory[0]?.reason).toBe('pipeline "flowers-pipe", step "register"');
    expect(first.modelVersions.map((m) => [m.nodeId, m.version])).toEqual([
      ['train', 1],
      ['evaluate', 1],
      ['register', 1],
    ]);
  });

  it('said so in events: the run queued, running, succeeded, and each step', () => {
    const runEvents = events
      .filter((e) => e.event === 'pipeline.run')
      .map((e) => (e.payload as EventPayload<'pipeline.run'>).status);
    expect(runEvents).toEqual(['queued', 'running', 'succeeded']);
    const trainStates = events
      .filter((e) => e.event === 'pipeline.step' && (e.payload as EventPayload<'pipeline.step'>).nodeId === 'train')
      .map((e) => e.payload as EventPayload<'pipeline.step'>);
    expect(trainStates.at(-1)?.state).toBe('succeeded');
    expect(trainStates.some((s) => s.progress?.label === 'epoch 6 of 6')).toBe(true);
  });

  it('finds every step cached on an unchanged rerun: no new training run, no new version', async () => {
    const runsBefore = (await service.invoke('runs.list', {})).length;
    const again = await runFile(await flowersSpec('flowers-pipe'));
    expect(again.status).toBe('succeeded');
    expect(again.steps.map((s) => [s.state, s.cached])).toEqual(Array.from({ length: 6 }, () => ['cached', true]));
    expect((await service.invoke('runs.list', {})).length).toBe(runsBefore);
    expect(again.trainingRuns).toEqual([{ nodeId: 'train', runId: step(first, 'train').output?.runId, cached: true }]);
    // The file did not change: the same pipeline version ran.
    expect(again.version).toBe(first.version);
  });

  it('reruns only from a changed step: a new gate re-evaluates and re-registers, training stays cached', async () => {
    const again = await runFile(await flowersSpec('flowers-pipe', ['accuracy >= 0.55']));
    expect(states(again)).toEqual({
      source: 'cached',
      impute: 'cached',
      split: 'cached',
      train: 'cached',
      evaluate: 'succeeded',
      register: 'succeeded',
    });
    expect(again.version).toBe(first.version + 1);
  });

  it('fails with gate_failed when a gate is not met, skipping register with the reason', async () => {
    const failed = await runFile(await flowersSpec('flowers-pipe', ['accuracy >= 1.01', 'log_loss < 10']));
    expect(failed.status).toBe('gate_failed');
    expect(failed.error).toMatchObject({
      code: 'gate_failed',
      message: expect.stringMatching(/^step "evaluate" failed: gate not met: accuracy >= 1.01/) as string,
    });
    expect(step(failed, 'evaluate')).toMatchObject({ state: 'failed', error: { code: 'gate_failed' } });
    expect(step(failed, 'evaluate').output?.gates?.map((g) => g.passed)).toEqual([false, true]);
    expect(step(failed, 'register')).toMatchObject({ state: 'skipped', reason: 'upstream step "evaluate" failed' });
    expect(states(failed).train).toBe('cached');
  });

  it('lists the runs, newest first, with step counts', async () => {
    const runs = await service.invoke('pipelines.runs', { pipelineId: 'flowers-pipe' });
    expect(runs.map((r) => r.status)).toEqual(['gate_failed', 'succeeded', 'succeeded', 'succeeded']);
    expect(runs[0]?.counts).toEqual({ cached: 4, failed: 1, skipped: 1 });
    const list = await service.invoke('pipelines.list', {});
    expect(list.find((p) => p.name === 'flowers-pipe')).toMatchObject({
      versionCount: 3,
      lastRun: { status: 'gate_failed' },
    });
  });
});

describe('a failing step', () => {
  it('names its field (a train target that is not a column) and skips only what follows it', async () => {
    const spec = await flowersSpec('typo-pipe');
    spec.nodes.find((n) => n.id === 'train')!.params.target = 'lable';
    // A side branch that does not depend on training still runs.
    spec.nodes.push({ id: 'side', kind: 'filter', params: { condition: 'x1 > 0' }, position: { x: 0, y: 200 } });
    spec.edges.push({ id: 'e-side', source: 'impute', sourcePort: 'data', target: 'side', targetPort: 'data' });
    const run = await runFile(spec);
    expect(run.status).toBe('failed');
    expect(step(run, 'train').error).toMatchObject({
      code: 'invalid_argument',
      message: 'Unknown column: "lable"',
      details: { field: 'target' },
    });
    expect(states(run)).toMatchObject({ train: 'failed', evaluate: 'skipped', register: 'skipped', side: 'succeeded' });
  });
});

describe('saving pipelines', () => {
  it('saves versions, gets any of them with the history, and makes no version for identical content', async () => {
    const spec = await flowersSpec('saved');
    const saved = await service.invoke('pipelines.save', { spec, message: 'first' });
    expect(saved).toMatchObject({ version: 1, created: true, pipeline: { name: 'saved', versionCount: 1 } });
    const same = await service.invoke('pipelines.save', { id: saved.pipeline.id, spec });
    expect(same).toMatchObject({ version: 1, created: false });
    const changed = structuredClone(spec);
    changed.nodes[0]!.position = { x: 50, y: 50 };
    expect((await service.invoke('pipelines.save', { id: saved.pipeline.id, spec: changed })).version).toBe(2);
    const got = await service.invoke('pipelines.get', { id: 'saved', version: 1 });
    expect(got.spec).toEqual(spec);
    expect(got.versions.map((v) => [v.version, v.message, v.nodes])).toEqual([
      [2, '', 6],
      [1, 'first', 6],
    ]);
  });

  it('saves a pipeline with problems as a draft that names them and refuses to run it; refuses a non-pipeline and a taken name', async () => {
    const spec = await flowersSpec('broken');
    spec.nodes.find((n) => n.id === 'split')!.params.train = 2;
    spec.nodes.find((n) => n.id === 'train')!.params.epochz = 3;
    const draft = await service.invoke('pipelines.save', { spec });
    expect(draft).toMatchObject({ version: 1, created: true });
    expect(draft.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'split', field: 'train' }),
        expect.objectContaining({ nodeId: 'train', field: 'epochz' }),
      ]),
    );
    expect(
      (await service.invoke('pipelines.get', { id: 'broken' })).spec.nodes.find((n) => n.id === 'train')?.params.epochz,
    ).toBe(3);
    const refused = await invokeError('pipelines.run', { id: draft.pipeline.id });
    expect(refused.code).toBe('invalid_argument');
    expect(refused.message).toMatch(/^broken v1 is not valid: node "split", field "train": .*\(and \d more\)$/);
    expect(await service.invoke('pipelines.runs', { pipelineId: draft.pipeline.id })).toEqual([]);

    const notAPipeline = await invokeError('pipelines.save', { spec: { cairn: 1, nodes: 'none' } });
    expect(notAPipeline.code).toBe('invalid_argument');
    expect(notAPipeline.details?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'name' })]));
    const taken = await invokeError('pipelines.save', { spec: await flowersSpec('saved') });
    expect(taken).toMatchObject({ code: 'conflict', details: { field: 'name' } });
  });

  it('validates datasets by name without saving', async () => {
    const spec = await flowersSpec('check');
    spec.nodes[0]!.params.dataset = 'no-such-data';
    expect(await service.invoke('pipelines.validate', { spec })).toEqual({
      issues: [{ nodeId: 'source', field: 'dataset', message: 'no dataset named "no-such-data"' }],
    });
  });

  it('deletes a pipeline with its versions and runs', async () => {
    const saved = await service.invoke('pipelines.save', { spec: await flowersSpec('doomed') });
    expect(await service.invoke('pipelines.delete', { id: saved.pipeline.id })).toEqual({ deleted: true });
    expect((await invokeError('pipelines.get', { id: 'doomed' })).code).toBe('not_found');
  });
});

describe('regression from a dataset by name, through to a deployed endpoint', () => {
  it('serves the registered version, and an updated pipeline hot-swaps the same endpoint', async () => {
    const spec = await service.invoke('pipelines.fromTemplate', {
      template: 'tabular-regression',
      dataset: 'prices',
      target: 'y',
      gates: ['r2 >= 0.5'],
      name: 'prices-pipe',
    });
    Object.assign(spec.nodes.find((n) => n.id === 'train')!.params, {
      model: 'linear_regression',
      epochs: 40,
      learningRate: 0.05,
    });
    spec.nodes.push({ id: 'deploy', kind: 'deploy', params: {}, position: { x: 1560, y: 0 } });
    spec.edges.push({ id: 'e-deploy', source: 'register', sourcePort: 'model', target: 'deploy', targetPort: 'model' });
    const saved = await service.invoke('pipelines.save', { spec });
    const { runId } = await service.invoke('pipelines.run', { id: saved.pipeline.id });
    const run = await waitForRun(runId);
    expect(run.error).toBeNull();
    expect(states(run)).toEqual({
      source: 'succeeded',
      impute: 'succeeded',
      split: 'succeeded',
      train: 'succeeded',
      evaluate: 'succeeded',
      register: 'succeeded',
      deploy: 'succeeded',
    });
    const url = step(run, 'deploy').output?.endpoint?.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const predict = async () => {
      const r = await fetch(`${url}/v1/models/prices-pipe/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [{ x1: 1, x2: 1 }] }),
      });
      return (await r.json()) as { model: { version: number }; predictions: { value: number }[] };
    };
    const answer = await predict();
    expect(answer.model.version).toBe(1);
    // y = 3·x1 − 2·x2 + 1: 2 at (1, 1).
    expect(answer.predictions[0]?.value).toBeCloseTo(2, 0);

    // Unchanged: the endpoint still serves it, so deploy is cached too.
    const again = await waitForRun((await service.invoke('pipelines.run', { id: saved.pipeline.id })).runId);
    expect(Object.values(states(again)).every((s) => s === 'cached')).toBe(true);

    // A change to training: a new version, production moves, the same endpoint now serves it.
    spec.nodes.find((n) => n.id === 'train')!.params.epochs = 41;
    const v2 = await service.invoke('pipelines.save', { id: saved.pipeline.id, spec });
    const third = await waitForRun(
      (await service.invoke('pipelines.run', { id: saved.pipeline.id, version: v2.version })).runId,
    );
    expect(states(third)).toMatchObject({
      source: 'cached',
      split: 'cached',
      train: 'succeeded',
      register: 'succeeded',
      deploy: 'succeeded',
    });
    expect(step(third, 'deploy').output?.endpoint).toEqual(step(run, 'deploy').output?.endpoint);
    expect((await predict()).model.version).toBe(2);
    expect((await service.invoke('endpoints.list', {})).length).toBe(1);
  });
});

describe('cancel', () => {
  it('stops the training run, skips what is downstream and records the run as cancelled', async () => {
    const spec = await flowersSpec('slow-pipe');
    // Saved in the app, not run from a file: a file path resolves against the data folder, so give it whole.
    spec.nodes[0]!.params.dataset = path.join(dir, 'flowers.csv');
    Object.assign(spec.nodes.find((n) => n.id === 'train')!.params, { epochs: 5000, batchSize: 4 });
    const saved = await service.invoke('pipelines.save', { spec });
    let cancelled = false;
    const off = service.events.subscribe((event, payload) => {
      const s = payload as EventPayload<'pipeline.step'>;
      if (event === 'pipeline.step' && s.nodeId === 'train' && s.progress?.label.startsWith('epoch') && !cancelled) {
        cancelled = true;
        void service.invoke('pipelines.cancel', { runId: s.runId });
      }
    });
    try {
      const { runId } = await service.invoke('pipelines.run', { id: saved.pipeline.id });
      const run = await waitForRun(runId);
      expect(run.status).toBe('cancelled');
      expect(states(run)).toMatchObject({
        split: 'succeeded',
        train: 'failed',
        evaluate: 'skipped',
        register: 'skipped',
      });
      expect(step(run, 'train').error?.code).toBe('cancelled');
      expect(step(run, 'evaluate').reason).toBe('the run was cancelled');
      const training = (await service.invoke('runs.list', {})).find((r) => r.datasetName === 'slow-pipe.train');
      expect(training?.status).toBe('cancelled');
    } finally {
      off();
    }
  });
});
