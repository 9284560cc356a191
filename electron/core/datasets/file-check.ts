// Looks at the first bytes of a file before DuckDB does, so that a PNG renamed to .csv, a binary
// blob or an unsupported encoding gets a clear error instead of a parser's confusion, and so that
// the CSV dialect (delimiter, decimal comma, encoding) is chosen once, here.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFormat } from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import { readError } from './scan.js';

export interface CsvDialect {
  delimiter: string;
  decimalComma: boolean;
  encoding: 'utf-8' | 'utf-16';
  /** Header names as written in the file, before DuckDB makes them unique. */
  header: string[];
}

export interface FileInfo {
  path: string;
  sizeBytes: number;
  format: SourceFormat;
  csv?: CsvDialect;
  warnings: string[];
  /** What the file was when inspected, so an import can tell it was deleted or rewritten meanwhile. */
  identity?: { size: number; mtimeMs: number; ino: number };
}

const SAMPLE_BYTES = 256 * 1024;

/**
 * The most columns an import takes. Up to it, a short file costs about 0.75 s and 16 MB of peak
 * memory per thousand columns over a 0.3 GB base, near linear (3 rows: 5,000 columns 5 s,
 * 20,000 columns 16 s and 0.6 GB; text columns a little more). Beyond it DuckDB's own Parquet
 * writer and reader grow faster than the columns (each query binds the whole schema, and one
 * reading k columns costs about k squared): 40,000 columns took 41 s and 1.2 GB, 50,000 took
 * 1.5 GB for the copy alone and 150,000 ran out of memory. Refused before any of that work, with
 * this reason.
 */
export const MAX_COLUMNS = 20_000;

/**
 * Throws when a file has more columns than an import takes. `atLeast`: the count is of a header
 * cut short by the sample read, so the file has at least that many.
 */
export function assertColumnLimit(file: string, columns: number, atLeast = false): void {
  if (columns <= MAX_COLUMNS) return;
  throw new CairnError(
    'import_failed',
    `${path.basename(file)} has ${atLeast ? 'at least ' : ''}${columns.toLocaleString('en-US')} columns; Cairn imports at most ${MAX_COLUMNS.toLocaleString('en-US')} ` +
      '(each column costs the reader and the profile memory and time): select the columns you need first',
    { file, columns, maxColumns: MAX_COLUMNS },
  );
}

const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx file is one: save it as CSV first)' },
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed (decompress it first)' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF binary)' },
];

const EXTENSIONS: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.tab': 'csv',
  '.txt': 'csv',
  '.json': 'json',
  '.ndjson': 'json',
  '.jsonl': 'json',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

