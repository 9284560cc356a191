// The import procedure, run inside a job process: check the file, hash it, stream it through
// DuckDB into a Parquet file in the job's own folder, and profile that file. It writes nothing
// outside `workDir`; the host moves the result into place and records it, or throws it away.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BadRowsPolicy, ColumnProfile, JobProgress, SourceFormat } from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import { asText, ident, literal, memoryLimitFor, openDuck } from './duck.js';
import { inspectFile, splitCsvLine, type FileInfo } from './file-check.js';
import { profileColumns } from './profile.js';
import { locate, readError, scanFile } from './scan.js';

/** Tokens read as missing values, besides the empty field. */
export const MISSING_TOKENS = ['', 'NA', 'N/A', 'NaN', 'nan', '?', 'null', 'NULL', 'None', '#N/A'];
/** Largest JSON object accepted. CSV lines keep DuckDB's 2 MB limit: its read buffers scale with it. */
const MAX_JSON_OBJECT_BYTES = 8 * 1024 * 1024;
const SHOWN_BAD_LINES = 20;

export interface ImportInput {
  path: string;
  badRows: BadRowsPolicy;
  /** Content hashes already imported under this dataset's name, mapped to their version ids. */
  knownHashes: Record<string, string>;
  workDir: string;
}

export type ImportOutcome =
  | { kind: 'unchanged'; versionId: string; sha256: string }
  | {
      kind: 'created';
      sha256: string;
      format: SourceFormat;
      sizeBytes: number;
      dataFile: string;
      rows: number;
      skippedRows: number;
      columns: ColumnProfile[];
      warnings: string[];
    };

type Progress = Omit<JobProgress, 'jobId' | 'kind'>;

// The share of the bar each phase takes; reading dominates on big files.
const PHASES = { checking: [0, 0.01], hashing: [0.01, 0.2], reading: [0.2, 0.85], profiling: [0.85, 0.98], saving: [0.98, 1] } as const;

function progress(phase: keyof typeof PHASES, within: number, bytesDone: number, bytesTotal: number, label: string): Progress {
  const [a, b] = PHASES[phase];
  return { phase, fraction: a + (b - a) * Math.min(1, Math.max(0, within)), bytesDone, bytesTotal, label };
}

