// The columns of the runs table: label, width, alignment and what each sorts by. The test
// metric columns are the headline metrics some run has.
import type { RunSortKey } from './runs-query.js';

export interface RunColumn {
  /** Stable id; `metric:<key>` for a test metric. */
  id: string;
  label: string;
  width: number;
  title?: string;
  /** Undefined: not sortable. */
  sort?: RunSortKey;
  numeric?: boolean;
}

const METRIC_HEADERS: Record<string, { label: string; title: string }> = {
  accuracy: { label: 'accuracy', title: 'Test accuracy (higher is better)' },
  majority_baseline: {
    label: 'baseline',
    title: 'Accuracy of always answering the most common class on the test split: what accuracy must beat',
  },
  balanced_accuracy: {
    label: 'bal. acc.',
    title: 'Test balanced accuracy: mean recall over classes, each class weighted the same (higher is better)',
  },
  f1_macro: { label: 'F1', title: 'Test F1, macro average over classes (higher is better)' },
  roc_auc: { label: 'ROC AUC', title: 'Test area under the ROC curve (higher is better)' },
  log_loss: { label: 'log loss', title: 'Test log loss (lower is better)' },
  mae: { label: 'MAE', title: 'Test mean absolute error (lower is better)' },
  rmse: { label: 'RMSE', title: 'Test root mean squared error (lower is better)' },
  r2: { label: 'R²', title: 'Test coefficient of determination (higher is better)' },
};

export const SELECT_WIDTH = 34;

/** Every column in display order, the selection checkbox first. */
export function runColumns(metricKeys: readonly string[]): RunColumn[] {
  return [
    { id: 'select', label: '', width: SELECT_WIDTH },
    { id: 'status', label: 'status', width: 132, sort: 'status' },
    { id: 'id', label: 'run', width: 84, sort: 'id' },
    { id: 'dataset', label: 'dataset', width: 150, sort: 'dataset' },
    { id: 'target', label: 'target', width: 112, sort: 'target' },
    { id: 'task', label: 'task', width: 104, sort: 'task' },
    { id: 'modelKind', label: 'model', width: 74, sort: 'modelKind', title: 'Model kind' },
    { id: 'epochs', label: 'epochs', width: 82, sort: 'epochs', numeric: true },
    { id: 'batchSize', label: 'batch', width: 70, sort: 'batchSize', numeric: true, title: 'Batch size' },
    {
      id: 'learningRate',
      label: 'learning rate',
      width: 126,
      sort: 'learningRate',
      numeric: true,
      title: 'Learning rate',
    },
    {
      id: 'hidden',
      label: 'hidden layers',
      width: 128,
      sort: 'hidden',
      title: 'Units per hidden layer (sorted by total units)',
    },
    ...metricKeys.map((k) => ({
      id: `metric:${k}`,
      label: METRIC_HEADERS[k]?.label ?? k,
      title: METRIC_HEADERS[k]?.title ?? `Test ${k}`,
      width: 96,
      sort: `metric:${k}` as RunSortKey,
      numeric: true,
    })),
    { id: 'duration', label: 'duration', width: 96, sort: 'duration', numeric: true },
    { id: 'backend', label: 'backend', width: 100, sort: 'backend' },
    { id: 'created', label: 'created', width: 140, sort: 'created' },
    {
      id: 'model',
      label: 'saved model',
      width: 170,
      sort: 'model',
      title: 'The model version the run saved (name:version)',
    },
    { id: 'actions', label: '', width: 72 },
  ];
}