/** Reads the file's head and decides its format and, for CSV, its dialect. Throws CairnError. */
export async function inspectFile(file: string): Promise<FileInfo> {
  const name = path.basename(file);
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new CairnError('not_found', `${name}: file not found (${file})`);
    throw new CairnError('import_failed', `${name}: cannot be read (${err.code ?? err.message})`);
  });
  if (info.isDirectory())
    throw new CairnError(
      'invalid_argument',
      `${name} is a folder; choose a data file (CSV, TSV, JSON, NDJSON or Parquet)`,
    );
  if (info.size === 0) throw new CairnError('import_failed', `${name} is empty: there is no header and no data`);

  // The file can go away between stat and open (deleted while an import starts): say so, not ENOENT.
  const head = await readHead(file, Math.min(SAMPLE_BYTES, info.size)).catch((err: unknown) => {
    throw readError(file, err);
  });
  const warnings: string[] = [];
  const identity = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
  for (const m of MAGIC) {
    if (startsWith(head, m.bytes)) throw new CairnError('import_failed', `${name} is ${m.what}, not a data table`);
  }
  const ext = path.extname(file).toLowerCase();
  const byExt = EXTENSIONS[ext];
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) {
    if (byExt && byExt !== 'parquet')
      warnings.push(`${name} is a Parquet file despite its ${ext} name; read as Parquet`);
    return { path: file, sizeBytes: info.size, format: 'parquet', warnings, identity };
  }
  if (byExt === 'parquet')
    throw new CairnError('import_failed', `${name} is not a Parquet file (it lacks the PAR1 signature)`);

  const encoding = detectEncoding(head, name);
  const text = decode(head, encoding);
  const format: SourceFormat = byExt ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv');
  if (format === 'json') {
    if (encoding !== 'utf-8') throw new CairnError('import_failed', `${name}: JSON must be UTF-8 encoded`);
    // DuckDB reads a lone 42, "hello" or null as a one-row table with a column named "json".
    const first = /\S/.exec(text)?.[0];
    if (first !== '[' && first !== '{') {
      throw new CairnError(
        'import_failed',
        `${name} holds a single JSON value, not a table: give an array of objects, or one object per line (NDJSON)`,
        { file },
      );
    }
    return { path: file, sizeBytes: info.size, format, warnings, identity };
  }
  const csv = detectDialect(text, ext, encoding);
  // A header longer than the sample is cut: its count is then a lower bound.
  const headerCut = info.size > head.length && !/[\r\n]/.test(text);
  assertColumnLimit(file, csv.header.length, headerCut);
  // A header of only delimiters (",,,") names no column: DuckDB would import every row as nulls
  // under invented names.
  if (csv.header.every((h) => h === '')) {
    throw new CairnError(
      'import_failed',
      `${name}: the first line (the header) names no columns; it must hold the column names`,
      { file },
    );
  }
  return { path: file, sizeBytes: info.size, format, csv, warnings, identity };
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** UTF-8 (with or without BOM) or UTF-16 LE; anything with stray control bytes is binary. */
function detectEncoding(head: Buffer, name: string): 'utf-8' | 'utf-16' {
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16';
  if (startsWith(head, [0xfe, 0xff])) {
    throw new CairnError('import_failed', `${name} is UTF-16 big-endian, which Cairn cannot read; save it as UTF-8`);
  }
  let nulOdd = 0;
  let nulEven = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b === 0) {
      if (i % 2 === 1) nulOdd++;
      else nulEven++;
    } else if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) {
      control++;
    }
  }
  // ASCII text in UTF-16 LE without a BOM has a NUL after every character.
  if (nulOdd > head.length * 0.3 && nulEven === 0) return 'utf-16';
  if (nulOdd + nulEven > 0 || control > head.length * 0.01) {
    throw new CairnError(
      'import_failed',
      `${name} looks like binary data, not text: it holds control bytes a CSV or JSON file never has`,
    );
  }
  return 'utf-8';
}

function decode(head: Buffer, encoding: 'utf-8' | 'utf-16'): string {
  const text = encoding === 'utf-16' ? head.toString('utf16le') : head.toString('utf8');
  return text.replace(/^\uFEFF/, '');
}

const DELIMITERS = [',', ';', '\t', '|'];

/** Splits one CSV line on a delimiter, honouring double quotes; enough for a header and a sample. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

function detectDialect(text: string, ext: string, encoding: 'utf-8' | 'utf-16'): CsvDialect {
  const lines = text.split(/\r\n|\n|\r/).slice(0, 50);
  // The last line of the sample may be cut mid-way; leave it out unless it is the only one.
  const sample = lines.length > 2 ? lines.slice(0, -1) : lines;
  const headerLine = sample[0] ?? '';
  let delimiter = ext === '.tsv' || ext === '.tab' ? '\t' : ',';
  if (ext !== '.tsv' && ext !== '.tab') {
    let best = 0;
    for (const d of DELIMITERS) {
      const count = splitCsvLine(headerLine, d).length - 1;
      if (count > best) {
        best = count;
        delimiter = d;
      }
    }
  }
  const decimalComma =
    delimiter === ';' &&
    sample.slice(1).some((line) => splitCsvLine(line, delimiter).some((f) => /^\s*-?\d+,\d+\s*$/.test(f)));
  return { delimiter, decimalComma, encoding, header: splitCsvLine(headerLine, delimiter).map((h) => h.trim()) };
}
