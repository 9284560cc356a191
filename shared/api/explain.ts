// Why a model predicts what it does: which features matter on the test split (permutation
// importance, for every kind; gain and split counts for trees), each sampled test row's
// contributions (SHAP values: exact for trees and linear models, KernelSHAP for networks) and
// partial dependence of the top features. Computed once when a run ends, from its own test rows,
// and kept with the run (metrics.explanation).
import { z } from 'zod';
import { Cell } from './datasets.js';
import { explainMethods, MAX_EXPLAINED_ROWS } from './explain-methods.js';
import { ModelRef } from './models.js';

export { EXPLAIN_METHOD_LABEL, errorBoundText, KEPT_ROWS, MAX_EXPLAINED_ROWS } from './explain-methods.js';

export const ExplainMethod = z.enum(explainMethods);
export type ExplainMethod = z.infer<typeof ExplainMethod>;

/**
 * What the contributions add up to: a class's log-odds (trees, logistic), its probability
 * (networks, explained through their output), or the predicted value in the target's units.
 */
export const ExplainedOutput = z.enum(['log_odds', 'probability', 'value']);
export type ExplainedOutput = z.infer<typeof ExplainedOutput>;

/** How a person reads each explained output, as in "log-odds of yes". */
export const EXPLAINED_OUTPUT_LABEL: Record<ExplainedOutput, string> = {
  log_odds: 'log-odds',
  probability: 'probability',
  value: 'prediction',
};

/**
 * What an endpoint's prediction asked with ?explain=true carries besides its label or value:
 * base + the sum of contributions = the explained output (serving/explain-predictions.ts).
 */
export const PredictionExplanation = z.object({
  /** The explained output averaged over the training data. */
  base: z.number(),
  /** Per input column (a one-hot group counts as its column). */
  contributions: z.record(z.string(), z.number()),
  explained: z.object({
    method: ExplainMethod,
    output: ExplainedOutput,
    /** The class whose output is explained (the predicted one); null for a value. */
    class: z.string().nullable(),
    /** KernelSHAP's largest 95% error over this prediction's contributions; null where exact. */
    errorBound: z.number().nullable(),
  }),
});
export type PredictionExplanation = z.infer<typeof PredictionExplanation>;

/** How much the test score drops when a feature's values are shuffled: mean and spread over repeats. */
export const FeatureImportance = z.object({ feature: z.string(), mean: z.number(), std: z.number() });
export type FeatureImportance = z.infer<typeof FeatureImportance>;

/** A tree model's own importance: the loss its splits on a feature removed, and how many there are. */
export const TreeImportance = z.object({ feature: z.string(), gain: z.number(), splits: z.number() });
export type TreeImportance = z.infer<typeof TreeImportance>;

/** One test row explained: base + the sum of contributions = the explained output, to 1e-6. */
export const RowExplanation = z.object({
  /** The row's position in the run's test split (0-based). */
  row: z.number().int().nonnegative(),
  /** The predicted class or value. */
  prediction: z.union([z.string(), z.number()]),
  actual: z.union([z.string(), z.number()]).nullable(),
  /** For classes, the class whose output is explained (the predicted one). */
  explainedClass: z.string().nullable(),
  /** The explained output for this row. */
  output: z.number(),
  /** The output's average over the training data: where every row starts. */
  base: z.number(),
  /** Per feature column (a one-hot group counts as its column). */
  contributions: z.record(z.string(), z.number()),
  /** The row's values of those columns, as the dataset holds them. */
  values: z.record(z.string(), Cell),
  /** How wrong the prediction is: 1 − the true class's probability, or the absolute error. */
  error: z.number().nullable(),
});
export type RowExplanation = z.infer<typeof RowExplanation>;

/** The model's average output as one feature sweeps its range; ICE lines are single rows. */
export const PartialDependence = z.object({
  feature: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  /** What the lines show: "value" (target units) or a class's probability, "P(yes)". */
  output: z.string(),
  grid: z.array(z.union([z.string(), z.number()])),
  average: z.array(z.number()),
  ice: z.array(z.array(z.number())),
});
export type PartialDependence = z.infer<typeof PartialDependence>;

export const Explanation = z.object({
  method: ExplainMethod,
  output: ExplainedOutput,
  /** KernelSHAP's estimate: the largest 95% error of a contribution; null where exact. */
  errorBound: z.number().nullable(),
  /** The test score shuffling is judged by (accuracy, or R²), and the rows it used. */
  metric: z.string(),
  importanceRows: z.number().int(),
  importance: z.array(FeatureImportance),
  treeImportance: z.array(TreeImportance).optional(),
  /** Test rows in order (the first ones), then the worst errors not already among them. */
  rows: z.array(RowExplanation),
  /** Positions in `rows` of the worst errors, worst first. */
  worst: z.array(z.number().int()),
  partialDependence: z.array(PartialDependence),
});
export type Explanation = z.infer<typeof Explanation>;

export const ExplainRequest = ModelRef.extend({
  /** The first N test rows (at most MAX_EXPLAINED_ROWS). */
  rows: z.number().int().min(1).max(MAX_EXPLAINED_ROWS).default(5),
});
export type ExplainRequest = z.input<typeof ExplainRequest>;

export const ExplainResult = z.object({
  model: z.object({ name: z.string(), version: z.number() }),
  explanation: Explanation,
});
export type ExplainResult = z.infer<typeof ExplainResult>;

/** Why a picture model (a CNN) has no explanation: attributions are per feature, and its features are pixels. */
export const PICTURES_UNEXPLAINED = 'explanations are not available for pictures';
