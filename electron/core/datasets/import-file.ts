// The import procedure, run inside a job process: check the file, hash it, stream it through
// DuckDB into a Parquet file in the job's own folder, and profile that file. It writes nothing
// outside `workDir`; the host moves the result into place and records it, or throws it away.
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BadRowsPolicy, ColumnProfile, JobProgress, SourceFormat } from '../../../shared/api.js';
import { fsyncFile } from '../durable-fs.js';
import { CairnError } from '../errors.js';
import { literal, memoryLimitFor, openDuck } from './duck.js';
import { assertColumnLimit, inspectFile, splitCsvLine, type FileInfo } from './file-check.js';
import { describeColumns, parquetStats } from './parquet-file.js';
import { profileColumns } from './profile.js';
import { firstLongLine, locate, readError, scanFile } from './scan.js';
import { copyToParquet, headerWarnings, nestedColumnWarnings } from './to-parquet.js';

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
const PHASES = {
  checking: [0, 0.01],
  hashing: [0.01, 0.2],
  reading: [0.2, 0.85],
  profiling: [0.85, 0.98],
  saving: [0.98, 1],
} as const;

function progress(
  phase: keyof typeof PHASES,
  within: number,
  bytesDone: number,
  bytesTotal: number,
  label: string,
  rows?: number,
): Progress {
  const [a, b] = PHASES[phase];
  const p: Progress = { phase, fraction: a + (b - a) * Math.min(1, Math.max(0, within)), bytesDone, bytesTotal, label };
  if (rows !== undefined) p.rows = rows;
  return p;
}

