import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../../../../electron/core/errors.js';
import { accuracy, argmaxRows } from '../../../../../electron/core/training/evaluation-metrics.js';
import {
  Activation,
  ModelParams,
  buildModel,
  type ModelParamsInput,
  type Task,
} from '../../../../../electron/core/training/models.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { chainGradients, closedFormChain } from '../../../../../electron/core/training/dense-gradients.js';
import { FlatAdam } from '../../../../../electron/core/training/flat-adam.js';
import { TrainParams } from '../../../../../electron/core/training/train-params.js';
import {
  balancedClassWeights,
  predictProba,
  predictValues,
  trainModel,
  type TrainOptions,
} from '../../../../../electron/core/training/train-loop.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LOGISTIC = ModelParams.parse({ kind: 'logistic_regression', hiddenLayers: [] });
const LINEAR = ModelParams.parse({ kind: 'linear_regression', hiddenLayers: [] });

/** Two features in [-1, 1]; class 1 above the line x0 + x1 = 0, with a margin of 0.2. */
function separable(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const random = seededRandom(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n;) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    if (Math.abs(a + b) < 0.2) continue;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i++] = a + b > 0 ? 1 : 0;
  }
  return { x, y };
}

/** Four clusters at (±1, ±1); class 1 where the signs differ (XOR), which no line separates. */
function xor(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const random = seededRandom(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = random() < 0.5 ? -1 : 1;
    const b = random() < 0.5 ? -1 : 1;
    x[2 * i] = a + (random() - 0.5) * 0.6;
    x[2 * i + 1] = b + (random() - 0.5) * 0.6;
    y[i] = a !== b ? 1 : 0;
  }
  return { x, y };
}

function base(
  overrides: Partial<TrainOptions> & Pick<TrainOptions, 'model' | 'x' | 'y' | 'nFeatures' | 'task'>,
): TrainOptions {
  return { ...TrainParams.parse({}), ...overrides };
}

