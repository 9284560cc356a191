// Streams a database query's rows into one Parquet file with bounded memory, for every database
// kind. Rows arrive in batches as the drivers give them (text, numbers, bigints, booleans, bytes).
// Each batch is written as CSV text to a staging part; when a part holds PART_BYTES, DuckDB reads it
// (every field as text), casts each column to the type the kind chose and writes a Parquet part,
// while the next part is being read from the database. The parts are then written as one file.
//
// Why CSV rather than DuckDB's Appender: the Appender costs a native call per value (measured here:
// ~0.3 µs per double, ~1 µs per string, so 30-100 s for 10M rows x 10 columns), while building a CSV
// line is plain string work and DuckDB's CSV reader parses and casts a whole part in vectorised C++.
// Casting in DuckDB also means a value is parsed once, by one parser, whatever the kind.
import { mkdtemp, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal, memoryLimitFor, openDuck } from '../datasets/duck.js';
import { CairnError } from '../errors.js';

/** One column of the result, as a kind maps it. */
export interface OutputColumn {
  /** The name the database gives it (made unique and non-empty here). */
  name: string;
  /** The database's own type name, for notes: `jsonb`, `geometry`, `DECIMAL(65,30)`. */
  sourceType: string;
  /** The DuckDB type the file stores it as: BIGINT, DOUBLE, DECIMAL(18,2), DATE, TIMESTAMPTZ, VARCHAR... */
  storeAs: string;
  /** Set when `storeAs` is not the database's own type: what was done, e.g. "converted to text". */
  converted?: string;
}

/** Rows in the column order of `OutputColumn[]`; null and undefined are missing values. */
export type RowBatch = readonly (readonly unknown[])[];

export interface RowsToParquetOptions {
  /** The Parquet file to write (removed again if anything fails). */
  path: string;
  /** A folder the caller owns: the staging parts live in a folder of their own inside it. */
  tempDir: string;
  signal: AbortSignal;
  /** Rows written so far, after each batch. */
  onProgress?: (rows: number) => void;
  /** CSV bytes staged per part (PART_BYTES unless a test wants many parts from few rows). */
  partBytes?: number;
}

export interface WrittenRows {
  rows: number;
  /** What the user should know: columns converted, renamed. */
  notes: string[];
}

/** Staged CSV per part: big enough that DuckDB parses in bulk, small enough to bound the disk used. */
const PART_BYTES = 64 * 2 ** 20;
/** DuckDB's default longest CSV line; longer rows (big text or JSON values) raise it per part. */
const DEFAULT_LINE_BYTES = 2 * 2 ** 20;

/**
 * Writes the rows of `batches` to `options.path` as Parquet. Throws CairnError 'import_failed'
 * (reason 'empty') for no rows and 'cancelled' when the signal aborts; either way no file is left.
 */
