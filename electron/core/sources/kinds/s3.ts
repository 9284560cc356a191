// The s3 kind: one object (`s3://bucket/key`) or every object under a prefix
// (`s3://bucket/folder/`), from AWS or any S3-compatible server. Several objects combine into one
// file for the import, in key order: CSV parts are concatenated keeping the first part's header
// (each later part must have the same header line, which is dropped), NDJSON parts are
// concatenated, Parquet parts are unioned by DuckDB (same columns). Parts must share one format.
// The total size is checked against the source's limit before anything is downloaded; the
// objects' ETags make the validator for the next conditional fetch.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open as openFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { DEFAULT_SOURCE_MAX_BYTES } from '../../../../shared/api/sources.js';
import { literal, openDuck } from '../../datasets/duck.js';
import { CairnError } from '../../errors.js';
import { s3Client, s3Error } from '../../s3/s3-client.js';
import { parseS3Url, type S3Location } from '../../s3/s3-location.js';
import type { FetchedFile, FetchOptions, NotModified, ReachOptions, SourceKind, SourceTarget } from '../source-kind.js';
import { download, tooLarge } from './download.js';
import { checkFirstBytes, formatOfName, type DataFormat } from './file-format.js';
import { previewByFetch } from './preview-file.js';

/** Objects under a prefix read at most: a source is a dataset's parts, not a bucket's archive. */
const MAX_PARTS = 10_000;

interface Part {
  key: string;
  size: number;
  etag: string;
}

function where(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

function open(target: SourceTarget, options: ReachOptions): { loc: S3Location; client: S3Client } {
  const loc = parseS3Url(target.url);
  return { loc, client: s3Client(loc, { secret: target.secret, timeoutMs: options.timeoutMs }) };
}

/** The object the key names, else the objects under it as a prefix; not_found when there are none. */
async function listParts(client: S3Client, loc: S3Location, signal: AbortSignal): Promise<Part[]> {
  if (loc.key && !loc.key.endsWith('/')) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }), {
        abortSignal: signal,
      });
      return [{ key: loc.key, size: head.ContentLength ?? 0, etag: head.ETag ?? '' }];
    } catch (err) {
      const e = s3Error(err, where(loc));
      if (e.code !== 'not_found' || /bucket/.test(e.message)) throw e;
    }
  }
  const prefix = !loc.key || loc.key.endsWith('/') ? loc.key : `${loc.key}/`;
  const parts: Part[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(
        new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      );
    } catch (err) {
      throw s3Error(err, where(loc));
    }
    for (const o of page.Contents ?? [])
      if (isPart(o)) parts.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' });
    if (parts.length > MAX_PARTS)
      throw new CairnError(
        'invalid_argument',
        `${where(loc)} holds more than ${MAX_PARTS} objects: name a narrower prefix`,
      );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (parts.length === 0) throw new CairnError('not_found', `${where(loc)}: no such object, and no objects under it`);
  return parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Folder markers (keys ending in /) and empty objects are not parts. */
function isPart(o: _Object): o is _Object & { Key: string } {
  return typeof o.Key === 'string' && !o.Key.endsWith('/') && (o.Size ?? 0) > 0;
}

/** One ETag for the set of parts: changes when any part, or the list of parts, does. */
function setEtag(parts: Part[]): string {
  if (parts.length === 1) return (parts[0] as Part).etag;
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.key}\0${p.etag}\0`);
  return `"set-${h.digest('hex').slice(0, 32)}"`;
}

/** The parts' one format by their names (all must agree); undefined when no name says. */
function partsFormat(parts: Part[], loc: S3Location): DataFormat | undefined {
  const formats = new Set(parts.map((p) => formatOfName(p.key)));
  if (formats.size > 1)
    throw new CairnError(
      'import_failed',
      `${where(loc)} mixes formats (${[...formats].map((f) => f ?? 'unknown').join(', ')}): name a prefix whose objects are all CSV, all Parquet or all JSON`,
      { reason: 'format' },
    );
  return [...formats][0];
}

async function fetchS3(target: SourceTarget, options: FetchOptions): Promise<FetchedFile | NotModified> {
  const { loc, client } = open(target, options);
  try {
    const maxBytes = target.limits?.maxBytes ?? DEFAULT_SOURCE_MAX_BYTES;
    const parts = await listParts(client, loc, options.signal);
    const etag = setEtag(parts);
    if (options.previous?.etag && options.previous.etag === etag) return { notModified: true, etag };
    const total = parts.reduce((n, p) => n + p.size, 0);
    if (total > maxBytes) throw tooLarge(where(loc), total, maxBytes);
    const announced = partsFormat(parts, loc);
    const notes = parts.length > 1 ? [`${parts.length} objects under ${where(loc)} were combined in key order`] : [];
    if (announced === 'parquet' && parts.length > 1)
      return { ...(await combineParquet(client, loc, parts, options, total)), notes, etag };
    const out = path.join(options.tempDir, 'download');
    let written = 0;
    let format: DataFormat | undefined;
    let header: string | undefined;
    for (const [i, part] of parts.entries()) {
      const partFile = i === 0 ? out : path.join(options.tempDir, 'part');
      const { head } = await downloadPart(client, loc, part, partFile, options, written, maxBytes, total);
      const partFormat = checkFirstBytes(head, announced, part.key);
      format ??= partFormat;
      if (partFormat !== format || (format === 'parquet' && i > 0))
        throw new CairnError('import_failed', `${part.key} is ${partFormat}, the first part ${format}`, {
          reason: 'format',
        });
      if (i > 0) {
        await appendPart(partFile, out, format === 'csv' ? header : undefined, part.key);
        await rm(partFile, { force: true });
      } else if (format === 'csv') {
        header = firstLine(head);
      }
      written += part.size;
    }
    const named = path.join(options.tempDir, `data.${format as DataFormat}`);
    await rename(out, named);
    return { path: named, format: format as DataFormat, notes, etag };
  } finally {
    client.destroy();
  }
}

async function downloadPart(
  client: S3Client,
  loc: S3Location,
  part: Part,
  file: string,
  options: FetchOptions,
  offset: number,
  maxBytes: number,
  total: number,
): Promise<{ head: Buffer }> {
  let body;
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: part.key }), {
      abortSignal: options.signal,
    });
    body = got.Body;
  } catch (err) {
    throw s3Error(err, `s3://${loc.bucket}/${part.key}`);
  }
  if (!body) throw new CairnError('import_failed', `${part.key}: no body`, { reason: 'empty' });
  const { head } = await download(body as Readable, file, {
    signal: options.signal,
    maxBytes,
    totalBytes: total,
    offset,
    onProgress: options.onProgress,
    name: part.key,
  });
  return { head };
}

