import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelParams, SeededDropout, buildModel } from '../../../../../electron/core/training/models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('ModelParams', () => {
  it('fills defaults: an MLP of 64 and 32 relu units, no dropout, no L2; trees as scikit-learn sets them', () => {
    expect(ModelParams.parse({})).toEqual({
      kind: 'mlp',
      hiddenLayers: [
        { units: 64, activation: 'relu', dropout: 0 },
        { units: 32, activation: 'relu', dropout: 0 },
      ],
      l2: 0,
      boosting: { trees: 100, maxLeaves: 31, minSamplesLeaf: 20, subsample: 1, colsample: 1, loss: 'squared_error' },
    });
    expect(ModelParams.parse({ hiddenLayers: [{ units: 8 }] }).hiddenLayers).toEqual([
      { units: 8, activation: 'relu', dropout: 0 },
    ]);
    expect(() => ModelParams.parse({ hiddenLayers: [{ units: 0 }] })).toThrow();
    expect(() => ModelParams.parse({ hiddenLayers: [{ units: 4, activation: 'swish!' }] })).toThrow();
  });
});

describe('buildModel', () => {
  it('builds logistic regression as one k-unit softmax layer', () => {
    const model = buildModel(
      { kind: 'logistic_regression', hiddenLayers: [], l2: 0 },
      { task: 'classification', nFeatures: 3, nClasses: 2 },
      1,
    );
    expect(model.layers).toHaveLength(1);
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    expect(model.countParams()).toBe(3 * 2 + 2);
    model.dispose();
  });

  it('builds linear regression as one linear unit', () => {
    const model = buildModel(
      { kind: 'linear_regression', hiddenLayers: [], l2: 0 },
      { task: 'regression', nFeatures: 4 },
      1,
    );
    expect(model.outputs[0]!.shape).toEqual([null, 1]);
    expect(model.countParams()).toBe(5);
    model.dispose();
  });

  it('builds an MLP with dropout and L2 where asked', () => {
    const params = ModelParams.parse({
      hiddenLayers: [
        { units: 8, activation: 'tanh', dropout: 0.5 },
        { units: 4, activation: 'elu' },
      ],
      l2: 0.01,
    });
    const model = buildModel(params, { task: 'classification', nFeatures: 2, nClasses: 3 }, 1);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'SeededDropout', 'Dense', 'Dense']);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    // L2 on every kernel.
    const regularizers = model.layers
      .filter((l) => l.getClassName() === 'Dense')
      .map((l) => l.getConfig().kernelRegularizer);
    expect(regularizers).toEqual(new Array(3).fill({ className: 'L1L2', config: { l1: 0, l2: 0.01 } }));
    model.dispose();
  });

  it('draws the same initial weights from the same seed, and different ones from another', () => {
    const shape = { task: 'classification' as const, nFeatures: 5, nClasses: 3 };
    const params = ModelParams.parse({ hiddenLayers: [{ units: 6 }, { units: 6 }] });
    const [a, b, c] = [7, 7, 8].map((seed) => buildModel(params, shape, seed));
    expect(weightsOf(a!)).toEqual(weightsOf(b!));
    expect(weightsOf(a!)).not.toEqual(weightsOf(c!));
    // Two hidden layers of the same shape still start differently.
    const kernels = a!.getWeights().filter((w) => w.shape.join() === '6,6');
    expect(kernels).toHaveLength(1);
    expect(weightsOf(a!)[0]).not.toEqual(weightsOf(a!)[2]!.slice(0, 30));
    [a, b, c].forEach((m) => m!.dispose());
  });

  it('refuses a model that does not fit the task', () => {
    expect(() =>
      buildModel({ kind: 'logistic_regression', hiddenLayers: [], l2: 0 }, { task: 'regression', nFeatures: 2 }, 1),
    ).toThrow(/Logistic regression/);
    expect(() =>
      buildModel(
        { kind: 'linear_regression', hiddenLayers: [], l2: 0 },
        { task: 'classification', nFeatures: 2, nClasses: 2 },
        1,
      ),
    ).toThrow(/Linear regression/);
    expect(() => buildModel(ModelParams.parse({}), { task: 'classification', nFeatures: 2, nClasses: 1 }, 1)).toThrow(
      /at least 2 classes/,
    );
    expect(() => buildModel(ModelParams.parse({}), { task: 'regression', nFeatures: 0 }, 1)).toThrow(
      /at least one input/,
    );
  });
});

describe('SeededDropout', () => {
  it('draws a new mask per training call, the same sequence per seed, and passes through at inference', () => {
    const masks = (seed: number) => {
      const layer = new SeededDropout({ rate: 0.5, seed });
      const x = tf.ones([1, 64]);
      const out = [1, 2].map(() =>
        tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync())),
      );
      const inference = Array.from((layer.apply(x) as tf.Tensor).dataSync());
      x.dispose();
      return { out, inference };
    };
    const a = masks(3);
    const b = masks(3);
    expect(a.out).toEqual(b.out);
    expect(a.out[0]).not.toEqual(a.out[1]);
    // Kept units are scaled by 1/(1 − rate) = 2.
    expect(new Set(a.out[0])).toEqual(new Set([0, 2]));
    expect(a.inference.every((v) => v === 1)).toBe(true);
  });

  it('round-trips through the layers JSON format', async () => {
    const params = ModelParams.parse({ hiddenLayers: [{ units: 4, dropout: 0.2 }] });
    const model = buildModel(params, { task: 'regression', nFeatures: 2 }, 5);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(
        async (artifacts) => (
          (saved = artifacts),
          { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
        ),
      ),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Dense', 'SeededDropout', 'Dense']);
    expect(weightsOf(loaded)).toEqual(weightsOf(model));
    model.dispose();
    loaded.dispose();
  });
});
