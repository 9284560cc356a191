// Champion and challenger judged on the same held-out rows: each version's saved model and
// preprocessing score the same records (raw column values, as a prediction request would send
// them), and one function turns both sets of answers into the same metrics, over one shared list
// of classes. A class a model never learned counts as a wrong answer for it.
import { CairnError } from '../errors.js';
import type { LoadedArtifacts } from '../training/artifacts.js';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  perClassScores,
  regressionMetrics,
} from '../training/evaluation-metrics.js';
import { decodeLabel, decodeValues, transformRecords } from '../training/preprocess.js';

/** What a model answered for each record: class labels, or values. */
export type Answers = { labels: string[] } | { values: Float32Array };

/** One loaded version's answers for the records. */
export async function answer(
  artifacts: LoadedArtifacts,
  records: readonly Record<string, unknown>[],
): Promise<Answers> {
  const { predictor, preprocess } = artifacts;
  const target = preprocess.target;
  if (!target) throw new CairnError('invalid_argument', 'The model has no target to predict');
  const x = transformRecords(preprocess, records);
  const y = predictor.predict(x, records.length);
  if (target.task === 'regression') return { values: decodeValues(preprocess, y) };
  const proba = y;
  const labels = Array.from(argmaxRows(proba, target.classes.length), (c) => decodeLabel(preprocess, c));
  return { labels };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * The scalar metrics of each model's answers against the truth, classes shared across them (the
 * true classes and every class any model answered), so both are scored with the same yardstick.
 */
export function heldOutMetrics(
  truth: readonly (string | number)[],
  answers: readonly Answers[],
): Record<string, number>[] {
  const first = answers[0];
  if (!first) return [];
  if ('values' in first) {
    const actual = Float64Array.from(truth, Number);
    return answers.map((a) => {
      if (!('values' in a)) throw new CairnError('invalid_argument', 'a classifier and a regressor cannot be compared');
      return { ...regressionMetrics(actual, a.values) };
    });
  }
  const classes = [
    ...new Set([...truth.map(String), ...answers.flatMap((a) => ('labels' in a ? a.labels : []))]),
  ].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const yTrue = Int32Array.from(truth, (t) => index.get(String(t)) as number);
  return answers.map((a) => {
    if (!('labels' in a)) throw new CairnError('invalid_argument', 'a classifier and a regressor cannot be compared');
    const yPred = Int32Array.from(a.labels, (l) => index.get(l) as number);
    const scores = perClassScores(confusionMatrix(yTrue, yPred, classes.length));
    return {
      accuracy: accuracy(yTrue, yPred),
      precision_macro: mean(scores.map((s) => s.precision)),
      recall_macro: mean(scores.map((s) => s.recall)),
      f1_macro: mean(scores.map((s) => s.f1)),
    };
  });
}

/** Whether a challenger this much better is promoted: strictly better, and by at least the margin. */
export function beats(gain: number, margin: number): boolean {
  return gain > 0 && gain >= margin - 1e-12;
}