/** Imports one file into `workDir/data.parquet`. Throws CairnError with a message naming the file. */
export async function importFile(input: ImportInput, onProgress: (p: Progress) => void): Promise<ImportOutcome> {
  const name = path.basename(input.path);
  onProgress(progress('checking', 0, 0, 0, `Checking ${name}`));
  const info = await inspectFile(input.path);
  const total = info.sizeBytes;

  // The hash is taken while DuckDB copies the file (the OS cache serves both reads): the job's own
  // thread is idle during the copy, so hashing first only made the user wait for it. A file whose
  // hash is known, or with a quote never closed, stops the copy and throws its output away.
  const scanning = scanFile(input.path, {
    checkQuotes: info.format === 'csv' && info.csv?.encoding === 'utf-8',
    onBytes: (b) => onProgress(progress('hashing', b / total, b, total, `Hashing ${name}`)),
  });
  // Awaited once the copy runs: until then a failure must not count as unhandled.
  scanning.catch(() => undefined);
  const dataFile = path.join(input.workDir, 'data.parquet');
  const spill = path.join(input.workDir, 'spill');
  const { instance, conn } = await openDuck({
    tempDir: spill,
    memoryLimit: memoryLimitFor(info.csv?.header.length ?? 0),
  });
  let copying: Promise<{ rows: number; skippedRows: number; warnings: string[] }> | undefined;
  const stopping = new AbortController();
  const stopCopy = async () => {
    stopping.abort();
    conn.interrupt();
    await copying?.catch(() => undefined);
    await rm(dataFile, { force: true });
    await rm(spill, { recursive: true, force: true });
  };
  try {
    // A CSV's header was counted by inspectFile; a Parquet file's schema is in its footer.
    if (info.format === 'parquet') assertColumnLimit(input.path, (await describeColumns(conn, input.path)).length);
    copying = copyToParquet(conn, info, dataFile, input.badRows, stopping.signal);
    copying.catch(() => undefined);
    // The scan's verdicts come first: a failed read or an open quote stops the copy (below).
    const scan = await scanning;
    if (scan.unclosedQuoteAt !== undefined) {
      const { line, column } = await quotePosition(input.path, scan.unclosedQuoteAt, info.csv?.delimiter ?? ',');
      throw new CairnError(
        'import_failed',
        `${name}, line ${line}, column ${column}: a quoted field opens here and is never closed`,
        {
          file: input.path,
          line,
          column,
        },
      );
    }
    const known = input.knownHashes[scan.sha256];
    if (known) {
      await stopCopy();
      return { kind: 'unchanged', versionId: known, sha256: scan.sha256 };
    }
    const stopPolling = pollProgress(conn, (pct) =>
      onProgress(progress('reading', pct, Math.round(total * pct), total, `Reading ${name}`)),
    );
    let copied: { rows: number; skippedRows: number; warnings: string[] };
    try {
      copied = await copying;
    } finally {
      stopPolling();
    }
    // The hash was taken in a read of its own: a file deleted or rewritten since then would leave a
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
    // JSON keys are known only once read: still refused before the profile, the slower half.
    assertColumnLimit(input.path, columns.length);
    const warnings = [
      ...info.warnings,
      ...copied.warnings,
      ...headerWarnings(
        info,
        columns.map((c) => c.name),
      ),
      ...nestedColumnWarnings(columns),
    ];
    onProgress(progress('profiling', 0, total, total, `Profiling ${columns.length} columns`, copied.rows));
    const stats = await parquetStats(conn, dataFile, columns);
    const specs = columns.map((c) => ({ ...c, bounds: stats.get(c.name)?.bounds, known: stats.get(c.name)?.exact }));
    const profile = await profileColumns(conn, `read_parquet(${literal(dataFile)})`, specs, (done, all) =>
      onProgress(progress('profiling', done / all, total, total, `Profiling ${columns.length} columns`, copied.rows)),
    );
    onProgress(progress('saving', 0, total, total, 'Saving', copied.rows));
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
    // A failed import leaves no data behind: the copy may still run, or have written before a check failed.
    await stopCopy();
    if (err instanceof CairnError) throw err;
    throw (await lineTooLong(input.path, err)) ?? duckError(input.path, err);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Line and 1-based field number of the quote at `offset`: the field is counted from the line's start. */
async function quotePosition(
  file: string,
  offset: number,
  delimiter: string,
): Promise<{ line: number; column: number }> {
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
  if (
    info.identity &&
    (now.size !== info.identity.size || now.mtimeMs !== info.identity.mtimeMs || now.ino !== info.identity.ino)
  ) {
    throw new CairnError('import_failed', `${name} changed while it was being imported; import it again`, { file });
  }
}

/**
 * Reports the share of the running query done, every 200 ms. (DuckDB's rows_processed counts its
 * own units for a CSV scan, not rows, so rows are reported only once known.)
 */
function pollProgress(conn: DuckDBConnection, report: (fraction: number) => void): () => void {
  const timer = setInterval(() => {
    const { percentage } = conn.progress;
    if (percentage >= 0) report(percentage / 100);
  }, 200);
  return () => clearInterval(timer);
}

/**
 * DuckDB's "Maximum line size of 2000000 bytes exceeded. Actual Size:31999996 bytes" gives its
 * buffer's size, not the line's, and counts lines its own way: find the line and its real length.
 */
async function lineTooLong(file: string, err: unknown): Promise<CairnError | undefined> {
  const limit = /Maximum line size of (\d+) bytes exceeded/.exec(err instanceof Error ? err.message : String(err))?.[1];
  if (!limit) return undefined;
  const name = path.basename(file);
  const max = formatMegabytes(Number(limit));
  const long = await firstLongLine(file, Number(limit)).catch(() => undefined);
  if (!long)
    return new CairnError('import_failed', `${name}: a row is longer than ${max}, the most a CSV row may hold`, {
      file,
    });
  return new CairnError(
    'import_failed',
    `${name}, line ${long.line}: the line is ${long.bytes.toLocaleString('en-US')} bytes long; a CSV line may hold at most ${max}`,
    { file, line: long.line, bytes: long.bytes },
  );
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/** DuckDB's messages are long and technical; keep the line number and the first sentence. */
export function duckError(file: string, err: unknown): CairnError {
  const name = path.basename(file);
  const raw = err instanceof Error ? err.message : String(err);
  if (/No files found|No such file|Cannot open file/i.test(raw))
    return readError(file, Object.assign(new Error(raw), { code: 'ENOENT' }));
  if (/INTERRUPT/i.test(raw)) return new CairnError('cancelled', `import of ${name} was cancelled`);
  const line = /on Line: (\d+)/.exec(raw)?.[1];
  const sentence = raw
    .replace(/^[A-Za-z ]+Error: /, '')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && !/^(CSV Error on Line|Original Line|Possible (fix|Solution)|file =|LINE \d)/i.test(s))[0];
  const where = line ? `${name}, line ${line}` : name;
  return new CairnError(
    'import_failed',
    `${where}: ${sentence ?? raw}`,
    line ? { file, line: Number(line) } : { file },
  );
}
