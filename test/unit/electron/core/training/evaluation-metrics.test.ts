import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  classificationMetrics,
  confusionMatrix,
  logLoss,
  mae,
  perClassScores,
  r2,
  regressionMetrics,
  regressionPoints,
  rmse,
  rocCurve,
  rocCurves,
  thinRocCurve,
} from '../../../../../electron/core/training/evaluation-metrics.js';

const i32 = (a: number[]) => Int32Array.from(a);
const f32 = (a: number[]) => Float32Array.from(a);

/** One-hot-ish probability rows that put `p` on the given class and spread the rest. */
function probaFor(pred: number[], k: number, p = 0.8): Float32Array {
  const out = new Float32Array(pred.length * k).fill((1 - p) / (k - 1));
  pred.forEach((c, i) => (out[i * k + c] = p));
  return out;
}

/** Mann–Whitney U / (nPos·nNeg), with average ranks for ties: the reference AUC. */
function mannWhitneyAuc(positive: boolean[], scores: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const rank = new Array<number>(scores.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    for (let t = i; t <= j; t++) rank[idx[t]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  const rankSum = positive.reduce((s, p, i) => (p ? s + rank[i]! : s), 0);
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

describe('classification metrics', () => {
  it('matches scikit-learn’s classification_report example', () => {
    // y_true = [0,1,2,2,2], y_pred = [0,0,2,2,1] (sklearn docs).
    const yTrue = i32([0, 1, 2, 2, 2]);
    const yPred = i32([0, 0, 2, 2, 1]);
    // Confusion: true 0 → pred 0; true 1 → pred 0; true 2 → pred 2,2,1.
    const cm = confusionMatrix(yTrue, yPred, 3);
    expect(cm).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 2],
    ]);
    const per = perClassScores(cm);
    // class 0: P = 1/2, R = 1/1, F1 = 2·0.5·1/1.5 = 2/3
    // class 1: P = 0/1, R = 0/1, F1 = 0 (0/0 → 0)
    // class 2: P = 2/2, R = 2/3, F1 = 2·1·(2/3)/(5/3) = 0.8
    expect(per[0]).toEqual({ precision: 0.5, recall: 1, f1: expect.closeTo(2 / 3, 12) as number, support: 1 });
    expect(per[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(per[2]!.precision).toBe(1);
    expect(per[2]!.recall).toBeCloseTo(2 / 3, 12);
    expect(per[2]!.f1).toBeCloseTo(0.8, 12);
    expect(accuracy(yTrue, yPred)).toBe(0.6); // 3 of 5

    const m = classificationMetrics(yTrue, probaFor([0, 0, 2, 2, 1], 3), 3);
    expect(m.accuracy).toBe(0.6);
    expect(m.precision_macro).toBeCloseTo(0.5, 12); // (0.5 + 0 + 1)/3
    expect(m.recall_macro).toBeCloseTo(5 / 9, 12); // (1 + 0 + 2/3)/3 = 0.5556
    expect(m.f1_macro).toBeCloseTo((2 / 3 + 0 + 0.8) / 3, 12); // 0.4889
  });

  it('puts accuracy beside the majority-class baseline and balanced accuracy, as scikit-learn computes it', () => {
    // 7 of 10 rows are class 0: always answering 0 scores 0.7; this model scores 0.8 by favouring it.
    const yTrue = i32([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
    const m = classificationMetrics(yTrue, probaFor([0, 0, 0, 0, 0, 0, 0, 0, 1, 0], 3), 3);
    expect(m.accuracy).toBeCloseTo(0.8, 12);
    expect(m.majority_baseline).toBeCloseTo(0.7, 12);
    // sklearn.metrics.balanced_accuracy_score: (1 + 1/2 + 0) / 3 = 0.5.
    expect(m.balanced_accuracy).toBeCloseTo(0.5, 12);
    // A class absent from the rows does not count, as in scikit-learn.
    const absent = classificationMetrics(i32([0, 0, 1]), probaFor([0, 1, 1], 3), 3);
    expect(absent.balanced_accuracy).toBeCloseTo((1 / 2 + 1) / 2, 12);
    expect(absent.majority_baseline).toBeCloseTo(2 / 3, 12);
  });

  it('gives 0 precision to a class never predicted and 0 recall to a class never present', () => {
    // true [0,0,1], pred [0,0,0]: class 1 never predicted (P = 0/0 → 0), class 2 absent (R = 0/0 → 0).
    const per = perClassScores(confusionMatrix(i32([0, 0, 1]), i32([0, 0, 0]), 3));
    expect(per[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(per[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // class 0: P = 2/3, R = 1, F1 = 2·(2/3)/(5/3) = 0.8
    expect(per[0]!.f1).toBeCloseTo(0.8, 12);
  });

  it('matches scikit-learn’s roc_curve example (AUC 0.75)', () => {
    // y = [1,1,2,2], scores = [0.1,0.4,0.35,0.8], pos_label = 2
    const curve = rocCurve([false, false, true, true], [0.1, 0.4, 0.35, 0.8]);
    expect(curve.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(curve.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curve.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(curve.auc).toBeCloseTo(0.75, 12);
  });

  it('groups tied scores into one diagonal step', () => {
    // pos scores [0.9, 0.5], neg scores [0.5, 0.1]: the tie at 0.5 adds one TP and one FP together.
    // Points: (0,0) → 0.9: (0, .5) → 0.5: (.5, 1) → 0.1: (1, 1)
    // Area: 0 + (.5)(.5 + 1)/2 + (.5)(1 + 1)/2 = 0.375 + 0.5 = 0.875
    // Mann–Whitney: pairs (0.9>0.5)=1, (0.9>0.1)=1, (0.5=0.5)=½, (0.5>0.1)=1 → 3.5/4 = 0.875
    const curve = rocCurve([true, false, true, false], [0.9, 0.5, 0.5, 0.1]);
    expect(curve.fpr).toEqual([0, 0, 0.5, 1]);
    expect(curve.tpr).toEqual([0, 0.5, 1, 1]);
    expect(curve.auc).toBeCloseTo(0.875, 12);
    // All scores equal: a single diagonal, AUC ½ (a coin).
    expect(rocCurve([true, false, true, false], [0.3, 0.3, 0.3, 0.3]).auc).toBeCloseTo(0.5, 12);
  });

  it('equals the Mann–Whitney statistic on data with many ties', () => {
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
    for (let trial = 0; trial < 5; trial++) {
      const n = 200;
      const positive = Array.from({ length: n }, () => rand() < 0.4);
      // Scores rounded to one decimal: lots of ties, mildly informative.
      const scores = positive.map((p) => Math.round((rand() + (p ? 0.3 : 0)) * 10) / 10);
      expect(rocCurve(positive, scores).auc).toBeCloseTo(mannWhitneyAuc(positive, scores), 12);
    }
  });

  it('drops collinear points without changing the area', () => {
    // Perfect ranking, 3 positives then 3 negatives: the corner points are (0,0), (0,1), (1,1).
    const curve = rocCurve([true, true, true, false, false, false], [6, 5, 4, 3, 2, 1]);
    expect(curve.fpr).toEqual([0, 0, 1]);
    expect(curve.tpr).toEqual([0, 1, 1]);
    expect(curve.auc).toBe(1);
  });

  it('has no AUC for a class absent from the rows, and averages the others', () => {
    expect(rocCurve([false, false], [0.1, 0.2]).auc).toBeNull();
    // 3 classes, class 2 never true. Class 0 scores [.8,.1,.6,.2] for true [0,1,0,1]: perfectly ranked → 1.
    // Class 1 scores [.1,.8,.3,.7]: positives (rows 1,3) have .8,.7 > negatives .1,.3 → 1.
    const yTrue = i32([0, 1, 0, 1]);
    const proba = f32([0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.6, 0.3, 0.1, 0.2, 0.7, 0.1]);
    const curves = rocCurves(yTrue, proba, 3);
    expect(curves.map((c) => c.auc)).toEqual([1, 1, null]);
    expect(classificationMetrics(yTrue, proba, 3).roc_auc).toBe(1);
  });

  it('uses the class-1 curve alone for a binary problem', () => {
    // P(class 1) = [.2,.6,.7,.9], true [0,0,1,1]: positives .7,.9 above negatives .2,.6 → AUC 1.
    const proba = f32([0.8, 0.2, 0.4, 0.6, 0.3, 0.7, 0.1, 0.9]);
    const m = classificationMetrics(i32([0, 0, 1, 1]), proba, 2);
    expect(m.roc).toHaveLength(1);
    expect(m.roc_auc).toBe(1);
    // argmax: [0,1,1,1] → accuracy 3/4
    expect(m.accuracy).toBe(0.75);
  });

  it('computes log loss as scikit-learn’s example (0.21616)', () => {
    // log_loss(["spam","ham","ham","spam"], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]]), ham = 0, spam = 1
    // −(ln .9 + ln .9 + ln .8 + ln .65)/4 = (0.10536 + 0.10536 + 0.22314 + 0.43078)/4 = 0.21616
    const proba = Float64Array.from([0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65]);
    expect(logLoss(i32([1, 0, 0, 1]), proba, 2)).toBeCloseTo(0.21616, 5);
  });

  it('clips probabilities so a confident mistake costs −ln(1e−15), not infinity', () => {
    const loss = logLoss(i32([0]), Float64Array.from([0, 1]), 2);
    expect(loss).toBeCloseTo(-Math.log(1e-15), 6); // 34.5388
    expect(logLoss(i32([0]), Float64Array.from([1, 0]), 2)).toBeCloseTo(0, 12);
  });

  it('takes the first class on argmax ties and rejects misshapen input', () => {
    expect(Array.from(argmaxRows(f32([0.5, 0.5, 0.2, 0.8]), 2))).toEqual([0, 1]);
    expect(() => classificationMetrics(i32([0, 1]), f32([1, 0, 0]), 2)).toThrow(RangeError);
    expect(() => confusionMatrix(i32([3]), i32([0]), 2)).toThrow(/out of range/);
  });
});

describe('regression metrics', () => {
  it('matches scikit-learn’s examples', () => {
    // y_true = [3, −0.5, 2, 7], y_pred = [2.5, 0, 2, 8]
    // errors: .5, .5, 0, 1 → MAE = 2/4 = 0.5; MSE = (.25 + .25 + 0 + 1)/4 = 0.375 → RMSE = 0.61237
    // mean = 2.875; SS_tot = .015625 + 11.390625 + .765625 + 17.015625 = 29.1875; SS_res = 1.5
    // R² = 1 − 1.5/29.1875 = 0.948608
    const yTrue = Float64Array.from([3, -0.5, 2, 7]);
    const yPred = Float64Array.from([2.5, 0, 2, 8]);
    expect(mae(yTrue, yPred)).toBe(0.5);
    expect(rmse(yTrue, yPred)).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(r2(yTrue, yPred)).toBeCloseTo(0.948608, 6);
    expect(regressionMetrics(yTrue, yPred)).toEqual({
      mae: 0.5,
      rmse: expect.closeTo(0.61237, 5) as number,
      r2: expect.closeTo(0.948608, 6) as number,
    });
  });

  it('gives R² 0 for predicting the mean, negative for worse, and the constant-target convention', () => {
    const y = Float64Array.from([1, 2, 3]);
    expect(r2(y, Float64Array.from([2, 2, 2]))).toBe(0);
    // SS_res = 4 + 0 + 4 = 8, SS_tot = 2 → 1 − 4 = −3
    expect(r2(y, Float64Array.from([3, 2, 1]))).toBe(-3);
    const c = Float64Array.from([5, 5, 5]);
    expect(r2(c, Float64Array.from([5, 5, 5]))).toBe(1);
    expect(r2(c, Float64Array.from([5, 5, 6]))).toBe(0);
  });
});

describe('stored curve samples', () => {
  it('thins a long ROC curve to the cap, keeping both ends and the exact AUC', () => {
    const n = 5000;
    const scores = Float64Array.from({ length: n }, (_v, i) => i / n);
    const positive = Array.from({ length: n }, (_v, i) => (i * 7919) % 3 === 0);
    const full = rocCurve(positive, scores);
    expect(full.fpr.length).toBeGreaterThan(400);
    const thin = thinRocCurve(full, 400);
    expect(thin.fpr).toHaveLength(400);
    expect(thin.auc).toBe(full.auc);
    expect([thin.fpr[0], thin.tpr[0]]).toEqual([full.fpr[0], full.tpr[0]]);
    expect([thin.fpr.at(-1), thin.tpr.at(-1)]).toEqual([1, 1]);
    // Still a ROC curve: both rates never decrease.
    for (let i = 1; i < 400; i++) {
      expect(thin.fpr[i]).toBeGreaterThanOrEqual(thin.fpr[i - 1] as number);
      expect(thin.tpr[i]).toBeGreaterThanOrEqual(thin.tpr[i - 1] as number);
    }
  });

  it('leaves a short curve as it is', () => {
    const c = rocCurve([true, false, true], [0.9, 0.2, 0.4]);
    expect(thinRocCurve(c, 400)).toBe(c);
  });

  it('keeps every row when the split is within the cap, pairs aligned', () => {
    expect(regressionPoints([1, 2, 3], [1.5, 2, 2], 7, 3)).toEqual({ actual: [1, 2, 3], predicted: [1.5, 2, 2] });
    expect(regressionPoints([1], [2], 7)).toEqual({ actual: [1], predicted: [2] });
    expect(() => regressionPoints([1, 2], [1], 7)).toThrow(/lengths differ/);
  });

  it('samples across the whole split, not its first rows, on a table sorted by the target', () => {
    // A test split in file order of a table sorted by price: the first 2,000 rows are the cheapest.
    const n = 20_000;
    const actual = Float64Array.from({ length: n }, (_, i) => 300 + i);
    const predicted = actual.map((v) => v * 1.1);
    const points = regressionPoints(actual, predicted, 42, 2000);
    expect(points.actual).toHaveLength(2000);
    const lo = Math.min(...points.actual);
    const hi = Math.max(...points.actual);
    // The plotted actual values cover the data's range (the old prefix stopped at 2,299 of 20,299).
    expect(lo).toBeLessThan(300 + n * 0.01);
    expect(hi).toBeGreaterThan(300 + n * 0.99);
    // Each plotted pair is one row's actual and prediction, and no row twice.
    points.actual.forEach((a, i) => expect(points.predicted[i]).toBeCloseTo(a * 1.1, 6));
    expect(new Set(points.actual).size).toBe(2000);
    // Seeded: the same run draws the same points; another seed others.
    expect(regressionPoints(actual, predicted, 42, 2000)).toEqual(points);
    expect(regressionPoints(actual, predicted, 43, 2000).actual).not.toEqual(points.actual);
  });
});
