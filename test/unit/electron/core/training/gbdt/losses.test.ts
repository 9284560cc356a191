// Each loss: gradients and hessians against finite differences of its loss, base scores, and a
// tiny fit that must reach a known loss.
import { describe, expect, it } from 'vitest';
import {
  absoluteError,
  binaryLogLoss,
  huberDelta,
  huberLoss,
  softmaxLoss,
  squaredError,
  weightedMedian,
  meanOfTerms,
  type Loss,
} from '../../../../../../electron/core/training/gbdt/losses.js';
import { trainGbdt } from '../../../../../../electron/core/training/gbdt/train-gbdt.js';

/** d(sum of row losses)/d(raw[j]) by central differences, per raw score. */
function numericGradient(loss: Loss, y: ArrayLike<number>, raw: Float64Array, scale: number): Float64Array {
  const n = y.length;
  const g = new Float64Array(raw.length);
  const h = 1e-6;
  for (let j = 0; j < raw.length; j++) {
    const up = Float64Array.from(raw);
    const down = Float64Array.from(raw);
    up[j]! += h;
    down[j]! -= h;
    g[j] = ((loss.meanLoss(y, up, undefined) - loss.meanLoss(y, down, undefined)) * n * scale) / (2 * h);
  }
  return g;
}

/** Gradients and hessians of every row, apart, and the mean loss the pass reports. */
function analytic(loss: Loss, y: ArrayLike<number>, raw: Float64Array, w?: Float32Array) {
  const gh = new Float32Array(2 * raw.length);
  const terms = new Float64Array(y.length);
  loss.gradients(y, raw, w, gh, terms, 0, y.length);
  const grad = gh.filter((_v, i) => i % 2 === 0);
  const hess = gh.filter((_v, i) => i % 2 === 1);
  return { grad, hess, loss: meanOfTerms(terms, w) };
}

const rawAt = (n: number, k: number) => Float64Array.from({ length: n * k }, (_v, i) => Math.sin(i * 1.7) * 2);

describe('gradients match finite differences of the loss', () => {
  const cases: [string, Loss, ArrayLike<number>, number, number][] = [
    // name, loss, targets, outputs, scale (the gradient of half squared error is half the MSE's)
    ['binary log loss', binaryLogLoss, Int32Array.of(0, 1, 1, 0, 1), 1, 1],
    ['softmax', softmaxLoss(3), Int32Array.of(0, 1, 2, 2, 1), 3, 1],
    ['squared error', squaredError, Float32Array.of(0.5, -1, 2, 0, 3), 1, 0.5],
    ['absolute error', absoluteError, Float32Array.of(0.5, -1, 2, 0, 3), 1, 1],
    ['huber', huberLoss(1), Float32Array.of(0.5, -1, 2, 0, 3), 1, 1],
  ];
  it.each(cases)('%s', (_name, loss, y, k, scale) => {
    const raw = rawAt(y.length, k);
    const { grad } = analytic(loss, y, raw);
    const numeric = numericGradient(loss, y, raw, scale);
    for (let j = 0; j < raw.length; j++) expect(grad[j]).toBeCloseTo(numeric[j]!, 4);
  });

  it.each([
    ['binary log loss', binaryLogLoss, Int32Array.of(0, 1, 1), 1],
    ['softmax', softmaxLoss(3), Int32Array.of(0, 1, 2), 3],
  ] as const)('%s hessians are the derivative of the gradient (the diagonal)', (_name, loss, y, k) => {
    const raw = rawAt(y.length, k);
    const { hess } = analytic(loss, y, raw);
    for (let j = 0; j < raw.length; j++) {
      const up = Float64Array.from(raw);
      const down = Float64Array.from(raw);
      up[j]! += 1e-5;
      down[j]! -= 1e-5;
      const d = (analytic(loss, y, up).grad[j]! - analytic(loss, y, down).grad[j]!) / 2e-5;
      expect(hess[j]).toBeCloseTo(d, 2);
    }
  });

  it.each(cases)('%s: the gradient pass returns the mean loss, to the bit', (_name, loss, y, k) => {
    const raw = rawAt(y.length, k);
    const w = Float32Array.from({ length: y.length }, (_v, i) => 0.5 + i);
    for (const weights of [undefined, w]) {
      expect(analytic(loss, y, raw, weights).loss).toBe(loss.meanLoss(y, raw, weights));
    }
  });

  it('weights scale gradients and hessians', () => {
    const y = Int32Array.of(1, 0);
    const raw = Float64Array.of(0.3, -0.2);
    const plain = analytic(binaryLogLoss, y, raw);
    const weighted = analytic(binaryLogLoss, y, raw, Float32Array.of(2, 0.5));
    expect(weighted.grad[0]).toBeCloseTo(2 * plain.grad[0]!, 6);
    expect(weighted.hess[1]).toBeCloseTo(0.5 * plain.hess[1]!, 6);
  });
});

