// Per-column filter drafts as typed in the header, and the filters they make for the engine.
import type { RowFilter, RowFilterOp } from '../../../../shared/api.js';

export interface FilterDraft {
  op: RowFilterOp;
  value: string;
}

export const FILTER_OPS: ReadonlyArray<{ op: RowFilterOp; label: string; title: string }> = [
  { op: 'contains', label: '∋', title: 'contains' },
  { op: 'eq', label: '=', title: 'equals' },
  { op: 'neq', label: '≠', title: 'does not equal' },
  { op: 'gt', label: '>', title: 'greater than' },
  { op: 'gte', label: '≥', title: 'at least' },
  { op: 'lt', label: '<', title: 'less than' },
  { op: 'lte', label: '≤', title: 'at most' },
  { op: 'is_null', label: '∅', title: 'is empty' },
  { op: 'not_null', label: '≠∅', title: 'is not empty' },
];

/** Whether an operator takes a value at all. */
export function takesValue(op: RowFilterOp): boolean {
  return op !== 'is_null' && op !== 'not_null';
}

/** The filters a set of drafts asks for: those with a value, or an operator that needs none. */
export function filtersFromDrafts(
  drafts: Readonly<Record<string, FilterDraft>>,
  order: readonly string[],
): RowFilter[] {
  const out: RowFilter[] = [];
  for (const column of order) {
    const d = drafts[column];
    if (!d) continue;
    if (!takesValue(d.op)) out.push({ column, op: d.op });
    else if (d.value.trim() !== '') out.push({ column, op: d.op, value: d.value.trim() });
  }
  return out;
}
