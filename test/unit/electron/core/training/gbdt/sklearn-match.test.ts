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
] as const;

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
      train: { x: train.x, y: train[c.target] },
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
        train: { x: train.x, y: train[c.target] },
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
