// The scale kind: standardises or min-max scales numeric columns, fitted on the train rows after a
// split (electron/core/pipelines/kinds/scale.ts runs it).
import { columnsField, enumField } from '../fields.js';
import { leaveTargetAlone, tableOrSplitIn, tableOrSplitOut, type NodeKindSpec } from './common.js';

export const scaleKind: NodeKindSpec = {
  label: 'Scale',
  category: 'prepare',
  description:
    'Rescales numeric columns: to mean 0 and standard deviation 1, or to the range 0..1. After a split, by the train rows only.',
  inputs: [tableOrSplitIn],
  outputs: [tableOrSplitOut],
  params: [
    enumField('method', 'Method', { standard: 'Standard (z-score)', minmax: 'Min-max (0..1)' }, 'standard'),
    columnsField('columns', 'Columns', { description: 'Every numeric column when empty.' }),
    leaveTargetAlone,
  ],
};

export interface ScaleParams {
  method: 'standard' | 'minmax';
  columns: string[];
  exclude: string[];
}
