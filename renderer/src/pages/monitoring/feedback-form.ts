// The batch feedback form's rows as the contract's items: ids trimmed, labels as class names for
// a classifier and numbers for a regressor; blank rows skipped; bad rows named before sending.
import type { FeedbackItem, TaskName } from '../../../../shared/api.js';

export interface FeedbackRow {
  id: string;
  label: string;
}

export interface BatchCheck {
  items: FeedbackItem[];
  /** The 1-based form row of each item, to place the engine's per-item answers (by index) back on the form. */
  itemRows: number[];
  /** Problems by 1-based row number, in row order. */
  problems: { row: number; message: string }[];
}

/** Checks the form's rows and turns the good ones into feedback items. */
export function batchItems(rows: readonly FeedbackRow[], task: TaskName | null): BatchCheck {
  const items: FeedbackItem[] = [];
  const itemRows: number[] = [];
  const problems: BatchCheck['problems'] = [];
  const seen = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    const row = i + 1;
    const id = r.id.trim();
    const label = r.label.trim();
    const problem = (message: string) => problems.push({ row, message });
    if (!id && !label) continue;
    if (!id) {
      problem('the prediction id is empty');
      continue;
    }
    if (!label) {
      problem(`no label for ${id}`);
      continue;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problem(`${id} is already labelled on row ${earlier}`);
      continue;
    }
    seen.set(id, row);
    const value = task === 'regression' ? Number(label) : label;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problem(`"${label}" is not a number`);
      continue;
    }
    items.push({ id, label: value });
    itemRows.push(row);
  }
  return { items, itemRows, problems };
}
