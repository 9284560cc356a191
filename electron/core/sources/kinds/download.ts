// Streams a body to a file with progress, a byte limit (for bodies that did not say their size)
// and cancel; the first bytes are kept so the caller can check the format.
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { CairnError } from '../../errors.js';
import type { FetchProgress } from '../source-kind.js';

const HEAD_BYTES = 512;

export interface DownloadOptions {
  signal: AbortSignal;
  maxBytes: number;
  totalBytes?: number | undefined;
  /** Bytes already written by earlier parts (an S3 prefix): progress and the limit count them. */
  offset?: number;
  onProgress?: ((p: FetchProgress) => void) | undefined;
  /** What it is, for messages. */
  name: string;
  /** Append to the file rather than replace it. */
  append?: boolean;
}

/** Writes `body` to `file`; answers its byte count and first bytes. */
export async function download(
  body: Readable | ReadableStream<Uint8Array>,
  file: string,
  options: DownloadOptions,
): Promise<{ bytes: number; head: Buffer }> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as WebStream);
  let bytes = 0;
  const offset = options.offset ?? 0;
  const heads: Buffer[] = [];
  let headBytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (offset + bytes > options.maxBytes) {
        done(
          new CairnError(
            'import_failed',
            `${options.name} is larger than the source's limit of ${formatBytes(options.maxBytes)}`,
            { reason: 'too_large', maxBytes: options.maxBytes },
          ),
        );
        return;
      }
      if (headBytes < HEAD_BYTES) {
        heads.push(chunk.subarray(0, HEAD_BYTES - headBytes));
        headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
      }
      options.onProgress?.({
        bytes: offset + bytes,
        ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
      });
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, count, createWriteStream(file, { flags: options.append ? 'a' : 'w' }), {
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof CairnError) throw err;
    if (options.signal.aborted) throw new CairnError('cancelled', 'the read was cancelled');
    throw new CairnError('import_failed', `${options.name}: the download broke off (${(err as Error).message})`, {
      reason: 'unreachable',
    });
  }
  return { bytes, head: Buffer.concat(heads) };
}

/** The refusal of a body whose announced size is over the limit, said before downloading it. */
export function tooLarge(name: string, size: number, maxBytes: number): CairnError {
  return new CairnError(
    'import_failed',
    `${name} is ${formatBytes(size)}, over the source's limit of ${formatBytes(maxBytes)}: nothing was downloaded (raise the limit to read it)`,
    { reason: 'too_large', bytes: size, maxBytes },
  );
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const shown = v < 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(0);
  return u === 0 ? `${n} bytes` : `${shown} ${units[u] as string}`;
}