/** Imports one file into `workDir/data.parquet`. Throws CairnError with a message naming the file. */
export async function importFile(input: ImportInput, onProgress: (p: Progress) => void): Promise<ImportOutcome> {
  const name = path.basename(input.path);
  onProgress(progress('checking', 0, 0, 0, `Checking ${name}`));
  const info = await inspectFile(input.path);
  const total = info.sizeBytes;

  const scan = await scanFile(input.path, {
    checkQuotes: info.format === 'csv' && info.csv?.encoding === 'utf-8',
    onBytes: (b) => onProgress(progress('hashing', b / total, b, total, `Hashing ${name}`)),
  });
  if (scan.unclosedQuoteAt !== undefined) {
    const { line, column } = await quotePosition(input.path, scan.unclosedQuoteAt, info.csv?.delimiter ?? ',');
    throw new CairnError('import_failed', `${name}, line ${line}, column ${column}: a quoted field opens here and is never closed`, {
      file: input.path,
      line,
      column,
    });
  }
  const known = input.knownHashes[scan.sha256];
  if (known) return { kind: 'unchanged', versionId: known, sha256: scan.sha256 };

  const { instance, conn } = await openDuck({
    tempDir: path.join(input.workDir, 'spill'),
    memoryLimit: memoryLimitFor(info.csv?.header.length ?? 0),
  });
  try {
    const dataFile = path.join(input.workDir, 'data.parquet');
    const stopPolling = pollProgress(conn, (pct) =>
      onProgress(progress('reading', pct, Math.round(total * pct), total, `Reading ${name}`)),
    );
    let copied: { rows: number; skippedRows: number; warnings: string[] };
    try {
      copied = await copyToParquet(conn, info, dataFile, input.badRows);
    } finally {
      stopPolling();
    }
    // The hash was taken in an earlier pass: a file deleted or rewritten since then would leave a
    // version whose data does not match its content hash (or, on Linux, silently import an
    // unlinked file the user just deleted). DuckDB reads by path, so check the path again.
    await assertUnchanged(input.path, info);
    if (copied.rows === 0) {
      throw new CairnError(
        'import_failed',
        info.format === 'csv' ? `${name} has a header but no data rows` : `${name} holds no rows`,
        { file: input.path },
      );
    }
    const columns = await describeColumns(conn, dataFile);
    const warnings = [...info.warnings, ...copied.warnings, ...headerWarnings(info, columns.map((c) => c.name))];
    onProgress(progress('profiling', 0, total, total, `Profiling ${columns.length} columns`));
    const bounds = await parquetBounds(conn, dataFile);
    const specs = columns.map((c) => ({ ...c, bounds: bounds.get(c.name) }));
    const profile = await profileColumns(conn, `read_parquet(${literal(dataFile)})`, specs, (done, all) =>
      onProgress(progress('profiling', done / all, total, total, `Profiling ${columns.length} columns`)),
    );
    onProgress(progress('saving', 0, total, total, 'Saving'));
    await fsyncFile(dataFile);
    return {
      kind: 'created',
      sha256: scan.sha256,
      format: info.format,
      sizeBytes: total,
      dataFile,
      rows: copied.rows,
      skippedRows: copied.skippedRows,
      columns: profile,
      warnings,
    };
  } catch (err) {
    throw err instanceof CairnError ? err : duckError(input.path, err);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Line and 1-based field number of the quote at `offset`: the field is counted from the line's start. */
async function quotePosition(file: string, offset: number, delimiter: string): Promise<{ line: number; column: number }> {
  const { line, lineStart } = await locate(file, offset);
  const handle = await open(file, 'r');
  try {
    const length = Math.min(offset - lineStart, 1 << 20);
    const buf = Buffer.alloc(Math.max(0, length));
    await handle.read(buf, 0, buf.length, offset - length);
    return { line, column: splitCsvLine(buf.toString('utf8'), delimiter).length };
  } finally {
    await handle.close();
  }
}

async function assertUnchanged(file: string, info: FileInfo): Promise<void> {
  const name = path.basename(file);
  const now = await stat(file).catch((err: unknown) => {
    throw readError(file, err);
  });
  if (info.identity && (now.size !== info.identity.size || now.mtimeMs !== info.identity.mtimeMs || now.ino !== info.identity.ino)) {
    throw new CairnError('import_failed', `${name} changed while it was being imported; import it again`, { file });
  }
}

/**
 * read_csv over the file with our dialect. With a rejects table, malformed rows are set aside and
 * listed there (with their line numbers) instead of stopping the read.
 */
function csvSource(info: FileInfo, types: Record<string, string>, rejectsTable?: string): string {
  const csv = info.csv;
  if (!csv) throw new Error('CSV dialect missing');
  const options = [
    `delim=${literal(csv.delimiter)}`,
    `quote='"'`,
    `escape='"'`,
    'header=true',
    `nullstr=[${MISSING_TOKENS.map(literal).join(', ')}]`,
  ];
  if (rejectsTable) {
    options.push(
      'ignore_errors=true',
      'store_rejects=true',
      `rejects_table=${literal(rejectsTable)}`,
      `rejects_scan=${literal(`${rejectsTable}_scan`)}`,
    );
  }
  if (csv.decimalComma) options.push(`decimal_separator=','`);
  if (csv.encoding === 'utf-16') options.push(`encoding='utf-16'`);
  const typed = Object.entries(types);
  if (typed.length > 0) {
    options.push(`types={${typed.map(([c, t]) => `${literal(c)}: ${literal(t)}`).join(', ')}}`);
  }
  return `read_csv(${literal(info.path)}, ${options.join(', ')})`;
}

interface Reject {
  line: number;
  column: string | null;
  type: string;
  message: string;
}

async function copyToParquet(
  conn: DuckDBConnection,
  info: FileInfo,
  dataFile: string,
  badRows: BadRowsPolicy,
): Promise<{ rows: number; skippedRows: number; warnings: string[] }> {
  const copy = async (source: string): Promise<void> => {
    // Row groups of 30,720 rows (15 DuckDB vectors) keep the writer's buffers, and so the peak
    // memory of an import, about a quarter lower than the default 122,880, at no cost in speed.
    await conn.run(
      `COPY (SELECT * FROM ${source}) TO ${literal(dataFile)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 30720)`,
    );
  };
  const name = path.basename(info.path);
  if (info.format === 'parquet') {
    await copy(`read_parquet(${literal(info.path)})`);
  } else if (info.format === 'json') {
    await copy(`read_json_auto(${literal(info.path)}, format='auto', maximum_object_size=${MAX_JSON_OBJECT_BYTES})`);
  } else {
    const typeWarnings = new Map<string, string>();
    const types: Record<string, string> = {};
    let attempt = 0;
    let inspectedInfinity = false;
    // First a strict read, the fast path for well-formed files (collecting rejects costs about a
    // third more). Any error sends us to the lenient read, which says which lines are at fault.
    let lenient = false;
    for (;;) {
      const table = `rejects_${attempt++}`;
      let rejects: Reject[] = [];
      if (lenient) {
        await copy(csvSource(info, types, table));
        rejects = await readRejects(conn, table);
      } else {
        try {
          await copy(csvSource(info, types));
        } catch (err) {
          if (/INTERRUPT/i.test(String(err))) throw err;
          lenient = true;
          continue;
        }
      }
      // A value that does not fit the type the sniffer guessed from a sample is not a bad row:
      // read that column as text instead, and say so.
      const castColumns = [...new Set(rejects.filter((r) => r.type === 'CAST' && r.column).map((r) => r.column as string))];
      if (castColumns.length > 0 && attempt < 5) {
        for (const c of castColumns) {
          types[c] = 'VARCHAR';
          const first = rejects.find((r) => r.column === c);
          typeWarnings.set(c, `Column "${c}" mixes types (line ${first?.line ?? '?'}); it was read as text`);
        }
        continue;
      }
      // DuckDB's sniffer never guesses DOUBLE for "Infinity" or "inf", so one such value turns a
      // numeric column into text; 1e309 on the other hand reads as infinity. Read columns whose
      // every value is a number or an infinity as DOUBLE, so both count as non-finite numbers.
      if (!inspectedInfinity && attempt < 5) {
        inspectedInfinity = true;
        const numeric = await numbersWithInfinity(conn, dataFile, info.csv?.decimalComma ?? false);
        if (numeric.length > 0) {
          for (const c of numeric) {
            types[c] = 'DOUBLE';
            typeWarnings.delete(c);
          }
          continue;
        }
      }
      const warnings = [...typeWarnings.values()];
      const skipped = new Set(rejects.map((r) => r.line)).size;
      if (skipped > 0 && badRows === 'fail') {
        const lines = [...new Map(rejects.map((r) => [r.line, r])).values()].slice(0, SHOWN_BAD_LINES);
        const list = lines.map((r) => `line ${r.line}: ${describeReject(r)}`).join('; ');
        throw new CairnError('bad_rows', `${name} has ${skipped} malformed row${skipped === 1 ? '' : 's'} (${list}${skipped > lines.length ? '; ...' : ''})`, {
          file: info.path,
          count: skipped,
          lines: lines.map((r) => ({ line: r.line, reason: describeReject(r) })),
        });
      }
      if (skipped > 0) warnings.push(`${skipped} malformed row${skipped === 1 ? ' was' : 's were'} skipped`);
      const rows = await countParquetRows(conn, dataFile);
      return { rows, skippedRows: skipped, warnings };
    }
  }
  return { rows: await countParquetRows(conn, dataFile), skippedRows: 0, warnings: [] };
}

const NUMBER_OR_INFINITY = String.raw`\s*[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf|infinity)\s*`;
const INFINITY = String.raw`\s*[+-]?(inf|infinity)\s*`;

/** Text columns of the Parquet file whose values are all numbers, at least one of them an infinity. */
async function numbersWithInfinity(conn: DuckDBConnection, file: string, decimalComma: boolean): Promise<string[]> {
  const text = (await describeColumns(conn, file)).filter((c) => c.storageType === 'VARCHAR').map((c) => c.name);
  if (text.length === 0) return [];
  const number = decimalComma ? NUMBER_OR_INFINITY.replace(String.raw`\.`, ',').replace(String.raw`\.`, ',') : NUMBER_OR_INFINITY;
  const selects = text.map((c) => {
    const v = ident(c);
    return `bool_and(regexp_full_match(${v}, ${literal(number)}, 'i')) AND bool_or(regexp_full_match(${v}, ${literal(INFINITY)}, 'i'))`;
  });
  const row = (await conn.runAndReadAll(`SELECT ${selects.join(', ')} FROM read_parquet(${literal(file)})`)).getRowsJS()[0] ?? [];
  return text.filter((_c, i) => row[i] === true);
}

async function readRejects(conn: DuckDBConnection, table: string): Promise<Reject[]> {
  const reader = await conn.runAndReadAll(
    `SELECT line, column_name, error_type::VARCHAR, error_message FROM ${ident(table)} ORDER BY line`,
  );
  return reader.getRowsJS().map((r) => ({
    line: Number(r[0]),
    column: (r[1] as string | null) ?? null,
    type: asText(r[2]),
    message: asText(r[3]),
  }));
}

function describeReject(r: Reject): string {
  switch (r.type) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS':
      return r.message.replace('Expected Number of Columns: ', 'expected ').replace(' Found: ', ' fields, found ');
    case 'INVALID ENCODING':
      return 'bytes that are not valid UTF-8 (save the file as UTF-8)';
    case 'UNQUOTED VALUE':
      return 'a quote inside an unquoted field';
    case 'LINE SIZE OVER MAXIMUM':
      return 'a line longer than 2 MB';
    default:
      return r.message;
  }
}

async function countParquetRows(conn: DuckDBConnection, file: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(file)})`);
  return Number(reader.getRowsJS()[0]?.[0] ?? 0);
}

async function describeColumns(conn: DuckDBConnection, file: string): Promise<{ name: string; storageType: string }[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
  return reader.getRowsJS().map((r) => ({ name: asText(r[0]), storageType: asText(r[1]) }));
}

/**
 * Finite min and max of each numeric column from the Parquet file's own statistics (no scan). A
 * column holding an infinity, or without statistics, gets none and is binned after a scan instead.
 */
async function parquetBounds(conn: DuckDBConnection, file: string): Promise<Map<string, { min: number; max: number }>> {
  const reader = await conn.runAndReadAll(
    `SELECT path_in_schema, min(TRY_CAST(stats_min_value AS DOUBLE)), max(TRY_CAST(stats_max_value AS DOUBLE)),
            bool_and(stats_min_value IS NOT NULL AND stats_max_value IS NOT NULL)
     FROM parquet_metadata(${literal(file)}) GROUP BY path_in_schema`,
  );
  const out = new Map<string, { min: number; max: number }>();
  for (const [name, min, max, complete] of reader.getRowsJS()) {
    if (complete === true && typeof min === 'number' && typeof max === 'number' && Number.isFinite(min) && Number.isFinite(max)) {
      out.set(asText(name), { min, max });
    }
  }
  return out;
}

/** Says which header names DuckDB had to invent or make unique. */
function headerWarnings(info: FileInfo, finalNames: string[]): string[] {
  const header = info.csv?.header;
  if (!header || header.length !== finalNames.length) return [];
  const out: string[] = [];
  header.forEach((written, i) => {
    const final = finalNames[i] as string;
    if (written === '') out.push(`Column ${i + 1} has no name in the header; it is called "${final}"`);
    else if (written !== final) out.push(`Header "${written}" appears more than once; column ${i + 1} is called "${final}"`);
  });
  return out;
}

function pollProgress(conn: DuckDBConnection, report: (fraction: number) => void): () => void {
  const timer = setInterval(() => {
    const pct = conn.progress.percentage;
    if (pct >= 0) report(pct / 100);
  }, 200);
  return () => clearInterval(timer);
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** DuckDB's messages are long and technical; keep the line number and the first sentence. */
export function duckError(file: string, err: unknown): CairnError {
  const name = path.basename(file);
  const raw = err instanceof Error ? err.message : String(err);
  if (/No files found|No such file|Cannot open file/i.test(raw)) return readError(file, Object.assign(new Error(raw), { code: 'ENOENT' }));
  if (/INTERRUPT/i.test(raw)) return new CairnError('cancelled', `import of ${name} was cancelled`);
  const line = /on Line: (\d+)/.exec(raw)?.[1];
  const sentence = raw
    .replace(/^[A-Za-z ]+Error: /, '')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && !/^(CSV Error on Line|Original Line|Possible (fix|Solution)|file =|LINE \d)/i.test(s))[0];
  const where = line ? `${name}, line ${line}` : name;
  return new CairnError('import_failed', `${where}: ${sentence ?? raw}`, line ? { file, line: Number(line) } : { file });
}
