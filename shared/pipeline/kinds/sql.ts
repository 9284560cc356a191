// The SQL transform kind (electron/core/pipelines/kinds/sql.ts runs it).
import { tableIn, tableOut, type NodeKindSpec } from './common.js';

/** The table a SQL transform's query reads its input from. */
export const SQL_INPUT_TABLE = 'input';

export const sqlKind: NodeKindSpec = {
  label: 'SQL transform',
  category: 'prepare',
  description: `Runs a DuckDB query; the input table is named "${SQL_INPUT_TABLE}".`,
  inputs: [tableIn],
  outputs: [tableOut],
  params: [
    {
      name: 'query',
      label: 'Query',
      type: 'string',
      format: 'sql',
      required: true,
      default: `SELECT * FROM ${SQL_INPUT_TABLE}`,
      description: `One SELECT (or WITH ... SELECT) statement reading "${SQL_INPUT_TABLE}".`,
    },
  ],
};

export interface SqlParams {
  query: string;
}
