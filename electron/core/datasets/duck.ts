// Small helpers every DuckDB user in core shares: opening an instance with our limits, quoting,
// and turning DuckDB's JS values into cells that survive JSON without losing digits.
import os from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Cell } from '../../../shared/api.js';

export interface DuckOptions {
  /** DuckDB spills to this folder when a query outgrows memory_limit. */
  tempDir?: string;
  memoryLimit?: string;
  threads?: number;
}

/** An in-memory DuckDB (we only read and write Parquet files) with bounded memory. */
export async function openDuck(
  options: DuckOptions = {},
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const config: Record<string, string> = {
    memory_limit: options.memoryLimit ?? '512MB',
    // Extensions would be downloaded from outside; everything we use is built in.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // We read local files, which the OS already caches; DuckDB's own copy would only hold memory.
    enable_external_file_cache: 'false',
  };
  if (options.tempDir) config.temp_directory = options.tempDir;
  if (options.threads) config.threads = String(options.threads);
  // Loaded on first use: the native library costs a command that never queries data ~40 MB.
  const { DuckDBInstance: Instance } = await import('@duckdb/node-api');
  const instance = await Instance.create(':memory:', config);
  const conn = await instance.connect();
  // Query progress (read by import jobs for their progress bar) is tracked only with the progress
  // bar on; its printing is DuckDB's own terminal bar, which we do not want. Session settings.
  await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
  // A Parquet footer is parsed once, not by every query: profiling runs tens of queries over one
  // file, and with 10,000 columns parsing the footer was most of each query's cost.
  await conn.run('SET parquet_metadata_cache = true');
  return { instance, conn };
}

/**
 * DuckDB's CSV reader and Parquet writer reserve buffers per column: 512 MB is plenty for ordinary
 * tables, but the reservations count against memory_limit long before the process uses that much
 * (a 5,000-column text CSV of 3 rows fails at 600 MB and succeeds at 1 GB while its peak RSS stays
 * at 270 MB; text columns reserve about twice what numbers do). Give wide tables 0.25 MB per
 * column, up to half the machine's memory.
 */
export function memoryLimitFor(columns: number): string {
  const wanted = Math.max(512, Math.ceil(columns * 0.25));
  const cap = Math.max(512, Math.floor(os.totalmem() / 2 / 2 ** 20));
  return `${Math.min(wanted, cap)}MB`;
}

/** Quotes an identifier: column names come from users' files and may hold anything. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal, for the places DuckDB does not take a bound parameter (table function paths). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Converts one DuckDB JS value to a boundary cell. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    if (Number.isNaN(value)) return 'NaN';
    return value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** A finite number or null, for statistics. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'object' && value !== null && 'toDouble' in value && typeof value.toDouble === 'function') {
    const n = (value as { toDouble(): number }).toDouble();
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A DuckDB value as text (for VARCHAR results such as names and messages). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const cell = toCell(value);
  return cell === null ? '' : String(cell);
}
