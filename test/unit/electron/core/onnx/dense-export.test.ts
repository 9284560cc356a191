// Logistic, linear and MLP models exported to ONNX and run in onnxruntime-node on raw columns
// (missing values, unknown categories, datetimes, JSON-number categories) give Cairn's own
// predictions: transformRecords, then the tfjs model, then decodeValues and decodeLabel.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPartsFromFolder, exportOnnx, denseLayersOf } from '../../../../../electron/core/onnx/export-onnx.js';
import { saveArtifacts } from '../../../../../electron/core/training/artifacts.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';
import { buildModel, type ModelParamsInput } from '../../../../../electron/core/training/models.js';
import {
  decodeLabel,
  decodeValues,
  featureCount,
  transformRecords,
} from '../../../../../electron/core/training/preprocess.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { tempDir } from '../helpers.js';
import { expectValuesClose, fitTable, makeTable, maxDifference, runOnnx, TEST_ROWS } from './fixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random weights, biases included (they start at zero), large enough that rows differ in class. */
function randomiseWeights(model: tf.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    layer.setWeights(
      weights.map((w) =>
        tf.tensor(
          Array.from({ length: w.size }, () => 3 * random() - 1.5),
          w.shape,
        ),
      ),
    );
  }
}

function cairnPredict(model: tf.LayersModel, manifest: PreprocessManifest, records: unknown[]): Float32Array {
  const x = transformRecords(manifest, records);
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(x, [records.length, featureCount(manifest)])) as tf.Tensor;
    return Float32Array.from(out.dataSync());
  });
}

async function checkClassifier(params: ModelParamsInput, task: 'multiclass' | 'binary', seed: number) {
  const table = makeTable(task, seed);
  const manifest = fitTable(table, 'classification');
  const classes = manifest.target?.task === 'classification' ? manifest.target.classes : [];
  const model = buildModel(
    params,
    { task: 'classification', nFeatures: featureCount(manifest), nClasses: classes.length },
    seed,
  );
  randomiseWeights(model, seed);
  const expected = cairnPredict(model, manifest, table.records);
  const bytes = exportOnnx({
    name: 'test model',
    preprocess: manifest,
    model: { kind: 'dense', layers: denseLayersOf(model, manifest) },
    producerVersion: '0.0.0',
  });
  const got = await runOnnx(bytes, manifest, table.records);
  model.dispose();
  // One input per kept column, by the column's name: what a user's program feeds.
  expect(got.inputNames).toEqual(manifest.features.map((s) => s.column));
  expect(got.dims.probabilities).toEqual([TEST_ROWS, classes.length]);
  expect(maxDifference(got.probabilities as Float32Array, expected)).toBeLessThan(1e-5);
  const labels = Array.from({ length: TEST_ROWS }, (_, r) => {
    const row = Array.from(expected.subarray(r * classes.length, (r + 1) * classes.length));
    return decodeLabel(manifest, row.indexOf(Math.max(...row)));
  });
  expect(got.label).toEqual(labels);
  // Not all one class: the comparison says something about the label path.
  expect(new Set(labels).size).toBeGreaterThan(1);
}

describe('ONNX export of dense models', () => {
  it('logistic regression (three classes) gives the same probabilities and labels', async () => {
    await checkClassifier({ kind: 'logistic_regression' }, 'multiclass', 11);
  });

  it('an MLP classifier with relu, tanh and elu hidden layers (two classes)', async () => {
    await checkClassifier(
      {
        kind: 'mlp',
        hiddenLayers: [
          { units: 9, activation: 'tanh', dropout: 0.2 },
          { units: 7, activation: 'elu' },
          { units: 5, activation: 'relu' },
        ],
      },
      'binary',
      12,
    );
  });

  it('linear regression and an MLP regressor (selu, softplus, sigmoid) give values in target units', async () => {
    const table = makeTable('regression', 13);
    const manifest = fitTable(table, 'regression');
    expect(manifest.target).toMatchObject({ task: 'regression' });
    for (const params of [
      { kind: 'linear_regression' },
      {
        kind: 'mlp',
        hiddenLayers: [
          { units: 8, activation: 'selu' },
          { units: 6, activation: 'softplus' },
          { units: 4, activation: 'sigmoid' },
        ],
      },
    ] as ModelParamsInput[]) {
      const model = buildModel(params, { task: 'regression', nFeatures: featureCount(manifest) }, 13);
      randomiseWeights(model, 14);
      const expected = decodeValues(manifest, cairnPredict(model, manifest, table.records));
      const bytes = exportOnnx({
        name: 'regressor',
        preprocess: manifest,
        model: { kind: 'dense', layers: denseLayersOf(model, manifest) },
        producerVersion: '0.0.0',
      });
      model.dispose();
      const got = await runOnnx(bytes, manifest, table.records);
      expectValuesClose(got, expected);
    }
  });

  it('exports a saved model folder (checked on load), and refuses layers that do not fit the preprocessing', async () => {
    const table = makeTable('multiclass', 15);
    const manifest = fitTable(table, 'classification');
    const model = buildModel(
      { kind: 'mlp', hiddenLayers: [{ units: 5, activation: 'relu', dropout: 0.3 }] },
      { task: 'classification', nFeatures: featureCount(manifest), nClasses: 3 },
      15,
    );
    randomiseWeights(model, 15);
    const expected = cairnPredict(model, manifest, table.records);
    const { dir, cleanup } = await tempDir('cairn-onnx-');
    try {
      const saved = await saveArtifacts(path.join(dir, 'model'), { network: model }, manifest, {
        format: 'cairn-model-card/1',
        task: 'classification',
        target: 'y',
        classes: ['high', 'low', 'mid'],
        features: manifest.featureNames,
        metrics: {},
        modelKind: 'mlp',
        backend: 'cpu',
        tfjsVersion: tf.version.tfjs,
        createdAt: 'now',
      });
      const parts = await exportPartsFromFolder(saved.dir, saved.sha256);
      expect(parts.preprocess).toEqual(manifest);
      const got = await runOnnx(exportOnnx({ name: 'saved', producerVersion: '0', ...parts }), manifest, table.records);
      expect(maxDifference(got.probabilities as Float32Array, expected)).toBeLessThan(1e-5);
    } finally {
      await cleanup();
    }
    const layers = denseLayersOf(model, manifest);
    const exportWith = (preprocess: PreprocessManifest) => () =>
      exportOnnx({ name: 'm', preprocess, model: { kind: 'dense', layers }, producerVersion: '0' });
    const renamed = manifest.features.map((s, i) => (i === 0 ? { ...s, column: 'label' } : s));
    expect(exportWith({ ...manifest, features: renamed })).toThrow(/name of an ONNX output/);
    const wrong: PreprocessManifest = { ...manifest, features: manifest.features.slice(1) };
    expect(() => denseLayersOf(model, wrong)).toThrow(/Dense layers/);
    expect(exportWith(wrong)).toThrow(/do not fit the preprocessing/);
    model.dispose();
  });
});
