// The GBDT against scikit-learn's HistGradientBoosting with the same settings on the same rows:
// same binning rule, gains, missing-value directions (and the order the scans break ties in),
// categorical method, leaf values and base scores, float32 gradients summed in float64. On this
// table the predictions agree to rounding; the bound leaves room for summation order only.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTrees, predictOutput } from '../../../../../../electron/core/training/gbdt/predict-trees.js';
import { trainGbdt } from '../../../../../../electron/core/training/gbdt/train-gbdt.js';
import { makeTable } from './data.js';
import { sklearnHgb, type HgbRequest, type HgbResult } from './sklearn-hgb.js';

const SETTINGS = { maxIter: 20, learningRate: 0.1, maxLeafNodes: 15, minSamplesLeaf: 20, l2: 0, maxBins: 255 };
const train = makeTable(600, 1);
const test = makeTable(200, 2);

const CASES = [
  { name: 'binary', task: 'classification', target: 'binary', classes: 2 },
  { name: '3-class', task: 'classification', target: 'multi', classes: 3 },
  { name: 'squared error', task: 'regression', target: 'value', loss: 'squared_error' },
  { name: 'absolute error', task: 'regression', target: 'value', loss: 'absolute_error' },
  {
    name: 'squared error, l2 1, 63 bins',
    task: 'regression',
    target: 'value',
    loss: 'squared_error',
    l2: 1,
    maxBins: 63,
  },
  { name: 'binary, class weights', task: 'classification', target: 'binary', classes: 2, weighted: true },
  { name: 'squared error, sample weights', task: 'regression', target: 'value', loss: 'squared_error', weighted: true },
] as const;

/** Class weights 1 and 3 (binary), or weights cycling through 0.5, 1, 2 (regression). */
const weights = (weighted: boolean, task: string): Float32Array | undefined =>
  !weighted
    ? undefined
    : task === 'classification'
      ? Float32Array.from(train.binary, (y) => (y === 1 ? 3 : 1))
      : Float32Array.from({ length: train.n }, (_v, i) => [0.5, 1, 2][i % 3]!);

let reference: HgbResult[];
beforeAll(() => {
  reference = sklearnHgb(
    CASES.map((c): HgbRequest => ({
      task: c.task,
      featureKinds: train.featureKinds,
      settings: {
        ...SETTINGS,
        ...('loss' in c ? { loss: c.loss } : {}),
        ...('l2' in c ? { l2: c.l2, maxBins: c.maxBins } : {}),
      },
      train: { x: train.x, y: train[c.target], sampleWeight: weights('weighted' in c, c.task) },
      test: test.x,
    })),
  );
});

describe('GBDT predictions match scikit-learn HistGradientBoosting', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (name, c, i) => {
    const { ensemble } = await trainGbdt(
      {
        featureKinds: train.featureKinds,
        task: c.task,
        classes: 'classes' in c ? c.classes : undefined,
        train: { x: train.x, y: train[c.target], sampleWeight: weights('weighted' in c, c.task) },
      },
      {
        trees: SETTINGS.maxIter,
        learningRate: SETTINGS.learningRate,
        maxLeaves: SETTINGS.maxLeafNodes,
        minSamplesLeaf: SETTINGS.minSamplesLeaf,
        l2: 'l2' in c ? c.l2 : SETTINGS.l2,
        maxBins: 'maxBins' in c ? c.maxBins : SETTINGS.maxBins,
        ...('loss' in c ? { loss: c.loss } : {}),
      },
    );
    const ours = predictOutput(compileTrees(ensemble), test.x, test.n);
    const theirs = reference[i]!.predictions.flat();
    expect(ours.length).toBe(theirs.length);
    let diff = 0;
    for (let j = 0; j < ours.length; j++) diff = Math.max(diff, Math.abs(ours[j]! - theirs[j]!));
    console.log(`sklearn match ${name}: max abs difference ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-9);
  });
});
