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

// Widths fit each header and its values, no wider: all eight metrics of a table holding both
// tasks stay in view at 1280 px, scroll bar included.
const METRIC_HEADERS: Record<string, { label: string; title: string; width: number }> = {
  accuracy: {
    label: 'accuracy',
    title: 'Test accuracy (higher is better); hover a value for the majority-class baseline it must beat',
    width: 88,
  },
  balanced_accuracy: {
    label: 'bal. acc.',
    title: 'Test balanced accuracy: mean recall over classes, each class weighted the same (higher is better)',
    width: 88,
  },
  f1_macro: { label: 'F1', title: 'Test F1, macro average over classes (higher is better)', width: 72 },
  roc_auc: { label: 'ROC AUC', title: 'Test area under the ROC curve (higher is better)', width: 88 },
  log_loss: { label: 'log loss', title: 'Test log loss (lower is better)', width: 88 },
  mae: { label: 'MAE', title: 'Test mean absolute error (lower is better)', width: 72 },
  rmse: { label: 'RMSE', title: 'Test root mean squared error (lower is better)', width: 72 },
  r2: { label: 'R²', title: 'Test coefficient of determination (higher is better)', width: 72 },
};

export const SELECT_WIDTH = 34;

/** Every column in display order, the selection checkbox first, then what a run is and how well it did. */
export function runColumns(metricKeys: readonly string[]): RunColumn[] {
  return [
    { id: 'select', label: '', width: SELECT_WIDTH },
    { id: 'status', label: 'status', width: 132, sort: 'status' },
    { id: 'id', label: 'run', width: 84, sort: 'id' },
    { id: 'dataset', label: 'dataset', width: 140, sort: 'dataset' },
    { id: 'target', label: 'target', width: 112, sort: 'target' },
    { id: 'modelKind', label: 'model', width: 74, sort: 'modelKind', title: 'Model kind' },
    // The test metrics before the task and settings: what runs are compared by stays in view at
    // 1280 px (the metrics shown say the task).
    ...metricKeys.map((k) => ({
      id: `metric:${k}`,
      label: METRIC_HEADERS[k]?.label ?? k,
      title: METRIC_HEADERS[k]?.title ?? `Test ${k}`,
      width: METRIC_HEADERS[k]?.width ?? 96,
      sort: `metric:${k}` as RunSortKey,
      numeric: true,
    })),
    { id: 'task', label: 'task', width: 104, sort: 'task' },
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
