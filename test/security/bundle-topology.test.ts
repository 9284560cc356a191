// A model bundle is made by anyone: its model.json must be a topology Cairn itself builds. Each
// crafted bundle here is a real exported bundle with only model.json rewritten (and the hashes in
// artifact.json and bundle.json rewritten to match), so the topology is the one thing wrong; each
// is refused at import, naming the layer and the reason, before tfjs sees it. A model folder
// rewritten in place is refused at load too. Bundles of real logistic, linear and MLP models still
// import and serve.
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CairnError } from '../../electron/core/errors.js';
import type { CairnService } from '../../electron/core/service.js';
import { startEndpoint } from '../../electron/core/serving/endpoint.js';
import { loadServedModel } from '../../electron/core/serving/loaded-model.js';
import { freshService } from '../unit/electron/core/helpers.js';
import { buildZip, rehash, sha256, type FixtureEntry } from '../unit/electron/core/registry/zip-fixture.js';
import { failure, importRefusal } from '../unit/electron/core/registry/import-refusal.js';
import { flower, post, served } from '../unit/electron/core/serving/fixtures.js';
import { classificationCsv, regressionCsv } from '../unit/electron/core/training/data.js';

process.env.CAIRN_BACKEND = 'cpu';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}
interface ModelJson {
  modelTopology: { config: { layers: LayerJson[] } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

const KINDS = ['logistic', 'linear', 'mlp'] as const;
type Kind = (typeof KINDS)[number];

let service: CairnService;
let home: string;
let tmp: string;
let close: () => Promise<void>;
/** The files of each kind's exported bundle (bundle.json included), as imported. */
const good = new Map<Kind, Map<string, Buffer>>();

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  tmp = path.dirname(home);
  await writeFile(path.join(tmp, 'flowers.csv'), classificationCsv());
  await writeFile(path.join(tmp, 'prices.csv'), regressionCsv());
  await service.invoke('datasets.importNow', { path: path.join(tmp, 'flowers.csv') });
  await service.invoke('datasets.importNow', { path: path.join(tmp, 'prices.csv') });
  const quick = { epochs: 2, learningRate: 0.02 };
  await service.invoke('runs.startNow', {
    dataset: 'flowers',
    target: 'label',
    model: 'logistic_regression',
    modelName: 'logistic',
    l2: 0.01,
    ...quick,
  });
  await service.invoke('runs.startNow', {
    dataset: 'prices',
    target: 'y',
    model: 'linear_regression',
    modelName: 'linear',
    ...quick,
  });
  await service.invoke('runs.startNow', {
    dataset: 'flowers',
    target: 'label',
    modelName: 'mlp',
    hiddenLayers: [{ units: 6, activation: 'tanh', dropout: 0.2 }, { units: 4 }],
    ...quick,
  });
}, 120_000);
afterAll(async () => close());

/** A kind's good bundle with model.json edited by `edit`, every hash rewritten to match. */
function crafted(kind: Kind, edit: (model: ModelJson) => void): FixtureEntry[] {
  return rehash(good.get(kind) as Map<string, Buffer>, (files) => {
    const model = JSON.parse((files.get('model.json') as Buffer).toString('utf8')) as ModelJson;
    edit(model);
    files.set('model.json', Buffer.from(JSON.stringify(model)));
  });
}

function layers(model: ModelJson): LayerJson[] {
  return model.modelTopology.config.layers;
}

