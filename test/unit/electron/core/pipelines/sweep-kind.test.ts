// The sweep node through CairnService: pipelines.validate names what sweeps.start would refuse
// before anything runs, and a pipeline whose sweep runs three short trials on iris hands the best
// trial's model version to evaluate and register as a train step's would be.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../../../../shared/api.js';
import type { PipelineSpec } from '../../../../../shared/pipeline.js';
import { samplePath } from '../../../../../electron/core/samples.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { tempDirFor } from '../helpers.js';
import { step, waitForRun } from './run-helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

const tmp = tempDirFor('file', 'cairn-sweep-node-');
let service: CairnService;

beforeAll(async () => {
  service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
  await service.invoke('datasets.importNow', { path: samplePath('iris'), name: 'iris' });
});
afterAll(async () => {
  await service.close();
});

/** The classification template on iris with its train step replaced by a sweep of `params`. */
async function sweepSpec(name: string, params: Record<string, unknown>): Promise<PipelineSpec> {
  const spec = await service.invoke('pipelines.fromTemplate', {
    template: 'tabular-classification',
    dataset: 'iris',
    target: 'species',
    gates: ['accuracy >= 0'],
    name,
  });
  const rename = (id: string) => (id === 'train' ? 'sweep' : id);
  return {
    ...spec,
    nodes: spec.nodes.map((n) =>
      n.id === 'train' ? { ...n, id: 'sweep', kind: 'sweep', params: { target: 'species', ...params } } : n,
    ),
    edges: spec.edges.map((e) => ({ ...e, source: rename(e.source), target: rename(e.target) })),
  };
}

/** Three trials of a logistic regression over its learning rate, a few epochs each. */
const TINY = {
  task: 'classification',
  model: 'logistic_regression',
  space: { learningRate: { type: 'log', min: 0.01, max: 0.3 }, epochs: { type: 'fixed', value: 5 } },
  strategy: 'random',
  trials: 3,
  seed: 3,
};

describe('pipelines.validate on a sweep node', () => {
  const issuesOf = async (params: Record<string, unknown>) =>
    (await service.invoke('pipelines.validate', { spec: await sweepSpec('check', params) })).issues;

  it('accepts a good sweep, and one without a space (the kind default is searched)', async () => {
    expect(await issuesOf(TINY)).toEqual([]);
    expect(await issuesOf({ ...TINY, space: undefined })).toEqual([]);
  });

  it('names an unknown parameter for the kind and a bad range under the space field', async () => {
    const issues = await issuesOf({
      ...TINY,
      space: { maxLeaves: { type: 'int', min: 4, max: 8 }, learningRate: { type: 'log', min: 0.3, max: 0.01 } },
    });
    expect(issues).toEqual([
      expect.objectContaining({
        nodeId: 'sweep',
        field: 'space.maxLeaves',
        message: expect.stringMatching(/^not a parameter of logistic_regression/) as string,
      }),
      expect.objectContaining({
        nodeId: 'sweep',
        field: 'space.learningRate',
        message: expect.stringMatching(/min \(0.3\) is above its max/) as string,
      }),
    ]);
  });

  it("names a space's shape errors from its schema, with the path inside it", async () => {
    const issues = await issuesOf({ ...TINY, space: { learningRate: { type: 'log', min: 'low', max: 0.1 } } });
    expect(issues).toEqual([expect.objectContaining({ nodeId: 'sweep', field: 'space.learningRate.min' })]);
  });

  it('names a metric the task lacks and a zero budget, with the messages sweeps.start gives', async () => {
    const issues = await issuesOf({ ...TINY, metric: 'rmse', trials: 0, seconds: 0 });
    expect(issues).toEqual([
      { nodeId: 'sweep', field: 'trials', message: 'A budget of 0 trials runs nothing: give 1 or more trials.' },
      {
        nodeId: 'sweep',
        field: 'seconds',
        message: 'A budget of 0 seconds runs nothing: give a time above 0, or a trial count.',
      },
      {
        nodeId: 'sweep',
        field: 'metric',
        message: expect.stringMatching(/^A classification sweep cannot choose by rmse/) as string,
      },
    ]);
    await expect(service.invoke('sweeps.start', { dataset: 'iris', target: 'species', trials: 0 })).rejects.toThrow(
      'A budget of 0 trials runs nothing: give 1 or more trials.',
    );
  });

  it('names a grid over a range it cannot enumerate', async () => {
    const issues = await issuesOf({ ...TINY, strategy: 'grid' });
    expect(issues).toEqual([
      expect.objectContaining({
        nodeId: 'sweep',
        field: 'space',
        message: expect.stringMatching(/learningRate.*count/) as string,
      }),
    ]);
  });

  it('checks gates downstream against the task the sweep declares', async () => {
    const spec = await sweepSpec('gates', TINY);
    spec.nodes.find((n) => n.id === 'evaluate')!.params.gates = ['rmse < 3'];
    const { issues } = await service.invoke('pipelines.validate', { spec });
    expect(issues).toEqual([expect.objectContaining({ nodeId: 'evaluate', field: 'gates.0' })]);
  });
});

describe('a pipeline with a sweep node', () => {
  let run: PipelineRun;

  beforeAll(async () => {
    const saved = await service.invoke('pipelines.save', { spec: await sweepSpec('iris-sweep', TINY) });
    expect(saved.issues).toEqual([]);
    const { runId } = await service.invoke('pipelines.run', { id: saved.pipeline.id });
    run = await waitForRun(service, runId);
  });

  it('runs the sweep to its budget and registers its best trial', async () => {
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const out = step(run, 'sweep').output!;
    expect(out.sweep).toMatchObject({ metric: 'accuracy', trials: 3 });
    const sweep = await service.invoke('sweeps.get', { sweepId: out.sweep!.id });
    expect(sweep.trials.map((t) => t.status)).toEqual(['complete', 'complete', 'complete']);
    // Chosen on the validation part: the step hands on the sweep's best run and its version.
    expect(out.runId).toBe(sweep.bestRunId);
    const best = await service.invoke('runs.get', { runId: sweep.bestRunId! });
    expect(out.model).toEqual(best.model);
    expect(step(run, 'evaluate').output?.model).toEqual(best.model);
    const registered = step(run, 'register').output?.model;
    expect(registered).toEqual({ ...best.model, alias: 'production' });
    const detail = await service.invoke('models.get', { name: best.model!.name });
    expect(detail.aliasHistory[0]).toMatchObject({ alias: 'production', toVersion: best.model!.version });
    // Every trial saved a version; the alias went to the best, not merely the last.
    expect(detail.versions).toHaveLength(3);
  });

  it("trains every trial on the pipeline's split: the rows the split step assigned", async () => {
    const sweep = await service.invoke('sweeps.get', { sweepId: step(run, 'sweep').output!.sweep!.id });
    expect(sweep.request).toMatchObject({ splitColumn: '__split', modelName: 'iris-sweep' });
  });
});
