// A pipeline's dataset step naming a source: the run refreshes the source first (recorded as a
// pipeline's refresh) and trains on what it holds now, so `cairn run` (pipelines.runFile) refreshes
// headless; a source that is not there, or feeds another dataset, is named at validation.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../../shared/pipeline.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startHttpFiles, type HttpFiles } from '../../../../support/servers/http-files.js';
import { classificationCsv } from '../training/data.js';
import { tempDirFor } from '../helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

const folder = tempDirFor('file', 'cairn-pipeline-source-');
let web: HttpFiles;
let service: CairnService;

beforeAll(async () => {
  web = await startHttpFiles();
  web.set('/flowers.csv', classificationCsv(160, 1));
  service = await CairnService.open({ home: path.join(folder.dir, 'home'), host: 'cli' });
  await service.invoke('sources.add', {
    name: 'flowers-feed',
    kind: 'url',
    url: `${web.base}/flowers.csv`,
    dataset: 'flowers',
  });
});

afterAll(async () => {
  await service?.close();
  await web?.stop();
});

async function spec(params: Record<string, unknown>): Promise<PipelineSpec> {
  const s = await service.invoke('pipelines.fromTemplate', {
    template: 'tabular-classification',
    dataset: 'flowers',
    target: 'label',
    gates: [],
    name: 'from-source',
  });
  const data = s.nodes.find((n) => n.kind === 'dataset');
  Object.assign(data?.params ?? {}, params);
  const train = s.nodes.find((n) => n.kind === 'train');
  Object.assign(train?.params ?? {}, { epochs: 4, hiddenLayers: [{ units: 4 }] });
  return s;
}

/** The output of a run's dataset step. */
function dataOutput(run: Awaited<ReturnType<typeof runFile>>, s: PipelineSpec): unknown {
  const id = s.nodes.find((n) => n.kind === 'dataset')?.id;
  return run.steps.find((st) => st.nodeId === id)?.output;
}

async function runFile(s: PipelineSpec) {
  const file = path.join(folder.dir, 'from-source.json');
  await writeFile(file, JSON.stringify(s, null, 2));
  return service.invoke('pipelines.runFile', { path: file });
}

describe('a dataset step naming a source', () => {
  it('names a missing source, or one feeding another dataset, at validation', async () => {
    const missing = await service.invoke('pipelines.validate', { spec: await spec({ source: 'nope' }) });
    expect(missing.issues).toContainEqual(
      expect.objectContaining({ field: 'source', message: 'no source named "nope"' }),
    );
    const other = await spec({ source: 'flowers-feed', dataset: 'prices' });
    const issues = (await service.invoke('pipelines.validate', { spec: other })).issues;
    expect(issues).toContainEqual(
      expect.objectContaining({
        field: 'source',
        message: 'source "flowers-feed" feeds dataset "flowers", not "prices"',
      }),
    );
  });

  it('refreshes the source when the pipeline runs: its first version, then a new one when the data changed', async () => {
    const s = await spec({ source: 'flowers-feed' });
    // Valid before the dataset exists: the run's refresh makes it.
    expect((await service.invoke('pipelines.validate', { spec: s })).issues).toEqual([]);
    const first = await runFile(s);
    expect(first.status).toBe('succeeded');
    expect(dataOutput(first, s)).toMatchObject({
      dataset: { name: 'flowers', version: 1 },
    });
    web.set('/flowers.csv', classificationCsv(180, 4));
    const second = await runFile(s);
    expect(second.status).toBe('succeeded');
    expect(dataOutput(second, s)).toMatchObject({ dataset: { version: 2 } });
    const history = await service.invoke('sources.history', { name: 'flowers-feed' });
    expect(history.map((r) => [r.trigger, r.status, r.version])).toEqual([
      ['pipeline', 'changed', 2],
      ['pipeline', 'changed', 1],
    ]);
  }, 120_000);

  it('with refresh "latest", reads the version the source last made without reading it again', async () => {
    web.set('/flowers.csv', classificationCsv(200, 5));
    const latest = await spec({ source: 'flowers-feed', refresh: 'latest' });
    const run = await runFile(latest);
    expect(run.status).toBe('succeeded');
    expect(dataOutput(run, latest)).toMatchObject({ dataset: { version: 2 } });
    expect(await service.invoke('sources.history', { name: 'flowers-feed' })).toHaveLength(2);
  }, 120_000);
});
