// Saved models: a round trip gives the same predictions, and any changed file, or a weights path
// that leaves the folder, is refused before loading.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifacts, saveArtifacts, type ModelCard } from '../../../../../electron/core/training/artifacts.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';
import { buildModel } from '../../../../../electron/core/training/models.js';
import { predictProba } from '../../../../../electron/core/training/train-loop.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir('cairn-artifacts-'));
});
afterAll(async () => cleanup());

const preprocess: PreprocessManifest = {
  format: 'cairn-preprocess/1',
  features: [{ kind: 'numeric', column: 'x', type: 'numeric', median: 0, mean: 0, std: 1 }],
  featureNames: ['x'],
  dropped: [],
  target: { task: 'classification', column: 'y', classes: ['a', 'b'] },
  fittedRows: 10,
};
const card: ModelCard = {
  format: 'cairn-model-card/1',
  task: 'classification',
  target: 'y',
  classes: ['a', 'b'],
  features: ['x'],
  metrics: {},
  modelKind: 'mlp',
  backend: 'cpu',
  tfjsVersion: tf.version.tfjs,
  createdAt: 'now',
};

async function saved(name: string) {
  const model = buildModel(
    { kind: 'mlp', hiddenLayers: [{ units: 4, dropout: 0.2 }] },
    { task: 'classification', nFeatures: 1, nClasses: 2 },
    7,
  );
  const out = await saveArtifacts(path.join(dir, name), { network: model }, preprocess, card);
  return { model, out };
}

describe('model artifacts', () => {
  it('round-trips a model (with SeededDropout), its preprocessing and card', async () => {
    const { model, out } = await saved('ok');
    expect(Object.keys(out.files).sort()).toEqual(['card.json', 'model.json', 'preprocess.json', 'weights.bin']);
    const loaded = await loadArtifacts(out.dir, out.sha256);
    const x = Float32Array.from([-1, 0, 2]);
    expect(await predictProba(loaded.model!, x, 1)).toEqual(await predictProba(model, x, 1));
    expect(loaded.preprocess).toEqual(preprocess);
    expect(loaded.card).toEqual(card);
  });

  it('refuses a modified weights file', async () => {
    const { out } = await saved('tampered');
    const file = path.join(out.dir, 'weights.bin');
    const bytes = await readFile(file);
    bytes[0] = (bytes[0] as number) ^ 0xff;
    await writeFile(file, bytes);
    await expect(loadArtifacts(out.dir)).rejects.toThrow(/weights.bin was modified/);
  });

  it('refuses a manifest other than the recorded one, and weight paths outside the folder', async () => {
    const { out } = await saved('escape');
    await expect(loadArtifacts(out.dir, '0'.repeat(64))).rejects.toThrow(/differs from the one recorded/);
    const manifestFile = path.join(out.dir, 'artifact.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { files: Record<string, string> };
    manifest.files['../weights.bin'] = manifest.files['weights.bin'] as string;
    await writeFile(manifestFile, JSON.stringify(manifest));
    await expect(loadArtifacts(out.dir)).rejects.toThrow(/outside the folder/);
  });
});
