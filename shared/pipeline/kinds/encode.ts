// The encode kind: one-hot or ordinal codes for text and category columns, learned from the train
// rows after a split (electron/core/pipelines/kinds/encode.ts runs it).
import { columnsField, enumField } from '../fields.js';
import { leaveTargetAlone, tableOrSplitIn, tableOrSplitOut, type NodeKindSpec } from './common.js';

export const encodeKind: NodeKindSpec = {
  label: 'Encode categories',
  category: 'prepare',
  description:
    'Turns text and category columns into numbers: one 0/1 column per value, or one integer code per value. After a split, the values are those of the train rows.',
  inputs: [tableOrSplitIn],
  outputs: [tableOrSplitOut],
  params: [
    enumField('method', 'Method', { onehot: 'One-hot', ordinal: 'Ordinal codes' }, 'onehot'),
    columnsField('columns', 'Columns', {
      description: 'Every text column when empty (name boolean columns to encode them).',
    }),
    leaveTargetAlone,
    {
      name: 'maxCategories',
      label: 'Most values per column',
      type: 'integer',
      min: 2,
      max: 1000,
      default: 50,
      description: 'One-hot: values beyond the most frequent ones share an "other" column.',
      visibleWhen: { field: 'method', oneOf: ['onehot'] },
    },
  ],
};

export interface EncodeParams {
  method: 'onehot' | 'ordinal';
  columns: string[];
  exclude: string[];
  maxCategories: number;
}
