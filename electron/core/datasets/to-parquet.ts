// Reading a source file into Parquet with DuckDB: the CSV dialect and missing-value tokens, the
// strict-then-lenient read that locates malformed rows by line, and the type fixes the sniffer
// needs (mixed columns as text, infinities as numbers, yes/no kept as written).
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BadRowsPolicy } from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import { asText, ident, literal } from './duck.js';
import type { FileInfo } from './file-check.js';
import { countParquetRows, describeColumns } from './parquet-file.js';

/** Tokens read as missing values, besides the empty field. */
export const MISSING_TOKENS = ['', 'NA', 'N/A', 'NaN', 'nan', '?', 'null', 'NULL', 'None', '#N/A'];
/** Largest JSON object accepted. CSV lines keep DuckDB's 2 MB limit: its read buffers scale with it. */
const MAX_JSON_OBJECT_BYTES = 8 * 1024 * 1024;
const SHOWN_BAD_LINES = 20;

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

/**
 * The table function that reads a source file as it is (CSV with our dialect and missing-value
 * tokens, JSON/NDJSON, Parquet): what an import copies and what batch prediction scores.
 */
export function readSource(info: FileInfo): string {
  if (info.format === 'parquet') return `read_parquet(${literal(info.path)})`;
  if (info.format === 'json')
    return `read_json_auto(${literal(info.path)}, format='auto', maximum_object_size=${MAX_JSON_OBJECT_BYTES})`;
  return csvSource(info, {});
}

interface Reject {
  line: number;
  column: string | null;
  type: string;
  message: string;
}

/**
 * Streams the source file into `dataFile` (Parquet); for CSV, with the policy for malformed rows.
 * `signal` stops it between its queries (interrupting the connection stops the one running).
 */
export async function copyToParquet(
  conn: DuckDBConnection,
  info: FileInfo,
  dataFile: string,
  badRows: BadRowsPolicy,
  signal?: AbortSignal,
): Promise<{ rows: number; skippedRows: number; warnings: string[] }> {
  const copy = async (source: string, select = '*'): Promise<void> => {
    signal?.throwIfAborted();
    // Row groups of 30,720 rows (15 DuckDB vectors) keep the writer's buffers, and so the peak
    // memory of an import, about a quarter lower than the default 122,880, at no cost in speed.
    await conn.run(
      `COPY (SELECT ${select} FROM ${source}) TO ${literal(dataFile)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 30720)`,
    );
  };
  const name = path.basename(info.path);
  if (info.format !== 'csv') {
    await copy(readSource(info));
  } else {
    const typeWarnings = new Map<string, string>();
    const types: Record<string, string> = {};
    let attempt = 0;
    let inspectedInfinity = false;
    let inspectedBooleans = false;
    // Columns the sniffer reads as BOOLEAN are read as written and turned into booleans by the
    // copy itself, which fails if one holds other words than true and false (yes/no, t/f): that
    // checks the words in the same read, where checking them after the copy took a second read
    // of the whole file. On such a failure they are read as the sniffer says, and checked after.
    // A malformed file can fail the strict sniff: then none, and the lenient read says why.
    let checkedBooleans: string[] = await sniffedBooleans(conn, info).catch((err: unknown) => {
      if (/INTERRUPT/i.test(String(err))) throw err;
      return [];
    });
    // First a strict read, the fast path for well-formed files (collecting rejects costs about a
    // third more). Any error sends us to the lenient read, which says which lines are at fault.
    let lenient = false;
    for (;;) {
      signal?.throwIfAborted();
      const table = `rejects_${attempt++}`;
      let rejects: Reject[] = [];
      const asWords = checkedBooleans.filter((c) => !(c in types));
      const readTypes = { ...types, ...Object.fromEntries(asWords.map((c) => [c, 'VARCHAR'])) };
      const select = asWords.length ? `* REPLACE (${asWords.map(booleanFromWords).join(', ')})` : '*';
      try {
        if (lenient) {
          await copy(csvSource(info, readTypes, table), select);
          rejects = await readRejects(conn, table);
        } else {
          await copy(csvSource(info, readTypes), select);
        }
      } catch (err) {
        if (String(err).includes(OTHER_WORDS)) {
          checkedBooleans = [];
          continue;
        }
        if (lenient || /INTERRUPT/i.test(String(err))) throw err;
        lenient = true;
        continue;
      }
      // A value that does not fit the type the sniffer guessed from a sample is not a bad row:
      // read that column as text instead, and say so.
      const castColumns = [
        ...new Set(rejects.filter((r) => r.type === 'CAST' && r.column).map((r) => r.column as string)),
      ];
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
      // The sniffer reads yes/no, y/n and t/f as booleans, which would make a "yes"/"no" target's
      // classes "true"/"false": keep the file's own words unless they are true and false.
      if (!inspectedBooleans && attempt < 6) {
        inspectedBooleans = true;
        const booleans = (await describeColumns(conn, dataFile)).filter(
          (c) => c.storageType === 'BOOLEAN' && !checkedBooleans.includes(c.name),
        );
        const worded = await wordedBooleans(
          conn,
          info,
          booleans.map((c) => c.name),
          types,
        );
        if (worded.length > 0) {
          for (const c of worded) types[c] = 'VARCHAR';
          continue;
        }
      }
      const warnings = [...typeWarnings.values()];
      const skipped = new Set(rejects.map((r) => r.line)).size;
      if (skipped > 0 && badRows === 'fail') {
        const lines = [...new Map(rejects.map((r) => [r.line, r])).values()].slice(0, SHOWN_BAD_LINES);
        const list = lines.map((r) => `line ${r.line}: ${describeReject(r)}`).join('; ');
        throw new CairnError(
          'bad_rows',
          `${name} has ${skipped} malformed row${skipped === 1 ? '' : 's'} (${list}${skipped > lines.length ? '; ...' : ''})`,
          {
            file: info.path,
            count: skipped,
            lines: lines.map((r) => ({ line: r.line, reason: describeReject(r) })),
          },
        );
      }
      if (skipped > 0) warnings.push(`${skipped} malformed row${skipped === 1 ? ' was' : 's were'} skipped`);
      const rows = await countParquetRows(conn, dataFile);
      return { rows, skippedRows: skipped, warnings };
    }
  }
  return { rows: await countParquetRows(conn, dataFile), skippedRows: 0, warnings: [] };
}

