// A CNN trained end to end on generated pictures (squares against circles), on wasm: it learns,
// its saved model passes the 'cnn' allow-list and loads, and a picture scored through
// pixelsForModel gets exactly the probability recorded at evaluation.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importImages } from '../../../../../electron/core/datasets/images/import-images.js';
import { IMAGE_PREDICTIONS_FILE, ImagePredictions } from '../../../../../shared/api.js';
import { pictureFile } from '../../../../../electron/core/datasets/images/image-store.js';
import { pixelsForModel } from '../../../../../electron/core/datasets/images/model-input.js';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { runImageTraining } from '../../../../../electron/core/training/train-images.js';
import { tempDirFor } from '../helpers.js';
import { imagesInput, makeShapeFolder } from '../datasets/images/picture-folders.js';

const temp = tempDirFor('file', 'cairn-train-images-');
const preferred = process.env.CAIRN_BACKEND;
afterAll(() => {
  if (preferred === undefined) delete process.env.CAIRN_BACKEND;
  else process.env.CAIRN_BACKEND = preferred;
});

const EPOCHS = 6;
let indexFile = '';
let datasetDir = '';
beforeAll(async () => {
  process.env.CAIRN_BACKEND = 'wasm';
  const folder = path.join(temp.dir, 'shapes');
  await makeShapeFolder(folder, 20);
  const workDir = path.join(temp.dir, 'import');
  await mkdir(workDir);
  const out = await importImages(
    imagesInput(folder, 'folder', { workDir, storeDir: path.join(temp.dir, 'store') }),
    () => undefined,
  );
  if (out.kind !== 'createdImages') throw new Error(`expected a new version, got ${out.kind}`);
  indexFile = out.dataFile;
  datasetDir = out.storeDir;
});

describe('runImageTraining', () => {
  it('trains a CNN on wasm that learns the shapes (well above chance), saved so that pixelsForModel scores as evaluation did', async () => {
    const workDir = path.join(temp.dir, 'train');
    await mkdir(workDir);
    const epochs: number[] = [];
    const out = await runImageTraining(
      {
        kind: 'images',
        indexFile,
        datasetDir,
        model: { kind: 'cnn', preset: 'small', augment: 'light' },
        train: { epochs: EPOCHS, batchSize: 4, learningRate: 0.003, seed: 3 },
        fractions: { train: 0.6, validation: 0.1, test: 0.3 },
        workDir,
      },
      (p) => epochs.push(p.epoch),
    );
    expect(out).toMatchObject({ task: 'classification', modelKind: 'cnn', backend: 'wasm' });
    expect(epochs).toEqual(Array.from({ length: EPOCHS }, (_e, i) => i + 1));
    expect(out.preprocess.image).toMatchObject({ kind: 'image', size: 32, channels: 3 });
    expect(out.preprocess.target).toEqual({ task: 'classification', column: 'label', classes: ['circle', 'square'] });
    const test = out.metrics.test as { accuracy: number; confusion: number[][]; rows: number };
    expect(test.rows).toBe(12);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(12);

    const kept = ImagePredictions.parse(
      JSON.parse(await readFile(path.join(out.artifactDir, IMAGE_PREDICTIONS_FILE), 'utf8')),
    );
    expect(kept.classes).toEqual(['circle', 'square']);
    const pictures = kept.items;
    expect(pictures).toHaveLength(12);
    const loaded = await loadArtifacts(out.artifactDir, out.artifactSha256);
    try {
      expect(loaded.card.modelKind).toBe('cnn');
      const image = loaded.preprocess.image!;
      for (const p of pictures) {
        const bytes = await readFile(path.join(datasetDir, pictureFile(p.id, 'png')));
        const probs = loaded.predictor.predict(await pixelsForModel(bytes, image), 1);
        const k = ['circle', 'square'].indexOf(p.predicted);
        expect(probs[k]).toBeCloseTo(p.confidence, 5);
        expect(Math.max(...probs)).toBe(probs[k]);
        p.probabilities.forEach((q, c) => expect(probs[c]).toBeCloseTo(q, 5));
      }
    } finally {
      loaded.dispose();
    }
  });
});
