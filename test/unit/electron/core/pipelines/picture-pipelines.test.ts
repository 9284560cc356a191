// Pipelines over a picture dataset through CairnService (a job process per run, on wasm): a
// dataset → train(cnn) → evaluate → register → deploy file trains the CNN on the pictures (split
// by label, as a run on them is), gates it on its run's test pictures, points the alias at its
// version and serves it; validation refuses a table model on pictures, the CNN on a table, a split
// of pictures and a table trained or evaluated without a split, before anything runs; a draft that
// splits pictures anyway fails at its split step.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../../shared/pipeline.js';
import { usePictureService } from '../training/picture-service.js';
import { states, step, waitForRun } from './run-helpers.js';

const app = usePictureService('cairn-picture-pipes-');

const at = (x: number) => ({ x, y: 0 });
const edge = (source: string, target: string, port = 'data') => ({
  id: `${source}-${target}-${port}`,
  source,
  sourcePort: port,
  target,
  targetPort: port,
});

/** dataset → [split →] train → evaluate → register → deploy, with the train node's params. */
function spec(dataset: string, train: Record<string, unknown>, withSplit = false): PipelineSpec {
  const nodes: PipelineSpec['nodes'] = [
    { id: 'source', kind: 'dataset', params: { dataset }, position: at(0) },
    { id: 'train', kind: 'train', params: { target: 'label', ...train }, position: at(400) },
    { id: 'evaluate', kind: 'evaluate', params: { gates: ['accuracy >= 0'] }, position: at(600) },
    { id: 'register', kind: 'register', params: { alias: 'production' }, position: at(800) },
    { id: 'deploy', kind: 'deploy', params: { port: 0 }, position: at(1000) },
  ];
  const edges = [
    edge('train', 'evaluate', 'model'),
    edge('evaluate', 'register', 'model'),
    edge('register', 'deploy', 'model'),
  ];
  const data = withSplit ? 'split' : 'source';
  if (withSplit) {
    nodes.push({ id: 'split', kind: 'split', params: {}, position: at(200) });
    edges.push(edge('source', 'split'));
  }
  edges.push(edge(data, 'train'), edge(data, 'evaluate'));
  return { cairn: 1, name: 'shapes-pipe', nodes, edges };
}

const cnn = { model: 'cnn', epochs: 2, batchSize: 4, imageSize: 16, augment: 'none' };

describe('a pipeline over pictures', () => {
  it('trains the CNN on the picture dataset, scores its test pictures, registers and deploys it', async () => {
    const file = path.join(app.dir, 'shapes-pipe.json');
    await writeFile(file, JSON.stringify(spec('shapes', cnn), null, 2));
    const run = await app.service.invoke('pipelines.runFile', { path: file });
    expect(run.error).toBeNull();
    expect(states(run)).toEqual({
      source: 'succeeded',
      train: 'succeeded',
      evaluate: 'succeeded',
      register: 'succeeded',
      deploy: 'succeeded',
    });
    const trained = await app.service.invoke('runs.get', { runId: step(run, 'train').output?.runId as string });
    expect(trained).toMatchObject({
      status: 'succeeded',
      datasetName: 'shapes',
      modelKind: 'cnn',
      task: 'classification',
      model: { name: 'shapes-pipe', version: 1 },
      preprocess: { image: { kind: 'image', size: 16 } },
      params: { model: { kind: 'cnn', imageSize: 16, augment: 'none' } },
    });
    expect(trained.history.map((h) => h.epoch)).toEqual([1, 2]);
    // Evaluate scores the run's test pictures, the part training never learned from.
    const scored = step(run, 'train').output?.metrics ?? {};
    expect(scored.accuracy).toEqual(expect.any(Number));
    expect(step(run, 'evaluate').output?.metrics).toMatchObject({
      accuracy: scored.accuracy,
      rows: (trained.metrics?.test as { rows: number }).rows,
    });
    expect(step(run, 'evaluate').output?.gates).toMatchObject([{ gate: 'accuracy >= 0', passed: true }]);
    const model = await app.service.invoke('models.get', { name: 'shapes-pipe' });
    expect(model.model.aliases).toMatchObject([{ alias: 'production', version: 1 }]);
    // The deployed endpoint serves the picture model: a picture posted as it is gets its label.
    const [endpoint] = await app.service.invoke('endpoints.list', {});
    expect(endpoint).toMatchObject({ status: 'running', refs: ['shapes-pipe@production'] });
    const res = await fetch(`${endpoint?.url}/v1/models/shapes-pipe/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(await readFile(path.join(app.dir, 'shapes', 'circle', '0.png'))),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ model: { name: 'shapes-pipe', version: 1 } });
  });

  it('refuses a table model on pictures, the CNN on a table, a split of pictures and a table with no split', async () => {
    const issues = async (s: PipelineSpec) =>
      (await app.service.invoke('pipelines.validate', { spec: s })).issues.map(
        (i) => `${i.nodeId}.${i.field}: ${i.message}`,
      );
    expect(await issues(spec('shapes', cnn))).toEqual([]);
    expect(await issues(spec('shapes', { model: 'gbdt' }))).toEqual([
      'train.model: shapes holds pictures: train a convolutional network on it (model cnn); Gradient-boosted trees reads tables.',
    ]);
    expect(await issues(spec('table', { model: 'cnn' }, true))).toEqual([
      'train.model: A convolutional network trains on pictures, and table is a table: pick another model for it.',
    ]);
    expect(await issues(spec('shapes', cnn, true))).toEqual([
      'split.undefined: shapes holds pictures, which a Split step cannot read: connect the dataset to a train step (model cnn), which splits them by label itself, or to evaluate.',
    ]);
    expect(await issues(spec('table', { model: 'mlp' }))).toEqual([
      'train.undefined: table is a table: put a split step between it and train (only pictures go straight in).',
      'evaluate.undefined: table is a table: put a split step between it and evaluate (only pictures go straight in).',
    ]);
    const runs = await app.service.invoke('runs.list', {});
    expect(runs).toHaveLength(1);
  });

  it('fails a split of pictures saved as a draft when it runs, naming why, before training', async () => {
    const saved = await app.service.invoke('pipelines.save', { spec: { ...spec('shapes', cnn, true), name: 'draft' } });
    const { runId } = await app.service.invoke('pipelines.run', { id: saved.pipeline.id });
    const run = await waitForRun(app.service, runId);
    expect(states(run)).toMatchObject({ split: 'failed', train: 'skipped', register: 'skipped' });
    expect(step(run, 'split').error?.message).toBe(
      'the input is a picture dataset, which a training run splits by label itself: connect the dataset to a train step (model cnn)',
    );
    expect(await app.service.invoke('runs.list', {})).toHaveLength(1);
  });
});
