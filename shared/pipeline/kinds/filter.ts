// The filter kind: keeps the rows where a condition holds (electron/core/pipelines/kinds/filter.ts runs it).
import { tableOrSplitIn, tableOrSplitOut, type NodeKindSpec } from './common.js';

export const filterKind: NodeKindSpec = {
  label: 'Filter rows',
  category: 'prepare',
  description: 'Keeps the rows where a condition holds. Works before or after a split.',
  inputs: [tableOrSplitIn],
  outputs: [tableOrSplitOut],
  params: [
    {
      name: 'condition',
      label: 'Keep rows where',
      type: 'string',
      format: 'expression',
      required: true,
      placeholder: "age >= 18 AND country = 'NZ'",
      description: 'A DuckDB boolean expression over the columns; rows where it is false or NULL are dropped.',
    },
  ],
};

export interface FilterParams {
  condition: string;
}
