// Facts about a Parquet file that DuckDB reads from its metadata or schema, without a scan.
import type { DuckDBConnection } from '@duckdb/node-api';
import { asText, literal } from './duck.js';

/** Row count, from the file's metadata. */
export async function countParquetRows(conn: DuckDBConnection, file: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(file)})`);
  return Number(reader.getRowsJS()[0]?.[0] ?? 0);
}

/** Column names and DuckDB storage types. */
export async function describeColumns(
  conn: DuckDBConnection,
  file: string,
): Promise<{ name: string; storageType: string }[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
  return reader.getRowsJS().map((r) => ({ name: asText(r[0]), storageType: asText(r[1]) }));
}

/**
 * Finite min and max of each numeric column from the Parquet file's own statistics (no scan). A
 * column holding an infinity, or without statistics, gets none and is binned after a scan instead.
 */
export async function parquetBounds(
  conn: DuckDBConnection,
  file: string,
): Promise<Map<string, { min: number; max: number }>> {
  const reader = await conn.runAndReadAll(
    `SELECT path_in_schema, min(TRY_CAST(stats_min_value AS DOUBLE)), max(TRY_CAST(stats_max_value AS DOUBLE)),
            bool_and(stats_min_value IS NOT NULL AND stats_max_value IS NOT NULL)
     FROM parquet_metadata(${literal(file)}) GROUP BY path_in_schema`,
  );
  const out = new Map<string, { min: number; max: number }>();
  for (const [name, min, max, complete] of reader.getRowsJS()) {
    if (
      complete === true &&
      typeof min === 'number' &&
      typeof max === 'number' &&
      Number.isFinite(min) &&
      Number.isFinite(max)
    ) {
      out.set(asText(name), { min, max });
    }
  }
  return out;
}
