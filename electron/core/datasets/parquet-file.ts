// Facts about a Parquet file that DuckDB reads from its metadata or schema, without a scan.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Cell } from '../../../shared/api.js';
import { asText, literal, toCell } from './duck.js';

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

/** What a Parquet file's own statistics say about one column, with no scan. */
export interface ParquetColumnStats {
  /** Finite min and max as doubles: they fix a numeric column's histogram bins. */
  bounds: { min: number; max: number };
  /**
   * For DOUBLE and integer columns: the min and max as the column's values (integers exact beyond
   * 2^53) and how many values are not missing. Finite bounds also say the column holds no NaN and
   * no infinity (DuckDB's writer leaves the min or max out for a row group holding one).
   */
  exact?: { min: Cell; max: Cell; nonNull: number };
}

/** Storage types whose statistics read back as exactly the values a scan's min() and max() give. */
const EXACT_STATS = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT|DOUBLE)$/;

/**
 * Statistics of the columns of a Parquet file from its metadata (no scan). A column holding an
 * infinity or NaN, or a row group without statistics, gets none: it is profiled by a scan instead.
 */
export async function parquetStats(
  conn: DuckDBConnection,
  file: string,
  columns: { name: string; storageType: string }[],
): Promise<Map<string, ParquetColumnStats>> {
  const total = await countParquetRows(conn, file);
  const reader = await conn.runAndReadAll(
    `SELECT path_in_schema, min(TRY_CAST(stats_min_value AS DOUBLE)), max(TRY_CAST(stats_max_value AS DOUBLE)),
            bool_and(stats_min_value IS NOT NULL AND stats_max_value IS NOT NULL AND stats_null_count IS NOT NULL),
            min(TRY_CAST(stats_min_value AS HUGEINT)), max(TRY_CAST(stats_max_value AS HUGEINT)), sum(stats_null_count)
     FROM parquet_metadata(${literal(file)}) GROUP BY path_in_schema`,
  );
  const storage = new Map(columns.map((c) => [c.name, c.storageType.toUpperCase()]));
  const out = new Map<string, ParquetColumnStats>();
  for (const [path, min, max, complete, intMin, intMax, nulls] of reader.getRowsJS()) {
    if (
      complete !== true ||
      typeof min !== 'number' ||
      typeof max !== 'number' ||
      !Number.isFinite(min) ||
      !Number.isFinite(max)
    )
      continue;
    const name = asText(path);
    const stats: ParquetColumnStats = { bounds: { min, max } };
    const type = storage.get(name);
    if (type && EXACT_STATS.test(type)) {
      const double = type === 'DOUBLE';
      // A UHUGEINT beyond HUGEINT's range does not cast: then its min and max come from a scan.
      if (double || (intMin !== null && intMax !== null)) {
        const nonNull = total - Number(nulls);
        stats.exact = double
          ? { min: toCell(min), max: toCell(max), nonNull }
          : { min: toCell(intMin), max: toCell(intMax), nonNull };
      }
    }
    out.set(name, stats);
  }
  return out;
}
