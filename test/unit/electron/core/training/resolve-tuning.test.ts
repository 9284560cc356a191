// The learning rate and L2 penalty a run trains with: a classifier's defaults where the request
// names none (test/quality/sklearn-parity.test.ts holds them to scikit-learn), the request's own
// values always, and regression left at the generic defaults.
import { describe, expect, it } from 'vitest';
import { ModelParams } from '../../../../../electron/core/training/models.js';
import {
  classificationL2,
  CLASSIFICATION_LEARNING_RATE,
  resolveTuning,
} from '../../../../../electron/core/training/run-training.js';
import { TrainParams } from '../../../../../electron/core/training/train-params.js';

const train = TrainParams.parse({});
const mlp = ModelParams.parse({});
const logistic = ModelParams.parse({ kind: 'logistic_regression' });

describe('resolveTuning', () => {
  it("gives a classifier its model's learning rate and an L2 penalty of 1 / training rows", () => {
    const r = resolveTuning('classification', mlp, train, {}, 400);
    expect(r.train).toEqual({ ...train, learningRate: CLASSIFICATION_LEARNING_RATE.mlp });
    expect(r.model).toEqual({ ...mlp, l2: 1 / 400 });
    const l = resolveTuning('classification', logistic, train, {}, 105);
    expect(l.train.learningRate).toBe(CLASSIFICATION_LEARNING_RATE.logistic_regression);
    expect(l.model.l2).toBeCloseTo(1 / 105, 12);
  });

  it("keeps what the request names, the generic defaults' values and zero included", () => {
    const given = { ...train, learningRate: 0.001 };
    const r = resolveTuning('classification', { ...mlp, l2: 0 }, given, { learningRate: 0.001, l2: 0 }, 400);
    expect(r).toEqual({ model: { ...mlp, l2: 0 }, train: given });
  });

  it('leaves regression at the generic defaults', () => {
    expect(resolveTuning('regression', mlp, train, {}, 400)).toEqual({ model: mlp, train });
    const linear = ModelParams.parse({ kind: 'linear_regression' });
    expect(resolveTuning('regression', linear, train, {}, 400)).toEqual({ model: linear, train });
  });

  it('fades the penalty as the table grows', () => {
    expect(classificationL2(100)).toBeCloseTo(0.01, 12);
    expect(classificationL2(1_000_000)).toBeCloseTo(1e-6, 12);
    expect(classificationL2(0)).toBe(1);
  });
});