export async function rowsToParquet(
  sourceColumns: OutputColumn[],
  batches: AsyncIterable<RowBatch>,
  options: RowsToParquetOptions,
): Promise<WrittenRows> {
  const { columns, renamed } = uniqueNames(sourceColumns);
  const staging = await mkdtemp(path.join(options.tempDir, 'rows-'));
  const duck = await openDuck({
    tempDir: path.join(staging, 'spill'),
    memoryLimit: memoryLimitFor(columns.length),
  }).catch(async (err: unknown) => {
    await rm(staging, { recursive: true, force: true });
    throw err;
  });
  const { instance, conn } = duck;
  const interrupt = () => conn.interrupt();
  options.signal.addEventListener('abort', interrupt);
  const parts: string[] = [];
  let part: CsvPart | undefined;
  let converting: Promise<void> = Promise.resolve();
  // One part converts while the next is read from the database; never two at once.
  const convertNext = async (full: CsvPart): Promise<void> => {
    const parquet = path.join(staging, `part-${parts.length}.parquet`);
    parts.push(parquet);
    await converting;
    converting = full.close().then(() => writing(convertPart(conn, full, parquet, columns)));
    // Awaited later (next part, or the end); until then a failure must not count as unhandled.
    converting.catch(() => undefined);
  };
  let rows = 0;
  try {
    // A timestamp with a zone but no offset in its text (MySQL's TIMESTAMP, read in a UTC session) is UTC.
    await conn.run(`SET TimeZone = 'UTC'`);
    for await (const batch of batches) {
      throwIfCancelled(options.signal);
      if (batch.length === 0) continue;
      part ??= await CsvPart.create(path.join(staging, `part-${parts.length}.csv`));
      await part.write(batch);
      rows += batch.length;
      options.onProgress?.(rows);
      if (part.bytes >= (options.partBytes ?? PART_BYTES)) {
        const full = part;
        part = undefined;
        await convertNext(full);
      }
    }
    throwIfCancelled(options.signal);
    if (part) {
      const last = part;
      part = undefined;
      await convertNext(last);
    }
    await converting;
    if (rows === 0) throw new CairnError('import_failed', 'The query returned no rows', { reason: 'empty' });
    await writing(mergeParts(conn, parts, columns, options.path));
    return { rows, notes: [...renamed, ...conversionNotes(columns)] };
  } catch (err) {
    await converting.catch(() => undefined);
    await rm(options.path, { force: true });
    if (options.signal.aborted) throw readCancelled();
    // The source's own errors (from `batches`) go to its kind, which knows what they mean.
    throw err;
  } finally {
    options.signal.removeEventListener('abort', interrupt);
    await part?.close().catch(() => undefined);
    conn.closeSync();
    instance.closeSync();
    await rm(staging, { recursive: true, force: true });
  }
}

/** DuckDB's failure to write the file, as the seam names it. */
async function writing(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (err) {
    throw new CairnError('import_failed', `Could not write the rows as Parquet: ${firstLine(err)}`, {
      reason: 'format',
    });
  }
}

/** One staging CSV file: every field text, quoted when it is a string, empty when missing. */
class CsvPart {
  bytes = 0;
  /** The longest line written, in UTF-16 units (at most 3 UTF-8 bytes each). */
  longestLine = 0;
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(file: string): Promise<CsvPart> {
    return new CsvPart(file, await open(file, 'w'));
  }

  async write(batch: RowBatch): Promise<void> {
    // One string appended to, strings (most values) quoted inline: about 2.5x faster than a
    // function call and a line string per value, which was most of a fetch's own CPU time.
    let text = '';
    for (const row of batch) {
      const start = text.length;
      for (let i = 0; i < row.length; i++) {
        if (i > 0) text += ',';
        const value = row[i];
        if (typeof value === 'string') {
          text += value.indexOf('"') === -1 ? '"' + value + '"' : '"' + value.replaceAll('"', '""') + '"';
        } else {
          text += csvField(value);
        }
      }
      text += '\n';
      if (text.length - start > this.longestLine) this.longestLine = text.length - start;
    }
    const buffer = Buffer.from(text);
    this.bytes += buffer.byteLength;
    await this.handle.write(buffer);
  }

  private closed?: Promise<void>;
  close(): Promise<void> {
    this.closed ??= this.handle.close();
    return this.closed;
  }
}