describe('trainModel', () => {
  it('fills hyperparameter defaults', () => {
    expect(TrainParams.parse({})).toEqual({
      epochs: 50,
      batchSize: 32,
      learningRate: 0.001,
      optimizer: 'adam',
      classWeight: 'none',
      seed: 42,
    });
    expect(() => TrainParams.parse({ learningRate: 0 })).toThrow();
  });

  it('teaches logistic regression a linearly separable problem (≥ 0.95 accuracy)', async () => {
    const data = separable(200, 1);
    const model = buildModel(LOGISTIC, { task: 'classification', nFeatures: 2, nClasses: 2 }, 1);
    const result = await trainModel(
      base({ model, ...data, nFeatures: 2, task: 'classification', epochs: 30, learningRate: 0.1 }),
    );
    expect(result.epochsRun).toBe(30);
    expect(result.history.loss!.at(-1)).toBeLessThan(result.history.loss![0]!);
    const test = separable(200, 2);
    const proba = await predictProba(model, test.x, 2);
    expect(accuracy(test.y, argmaxRows(proba, 2))).toBeGreaterThanOrEqual(0.95);
    model.dispose();
  });

  it('teaches an MLP XOR, which logistic regression cannot learn', async () => {
    const data = xor(200, 3);
    const test = xor(200, 4);
    const mlp = buildModel(
      ModelParams.parse({ hiddenLayers: [{ units: 8, activation: 'tanh' }] }),
      { task: 'classification', nFeatures: 2, nClasses: 2 },
      1,
    );
    await trainModel(
      base({
        model: mlp,
        ...data,
        nFeatures: 2,
        task: 'classification',
        epochs: 40,
        batchSize: 20,
        learningRate: 0.05,
      }),
    );
    expect(accuracy(test.y, argmaxRows(await predictProba(mlp, test.x, 2), 2))).toBeGreaterThanOrEqual(0.95);
    const line = buildModel(LOGISTIC, { task: 'classification', nFeatures: 2, nClasses: 2 }, 1);
    await trainModel(
      base({
        model: line,
        ...data,
        nFeatures: 2,
        task: 'classification',
        epochs: 20,
        batchSize: 20,
        learningRate: 0.05,
      }),
    );
    expect(accuracy(test.y, argmaxRows(await predictProba(line, test.x, 2), 2))).toBeLessThan(0.8);
    mlp.dispose();
    line.dispose();
  });

  it('recovers slope and intercept with linear regression', async () => {
    // y = 3·x − 2 + small noise, x in [−1, 1]
    const random = seededRandom(5);
    const n = 200;
    const x = Float32Array.from({ length: n }, () => random() * 2 - 1);
    const y = Float64Array.from(x, (v) => 3 * v - 2 + (random() - 0.5) * 0.02);
    const model = buildModel(LINEAR, { task: 'regression', nFeatures: 1 }, 1);
    const result = await trainModel(
      base({ model, x, y, nFeatures: 1, task: 'regression', epochs: 60, batchSize: 20, learningRate: 0.1 }),
    );
    expect(Object.keys(result.history).sort()).toEqual(['loss', 'mae']);
    expect(result.history.mae!.at(-1)).toBeLessThan(0.05);
    const [kernel, bias] = model.getWeights().map((w) => w.dataSync()[0]!);
    expect(kernel).toBeCloseTo(3, 1);
    expect(bias).toBeCloseTo(-2, 1);
    const predicted = await predictValues(model, Float32Array.from([0, 1]), 1);
    expect(predicted[0]).toBeCloseTo(-2, 1);
    expect(predicted[1]).toBeCloseTo(1, 1);
    model.dispose();
  });

  it('gives identical loss history and predictions for the same seed, and others for another seed', async () => {
    const data = xor(120, 6);
    const params = ModelParams.parse({ hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0.3 }], l2: 0.001 });
    const run = async (seed: number) => {
      const model = buildModel(params, { task: 'classification', nFeatures: 2, nClasses: 2 }, seed);
      const result = await trainModel(
        base({
          model,
          ...data,
          nFeatures: 2,
          task: 'classification',
          epochs: 5,
          batchSize: 16,
          learningRate: 0.02,
          seed,
        }),
      );
      const proba = await predictProba(model, data.x, 2);
      model.dispose();
      return { history: result.history, proba: Array.from(proba) };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(c.history.loss).not.toEqual(a.history.loss);
  });

  it('adds the L2 penalty to the loss and shrinks the weights', async () => {
    const data = separable(100, 13);
    const run = async (l2: number) => {
      const model = buildModel({ ...LOGISTIC, l2 }, { task: 'classification', nFeatures: 2, nClasses: 2 }, 1);
      const result = await trainModel(
        base({ model, ...data, nFeatures: 2, task: 'classification', epochs: 10, learningRate: 0.1 }),
      );
      const kernelNorm = Math.hypot(...model.getWeights()[0]!.dataSync());
      model.dispose();
      return { loss: result.history.loss!, kernelNorm };
    };
    const plain = await run(0);
    const penalised = await run(0.5);
    expect(penalised.loss[0]).toBeGreaterThan(plain.loss[0]!);
    expect(penalised.kernelNorm).toBeLessThan(plain.kernelNorm / 2);
  });

  it('stops early and restores the best weights', async () => {
    // Validation labels are the training labels flipped: the better the fit, the worse val_loss,
    // so the best epoch is the first one and training stops after `patience` more.
    const data = separable(100, 7);
    const validation = { x: data.x, y: data.y.map((c) => 1 - c) };
    const run = async (restoreBestWeights: boolean) => {
      const model = buildModel(LOGISTIC, { task: 'classification', nFeatures: 2, nClasses: 2 }, 1);
      const snapshots: number[][][] = [];
      const result = await trainModel(
        base({
          model,
          ...data,
          validation,
          nFeatures: 2,
          task: 'classification',
          epochs: 50,
          learningRate: 0.1,
          earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0, restoreBestWeights },
          onEpoch: () => void snapshots.push(model.getWeights().map((w) => Array.from(w.dataSync()))),
        }),
      );
      const final = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { result, snapshots, final };
    };
    const restored = await run(true);
    expect(restored.result).toMatchObject({
      epochsRun: 3,
      stoppedEarly: true,
      bestEpoch: 0,
      restoredBestWeights: true,
    });
    expect(restored.result.history.val_loss).toHaveLength(3);
    expect(restored.result.history.val_loss![1]).toBeGreaterThan(restored.result.history.val_loss![0]!);
    expect(restored.final).toEqual(restored.snapshots[0]);
    expect(restored.final).not.toEqual(restored.snapshots[2]);
    const kept = await run(false);
    expect(kept.result).toMatchObject({ epochsRun: 3, stoppedEarly: true, bestEpoch: 0, restoredBestWeights: false });
    expect(kept.final).toEqual(kept.snapshots[2]);
  });

  it('computes balanced class weights as n / (k · count)', () => {
    // n = 4: class 0 (3 rows) 4/(2·3) = 2/3, class 1 (1 row) 4/(2·1) = 2; each class then weighs 2 in total.
    expect(balancedClassWeights(Int32Array.from([0, 0, 0, 1]), 2)).toEqual({ 0: 4 / 6, 1: 2 });
    // k = 3 with class 2 absent: 4/(3·3) = 4/9, 4/(3·1) = 4/3, and 1 for the class with no rows.
    expect(balancedClassWeights(Int32Array.from([0, 0, 0, 1]), 3)).toEqual({ 0: 4 / 9, 1: 4 / 3, 2: 1 });
  });

  it('predicts a rare, overlapping class more often with balanced class weights', async () => {
    // 1 feature; class 0 (90%) around 0, class 1 (10%) around 1, overlapping.
    const random = seededRandom(8);
    const n = 300;
    const y = Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const x = Float32Array.from(y, (c) => c + (random() - 0.5) * 2.4);
    const predictedOnes = async (classWeight: 'none' | 'balanced') => {
      const model = buildModel(LOGISTIC, { task: 'classification', nFeatures: 1, nClasses: 2 }, 1);
      await trainModel(
        base({ model, x, y, nFeatures: 1, task: 'classification', epochs: 30, learningRate: 0.1, classWeight }),
      );
      const pred = argmaxRows(await predictProba(model, x, 1), 2);
      model.dispose();
      return pred.reduce((s, c) => s + c, 0);
    };
    const plain = await predictedOnes('none');
    const balanced = await predictedOnes('balanced');
    expect(plain).toBeLessThan(15);
    expect(balanced).toBeGreaterThan(plain + 30);
  });

  it('stops a diverging run with a clear message', async () => {
    const x = Float32Array.from({ length: 40 }, (_, i) => i * 1e20);
    const y = Float64Array.from(x, (v) => v * 2);
    const model = buildModel(LINEAR, { task: 'regression', nFeatures: 1 }, 1);
    const before = tf.memory().numTensors;
    const error = await trainModel(
      base({ model, x, y, nFeatures: 1, task: 'regression', epochs: 5, learningRate: 10, optimizer: 'sgd' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CairnError);
    expect((error as CairnError).code).toBe('invalid_argument');
    expect((error as CairnError).message).toMatch(/diverged.*lower learning rate \(now 10\)/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stops when the signal aborts, between epochs or between batches', async () => {
    const data = separable(100, 9);
    const model = buildModel(LOGISTIC, { task: 'classification', nFeatures: 2, nClasses: 2 }, 1);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const epochsSeen: number[] = [];
    const error = await trainModel(
      base({
        model,
        ...data,
        nFeatures: 2,
        task: 'classification',
        epochs: 50,
        signal: controller.signal,
        onEpoch: (e) => void (epochsSeen.push(e), e === 1 && controller.abort()),
      }),
    ).catch((e: unknown) => e);
    expect((error as CairnError).code).toBe('cancelled');
    expect(epochsSeen).toEqual([0, 1]);

    // A signal that turns aborted after a few reads: the check between batches sees it mid-epoch.
    let reads = 0;
    const batchesSeen: number[] = [];
    const midEpoch = {
      get aborted() {
        batchesSeen.push(reads);
        return ++reads > 3;
      },
    } as unknown as AbortSignal;
    const error2 = await trainModel(
      base({ model, ...data, nFeatures: 2, task: 'classification', epochs: 50, batchSize: 10, signal: midEpoch }),
    ).catch((e: unknown) => e);
    expect(error2).toMatchObject({ code: 'cancelled', message: 'Training was cancelled during epoch 1.' });
    expect(reads).toBeLessThan(10);

    const aborted = AbortSignal.abort();
    await expect(
      trainModel(base({ model, ...data, nFeatures: 2, task: 'classification', signal: aborted })),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('leaves no tensors behind: training with validation, early stopping, class weights and prediction', async () => {
    const data = xor(100, 10);
    const model = buildModel(
      ModelParams.parse({ hiddenLayers: [{ units: 4, dropout: 0.2 }] }),
      { task: 'classification', nFeatures: 2, nClasses: 2 },
      1,
    );
    const before = tf.memory().numTensors;
    await trainModel(
      base({
        model,
        ...data,
        validation: xor(30, 11),
        nFeatures: 2,
        task: 'classification',
        epochs: 4,
        classWeight: 'balanced',
        earlyStopping: { monitor: 'val_acc', patience: 1, minDelta: 0, restoreBestWeights: true },
      }),
    );
    await predictProba(model, data.x, 2, 7);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('predicts in batches the same as in one go', async () => {
    const data = xor(50, 12);
    const model = buildModel(
      ModelParams.parse({ hiddenLayers: [{ units: 4 }] }),
      { task: 'classification', nFeatures: 2, nClasses: 3 },
      1,
    );
    const whole = await predictProba(model, data.x, 2);
    expect(whole).toHaveLength(150);
    expect(Array.from(await predictProba(model, data.x, 2, 7))).toEqual(Array.from(whole));
    model.dispose();
  });

  it('refuses bad input with clear messages', async () => {
    const model = buildModel(LOGISTIC, { task: 'classification', nFeatures: 2, nClasses: 2 }, 1);
    const x = new Float32Array(4);
    const run = (o: Partial<TrainOptions>) =>
      trainModel(base({ model, x, y: Int32Array.from([0, 1]), nFeatures: 2, task: 'classification', epochs: 1, ...o }));
    await expect(run({ y: Int32Array.from([0, 2]) })).rejects.toThrow(/outside the model's 2 classes/);
    await expect(run({ x: new Float32Array(3) })).rejects.toThrow(/expected 2 rows × 2/);
    await expect(run({ y: Float32Array.from([0, 1]) })).rejects.toThrow(/Int32Array/);
    await expect(
      run({ earlyStopping: { monitor: 'val_loss', patience: 1, minDelta: 0, restoreBestWeights: true } }),
    ).rejects.toThrow(/needs a validation split/);
    await expect(
      run({ earlyStopping: { monitor: 'mae', patience: 1, minDelta: 0, restoreBestWeights: true } }),
    ).rejects.toThrow(/needs a regression task/);
    model.dispose();
  });
});

/** The largest difference between two lists of arrays, relative to their largest value. */
function relativeGap(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let gap = 0;
  let scale = 1e-12;
  a.forEach((xs, i) =>
    Array.from(xs).forEach((x, j) => {
      gap = Math.max(gap, Math.abs(x - b[i]![j]!));
      scale = Math.max(scale, Math.abs(x));
    }),
  );
  return gap / scale;
}

describe('closed-form gradients', () => {
  const cases: { name: string; task: Task; params: ModelParamsInput; weighted?: boolean }[] = [
    ...Activation.options.map((activation) => ({
      name: activation,
      task: 'classification' as const,
      params: { hiddenLayers: [{ units: 5, activation }] },
    })),
    {
      name: 'dropout, L2 and class weights',
      task: 'classification',
      params: {
        hiddenLayers: [
          { units: 6, activation: 'relu', dropout: 0.4 },
          { units: 4, activation: 'tanh', dropout: 0.2 },
        ],
        l2: 0.01,
      },
      weighted: true,
    },
    { name: 'logistic regression', task: 'classification', params: { kind: 'logistic_regression', hiddenLayers: [] } },
    {
      name: 'an MLP regressor with L2',
      task: 'regression',
      params: { hiddenLayers: [{ units: 5, activation: 'elu' }], l2: 0.001 },
    },
    { name: 'linear regression', task: 'regression', params: { kind: 'linear_regression', hiddenLayers: [] } },
  ];

  it.each(cases)('match tfjs gradient tape and fit loss: $name', ({ task, params, weighted }) => {
    const k = task === 'classification' ? 3 : 1;
    const shape = { task, nFeatures: 4, nClasses: task === 'classification' ? 3 : undefined };
    // Two models with the same initial weights and dropout seeds: one for each way.
    const closed = buildModel(params, shape, 7);
    const taped = buildModel(params, shape, 7);
    const random = seededRandom(3);
    const rows = 9;
    const xs = Float32Array.from({ length: rows * 4 }, () => random() * 4 - 2);
    const targets = Float64Array.from({ length: rows }, (_, i) =>
      task === 'classification' ? i % 3 : Math.fround(random() * 10 - 5),
    );
    const weights = weighted ? Float64Array.from(targets, (c) => [0.5, 1, 2.5][c]!) : undefined;
    const x = tf.tensor2d(xs, [rows, 4]);
    const before = tf.memory().numTensors;

    const chain = closedFormChain(closed, task);
    expect(chain).toBeDefined();
    const mine = chainGradients(chain!, task, k, { x, targets, weights });

    const y = tf.tidy(() =>
      task === 'classification'
        ? tf.oneHot(tf.tensor1d(Int32Array.from(targets), 'int32'), k).toFloat()
        : tf.tensor2d(Float32Array.from(targets), [rows, 1]),
    );
    const lossFn = task === 'classification' ? tf.metrics.categoricalCrossentropy : tf.metrics.meanSquaredError;
    const variables = taped.trainableWeights.map((w) => w.read() as tf.Variable);
    const tape = tf.variableGrads(() => {
      let perRow = lossFn(y, taped.apply(x, { training: true }) as tf.Tensor);
      if (weights) perRow = tf.mul(perRow, tf.tensor1d(Float32Array.from(weights)));
      let total = tf.mean(perRow);
      for (const penalty of taped.calculateLosses()) total = tf.add(total, penalty);
      return total as tf.Scalar;
    }, variables);

    expect(mine.loss).toBeCloseTo(tape.value.dataSync()[0]!, 5);
    const ours = closed.trainableWeights.map((w) => {
      const g = mine.grads.find((grad) => grad.name === (w.read() as tf.Variable).name);
      return g!.tensor.dataSync();
    });
    const theirs = variables.map((v) => tape.grads[v.name]!.dataSync());
    expect(relativeGap(ours, theirs)).toBeLessThan(1e-5);

    tf.dispose([...mine.grads.map((g) => g.tensor), tape.value, ...Object.values(tape.grads), y]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x]);
    closed.dispose();
    taped.dispose();
  });

  it('is not used for a model that is not a chain of dense layers, which trains through the tape the same', async () => {
    const data = xor(120, 21);
    const validation = xor(40, 22);
    const params = ModelParams.parse({ hiddenLayers: [{ units: 6, activation: 'tanh', dropout: 0.2 }], l2: 0.001 });
    const shape = { task: 'classification' as const, nFeatures: 2, nClasses: 2 };
    const chained = buildModel(params, shape, 4);
    const twin = buildModel(params, shape, 4);
    // The same layers as a functional model: trained through tfjs's gradient tape.
    const functional = tf.model({ inputs: twin.inputs, outputs: twin.outputs });
    expect(closedFormChain(chained, 'classification')).toBeDefined();
    expect(closedFormChain(functional, 'classification')).toBeUndefined();
    const before = tf.memory().numTensors;
    const run = (model: tf.LayersModel) =>
      trainModel(
        base({
          model,
          ...data,
          validation,
          nFeatures: 2,
          task: 'classification',
          epochs: 4,
          batchSize: 16,
          learningRate: 0.05,
          classWeight: 'balanced',
        }),
      );
    const a = await run(chained);
    const b = await run(functional);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(a.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(Object.keys(b.history).sort()).toEqual(Object.keys(a.history).sort());
    for (const key of Object.keys(a.history))
      expect(relativeGap([a.history[key]!], [b.history[key]!])).toBeLessThan(1e-4);
    const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => w.dataSync());
    expect(relativeGap(weightsOf(chained), weightsOf(functional))).toBeLessThan(1e-4);
    chained.dispose();
    twin.dispose();
  });
});

describe('FlatAdam', () => {
  it('updates weights exactly as tf.train.adam, in JavaScript and as tensors, and leaves no tensors', () => {
    const shapes = [[5, 7], [7], [7, 3], [3]];
    const run = (optimizer: tf.Optimizer) => {
      const random = seededRandom(9);
      const variables = shapes.map((shape) =>
        tf.variable(
          tf.tensor(
            Array.from({ length: shape[0]! * (shape[1] ?? 1) }, () => random() - 0.5),
            shape,
          ),
        ),
      );
      const before = tf.memory().numTensors;
      for (let step = 0; step < 40; step++) {
        // Gradients of varied scale, so bias correction and epsilon both matter.
        const grads = variables.map((v) => ({
          name: v.name,
          tensor: tf.tensor(
            Array.from({ length: v.size }, () => (random() - 0.5) * (step % 5 === 0 ? 50 : 0.01)),
            v.shape,
          ),
        }));
        optimizer.applyGradients(grads);
        tf.dispose(grads.map((g) => g.tensor));
      }
      optimizer.dispose();
      const leftover = tf.memory().numTensors - before;
      const weights = variables.map((v) => Array.from(v.dataSync()));
      tf.dispose(variables);
      return { weights, leftover };
    };
    const reference = run(tf.train.adam(0.01)).weights;
    const inJs = run(new FlatAdam(0.01));
    const asTensors = run(new FlatAdam(0.01, 0));
    expect(inJs.weights).toEqual(reference);
    expect(asTensors.weights).toEqual(reference);
    expect(inJs.leftover).toBe(0);
    expect(asTensors.leftover).toBe(0);
  });
});
