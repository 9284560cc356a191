import { describe, expect, it } from 'vitest';
import { runColumns } from '../../../../../renderer/src/pages/runs/run-columns.js';
import { HEADLINE_METRICS } from '../../../../../renderer/src/pages/runs/runs-query.js';

/** The runs table's width in a 1280 px window: the page's padding, the table's border and a scroll bar taken off. */
const TABLE_AT_1280 = 1280 - 2 * 14 - 2 - 15;

/** Where a column ends, from the table's left edge. */
function rightEdge(metricKeys: string[], id: string): number {
  const columns = runColumns(metricKeys);
  const at = columns.findIndex((c) => c.id === id);
  expect(at).toBeGreaterThanOrEqual(0);
  return columns.slice(0, at + 1).reduce((sum, c) => sum + c.width, 0);
}

describe('runs table columns', () => {
  it('keeps every test metric of a regression, classification or mixed table in view at 1280 px', () => {
    expect(rightEdge([...HEADLINE_METRICS], 'metric:r2')).toBeLessThanOrEqual(TABLE_AT_1280);
    expect(rightEdge(['mae', 'rmse', 'r2'], 'metric:r2')).toBeLessThanOrEqual(TABLE_AT_1280);
    expect(rightEdge(['accuracy', 'f1_macro', 'roc_auc', 'log_loss'], 'metric:log_loss')).toBeLessThanOrEqual(
      TABLE_AT_1280,
    );
  });
});
