// The columns kind: select, drop and rename columns (electron/core/pipelines/kinds/columns.ts runs it).
import { columnsField, enumField } from '../fields.js';
import { tableIn, tableOut, type NodeKindSpec } from './common.js';

export const columnsKind: NodeKindSpec = {
  label: 'Select / drop / rename columns',
  category: 'prepare',
  description: 'Keeps or drops columns, then renames some.',
  inputs: [tableIn],
  outputs: [tableOut],
  params: [
    enumField('mode', 'Mode', { select: 'Keep only these columns', drop: 'Drop these columns' }, 'drop'),
    columnsField('columns', 'Columns'),
    {
      name: 'rename',
      label: 'Rename',
      type: 'object-list',
      default: [],
      fields: [
        { name: 'from', label: 'Column', type: 'column', required: true },
        { name: 'to', label: 'New name', type: 'string', required: true, maxLength: 200 },
      ],
    },
  ],
};

export interface ColumnsParams {
  mode: 'select' | 'drop';
  columns: string[];
  rename: { from: string; to: string }[];
}
