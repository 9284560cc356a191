// How monitoring figures read on the page: metric names and units for alert rules, thresholds
// typed in percent where the engine keeps a fraction, and the one-line description of a rule.
// Pure functions, unit-tested apart from the views.
import type {
  AlertMetric,
  AlertRuleInput,
  CompareMetric,
  Comparator,
  LiveQuality,
  ModelSummary,
  MonitoringWindow,
  TaskName,
} from '../../../../shared/api.js';
import { alertMetricTask, improvement as gainOf } from '../../../../shared/metrics.js';
import { formatCount, formatMs, formatPercentValue, formatStat } from '../../lib/format.js';

export { compareMetricsFor } from '../../../../shared/metrics.js';

export const WINDOW_LABELS: Record<MonitoringWindow, string> = { '1h': '1 hour', '24h': '24 hours', '7d': '7 days' };

/** Alert metrics with what a person calls them and the unit a threshold is typed in. */
export const ALERT_METRICS: Record<AlertMetric, { label: string; unit: 'ms' | '%' | '' }> = {
  latency_p50: { label: 'latency p50', unit: 'ms' },
  latency_p95: { label: 'latency p95', unit: 'ms' },
  latency_p99: { label: 'latency p99', unit: 'ms' },
  error_rate: { label: 'error rate', unit: '%' },
  drift_score: { label: 'drift score (PSI)', unit: '' },
  live_accuracy: { label: 'live accuracy', unit: '%' },
  live_mae: { label: 'live MAE', unit: '' },
};

/** The alert metrics that make sense for a model's task (live accuracy for classifiers, MAE for regressors). */
export function alertMetricsFor(task: TaskName | null): AlertMetric[] {
  const all = Object.keys(ALERT_METRICS) as AlertMetric[];
  if (task === null) return all;
  return all.filter((m) => {
    const needs = alertMetricTask(m);
    return needs === null || needs === task;
  });
}

/** The threshold a person typed (percent for rates and accuracy) as the engine stores it (a fraction). */
export function thresholdFromInput(metric: AlertMetric, typed: number): number {
  return ALERT_METRICS[metric].unit === '%' ? typed / 100 : typed;
}

/** The engine's threshold as the form shows it; rounding keeps 0.07 * 100 from reading 7.000000000000001. */
export function thresholdToInput(metric: AlertMetric, stored: number): number {
  return ALERT_METRICS[metric].unit === '%' ? Number((stored * 100).toPrecision(12)) : stored;
}

/** A metric's value with its unit: "312 ms", "4.2%", "0.431". */
export function formatMetric(metric: AlertMetric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const { unit } = ALERT_METRICS[metric];
  if (unit === '%') return formatPercentValue(value);
  if (unit === 'ms') return formatMs(value);
  return formatStat(value);
}

const COMPARATOR_WORDS: Record<Comparator, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
};

/** "latency p95 > 250 ms over 1 hour": what a rule watches, in one line. */
export function describeRule(rule: Pick<AlertRuleInput, 'metric' | 'comparator' | 'threshold' | 'window'>): string {
  const window = WINDOW_LABELS[rule.window ?? '1h'];
  // A threshold is a round figure someone typed: "250 ms", not the cards' "250.0 ms".
  const unit = ALERT_METRICS[rule.metric].unit;
  const threshold = unit === 'ms' ? `${formatStat(rule.threshold)} ms` : formatMetric(rule.metric, rule.threshold);
  return `${ALERT_METRICS[rule.metric].label} ${rule.comparator} ${threshold} over ${window}`;
}

/** The comparator in words, for screen readers and the rule form's hint. */
export function comparatorWords(c: Comparator): string {
  return COMPARATOR_WORDS[c];
}

/** What the retrain comparison metrics are called on the page (their tasks and directions: shared/metrics.ts). */
export const COMPARE_METRIC_LABELS: Record<CompareMetric, string> = {
  accuracy: 'accuracy',
  f1_macro: 'F1 (macro)',
  precision_macro: 'precision (macro)',
  recall_macro: 'recall (macro)',
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
};

/**
 * How much better the challenger scored than the champion, signed so that positive is better
 * (for MAE and RMSE a drop is an improvement); null when either score is missing.
 */
export function improvement(
  metric: CompareMetric,
  champion: number | null | undefined,
  challenger: number | null | undefined,
): number | null {
  if (champion === null || champion === undefined || challenger === null || challenger === undefined) return null;
  return gainOf(metric, champion, challenger);
}

/**
 * A new rule's starting point for a metric: the comparator that means "worse", and a threshold
 * that flags a real problem (live quality: ten points under the test split's accuracy, or MAE
 * 20% over its figure, when known). Thresholds are as the engine stores them (fractions).
 */
export function ruleDefaults(
  metric: AlertMetric,
  testSplit: number | null,
): { comparator: Comparator; threshold: number } {
  switch (metric) {
    case 'latency_p50':
      return { comparator: '>', threshold: 100 };
    case 'latency_p95':
      return { comparator: '>', threshold: 250 };
    case 'latency_p99':
      return { comparator: '>', threshold: 500 };
    case 'error_rate':
      return { comparator: '>', threshold: 0.05 };
    case 'drift_score':
      return { comparator: '>', threshold: 0.2 };
    case 'live_accuracy':
      return {
        comparator: '<',
        threshold: testSplit === null ? 0.8 : Math.max(0, Math.round((testSplit - 0.1) * 100) / 100),
      };
    case 'live_mae':
      return { comparator: '>', threshold: testSplit === null ? 1 : Number((testSplit * 1.2).toPrecision(3)) };
  }
}

/** The live metric against the test split, as the card's note says it: "test split 96.7% · 30 labelled". */
export function liveNote(live: LiveQuality): string {
  const accuracy = live.metric === 'accuracy';
  const show = (v: number | null) => (accuracy ? formatPercentValue(v) : formatStat(v));
  const parts = [`test split ${show(live.testSplit)}`];
  parts.push(
    live.labelled ? `${formatCount(live.labelled)} of ${formatCount(live.predictions)} labelled` : 'no feedback yet',
  );
  return parts.join(' · ');
}

/** Worse than the test split by more than a few points (accuracy) or a tenth (MAE) reads as a warning. */
export function liveTone(live: LiveQuality): 'warn' | undefined {
  if (live.value === null || live.testSplit === null) return undefined;
  if (live.metric === 'accuracy') return live.testSplit - live.value > 0.05 ? 'warn' : undefined;
  return live.value > live.testSplit * 1.1 ? 'warn' : undefined;
}

/**
 * Which version a model's bare name serves, as an endpoint resolves it (production, else the
 * latest), with the latest beside it when they differ: after a retrain that kept the champion the
 * latest version is not the one answering.
 */
export function servedText(m: Pick<ModelSummary, 'latestVersion' | 'aliases'>): string {
  const production = m.aliases.find((a) => a.alias.toLowerCase() === 'production');
  const served = production?.version ?? m.latestVersion;
  return served === m.latestVersion ? `serves v${served}` : `serves v${served} · latest v${m.latestVersion}`;
}
