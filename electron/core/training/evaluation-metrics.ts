// Evaluation metrics on plain typed arrays (no tfjs, so they run anywhere and are exact in float64).
// Conventions follow scikit-learn where it has one, so numbers match what users know:
// - zero division (precision with no predictions of a class, recall with no true members) counts as 0;
// - R² of a constant target is 1 when every prediction is exact, else 0;
// - log loss clips probabilities to [1e-15, 1 - 1e-15] before taking the log;
// - ROC points group tied scores into one threshold, so AUC equals the Mann–Whitney statistic.
import { sampleWithoutReplacement, seededRandom } from './seeded-random.js';

/** Per-class scores of a classifier. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One ROC curve: points from (0,0) to (1,1), one per distinct score threshold (collinear points dropped). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Score at or above which a row counts as positive; the first point's is +Infinity. */
  thresholds: number[];
  /** Area under the curve; null when the class has no positive or no negative rows. */
  auc: number | null;
}

/** Everything the evaluation shows for a classifier; the snake_case keys are what the CLI prints. */
export interface ClassificationMetrics {
  accuracy: number;
  /** Mean recall over the classes the rows have: accuracy with every class weighted the same. */
  balanced_accuracy: number;
  /** The accuracy of always answering the rows' most common class: what accuracy must beat. */
  majority_baseline: number;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  /** Binary: AUC of class 1; more classes: macro average of one-vs-rest AUCs over classes where it is defined. */
  roc_auc: number | null;
  log_loss: number;
  perClass: ClassScores[];
  /** confusion[t][p]: rows with true class t predicted as p. */
  confusion: number[][];
  /** Binary: one curve (class 1 positive); more classes: one-vs-rest curve per class. */
  roc: RocCurve[];
}

/** What the evaluation shows for a regressor; keys are what the CLI prints. */
export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
}

type Numbers = ArrayLike<number>;

/** The log loss clip: keeps log(0) out of the mean. */
export const LOG_LOSS_EPS = 1e-15;

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

function checkProba(yTrue: Int32Array, proba: Float32Array | Float64Array, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`need at least 2 classes, got ${k}`);
  if (proba.length !== yTrue.length * k)
    throw new RangeError(`probabilities: expected ${yTrue.length}×${k} values, got ${proba.length}`);
}

/** The class with the highest probability in each row of a row-major n×k matrix (first wins ties). */
export function argmaxRows(proba: Float32Array | Float64Array, k: number): Int32Array {
  const n = Math.floor(proba.length / k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = proba[i * k]!;
    for (let j = 1; j < k; j++) {
      const p = proba[i * k + j]!;
      if (p > bestP) {
        bestP = p;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Share of rows whose predicted class is the true class (0 for no rows). */
export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  checkSameLength(yTrue, yPred, 'accuracy');
  if (yTrue.length === 0) return 0;
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** k×k counts, rows = true class, columns = predicted class. */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, k: number): number[][] {
  checkSameLength(yTrue, yPred, 'confusion matrix');
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (t < 0 || t >= k || p < 0 || p >= k) throw new RangeError(`class out of range 0..${k - 1} at row ${i}`);
    m[t]![p]!++;
  }
  return m;
}

const safeDiv = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Precision, recall, F1 and support of each class from a confusion matrix (zero division gives 0). */
export function perClassScores(confusion: number[][]): ClassScores[] {
  const k = confusion.length;
  return confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((s, v) => s + v, 0);
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += confusion[t]![c]!;
    const precision = safeDiv(tp, predicted);
    const recall = safeDiv(tp, support);
    return { precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support };
  });
}

/** Unweighted mean over classes (every class counts the same, however rare). */
function macro(scores: ClassScores[], key: 'precision' | 'recall' | 'f1'): number {
  return scores.length === 0 ? 0 : scores.reduce((s, c) => s + c[key], 0) / scores.length;
}

/**
 * ROC curve of a binary problem: sweeps the threshold down through the distinct scores, so tied
 * scores move false and true positive rates together (a diagonal step), as Mann–Whitney counts ties as half.
 */
export function rocCurve(positive: ArrayLike<boolean | number>, scores: Numbers): RocCurve {
  checkSameLength(positive, scores, 'roc curve');
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  const nNeg = n - nPos;
  // Cumulative counts at the end of each group of equal scores.
  const tps: number[] = [0];
  const fps: number[] = [0];
  const thresholds: number[] = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const idx = order[i]!;
    if (positive[idx]) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[idx]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[idx]!);
    }
  }
  // Drop points on a straight line between their neighbours: they change neither the plot nor the area,
  // and a test set of a million distinct scores would otherwise ship a million points.
  const keep: number[] = [];
  for (let i = 0; i < tps.length; i++) {
    const last = i === 0 || i === tps.length - 1;
    if (last || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0 || fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0)
      keep.push(i);
  }
  const fpr = keep.map((i) => (nNeg === 0 ? NaN : fps[i]! / nNeg));
  const tpr = keep.map((i) => (nPos === 0 ? NaN : tps[i]! / nPos));
  const curve = { fpr, tpr, thresholds: keep.map((i) => thresholds[i]!) };
  return { ...curve, auc: nPos === 0 || nNeg === 0 ? null : trapezoid(fpr, tpr) };
}

