// One alert rule judged at one moment: its metric over the rule's window ending then (latency
// percentiles, error rate, drift score, live accuracy or MAE), whether there were enough samples
// to judge, and whether the value crosses the threshold.
import type { AlertMetric, AlertRule, Comparator } from '../../../shared/api.js';
import { alertMetricTask } from '../../../shared/metrics.js';
import type { RequestLogReader } from '../db/request-log-reader.js';
import { liveQuality } from './live-quality.js';
import { answeringVersions, windowDrift } from './overview.js';
import { trafficSeries } from './traffic-series.js';
import type { VersionView } from './version-views.js';
import { windowEndingAt } from './windows.js';

export type RuleSpec = Pick<AlertRule, 'metric' | 'comparator' | 'threshold' | 'window' | 'minSamples'>;

export interface RuleValue {
  /** Null when the window held fewer than minSamples samples (or none of this metric's kind). */
  value: number | null;
  samples: number;
  /** Drift rules: the features whose PSI crosses the threshold (else those found drifting). */
  features: string[];
}

/** Whether `value` crosses the threshold. */
export function breaches(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** The rule's metric for `model`'s traffic over its window ending at `at` (epoch ms). */
export function ruleValue(reader: RequestLogReader, view: VersionView, rule: RuleSpec, at: number): RuleValue {
  const b = windowEndingAt(rule.window, at);
  const model = view.version.name;
  const judged = (value: number | null, samples: number, features: string[] = []): RuleValue => ({
    value: value !== null && samples >= rule.minSamples ? value : null,
    samples,
    features,
  });
  switch (rule.metric) {
    case 'latency_p50':
    case 'latency_p95':
    case 'latency_p99':
    case 'error_rate': {
      const { totals } = trafficSeries(reader, model, null, b);
      if (rule.metric === 'error_rate') return judged(totals.errorRate, totals.requests);
      const value =
        rule.metric === 'latency_p50' ? totals.p50 : rule.metric === 'latency_p95' ? totals.p95 : totals.p99;
      return judged(value, totals.requests - totals.errors);
    }
    case 'drift_score': {
      const drift = windowDrift(reader, view, answeringVersions(reader, model, null, b), b);
      const crossing = drift.features
        .filter((f) => f.psi !== null && breaches(f.psi, rule.comparator, rule.threshold))
        .map((f) => f.feature);
      return judged(drift.score, drift.liveRows, crossing.length ? crossing : drift.drifted);
    }
    case 'live_accuracy':
    case 'live_mae': {
      if (alertMetricTask(rule.metric) !== view.card.task) return { value: null, samples: 0, features: [] };
      const live = liveQuality(
        reader,
        { model, version: null, task: view.card.task, testSplit: null, predictions: 0 },
        b,
      );
      return judged(live.value, live.labelled);
    }
  }
}

/** Each metric as a message names it. */
export const METRIC_LABELS: Record<AlertMetric, string> = {
  latency_p50: 'latency p50',
  latency_p95: 'latency p95',
  latency_p99: 'latency p99',
  error_rate: 'error rate',
  drift_score: 'drift score',
  live_accuracy: 'live accuracy',
  live_mae: 'live MAE',
};

/** A metric's value as messages print it: ms, %, or the number. */
export function shown(metric: AlertMetric, x: number): string {
  if (metric.startsWith('latency')) return `${Number(x.toPrecision(3))} ms`;
  if (metric === 'error_rate' || metric === 'live_accuracy') return `${Number((x * 100).toPrecision(3))} %`;
  return String(Number(x.toPrecision(3)));
}

/** One line for lists and notifications, e.g. "iris: drift score 0.43 > 0.2 over 1h (petal_length)". */
export function alertMessage(model: string, rule: RuleSpec, value: number, features: readonly string[]): string {
  const what = `${METRIC_LABELS[rule.metric]} ${shown(rule.metric, value)} ${rule.comparator} ${shown(rule.metric, rule.threshold)} over ${rule.window}`;
  return `${model}: ${what}${features.length ? ` (${features.join(', ')})` : ''}`;
}
