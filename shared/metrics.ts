// What the app knows about its metrics, in one place for the engine and the UI: which are better
// when lower, which task a comparison or alert metric belongs to, and how much one score improves
// on another. Imports only types, so any module of either side may use it.
import type { AlertMetric, CompareMetric, TaskName } from './api.js';

/** A run's classification scores, in the order the CLI prints them and the run page shows them. */
const CLASSIFICATION_SCORES = [
  'accuracy',
  'majority_baseline',
  'balanced_accuracy',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'roc_auc',
  'log_loss',
] as const;
/** A run's regression scores, in the same sense. */
const REGRESSION_SCORES = ['mae', 'rmse', 'r2'] as const;

/**
 * The scalar scores a run records for a split (metrics.test, and metrics.validation where a run
 * keeps one): what the runs query language may compare and group statistics summarise.
 */
export const RUN_SCORES = [...CLASSIFICATION_SCORES, ...REGRESSION_SCORES] as const;
export type RunScore = (typeof RUN_SCORES)[number];

/** The scalar entries of a split's metrics (no curves, matrices or class lists): what runs sort, filter and choose by. */
export function scalarScores(split: Record<string, unknown>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(split)) if (typeof value === 'number' || value === null) out[key] = value;
  return out;
}

/** Losses and errors: a smaller value is the better one. */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['log_loss', 'mae', 'rmse', 'mse', 'loss', 'val_loss', 'val_mae']);

/** Whether a smaller value of this metric is better. */
export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.has(metric);
}

/**
 * A run's headline test metrics by task: accuracy first, with what a constant guess of the
 * majority class scores beside it.
 */
export const HEADLINE_TEST_METRICS: Readonly<Record<TaskName, readonly RunScore[]>> = {
  classification: CLASSIFICATION_SCORES,
  regression: REGRESSION_SCORES,
};

/** The metrics a retrain can compare versions on, by task; the first of each is the default. */
export const COMPARE_METRICS_BY_TASK: Readonly<Record<TaskName, readonly CompareMetric[]>> = {
  classification: ['accuracy', 'f1_macro', 'precision_macro', 'recall_macro'],
  regression: ['mae', 'rmse', 'r2'],
};

/** The comparison metrics that fit a task (every one when the task is not known). */
export function compareMetricsFor(task: TaskName | null): CompareMetric[] {
  return task
    ? [...COMPARE_METRICS_BY_TASK[task]]
    : [...COMPARE_METRICS_BY_TASK.classification, ...COMPARE_METRICS_BY_TASK.regression];
}

/** The task a comparison metric belongs to. */
export function compareMetricTask(metric: CompareMetric): TaskName {
  return COMPARE_METRICS_BY_TASK.classification.includes(metric) ? 'classification' : 'regression';
}

/** The task an alert metric needs; null when a model of either task has it. */
export function alertMetricTask(metric: AlertMetric): TaskName | null {
  return metric === 'live_accuracy' ? 'classification' : metric === 'live_mae' ? 'regression' : null;
}

/** How much better `challenger` scored than `champion` (positive: better), in the metric's units. */
export function improvement(metric: string, champion: number, challenger: number): number {
  return lowerIsBetter(metric) ? champion - challenger : challenger - champion;
}
