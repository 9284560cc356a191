// A finished run's explanation (shared/api/explain.ts), computed in its train job from the rows it
// already holds: permutation importance on (a sample of) the test split, each kept test row's
// contributions by the exact method its kind allows (TreeSHAP for trees, the closed form for a
// single linear layer, KernelSHAP for a network), and partial dependence of the top columns.
// Contributions are per column (a one-hot group summed into its column) and in the units a person
// reads: log-odds of the explained class, a network's class probability, or the target's value.
import {
  KEPT_ROWS,
  type Explanation,
  type PartialDependence as PdView,
  type RowExplanation,
} from '../../../shared/api.js';
import { cellOf } from '../monitoring/training-rows.js';
import type { ColumnSet } from '../training/columns.js';
import { importance as treeGains } from '../training/gbdt/importance.js';
import type { TreeEnsembleJson } from '../training/gbdt/tree-format.js';
import { featureWidth, type PreprocessManifest } from '../training/manifest.js';
import type { Predictor } from '../training/predictor.js';
import { targetScale } from '../training/preprocess.js';
import { backgroundRows } from './explain-sample.js';
import type { FeatureGroup } from './feature-groups.js';
import { featureMeans, type DenseWeights } from './linear-shap.js';
import { partialDependence } from './partial-dependence.js';
import { accuracyScorer, permutationImportance, r2Scorer } from './permutation-importance.js';
import { rowExplainer } from './row-explainer.js';
import { sampleRows, takeRows } from './row-sample.js';

/** Test rows permutation importance and partial dependence score (a seeded sample of larger splits). */
const IMPORTANCE_ROWS = 2000;
/** Columns partial dependence is drawn for: the most important ones. */
const PD_COLUMNS = 4;

export interface RunToExplain {
  task: 'classification' | 'regression';
  classes: string[] | null;
  preprocess: PreprocessManifest;
  predictor: Predictor;
  /** A tree model's ensemble, or a linear model's single layer; neither for a network. */
  trees?: TreeEnsembleJson;
  linear?: DenseWeights;
  data: ColumnSet;
  /**
   * Test rows as the model saw them (row-major features), their labels, each one's row in `data`,
   * and the model's outputs for them (the run already scored them for its metrics).
   */
  test: { x: Float32Array; y: Int32Array | Float32Array; rows: Uint32Array; scores: Float32Array };
  train: { x: Float32Array; n: number };
  seed: number;
}

