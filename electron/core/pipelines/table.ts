// Tables between pipeline steps are Parquet files written by DuckDB. These helpers read their
// columns, write a step's query to its table file, and make the preview the editor shows.
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SPLIT_COLUMN, splitParts, type StepOutput, type TablePreview } from '../../../shared/pipeline.js';
import { asText, ident, literal, toCell } from '../datasets/duck.js';
import { storageFamily } from '../datasets/profile.js';
import type { StepResult } from './step-cache.js';

/** Rows a step's preview shows. */
export const PREVIEW_ROWS = 20;
/** A step's table file inside its cache folder. */
export const TABLE_FILE = 'table.parquet';

export interface TableColumn {
  name: string;
  /** DuckDB's type, e.g. DOUBLE, BIGINT, VARCHAR. */
  type: string;
}

/** SQL that reads a table file. */
export function tableSource(file: string): string {
  return `read_parquet(${literal(file)})`;
}

/** The columns of a table file (or of any SELECT), in order. */
export async function describe(conn: DuckDBConnection, select: string): Promise<TableColumn[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${select}`);
  return reader.getRowsJS().map((r) => ({ name: asText(r[0]), type: asText(r[1]) }));
}

/** Whether a DuckDB type holds numbers (integers, floats, decimals). */
export function isNumeric(type: string): boolean {
  const family = storageFamily(type);
  return family === 'integer' || family === 'numeric';
}

/** Writes the rows of a SELECT to a Parquet file. */
export async function writeTable(conn: DuckDBConnection, select: string, file: string): Promise<void> {
  await conn.run(`COPY (${select}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`);
}

/** The preview of a table file: columns, first rows, row count, and rows per part for split tables. */
export async function preview(conn: DuckDBConnection, file: string): Promise<TablePreview> {
  const source = tableSource(file);
  const columns = await describe(conn, `SELECT * FROM ${source}`);
  const count = await conn.runAndReadAll(`SELECT count(*) FROM ${source}`);
  const rows = await conn.runAndReadAll(`SELECT * FROM ${source} LIMIT ${PREVIEW_ROWS}`);
  const out: TablePreview = {
    columns,
    rows: rows.getRowsJS().map((r) => r.map(toCell)),
    rowCount: Number(count.getRowsJS()[0]?.[0] ?? 0),
  };
  if (columns.some((c) => c.name === SPLIT_COLUMN)) {
    const parts = await conn.runAndReadAll(`SELECT ${ident(SPLIT_COLUMN)}, count(*) FROM ${source} GROUP BY 1`);
    const by = new Map(parts.getRowsJS().map((r) => [asText(r[0]), Number(r[1])]));
    out.parts = Object.fromEntries(splitParts.map((p) => [p, by.get(p) ?? 0])) as TablePreview['parts'];
  }
  return out;
}

/** Runs a SELECT into the step's table file and returns the step's result (one `data` output), with `extra` shown beside the table. */
export async function tableResult(
  conn: DuckDBConnection,
  select: string,
  outDir: string,
  extra: Omit<StepOutput, 'table'> = {},
): Promise<StepResult> {
  const file = path.join(outDir, TABLE_FILE);
  await writeTable(conn, select, file);
  return { output: { ...extra, table: await preview(conn, file) }, ports: { data: { type: 'table', file } } };
}
