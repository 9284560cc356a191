// One streaming pass over the source file: its sha256 (the content hash that makes identical
// imports a no-op) and, for CSV, whether a quoted field is left open, which DuckDB's sniffer
// otherwise reports only as "could not detect the dialect".
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { CairnError } from '../errors.js';

export interface ScanResult {
  sha256: string;
  bytes: number;
  /** Byte offset of a quote that opens a field never closed, if any. */
  unclosedQuoteAt?: number;
}

const QUOTE = 0x22;

/** Hashes the file and, when `checkQuotes`, tracks double-quote balance. Reports bytes read. */
export async function scanFile(
  file: string,
  options: { checkQuotes: boolean; onBytes?: (bytes: number) => void; signal?: AbortSignal },
): Promise<ScanResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let inQuote = false;
  let openedAt = -1;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, signal: options.signal })) {
      const buf = chunk as Buffer;
      hash.update(buf);
      if (options.checkQuotes) {
        let i = buf.indexOf(QUOTE);
        while (i !== -1) {
          inQuote = !inQuote;
          if (inQuote) openedAt = bytes + i;
          i = buf.indexOf(QUOTE, i + 1);
        }
      }
      bytes += buf.length;
      options.onBytes?.(bytes);
    }
  } catch (err) {
    throw readError(file, err);
  }
  const result: ScanResult = { sha256: hash.digest('hex'), bytes };
  if (inQuote) result.unclosedQuoteAt = openedAt;
  return result;
}

/**
 * The first line longer than `limit` bytes (its 1-based number and true length, end of line not
 * counted), or undefined. DuckDB reports an over-long line by the size of its read buffer (about
 * 32 MB), not the line's, so the truth is counted here.
 */
export async function firstLongLine(file: string, limit: number): Promise<{ line: number; bytes: number } | undefined> {
  let line = 1;
  let length = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      length += nl - start;
      if (length > limit) return { line, bytes: length - (buf[nl - 1] === 0x0d ? 1 : 0) };
      line++;
      length = 0;
      start = nl + 1;
    }
    length += buf.length - start;
  }
  return length > limit ? { line, bytes: length } : undefined;
}

/** 1-based line number of a byte offset (lines end in \n, or in \r where a file uses no \n). */
export async function lineAt(file: string, offset: number): Promise<number> {
  return (await locate(file, offset)).line;
}

/**
 * 1-based line of a byte offset, and the byte offset where that line starts, so a caller can
 * say which field of the line the offset falls in.
 */
export async function locate(file: string, offset: number): Promise<{ line: number; lineStart: number }> {
  let lf = 1;
  let cr = 1;
  let afterLf = 0;
  let afterCr = 0;
  let seen = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, end: Math.max(0, offset - 1) })) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 0x0a) {
        lf++;
        afterLf = seen + i + 1;
      } else if (buf[i] === 0x0d) {
        cr++;
        afterCr = seen + i + 1;
      }
    }
    seen += buf.length;
  }
  if (offset === 0) return { line: 1, lineStart: 0 };
  return lf > 1 || seen === 0 ? { line: lf, lineStart: afterLf } : { line: cr, lineStart: afterCr };
}

/** Maps an fs error during a read to the user's words: most often, the file went away mid-import. */
export function readError(file: string, err: unknown): CairnError {
  const name = path.basename(file);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return new CairnError('import_failed', `${name} was deleted or moved while it was being imported`);
  if (code === 'ABORT_ERR') return new CairnError('cancelled', `import of ${name} was cancelled`);
  return new CairnError(
    'import_failed',
    `${name} could not be read: ${err instanceof Error ? err.message : String(err)}`,
  );
}