export function explainRun(run: RunToExplain): Explanation {
  const { task, classes, predictor, test } = run;
  const d = featureWidth(run.preprocess);
  const explainer = rowExplainer(
    {
      ...run,
      ...(run.linear ? { means: featureMeans(run.train.x, run.train.n, d) } : {}),
      ...(!run.trees && !run.linear ? { background: backgroundRows(run.train.x, run.train.n, d, run.seed) } : {}),
    },
    { seed: run.seed },
  );
  const { groups, method } = explainer;
  const nTest = test.y.length;
  const { mean, std } = targetScale(run.preprocess);
  const predict = (x: Float32Array, n: number) => predictor.predict(x, n);
  const scores = test.scores;
  const k = predictor.units;

  // Importance: how much the test score drops with each column shuffled.
  const sample = sampleRows(nTest, IMPORTANCE_ROWS, run.seed);
  const xSample = takeRows(test.x, d, sample);
  const scorer =
    task === 'classification'
      ? accuracyScorer(Int32Array.from(sample, (r) => test.y[r] as number))
      : r2Scorer(Float64Array.from(sample, (r) => test.y[r] as number));
  const permuted = permutationImportance(predict, xSample, sample.length, groups, scorer, { seed: run.seed });
  const importance = permuted.groups
    .map((g) => ({ feature: g.name, mean: g.mean, std: g.std }))
    .sort((a, b) => b.mean - a.mean);

  // Which rows: the first ones, then the worst errors among the rest.
  const predicted = (i: number) => (task === 'classification' ? argmax(scores, i * k, k) : (scores[i] as number));
  const errorOf = (i: number) =>
    task === 'classification'
      ? 1 - (scores[i * k + (test.y[i] as number)] as number)
      : Math.abs(((scores[i] as number) - (test.y[i] as number)) * std);
  const first = Math.min(nTest, KEPT_ROWS[method].first);
  const byError = Array.from({ length: nTest }, (_, i) => i).sort((a, b) => errorOf(b) - errorOf(a));
  const worstRows = byError.slice(0, KEPT_ROWS[method].worst);
  const picked = [...Array.from({ length: first }, (_, i) => i), ...worstRows.filter((i) => i >= first)];
  // The output explained per row: the predicted class's, or the value.
  const explained = explainer.explain(
    takeRows(test.x, d, picked),
    picked.length,
    picked.map((i) => (task === 'classification' ? predicted(i) : 0)),
  );

  const rows: RowExplanation[] = picked.map((i, p) => {
    const { explained: out, output, base, contributions } = explained[p]!;
    const values: Record<string, string | number | boolean | null> = {};
    for (const g of groups) values[g.name] = cellOf(run.data.columns.get(g.name)!, test.rows[i] as number);
    const label = test.y[i] as number;
    return {
      row: i,
      prediction: task === 'classification' ? (classes![out] as string) : (scores[i] as number) * std + mean,
      actual: task === 'classification' ? (classes![label] ?? null) : label * std + mean,
      explainedClass: task === 'classification' ? (classes![out] as string) : null,
      output,
      base,
      contributions,
      values,
      error: errorOf(i),
    };
  });
  const position = new Map(picked.map((i, p) => [i, p]));
  // The largest 95% interval half-width over the rows' contributions (KernelSHAP's; else null).
  const errorBound = method === 'kernel_shap' ? explained.reduce((m, r) => Math.max(m, r.errorBound ?? 0), 0) : null;

  return {
    method,
    output: explainer.output,
    errorBound,
    metric: scorer.name,
    importanceRows: sample.length,
    importance,
    ...(run.trees ? { treeImportance: treeImportanceOf(run.trees, groups) } : {}),
    rows,
    worst: worstRows.map((i) => position.get(i) as number),
    partialDependence: importance
      .slice(0, PD_COLUMNS)
      .map((imp) => groups.find((g) => g.name === imp.feature) as FeatureGroup)
      .map((g) => dependenceOf(predict, xSample, sample.length, g, run, scores, k)),
  };
}

function argmax(y: ArrayLike<number>, at: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if ((y[at + c] as number) > (y[at + best] as number)) best = c;
  return best;
}

/** Gain and split counts per column (a tree model's columns are one feature each). */
function treeImportanceOf(trees: TreeEnsembleJson, groups: readonly FeatureGroup[]) {
  const { gain, splits } = treeGains(trees);
  return groups
    .map((g) => ({
      feature: g.name,
      gain: g.features.reduce((s, j) => s + (gain[j] as number), 0),
      splits: g.features.reduce((s, j) => s + (splits[j] as number), 0),
    }))
    .sort((a, b) => b.gain - a.gain);
}

/**
 * Partial dependence of one column, of the output a person reads: the value (target units), or the
 * probability of the class predicted most often (class 1 of two).
 */
function dependenceOf(
  predict: (x: Float32Array, n: number) => Float32Array,
  x: Float32Array,
  n: number,
  group: FeatureGroup,
  run: RunToExplain,
  scores: Float32Array,
  k: number,
): PdView {
  const pd = partialDependence(predict, x, n, group, { gridSize: 20, iceRows: 30, seed: run.seed });
  const { mean, std } = targetScale(run.preprocess);
  let o = 0;
  if (run.task === 'classification') {
    if (k === 2) o = 1;
    else {
      const counts = new Array<number>(k).fill(0);
      for (let i = 0; i < scores.length / k; i++) counts[argmax(scores, i * k, k)]!++;
      o = argmax(counts, 0, k);
    }
  }
  const unit = (v: number) => (run.task === 'regression' ? v * std + mean : v);
  const points = pd.points.length;
  return {
    feature: group.name,
    kind: group.encoding === 'number' ? 'numeric' : 'categorical',
    output: run.task === 'regression' ? 'value' : `P(${run.classes![o]})`,
    grid: pd.points.map((p) => (group.encoding === 'number' ? (p.raw ?? p.value) : p.label)),
    average: pd.points.map((_, g) => unit(pd.average[g * pd.outputs + o] as number)),
    ice: Array.from(pd.rows, (_, r) =>
      Array.from({ length: points }, (_, g) => unit(pd.ice[(r * points + g) * pd.outputs + o] as number)),
    ),
  };
}
