// Pages of a dataset version's rows, sorted and filtered by DuckDB: the table in the UI asks for
// the window it shows, so millions of rows never cross the boundary.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { ColumnProfile, RowFilter, RowsPage } from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import { ident, literal, toCell } from './duck.js';

export interface RowsRequest {
  dataFile: string;
  columns: ColumnProfile[];
  offset: number;
  limit: number;
  sort?: { column: string; direction: 'asc' | 'desc' };
  filters: RowFilter[];
  /** Only these columns, in this order; all when absent. */
  select?: string[];
}

const NUMERIC = new Set(['numeric', 'integer']);

function whereClause(req: RowsRequest, params: DuckDBValue[]): string {
  const byName = new Map(req.columns.map((c) => [c.name, c]));
  const parts = req.filters.map((f) => {
    const col = byName.get(f.column);
    if (!col) throw new CairnError('invalid_argument', `unknown column "${f.column}"`);
    const c = ident(f.column);
    if (f.op === 'is_null') return `${c} IS NULL`;
    if (f.op === 'not_null') return `${c} IS NOT NULL`;
    if (f.value === undefined || f.value === '')
      throw new CairnError('invalid_argument', `filter on "${f.column}" needs a value`);
    if (f.op === 'contains') {
      params.push(`%${String(f.value).replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      return `CAST(${c} AS VARCHAR) ILIKE ? ESCAPE '\\'`;
    }
    const asNumber = Number(f.value);
    const numeric = NUMERIC.has(col.type) && col.storageType !== 'VARCHAR' && Number.isFinite(asNumber);
    params.push(numeric ? asNumber : String(f.value));
    const lhs = numeric ? c : `CAST(${c} AS VARCHAR)`;
    const op = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.op];
    return `${lhs} ${op} ?`;
  });
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** One page of rows; the first cell of each row is its 1-based row number in file order. */
export async function readRows(conn: DuckDBConnection, req: RowsRequest): Promise<RowsPage> {
  const source = `read_parquet(${literal(req.dataFile)}, file_row_number = true)`;
  const params: DuckDBValue[] = [];
  const where = whereClause(req, params);
  if (req.sort && !req.columns.some((c) => c.name === req.sort?.column)) {
    throw new CairnError('invalid_argument', `unknown column "${req.sort.column}"`);
  }
  // file_row_number keeps the order stable when sorted values tie.
  const order = req.sort
    ? `ORDER BY ${ident(req.sort.column)} ${req.sort.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, file_row_number`
    : 'ORDER BY file_row_number';
  const known = new Set(req.columns.map((c) => c.name));
  const unknown = req.select?.find((name) => !known.has(name));
  if (unknown !== undefined) throw new CairnError('invalid_argument', `unknown column "${unknown}"`);
  const selected = req.select ?? req.columns.map((c) => c.name);
  const names = selected.map((name) => ident(name)).join(', ');
  const total = await conn.runAndReadAll(`SELECT count(*) FROM ${source} ${where}`, params);
  const page = await conn.runAndReadAll(
    `SELECT file_row_number + 1, ${names} FROM ${source} ${where} ${order} LIMIT ${req.limit} OFFSET ${req.offset}`,
    params,
  );
  return {
    columns: selected,
    rows: page.getRowsJS().map((r) => r.map(toCell)),
    total: Number(total.getRowsJS()[0]?.[0] ?? 0),
    offset: req.offset,
  };
}
