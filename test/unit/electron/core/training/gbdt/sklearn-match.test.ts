// The GBDT against scikit-learn's HistGradientBoosting with the same settings on the same rows:
// same binning rule, gains, missing-value directions (and the order the scans break ties in),
// categorical method, leaf values and base scores, float32 gradients summed in float64. On this
// table the predictions agree to rounding; the bound leaves room for summation order only.
import { describe, expect, it } from 'vitest';
import { compileTrees, predictOutput } from '../../../../../../electron/core/training/gbdt/predict-trees.js';
import { trainGbdt, type GbdtParamsInput } from '../../../../../../electron/core/training/gbdt/train-gbdt.js';
import { makeTable } from './data.js';
import { sklearnHgb, type HgbSettings } from './sklearn-hgb.js';

const SETTINGS: HgbSettings = {
  maxIter: 20,
  learningRate: 0.1,
  maxLeafNodes: 15,
  minSamplesLeaf: 20,
  l2: 0,
  maxBins: 255,
};
const PARAMS: GbdtParamsInput = {
  trees: 20,
  learningRate: 0.1,
  maxLeaves: 15,
  minSamplesLeaf: 20,
  l2: 0,
  maxBins: 255,
};
const train = makeTable(600, 1);
const test = makeTable(200, 2);

function maxAbsDiff(a: Float64Array, b: number[][]): number {
  const flat = b.flat();
  expect(a.length).toBe(flat.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - flat[i]!));
  return max;
}

describe('GBDT predictions match scikit-learn HistGradientBoosting', () => {
  it.each([
    ['binary', 'classification', 'binary', 2, undefined],
    ['3-class', 'classification', 'multi', 3, undefined],
    ['squared error', 'regression', 'value', undefined, 'squared_error'],
    ['absolute error', 'regression', 'value', undefined, 'absolute_error'],
  ] as const)('%s', async (name, task, target, classes, loss) => {
    const y = train[target];
    const { ensemble } = await trainGbdt(
      { featureKinds: train.featureKinds, task, classes, train: { x: train.x, y } },
      { ...PARAMS, ...(loss ? { loss } : {}) },
    );
    const ours = predictOutput(compileTrees(ensemble), test.x, test.n);
    const ref = sklearnHgb({
      task,
      featureKinds: train.featureKinds,
      settings: { ...SETTINGS, ...(loss ? { loss } : {}) },
      train: { x: train.x, y },
      test: test.x,
    });
    const diff = maxAbsDiff(ours, ref.predictions);
    console.log(`sklearn match ${name}: max abs difference ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-9);
  });
});
