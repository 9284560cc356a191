// Reading an untrusted zip with yauzl, one entry at a time, and the checks every entry passes
// before a byte of it is inflated: model bundles (registry/bundle.ts) and picture archives
// (datasets/images/zip-source.ts) both read zips a user hands over.
import path from 'node:path';
import type yauzl from 'yauzl';
import type { ErrorCode } from '../../shared/api.js';
import { CairnError } from './errors.js';

/** Limits a zip is held to before anything in it is inflated. */
export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of the whole archive (and the zip file's own size). */
  maxTotalBytes: number;
  /** Uncompressed / compressed, checked for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** An archive refused as a whole, naming it and the reason. */
export function zipRefusal(
  code: ErrorCode,
  file: string,
  reason: string,
  details: Record<string, unknown> = {},
): CairnError {
  return new CairnError(code, `${path.basename(file)} cannot be imported: ${reason}`, { file, ...details });
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Each entry of a lazily read zip in turn; yauzl's errors are thrown as `wrap` makes them. */
export async function* eachEntry(zip: yauzl.ZipFile, wrap: (err: unknown) => Error): AsyncGenerator<yauzl.Entry> {
  const next = entryReader(zip);
  for (;;) {
    let entry: yauzl.Entry | null;
    try {
      entry = await next();
    } catch (err) {
      throw wrap(err);
    }
    if (!entry) return;
    yield entry;
  }
}

/** Entries one at a time from a lazily read zip; null at the end. */
function entryReader(zip: yauzl.ZipFile): () => Promise<yauzl.Entry | null> {
  let pending: { resolve: (e: yauzl.Entry | null) => void; reject: (err: Error) => void } | undefined;
  let failed: Error | undefined;
  zip.on('entry', (e: yauzl.Entry) => pending?.resolve(e));
  zip.on('end', () => pending?.resolve(null));
  zip.on('error', (err: Error) => {
    failed = err;
    pending?.reject(err);
  });
  return () =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      pending = { resolve, reject };
      zip.readEntry();
    });
}

/**
 * Why a file entry named `name` may not be read, or undefined when it may: a link or any other
 * non-regular file, encryption, or a size past the limits (`totalBefore` is what the entries
 * before it declared). A zip bomb declares its sizes truthfully or is caught by yauzl's
 * validateEntrySizes when it inflates past them.
 */
export function entryProblem(
  entry: yauzl.Entry,
  name: string,
  limits: ZipLimits,
  totalBefore: number,
): string | undefined {
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) return `the entry ${name} is a symbolic link`;
  if (mode !== 0 && mode !== S_IFREG) return `the entry ${name} is not a regular file`;
  if (entry.isEncrypted()) return `the entry ${name} is encrypted`;
  const declared = entry.uncompressedSize;
  if (declared > limits.maxEntryBytes)
    return `the entry ${name} would inflate to ${declared} bytes (at most ${limits.maxEntryBytes})`;
  if (totalBefore + declared > limits.maxTotalBytes)
    return `its entries would inflate to more than ${limits.maxTotalBytes} bytes`;
  if (declared > limits.ratioFloorBytes && declared > limits.maxRatio * entry.compressedSize)
    return `the entry ${name} is compressed more than ${limits.maxRatio} to 1, as zip bombs are`;
  return undefined;
}
