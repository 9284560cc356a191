// A picture model's bundle: a CNN trained on generated pictures exports, imports into a fresh data
// folder (its topology and `image` preprocessing accepted) and predicts each picture's
// probabilities as the original does; a bundle whose `image` preprocessing was tampered with is
// refused, naming preprocess.json, leaving nothing behind.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelsForModel, type ImageInput } from '../../../../../electron/core/datasets/images/model-input.js';
import { forkSpawner } from '../../../../../electron/core/jobs/fork-spawner.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { selectBackend } from '../../../../../electron/core/training/backend.js';
import { makeShapeFolder } from '../datasets/images/picture-folders.js';
import { tempDirFor } from '../helpers.js';
import { importRefusal } from './import-refusal.js';
import { rehash } from './zip-fixture.js';

const preferred = process.env.CAIRN_BACKEND;
const tmp = tempDirFor('file', 'cairn-picture-bundle-');
let trainer: CairnService;
let fresh: CairnService;
const homes = () => ({ trainer: path.join(tmp.dir, 'trainer'), fresh: path.join(tmp.dir, 'fresh') });
const shapes = () => path.join(tmp.dir, 'shapes');
/** The imported version's files, to break one thing at a time. */
let good: Map<string, Buffer>;

beforeAll(async () => {
  process.env.CAIRN_BACKEND = 'wasm';
  trainer = await CairnService.open({ home: homes().trainer, host: 'cli', spawn: forkSpawner() });
  fresh = await CairnService.open({ home: homes().fresh, host: 'cli', spawn: forkSpawner() });
  await makeShapeFolder(shapes(), 8);
  await trainer.invoke('datasets.importNow', { path: shapes() });
  await trainer.invoke('runs.startNow', {
    dataset: 'shapes',
    target: 'label',
    model: 'cnn',
    epochs: 2,
    batchSize: 4,
    imageSize: 16,
    augment: 'none',
  });
});
afterAll(async () => {
  await trainer.close();
  await fresh.close();
  if (preferred === undefined) delete process.env.CAIRN_BACKEND;
  else process.env.CAIRN_BACKEND = preferred;
});

/** Every class's probability for each picture, scored by the version in `dir` as training and serving see it. */
async function probabilities(dir: string, pictures: string[]): Promise<number[][]> {
  await selectBackend();
  const artifacts = await loadArtifacts(dir);
  try {
    const input = artifacts.preprocess.image as ImageInput;
    const rows: number[][] = [];
    for (const file of pictures) {
      const x = await pixelsForModel(await readFile(file), input);
      rows.push([...artifacts.predictor.predict(x, 1)]);
    }
    return rows;
  } finally {
    artifacts.dispose();
  }
}

describe('a picture model bundle', () => {
  it('imports into a fresh data folder and predicts as the original', async () => {
    const out = path.join(tmp.dir, 'shapes.zip');
    await trainer.invoke('models.export', { name: 'shapes', out });
    const v = await fresh.invoke('models.import', { path: out, name: 'shapes-copy' });
    expect(v).toMatchObject({ name: 'shapes-copy', version: 1, origin: 'import', task: 'classification' });
    const pictures = ['circle/0.png', 'circle/3.png', 'square/1.png', 'square/5.png'].map((f) =>
      path.join(shapes(), f),
    );
    const a = await probabilities(path.join(homes().trainer, 'models', 'shapes', '1'), pictures);
    const copyDir = path.join(homes().fresh, 'models', 'shapes-copy', '1');
    const b = await probabilities(copyDir, pictures);
    expect(a.every((row) => row.length === 2)).toBe(true);
    for (const [i, row] of b.entries())
      for (const [k, p] of row.entries()) expect(p).toBeCloseTo(a[i]?.[k] as number, 6);
    good = new Map();
    for (const name of await readdir(copyDir)) good.set(name, await readFile(path.join(copyDir, name)));
  });

  type Preprocess = { image?: Record<string, unknown> };
  it.each([
    [
      'a size of 0',
      (p: Preprocess) => Object.assign(p.image ?? {}, { size: 0 }),
      /preprocess\.json is not in the expected format/,
    ],
    [
      'a mean of the wrong length',
      (p: Preprocess) => Object.assign(p.image ?? {}, { mean: [0.5] }),
      /preprocess\.json is not in the expected format \(mean and std need one value per channel\)/,
    ],
    [
      'a size the network does not take',
      (p: Preprocess) => Object.assign(p.image ?? {}, { size: 32 }),
      /preprocess\.json does not fit model\.json: its image preprocessing makes 32×32×3 pictures but the network takes 16×16×3/,
    ],
    [
      'no image at all',
      (p: Preprocess) => delete p.image,
      /preprocess\.json does not fit model\.json: its network reads pictures but it has no picture preprocessing/,
    ],
  ])('refuses a bundle whose preprocessing has %s', async (_what, tamper, message) => {
    const entries = rehash(good, (files) => {
      const preprocess = JSON.parse((files.get('preprocess.json') as Buffer).toString('utf8')) as Preprocess;
      tamper(preprocess);
      files.set('preprocess.json', Buffer.from(JSON.stringify(preprocess)));
    });
    const err = await importRefusal(fresh, homes().fresh, path.join(tmp.dir, 'tampered.zip'), entries);
    expect(err.message).toMatch(message);
  });
});
