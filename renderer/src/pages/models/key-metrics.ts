// The test metrics the Models page shows for a model's versions, by task.
import type { TaskName } from '../../../../shared/api.js';

export interface KeyMetric {
  key: string;
  label: string;
}

export const KEY_METRICS: Record<TaskName, KeyMetric[]> = {
  classification: [
    { key: 'accuracy', label: 'Accuracy' },
    { key: 'f1_macro', label: 'F1' },
  ],
  regression: [
    { key: 'rmse', label: 'RMSE' },
    { key: 'r2', label: 'R²' },
  ],
};
