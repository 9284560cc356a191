// The monitor kind: the alert rules and retrain policy of the deployed model
// (electron/core/pipelines/kinds/monitor.ts applies them). Its rules take the monitoring contract's
// metrics, comparators, windows and actions (shared/api/monitoring.ts), so a rule a pipeline sets is
// one the monitoring page could have set.
import type { AlertAction, AlertMetric, MonitoringWindow, RetrainMode } from '../../api/monitoring.js';
import { Comparator, RETRAIN_MODE_LABELS, RETRAIN_SWEEP_TRIALS } from '../../api/monitoring.js';
import { alertMetricTask, COMPARE_METRICS_BY_TASK } from '../../metrics.js';
import { enumField, valuesField } from '../fields.js';
import type { PipelineTask } from '../gates.js';
import type { NodeKindSpec } from './common.js';

/** The rule metrics in the order the form offers them. */
const metricLabels: Record<AlertMetric, string> = {
  drift_score: 'Drift score (largest feature PSI)',
  error_rate: 'Error rate',
  latency_p50: 'Latency p50 (ms)',
  latency_p95: 'Latency p95 (ms)',
  latency_p99: 'Latency p99 (ms)',
  live_accuracy: 'Live accuracy (classification)',
  live_mae: 'Live MAE (regression)',
};
const windowLabels: Record<MonitoringWindow, string> = {
  '1h': 'the last hour',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
};
const actionLabels: Record<AlertAction, string> = { notify: 'Notify', retrain: 'Notify and retrain' };

export const monitorKind: NodeKindSpec = {
  label: 'Monitor',
  category: 'deliver',
  description:
    'Sets the alert rules (drift, latency, errors, live quality) and the retrain policy of the deployed model; a rerun replaces the rules this step made and leaves the others alone.',
  inputs: [{ name: 'endpoint', label: 'Endpoint', type: 'endpoint', required: true }],
  outputs: [],
  params: [
    {
      name: 'rules',
      label: 'Alert rules',
      type: 'object-list',
      default: [{ metric: 'drift_score', comparator: '>', threshold: 0.2, window: '24h', action: 'notify' }],
      description: 'Each is judged every minute over its window; live accuracy and live MAE need feedback labels.',
      fields: [
        enumField('metric', 'Metric', metricLabels, 'drift_score'),
        valuesField('comparator', 'Fires when', Comparator.options, '>'),
        { name: 'threshold', label: 'Threshold', type: 'number', required: true },
        enumField('window', 'Over', windowLabels, '24h'),
        enumField('action', 'Then', actionLabels, 'notify'),
      ],
    },
    {
      name: 'retrainOnAlert',
      label: 'Retrain when a "retrain" rule fires',
      type: 'boolean',
      default: true,
    },
    {
      name: 'scheduleHours',
      label: 'Retrain every (hours)',
      type: 'integer',
      min: 1,
      max: 24 * 365,
      description: 'No scheduled retraining when empty.',
    },
    {
      name: 'onNewDatasetVersion',
      label: 'Retrain on a new version of the training dataset',
      type: 'boolean',
      default: false,
    },
    {
      name: 'compareMetric',
      label: 'Compare on',
      type: 'enum',
      options: [
        { value: 'auto', label: 'By the task (accuracy, or MAE)' },
        ...COMPARE_METRICS_BY_TASK.classification.map((m) => ({ value: m, label: `${m} (classification)` })),
        ...COMPARE_METRICS_BY_TASK.regression.map((m) => ({ value: m, label: `${m} (regression)` })),
      ],
      default: 'auto',
      description: 'The held-out metric a retrained challenger must beat the serving champion on.',
    },
    {
      name: 'margin',
      label: 'By at least',
      type: 'number',
      min: 0,
      max: 1_000_000,
      default: 0,
      description: "In the metric's units.",
    },
    {
      name: 'includeLabelledRequests',
      label: 'Add labelled requests to the training data',
      type: 'boolean',
      default: false,
    },
    enumField('retrainMode', 'Train the challenger', RETRAIN_MODE_LABELS, 'same'),
    {
      name: 'sweepTrials',
      label: 'Sweep trials',
      type: 'integer',
      min: RETRAIN_SWEEP_TRIALS.min,
      max: RETRAIN_SWEEP_TRIALS.max,
      default: RETRAIN_SWEEP_TRIALS.default,
      visibleWhen: { field: 'retrainMode', oneOf: ['sweep'] },
    },
  ],
};

export interface MonitorParams {
  rules: {
    metric: AlertMetric;
    comparator: Comparator;
    threshold: number;
    window: MonitoringWindow;
    action: AlertAction;
  }[];
  retrainOnAlert: boolean;
  scheduleHours: number | undefined;
  onNewDatasetVersion: boolean;
  compareMetric: 'auto' | (typeof COMPARE_METRICS_BY_TASK)[PipelineTask][number];
  margin: number;
  includeLabelledRequests: boolean;
  retrainMode: RetrainMode;
  sweepTrials: number;
}

/**
 * Whether a monitor step's rule metric or compare metric fits the model's task; the reason when not.
 * One check for the file (a train step that declares its task) and for run time (the model's task).
 */
export function monitorTaskIssues(
  params: { rules: readonly { metric: AlertMetric }[]; compareMetric: string },
  task: PipelineTask,
  model = 'the model',
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  params.rules.forEach((r, i) => {
    const needs = alertMetricTask(r.metric);
    if (needs && needs !== task)
      out.push({
        field: `rules.${i}.metric`,
        message: `${r.metric} needs a ${needs} model; ${model} is a ${task} model`,
      });
  });
  const allowed: readonly string[] = COMPARE_METRICS_BY_TASK[task];
  if (params.compareMetric !== 'auto' && !allowed.includes(params.compareMetric))
    out.push({
      field: 'compareMetric',
      message: `${params.compareMetric} is not a ${task} metric: use one of ${allowed.join(', ')}`,
    });
  return out;
}

/** A monitor rule as one line, e.g. "drift_score > 0.2 over 24h, notify". */
export function monitorRuleLine(r: {
  metric: string;
  comparator: string;
  threshold: number;
  window: string;
  action: string;
}): string {
  return `${r.metric} ${r.comparator} ${r.threshold} over ${r.window}, ${r.action}`;
}