describe('base scores', () => {
  it('are the log-odds, the centred log priors, the mean and the median', () => {
    expect(binaryLogLoss.baseScore(Int32Array.of(1, 0, 0, 0), undefined)[0]).toBeCloseTo(Math.log(1 / 3), 12);
    expect(binaryLogLoss.baseScore(Int32Array.of(1, 0), Float32Array.of(3, 1))[0]).toBeCloseTo(Math.log(3), 6);
    const priors = softmaxLoss(3).baseScore(Int32Array.of(0, 1, 1, 2, 2, 2), undefined);
    const logs = [1, 2, 3].map((c) => Math.log(c / 6));
    const mean = logs.reduce((a, b) => a + b) / 3;
    logs.forEach((l, k) => expect(priors[k]).toBeCloseTo(l - mean, 12));
    expect(squaredError.baseScore(Float32Array.of(1, 2, 6), undefined)[0]).toBeCloseTo(3, 12);
    expect(absoluteError.baseScore(Float32Array.of(1, 2, 6, 10), undefined)[0]).toBe(4);
    expect(weightedMedian(Float64Array.of(1, 2, 6), Float64Array.of(1, 1, 5))).toBe(6);
  });

  it("Huber's delta is the 0.9 quantile of the distance to the median", () => {
    const y = Float32Array.from({ length: 11 }, (_v, i) => i); // median 5, distances 0..5
    expect(huberDelta(y)).toBe(5);
    expect(huberDelta(Float32Array.of(2, 2, 2))).toBe(1);
  });
});

describe('a tiny fit reaches a known loss', () => {
  const n = 200;
  const x = Float32Array.from({ length: n }, (_v, i) => i);
  const params = { trees: 60, learningRate: 0.3, minSamplesLeaf: 5 };
  it.each([
    ['binary log loss', 'classification', Int32Array.from(x, (v) => (v >= 100 ? 1 : 0)), 0.001],
    ['softmax', 'classification', Int32Array.from(x, (v) => (v < 60 ? 0 : v < 130 ? 1 : 2)), 0.001],
    ['squared error', 'regression', Float32Array.from(x, (v) => (v < 50 ? -1 : v < 150 ? 0.5 : 2)), 1e-6],
    ['absolute error', 'regression', Float32Array.from(x, (v) => (v < 50 ? -1 : v < 150 ? 0.5 : 2)), 1e-6],
    ['huber', 'regression', Float32Array.from(x, (v) => (v < 50 ? -1 : v < 150 ? 0.5 : 2)), 1e-6],
  ] as const)('%s', async (name, task, y, bound) => {
    const loss = name === 'absolute error' ? 'absolute_error' : name === 'huber' ? 'huber' : 'squared_error';
    const classes = task === 'classification' ? Math.max(...y) + 1 : undefined;
    const { history } = await trainGbdt(
      { featureKinds: ['numeric'], task, classes, train: { x, y } },
      { ...params, loss },
    );
    expect(history.at(-1)!.loss).toBeLessThan(bound);
    // The loss falls round after round.
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
  });
});