describe('bundles of models Cairn trained', () => {
  it('export, import and serve (logistic, linear, and an MLP with dropout)', async () => {
    for (const kind of KINDS) {
      const out = path.join(tmp, `${kind}.zip`);
      await service.invoke('models.export', { name: kind, out });
      expect(await service.invoke('models.import', { path: out, name: `${kind}-copy` })).toMatchObject({
        name: `${kind}-copy`,
        version: 1,
      });
      const dir = path.join(home, 'models', `${kind}-copy`, '1');
      const files = new Map<string, Buffer>();
      for (const name of await readdir(dir)) files.set(name, await readFile(path.join(dir, name)));
      good.set(kind, files);
    }
    const e = await startEndpoint({
      host: '127.0.0.1',
      port: 0,
      logFile: path.join(tmp, 'serve.db'),
      models: served(
        service,
        KINDS.map((k) => `${k}-copy`),
      ),
    });
    try {
      expect(e.models().filter((m) => m.error)).toEqual([]);
      for (const [kind, instance] of [
        ['logistic', flower],
        ['linear', { x1: 0.5, x2: -1 }],
        ['mlp', flower],
      ] as const)
        expect((await post(`${e.url}/v1/models/${kind}-copy/predict`, { instances: [instance] })).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('a good bundle rebuilt by the fixture generator still imports (the control for the refusals)', async () => {
    const file = path.join(tmp, 'control.zip');
    await writeFile(file, buildZip(crafted('mlp', () => undefined)));
    expect(await service.invoke('models.import', { path: file, name: 'control' })).toMatchObject({
      name: 'control',
      version: 1,
    });
  });
});

describe('import refuses a crafted topology', () => {
  let n = 0;
  /** Imports a zip of `entries`, checks it was refused leaving nothing behind, and returns the error. */
  async function refusal(entries: FixtureEntry[]): Promise<CairnError> {
    return importRefusal(service, home, path.join(tmp, `crafted-${++n}.zip`), entries);
  }

  it('a RepeatVector of 5e7 (6 GB and minutes per row once served)', async () => {
    const entries = crafted('mlp', (m) =>
      layers(m).splice(1, 0, { class_name: 'RepeatVector', config: { n: 5e7, name: 'repeat_vector' } }),
    );
    expect((await refusal(entries)).message).toMatch(
      /layer 2 \(repeat_vector\): class RepeatVector is not one Cairn builds/,
    );
  });

  it('a Lambda layer', async () => {
    const entries = crafted('mlp', (m) =>
      layers(m).splice(2, 0, { class_name: 'Lambda', config: { name: 'lambda', function: 'while(true){}' } }),
    );
    expect((await refusal(entries)).message).toMatch(/layer 3 \(lambda\): class Lambda is not one Cairn builds/);
  });

  it('a layer class nobody has heard of', async () => {
    const entries = crafted('linear', (m) => ((layers(m)[0] as LayerJson).class_name = 'Evil\u001b]0;pwned\u0007'));
    const err = await refusal(entries);
    // Named escaped: the message may reach a terminal.
    expect(err.message).toMatch(
      /layer 1 \(dense_Dense\d+\): class Evil\\u001b\]0;pwned\\u0007 is not one Cairn builds/,
    );
  });

  it('a Dense layer of 1e9 units', async () => {
    const entries = crafted('mlp', (m) => ((layers(m)[0] as LayerJson).config.units = 1e9));
    expect((await refusal(entries)).message).toMatch(
      /layer 1 \(dense_Dense\d+\): units: Too big: expected number to be <=1048576/,
    );
  });

  it('a weights manifest whose shapes disagree with the topology (same byte count)', async () => {
    const entries = crafted('mlp', (m) => {
      const kernel = (m.weightsManifest[0] as ModelJson['weightsManifest'][number]).weights[0] as { shape: number[] };
      kernel.shape = [...kernel.shape].reverse();
    });
    expect((await refusal(entries)).message).toMatch(
      /weight 1 of the weights manifest should be dense_Dense\d+\/kernel \[\d+, 6\] as the topology says/,
    );
  });

  it('a config key Cairn never writes', async () => {
    const entries = crafted(
      'logistic',
      (m) =>
        ((layers(m)[0] as LayerJson).config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 2 } }),
    );
    expect((await refusal(entries)).message).toMatch(
      /layer 1 \(dense_Dense\d+\): kernel_constraint: Invalid input: expected null/,
    );
    const extra = crafted('logistic', (m) => ((layers(m)[0] as LayerJson).config.evil = 1));
    expect((await refusal(extra)).message).toMatch(/layer 1 \(dense_Dense\d+\): Unrecognized key: "evil"/);
  });

  it('a deeply nested config (100,000 levels), refused without walking it', async () => {
    const depth = 100_000;
    const entries = rehash(good.get('mlp') as Map<string, Buffer>, (files) => {
      const text = (files.get('model.json') as Buffer).toString('utf8');
      // Spliced as text: JSON.stringify would recurse once per level.
      files.set(
        'model.json',
        Buffer.from(
          text.replace('"use_bias":true', `"use_bias":true,"nested":${'['.repeat(depth)}${']'.repeat(depth)}`),
        ),
      );
    });
    expect((await refusal(entries)).message).toMatch(/layer 1 \(dense_Dense\d+\): Unrecognized key: "nested"/);
  });

  it('a model kind Cairn does not build', async () => {
    const entries = rehash(good.get('mlp') as Map<string, Buffer>, (files) => {
      const card = JSON.parse((files.get('card.json') as Buffer).toString('utf8')) as { modelKind: string };
      card.modelKind = 'custom';
      files.set('card.json', Buffer.from(JSON.stringify(card)));
    });
    expect((await refusal(entries)).message).toMatch(/the model kind "custom" is not one Cairn builds/);
  });

  it('a hidden layer in a kind that has none', async () => {
    const entries = crafted('logistic', (m) => {
      const only = layers(m)[0] as LayerJson;
      layers(m).unshift({ ...only, config: { ...only.config, name: 'extra' } });
    });
    expect((await refusal(entries)).message).toMatch(
      /layer 1 \(extra\): this model kind has one Dense layer and no hidden ones/,
    );
  });
});

describe('a model folder rewritten after it was saved', () => {
  it('is refused at load, before tfjs builds it (defence in depth behind the hashes)', async () => {
    const dir = path.join(tmp, 'rewritten');
    await cp(path.join(home, 'models', 'mlp-copy', '1'), dir, { recursive: true });
    const model = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
    // Small enough that the unfixed code loads it; the point is that nothing but Cairn's layers load.
    layers(model).splice(1, 0, { class_name: 'RepeatVector', config: { n: 3, name: 'repeat_vector' } });
    const modelText = JSON.stringify(model);
    await writeFile(path.join(dir, 'model.json'), modelText);
    const artifact = JSON.parse(await readFile(path.join(dir, 'artifact.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    artifact.files['model.json'] = sha256(modelText);
    const artifactText = JSON.stringify(artifact);
    await writeFile(path.join(dir, 'artifact.json'), artifactText);
    const err = await failure(
      loadServedModel({ name: 'm', version: 1, dir, sha256: sha256(artifactText), aliases: [], isDefault: true }),
    );
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(/layer 2 \(repeat_vector\): class RepeatVector is not one Cairn builds/);
  });
});