/** Area under a piecewise-linear curve by the trapezoid rule. */
export function trapezoid(x: number[], y: number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** ROC curves of a k-class probability matrix: class 1 vs 0 when k = 2, else one-vs-rest per class. */
export function rocCurves(yTrue: Int32Array, proba: Float32Array | Float64Array, k: number): RocCurve[] {
  checkProba(yTrue, proba, k);
  const classes = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const n = yTrue.length;
  return classes.map((c) => {
    const positive = new Uint8Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      positive[i] = yTrue[i] === c ? 1 : 0;
      scores[i] = proba[i * k + c]!;
    }
    return rocCurve(positive, scores);
  });
}

/** Mean of curve AUCs where defined (a class absent from the test rows has none); null if none is. */
export function macroAuc(curves: RocCurve[]): number | null {
  const defined = curves.map((c) => c.auc).filter((a): a is number => a !== null);
  return defined.length === 0 ? null : defined.reduce((s, a) => s + a, 0) / defined.length;
}

/** Mean negative log probability of the true class, probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(yTrue: Int32Array, proba: Float32Array | Float64Array, k: number): number {
  checkProba(yTrue, proba, k);
  if (yTrue.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = proba[i * k + yTrue[i]!]!;
    sum -= Math.log(Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS));
  }
  return sum / yTrue.length;
}

/** Mean recall over classes with rows (sklearn's balanced_accuracy_score). */
export function balancedAccuracy(perClass: readonly ClassScores[]): number {
  const present = perClass.filter((c) => c.support > 0);
  return present.length ? present.reduce((sum, c) => sum + c.recall, 0) / present.length : 0;
}

/** The share of rows in the most common class: the accuracy of a constant guess of it. */
export function majorityBaseline(perClass: readonly ClassScores[]): number {
  const total = perClass.reduce((sum, c) => sum + c.support, 0);
  return total ? Math.max(...perClass.map((c) => c.support)) / total : 0;
}

/** All classification metrics from true labels 0..k-1 and a row-major n×k probability matrix. */
export function classificationMetrics(
  yTrue: Int32Array,
  proba: Float32Array | Float64Array,
  k: number,
): ClassificationMetrics {
  checkProba(yTrue, proba, k);
  const yPred = argmaxRows(proba, k);
  const confusion = confusionMatrix(yTrue, yPred, k);
  const perClass = perClassScores(confusion);
  const roc = rocCurves(yTrue, proba, k);
  return {
    accuracy: accuracy(yTrue, yPred),
    balanced_accuracy: balancedAccuracy(perClass),
    majority_baseline: majorityBaseline(perClass),
    precision_macro: macro(perClass, 'precision'),
    recall_macro: macro(perClass, 'recall'),
    f1_macro: macro(perClass, 'f1'),
    roc_auc: k === 2 ? roc[0]!.auc : macroAuc(roc),
    log_loss: logLoss(yTrue, proba, k),
    perClass,
    confusion,
    roc,
  };
}

/** Mean absolute error (0 for no rows). */
export function mae(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'mae');
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/** Root mean squared error (0 for no rows). */
export function rmse(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'rmse');
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/** Coefficient of determination 1 - SS_res/SS_tot; a constant target gives 1 if predicted exactly, else 0. */
export function r2(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'r2');
  const n = yTrue.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i]! - yPred[i]!) ** 2;
    ssTot += (yTrue[i]! - mean) ** 2;
  }
  // SS_tot = 0 makes the ratio undefined; scikit-learn's finite convention keeps reports printable.
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/** All regression metrics. */
export function regressionMetrics(yTrue: Numbers, yPred: Numbers): RegressionMetrics {
  return { mae: mae(yTrue, yPred), rmse: rmse(yTrue, yPred), r2: r2(yTrue, yPred) };
}

/**
 * A ROC curve cut down to at most `maxPoints` points for storing and drawing; its AUC stays the
 * exact one. A test split of 100k rows has up to 100k thresholds, far more than a chart can show.
 */
export function thinRocCurve(curve: RocCurve, maxPoints = 400): RocCurve {
  const n = curve.fpr.length;
  if (n <= maxPoints) return curve;
  const step = (n - 1) / (maxPoints - 1);
  const keep = Array.from({ length: maxPoints }, (_, i) => Math.round(i * step));
  return {
    fpr: keep.map((i) => curve.fpr[i]!),
    tpr: keep.map((i) => curve.tpr[i]!),
    thresholds: keep.map((i) => curve.thresholds[i]!),
    auc: curve.auc,
  };
}

/** Actual and predicted values of up to `max` test rows, for the predicted-vs-actual and residual plots. */
export interface RegressionPoints {
  actual: number[];
  predicted: number[];
}

/**
 * Up to `max` rows drawn at random (seeded, so a run's plots are the same on every look) from the
 * whole test split. Not its first rows: the test split keeps file order, so on a file sorted by
 * the target its first rows span a sliver of the target's range.
 */
export function regressionPoints(yTrue: Numbers, yPred: Numbers, seed: number, max = 2000): RegressionPoints {
  checkSameLength(yTrue, yPred, 'regression points');
  const n = yTrue.length;
  const rows =
    n <= max ? Uint32Array.from({ length: n }, (_, i) => i) : sampleWithoutReplacement(n, max, seededRandom(seed));
  return { actual: Array.from(rows, (i) => yTrue[i]!), predicted: Array.from(rows, (i) => yPred[i]!) };
}
