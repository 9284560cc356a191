import { describe, expect, it } from 'vitest';
import { CompareMetric } from '../../../shared/api.js';
import {
  alertMetricTask,
  compareMetricsFor,
  compareMetricTask,
  improvement,
  lowerIsBetter,
} from '../../../shared/metrics.js';

describe('metrics', () => {
  it('knows losses and errors are better lower', () => {
    for (const m of ['log_loss', 'mae', 'rmse', 'val_loss']) expect(lowerIsBetter(m)).toBe(true);
    for (const m of ['accuracy', 'r2', 'f1_macro', 'roc_auc']) expect(lowerIsBetter(m)).toBe(false);
  });

  it('signs an improvement so that positive is better either way', () => {
    expect(improvement('accuracy', 0.8, 0.85)).toBeCloseTo(0.05);
    expect(improvement('mae', 3, 2.5)).toBeCloseTo(0.5);
    expect(improvement('rmse', 2, 3)).toBeCloseTo(-1);
  });

  it('puts every comparison metric of the contract under exactly one task', () => {
    const listed = [...compareMetricsFor('classification'), ...compareMetricsFor('regression')];
    expect([...listed].sort()).toEqual([...CompareMetric.options].sort());
    expect(compareMetricsFor(null)).toEqual(listed);
    expect(compareMetricTask('r2')).toBe('regression');
    expect(compareMetricTask('f1_macro')).toBe('classification');
    expect(compareMetricsFor('regression')[0]).toBe('mae');
  });

  it('says which task an alert metric needs', () => {
    expect(alertMetricTask('live_accuracy')).toBe('classification');
    expect(alertMetricTask('live_mae')).toBe('regression');
    expect(alertMetricTask('drift_score')).toBeNull();
  });
});