/**
 * A value as a CSV field. Strings are always quoted, so an empty string ("") stays apart from a
 * missing value (an empty field); bytes become `\x` and hex, as PostgreSQL prints bytea.
 */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
    case 'number':
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof Uint8Array) return `"${bytesAsText(value)}"`;
  if (value instanceof Date) return `"${value.toISOString()}"`;
  return csvField(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/**
 * Reads a staged CSV part and writes it as Parquet with each column cast to its type. A value the
 * type cannot take (SQLite lets a DATE column hold anything) turns that column to text, here and in
 * every later part, with a note: the file keeps the value rather than failing the whole read.
 */
async function convertPart(conn: DuckDBConnection, part: CsvPart, parquet: string, columns: OutputColumn[]) {
  const lineBytes = Math.max(DEFAULT_LINE_BYTES, 2 ** Math.ceil(Math.log2(part.longestLine * 3 + 2)));
  const source =
    `read_csv(${literal(part.file)}, header=false, auto_detect=false, delim=',', quote='"', escape='"', ` +
    `new_line='\\n', allow_quoted_nulls=false, max_line_size=${lineBytes}, buffer_size=${lineBytes * 2}, ` +
    `columns={${columns.map((_c, i) => `'c${i}': 'VARCHAR'`).join(', ')}})`;
  for (;;) {
    const select = columns
      .map((c, i) => (c.storeAs === 'VARCHAR' ? `c${i}` : `CAST(c${i} AS ${c.storeAs})`) + ` AS ${ident(c.name)}`)
      .join(', ');
    try {
      await conn.run(
        `COPY (SELECT ${select} FROM ${source}) TO ${literal(parquet)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 30720)`,
      );
      await rm(part.file, { force: true });
      return;
    } catch (err) {
      if (!/Conversion Error|Could not convert|out of range|Invalid Input Error/i.test(firstLine(err))) throw err;
      const failing = await uncastable(conn, source, columns);
      if (failing.length === 0) throw err;
      for (const { index, example } of failing) {
        const column = columns[index] as OutputColumn;
        column.converted = `kept as text: a value (${JSON.stringify(example.slice(0, 40))}) is not a ${column.storeAs}`;
        column.storeAs = 'VARCHAR';
      }
    }
  }
}

/** The typed columns holding a value their type cannot take, with one such value each. */
async function uncastable(
  conn: DuckDBConnection,
  source: string,
  columns: OutputColumn[],
): Promise<{ index: number; example: string }[]> {
  const typed = columns.map((c, index) => ({ c, index })).filter(({ c }) => c.storeAs !== 'VARCHAR');
  if (typed.length === 0) return [];
  const checks = typed.map(
    ({ c, index }) =>
      `min(c${index}) FILTER (WHERE c${index} IS NOT NULL AND TRY_CAST(c${index} AS ${c.storeAs}) IS NULL)`,
  );
  const row = (await conn.runAndReadAll(`SELECT ${checks.join(', ')} FROM ${source}`)).getRowsJS()[0] ?? [];
  return typed.flatMap(({ index }, i) => (typeof row[i] === 'string' ? [{ index, example: row[i] }] : []));
}

/** One part is the file already; several are read in order (by name, so a column turned text later wins) into one. */
async function mergeParts(conn: DuckDBConnection, parts: string[], columns: OutputColumn[], file: string) {
  if (parts.length === 1) {
    await rename(parts[0] as string, file);
    return;
  }
  const select = columns.map((c) => `CAST(${ident(c.name)} AS ${c.storeAs}) AS ${ident(c.name)}`).join(', ');
  await conn.run(
    `COPY (SELECT ${select} FROM read_parquet([${parts.map(literal).join(', ')}], union_by_name=true)) ` +
      `TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 30720)`,
  );
}

/** Column names as the file needs them: unique and non-empty (a query may return `a, a` or `?column?`). */
function uniqueNames(columns: OutputColumn[]): { columns: OutputColumn[]; renamed: string[] } {
  const taken = new Set<string>();
  const renamed: string[] = [];
  const out = columns.map((c, i) => {
    let name = c.name.trim() === '' ? `column_${i + 1}` : c.name;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${c.name}_${n}`;
    taken.add(name.toLowerCase());
    if (c.name.trim() === '') renamed.push(`Column ${i + 1} has no name; it is called "${name}"`);
    else if (name !== c.name) renamed.push(`Column ${i + 1} ("${c.name}") is called "${name}": names must be unique`);
    return { ...c, name };
  });
  return { columns: out, renamed };
}

function conversionNotes(columns: OutputColumn[]): string[] {
  return columns.flatMap((c) => (c.converted ? [`Column "${c.name}" (${c.sourceType}) was ${c.converted}`] : []));
}

/** The error every database read ends with when its signal aborts. */
export function readCancelled(): CairnError {
  return new CairnError('cancelled', 'The read was cancelled');
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw readCancelled();
}

/** Bytes as text, `\x` and hex, as PostgreSQL prints bytea. */
export function bytesAsText(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
