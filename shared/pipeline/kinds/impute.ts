// The impute kind: fills missing values, fitted on the train rows after a split
// (electron/core/pipelines/kinds/impute.ts runs it).
import { columnsField, enumField } from '../fields.js';
import { tableOrSplitIn, tableOrSplitOut, type NodeKindSpec } from './common.js';

/** The statistics a column can be filled with, for the per-type defaults and the per-column rules alike. */
const statistics = { mean: 'Mean', median: 'Median', mode: 'Most frequent' } as const;
const leaveMissing = { none: 'Leave missing' } as const;

export const imputeKind: NodeKindSpec = {
  label: 'Impute missing values',
  category: 'prepare',
  description:
    'Fills missing values: per column, else by column type. After a split, the fill values come from the train rows only.',
  inputs: [tableOrSplitIn],
  outputs: [tableOrSplitOut],
  params: [
    enumField('numeric', 'Numeric columns', { ...statistics, ...leaveMissing }, 'mean', {
      description: 'For numeric columns without a rule below.',
    }),
    enumField('other', 'Other columns', { mode: statistics.mode, ...leaveMissing }, 'mode', {
      description: 'For text, category, boolean and date columns without a rule below.',
    }),
    columnsField('exclude', 'Leave alone', { description: 'Columns never filled, e.g. the target.' }),
    {
      name: 'rules',
      label: 'Per column',
      type: 'object-list',
      default: [],
      fields: [
        { name: 'column', label: 'Column', type: 'column', required: true },
        enumField('strategy', 'Fill with', { ...statistics, constant: 'A constant' }, 'mean'),
        { name: 'value', label: 'Constant', type: 'string', visibleWhen: { field: 'strategy', oneOf: ['constant'] } },
      ],
    },
  ],
};

export interface ImputeParams {
  numeric: 'mean' | 'median' | 'mode' | 'none';
  other: 'mode' | 'none';
  exclude: string[];
  rules: { column: string; strategy: 'mean' | 'median' | 'mode' | 'constant'; value: string | undefined }[];
}
