import { describe, expect, it } from 'vitest';
import type { LiveQuality } from '../../../../../shared/api.js';
import {
  alertMetricsFor,
  compareMetricsFor,
  describeRule,
  formatMetric,
  improvement,
  liveNote,
  liveTone,
  ruleDefaults,
  servedText,
  thresholdFromInput,
  thresholdToInput,
} from '../../../../../renderer/src/pages/monitoring/monitoring-format.js';
import { formatMs, formatPercentValue } from '../../../../../renderer/src/lib/format.js';

const live = (over: Partial<LiveQuality>): LiveQuality => ({
  metric: 'accuracy',
  value: null,
  testSplit: null,
  labelled: 0,
  predictions: 0,
  buckets: [],
  ...over,
});

describe('monitoring figures', () => {
  it('names the version a bare model name serves: production, else the latest', () => {
    const alias = (a: string, version: number) => ({ alias: a, version, updatedAt: '' });
    expect(servedText({ latestVersion: 2, aliases: [alias('production', 1)] })).toBe('serves v1 · latest v2');
    expect(servedText({ latestVersion: 2, aliases: [alias('Production', 2)] })).toBe('serves v2');
    expect(servedText({ latestVersion: 3, aliases: [alias('staging', 1)] })).toBe('serves v3');
  });

  it('offers the live metric that fits the task', () => {
    expect(alertMetricsFor('classification')).toContain('live_accuracy');
    expect(alertMetricsFor('classification')).not.toContain('live_mae');
    expect(alertMetricsFor('regression')).toContain('live_mae');
    expect(alertMetricsFor('regression')).not.toContain('live_accuracy');
    expect(compareMetricsFor('regression')).toEqual(['mae', 'rmse', 'r2']);
  });

  it('types rates and accuracy in percent and stores fractions', () => {
    expect(thresholdFromInput('error_rate', 5)).toBe(0.05);
    expect(thresholdFromInput('latency_p95', 250)).toBe(250);
    expect(thresholdToInput('error_rate', 0.07)).toBe(7);
    expect(thresholdToInput('live_accuracy', 0.855)).toBe(85.5);
    expect(thresholdToInput('drift_score', 0.2)).toBe(0.2);
  });

  it('reads values with their units', () => {
    expect(formatMetric('latency_p99', 312.34)).toBe('312.3 ms');
    expect(formatMetric('latency_p50', 2.345)).toBe('2.35 ms');
    expect(formatMetric('error_rate', 0.0423)).toBe('4.2%');
    expect(formatMetric('live_accuracy', 1)).toBe('100%');
    expect(formatMetric('drift_score', 0.43123)).toBe('0.4312');
    expect(formatMetric('live_mae', null)).toBe('—');
    expect(formatPercentValue(0.0004)).toBe('0.04%');
    expect(formatPercentValue(0)).toBe('0%');
    expect(formatMs(1234.5)).toBe('1,235 ms');
  });

  it('describes a rule in one line', () => {
    expect(describeRule({ metric: 'latency_p95', comparator: '>', threshold: 250, window: '1h' })).toBe(
      'latency p95 > 250 ms over 1 hour',
    );
    expect(describeRule({ metric: 'live_accuracy', comparator: '<', threshold: 0.85, window: '24h' })).toBe(
      'live accuracy < 85% over 24 hours',
    );
    expect(describeRule({ metric: 'drift_score', comparator: '>=', threshold: 0.2, window: '7d' })).toBe(
      'drift score (PSI) >= 0.2 over 7 days',
    );
  });

  it('starts new rules at thresholds that mean trouble, live quality from the test split', () => {
    expect(ruleDefaults('drift_score', null)).toEqual({ comparator: '>', threshold: 0.2 });
    expect(ruleDefaults('live_accuracy', 0.967)).toEqual({ comparator: '<', threshold: 0.87 });
    expect(ruleDefaults('live_accuracy', null)).toEqual({ comparator: '<', threshold: 0.8 });
    expect(ruleDefaults('live_mae', 40)).toEqual({ comparator: '>', threshold: 48 });
  });

  it('signs the challenger gain so that positive is better, for error metrics too', () => {
    expect(improvement('accuracy', 0.9, 0.95)).toBeCloseTo(0.05);
    expect(improvement('mae', 10, 8)).toBe(2);
    expect(improvement('rmse', 8, 10)).toBe(-2);
    expect(improvement('accuracy', null, 0.9)).toBeNull();
  });

  it('sets live quality beside the test split and warns when it fell well below', () => {
    expect(liveNote(live({ value: 0.9, testSplit: 0.967, labelled: 30, predictions: 120 }))).toBe(
      'test split 96.7% · 30 of 120 labelled',
    );
    expect(liveNote(live({ metric: 'mae', testSplit: 41.25 }))).toBe('test split 41.25 · no feedback yet');
    expect(liveTone(live({ value: 0.9, testSplit: 0.967 }))).toBe('warn');
    expect(liveTone(live({ value: 0.95, testSplit: 0.967 }))).toBeUndefined();
    expect(liveTone(live({ metric: 'mae', value: 50, testSplit: 40 }))).toBe('warn');
    expect(liveTone(live({ metric: 'mae', value: 41, testSplit: 40 }))).toBeUndefined();
    expect(liveTone(live({ value: null, testSplit: 0.9 }))).toBeUndefined();
  });
});