/** The error a copy raises when a column read as true/false words holds another value. */
const OTHER_WORDS = 'cairn: a boolean column holds other words than true and false';

/** The columns DuckDB's sniffer reads as BOOLEAN (it looks at a sample: no read of the whole file). */
async function sniffedBooleans(conn: DuckDBConnection, info: FileInfo): Promise<string[]> {
  const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${csvSource(info, {})}`);
  return described
    .getRowsJS()
    .filter((r) => asText(r[1]) === 'BOOLEAN')
    .map((r) => asText(r[0]));
}

/**
 * A column read as text, as the boolean DuckDB would have read (TRY_CAST is its CSV reader's
 * cast), as long as each value is the word true or false; anything else fails the copy. The same
 * test as wordedBooleans, made while the file is read.
 */
function booleanFromWords(column: string): string {
  const c = ident(column);
  return (
    `CASE WHEN ${c} IS NULL THEN NULL ` +
    `WHEN lower(trim(${c})) IN ('true', 'false') AND TRY_CAST(${c} AS BOOLEAN) IS NOT NULL THEN TRY_CAST(${c} AS BOOLEAN) ` +
    `ELSE error(${literal(OTHER_WORDS)}) END AS ${c}`
  );
}

/** Of the columns the sniffer read as BOOLEAN, those whose values in the file are other words than true and false. */
async function wordedBooleans(
  conn: DuckDBConnection,
  info: FileInfo,
  booleans: string[],
  types: Record<string, string>,
): Promise<string[]> {
  if (booleans.length === 0) return [];
  const asWritten = { ...types, ...Object.fromEntries(booleans.map((c) => [c, 'VARCHAR'])) };
  const checks = booleans.map((c) => `bool_and(lower(trim(${ident(c)})) IN ('true', 'false'))`);
  const reader = await conn.runAndReadAll(`SELECT ${checks.join(', ')} FROM ${csvSource(info, asWritten)}`);
  const row = reader.getRowsJS()[0] ?? [];
  // bool_and over only missing values is NULL: nothing to keep then.
  return booleans.filter((_, i) => row[i] === false);
}

/**
 * readSource, with CSV columns of yes/no (or y/n, t/f) read as the words an import keeps, so a
 * file scored or labelled later reads its values as the model's training data did.
 */
export async function readSourceAsImported(conn: DuckDBConnection, info: FileInfo): Promise<string> {
  if (info.format !== 'csv') return readSource(info);
  const worded = await wordedBooleans(conn, info, await sniffedBooleans(conn, info), {});
  return csvSource(info, Object.fromEntries(worded.map((c) => [c, 'VARCHAR'])));
}

const NUMBER_OR_INFINITY = String.raw`\s*[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf|infinity)\s*`;
const INFINITY = String.raw`\s*[+-]?(inf|infinity)\s*`;

/**
 * From this many text columns, they are checked in long format, a thousand per query: one
 * aggregate pair per column in a single query cost DuckDB milliseconds each and memory with it
 * (2,000 text columns: 7.7 s; 5,000 ran out of memory).
 */
const LONG_CHECK_COLUMNS = 200;
const COLUMNS_PER_CHECK = 1000;

/** Text columns of the Parquet file whose values are all numbers, at least one of them an infinity. */
async function numbersWithInfinity(conn: DuckDBConnection, file: string, decimalComma: boolean): Promise<string[]> {
  const text = (await describeColumns(conn, file)).filter((c) => c.storageType === 'VARCHAR').map((c) => c.name);
  if (text.length === 0) return [];
  const number = decimalComma
    ? NUMBER_OR_INFINITY.replace(String.raw`\.`, ',').replace(String.raw`\.`, ',')
    : NUMBER_OR_INFINITY;
  const test = (v: string) =>
    `bool_and(regexp_full_match(${v}, ${literal(number)}, 'i')) AND bool_or(regexp_full_match(${v}, ${literal(INFINITY)}, 'i'))`;
  const source = `read_parquet(${literal(file)})`;
  if (text.length < LONG_CHECK_COLUMNS) {
    const row =
      (
        await conn.runAndReadAll(`SELECT ${text.map((c) => test(ident(c))).join(', ')} FROM ${source}`)
      ).getRowsJS()[0] ?? [];
    return text.filter((_c, i) => row[i] === true);
  }
  // Long format: (column number, value) pairs, grouped by column; streamed, so tall tables fit too.
  const found: string[] = [];
  for (let i = 0; i < text.length; i += COLUMNS_PER_CHECK) {
    const part = text.slice(i, i + COLUMNS_PER_CHECK);
    const sql =
      `SELECT k FROM (SELECT unnest(range(${part.length})) AS k, unnest([${part.map(ident).join(', ')}]) AS r FROM ${source}) ` +
      `GROUP BY k HAVING ${test('r')} ORDER BY k`;
    for (const [k] of (await conn.runAndReadAll(sql)).getRowsJS()) found.push(part[Number(k)] as string);
  }
  return found;
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

/**
 * Says which columns hold values no Cairn type fits, so they are profiled and used as text: a
 * Parquet struct, list or map, and an NDJSON key whose values differ in type between records
 * (DuckDB reads that as JSON). Without this the user would find them text and not know why.
 */
export function nestedColumnWarnings(columns: { name: string; storageType: string }[]): string[] {
  return columns.flatMap(({ name, storageType: t }) => {
    const upper = t.toUpperCase();
    if (upper === 'JSON')
      return [`Column "${name}" mixes types between records (e.g. numbers and text, or objects); it is kept as text`];
    if (/^STRUCT\b/.test(upper)) return [`Column "${name}" holds records (${t}); it is kept as text`];
    if (/^MAP\b/.test(upper)) return [`Column "${name}" holds maps (${t}); it is kept as text`];
    if (/^UNION\b/.test(upper)) return [`Column "${name}" holds values of several types (${t}); it is kept as text`];
    if (/\[\d*\]$/.test(upper)) return [`Column "${name}" holds lists (${t}); it is kept as text`];
    return [];
  });
}

/** Says which header names DuckDB had to invent or make unique. */
export function headerWarnings(info: FileInfo, finalNames: string[]): string[] {
  const header = info.csv?.header;
  if (!header || header.length !== finalNames.length) return [];
  const out: string[] = [];
  header.forEach((written, i) => {
    const final = finalNames[i] as string;
    if (written === '') out.push(`Column ${i + 1} has no name in the header; it is called "${final}"`);
    else if (written !== final)
      out.push(`Header "${written}" appears more than once; column ${i + 1} is called "${final}"`);
  });
  return out;
}