function firstLine(head: Buffer): string {
  const text = head.toString('utf8');
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

/** Appends a later part to the combined file, without its header line (which must match the first part's). */
async function appendPart(partFile: string, out: string, header: string | undefined, key: string): Promise<void> {
  let start = 0;
  if (header !== undefined) {
    const head = (await readHead(partFile, 64 * 1024)).toString('utf8');
    const end = head.indexOf('\n');
    const line = (end < 0 ? head : head.slice(0, end)).replace(/\r$/, '');
    if (line !== header)
      throw new CairnError(
        'import_failed',
        `${key} has another header than the first part (${JSON.stringify(line.slice(0, 200))}): CSV parts must have the same columns`,
        { reason: 'format' },
      );
    start = end < 0 ? head.length : Buffer.byteLength(head.slice(0, end + 1));
  }
  // A part that does not end with a newline must not run into the next part's first row.
  const outSize = (await stat(out)).size;
  const last = outSize > 0 ? await readLastByte(out, outSize) : '\n';
  const sink = createWriteStream(out, { flags: 'a' });
  if (last !== '\n') sink.write('\n');
  await pipeline(createReadStream(partFile, { start }), sink);
}

async function readLastByte(file: string, size: number): Promise<string> {
  return (await readAt(file, size - 1, 1)).toString('latin1');
}

function readHead(file: string, bytes: number): Promise<Buffer> {
  return readAt(file, 0, bytes);
}

async function readAt(file: string, position: number, length: number): Promise<Buffer> {
  const h = await openFile(file, 'r');
  try {
    const b = Buffer.alloc(length);
    const { bytesRead } = await h.read(b, 0, length, position);
    return b.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

/** Parquet parts unioned into one Parquet file by DuckDB (columns must agree). */
async function combineParquet(
  client: S3Client,
  loc: S3Location,
  parts: Part[],
  options: FetchOptions,
  total: number,
): Promise<{ path: string; format: 'parquet' }> {
  const files: string[] = [];
  let written = 0;
  for (const [i, part] of parts.entries()) {
    const file = path.join(options.tempDir, `part-${i}.parquet`);
    const { head } = await downloadPart(client, loc, part, file, options, written, Number.MAX_SAFE_INTEGER, total);
    checkFirstBytes(head, 'parquet', part.key);
    files.push(file);
    written += part.size;
  }
  const out = path.join(options.tempDir, 'data.parquet');
  const { instance, conn } = await openDuck({ tempDir: path.join(options.tempDir, 'spill') });
  try {
    await conn.run(
      `COPY (SELECT * FROM read_parquet([${files.map(literal).join(', ')}])) TO ${literal(out)} (FORMAT parquet)`,
    );
  } catch (err) {
    throw new CairnError(
      'import_failed',
      `the Parquet parts under ${where(loc)} do not share their columns: ${(err as Error).message}`,
      {
        reason: 'format',
      },
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  await Promise.all(files.map((f) => rm(f, { force: true })));
  return { path: out, format: 'parquet' };
}

export const s3Kind: SourceKind = {
  async test(target, options) {
    const { loc, client } = open(target, options);
    try {
      await listParts(client, loc, options.signal);
    } finally {
      client.destroy();
    }
  },
  preview: previewByFetch(fetchS3),
  fetch: fetchS3,
};
