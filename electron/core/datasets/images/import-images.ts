// The image import, run inside a job process: list the source's pictures, hash each, decode it
// (which checks it is whole) and make its thumbnail, store new content by hash, and write the
// version's index as Parquet. A file that cannot be read is recorded with the reason, not fatal.
// It writes nothing outside `workDir`; the host moves the pictures and the index into place.
import { createHash } from 'node:crypto';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageImportSummary, JobProgress, SkippedFile } from '../../../../shared/api.js';
import { fsyncFile } from '../../durable-fs.js';
import { CairnError } from '../../errors.js';
import type { ZipLimits } from '../../zip-entries.js';
import { literal, openDuck } from '../duck.js';
import { DamagedImage, decodeImage, MAX_PIXELS, UnreadableImage, type ImageInfo } from './decode-image.js';
import { INDEX_COLUMNS, type IndexRow } from './image-index.js';
import {
  addedSource,
  folderSource,
  listSource,
  SOURCE_LIMITS,
  type ImageCandidate,
  type ImageSource,
  type SourceLimits,
} from './image-sources.js';
import { pictureFile, thumbnailFile } from './image-store.js';
import { IMAGE_ZIP_LIMITS, zipSource } from './zip-source.js';

export type ImageSourceFormat = 'folder' | 'zip' | 'csv' | 'parquet';

/** A picture added to an existing version (a camera capture): its staged file, name and class. */
export interface AddedPicture {
  /** The staged file's absolute path. */
  path: string;
  /** What the index records as its file (as the gallery shows it). */
  file: string;
  label: string;
}

export interface ImageImportInput {
  kind: 'images';
  path: string;
  format: ImageSourceFormat;
  pathColumn: string;
  labelColumn: string;
  /** Content hashes already imported under this dataset's name, mapped to their version ids. */
  knownHashes: Record<string, string>;
  /** The dataset's folder in the data folder: pictures already there are not written again. */
  storeDir: string;
  workDir: string;
  /** Tests lower these; an import leaves them at their defaults. */
  limits?: { maxPixels?: number; source?: Partial<SourceLimits>; zip?: Partial<ZipLimits> };
  /**
   * Set when pictures are added to an existing version: its index (every row is kept) and the
   * pictures to add, read instead of `path`. A picture already in the version under the same
   * class adds no row, so adding only such pictures gives the version's own hash (no new version).
   */
  addTo?: { baseIndex: string; pictures: AddedPicture[] };
}

export type ImageImportOutcome =
  | { kind: 'unchanged'; versionId: string; sha256: string }
  | {
      kind: 'createdImages';
      sha256: string;
      format: ImageSourceFormat;
      /** Bytes of the pictures read. */
      sizeBytes: number;
      /** The index, in workDir. */
      dataFile: string;
      /** New pictures and thumbnails, laid out as in the dataset's folder. */
      storeDir: string;
      rows: number;
      summary: ImageImportSummary;
    };

type Progress = Omit<JobProgress, 'jobId' | 'kind'>;

/** Skipped files an import's result lists; the index keeps every one. */
export const SKIPPED_LISTED = 1000;

/** Imports a folder, zip or list of pictures into `workDir`. Throws CairnError for the whole import. */
export async function importImages(
  input: ImageImportInput,
  onProgress: (p: Progress) => void,
): Promise<ImageImportOutcome> {
  const name = path.basename(input.path);
  onProgress({ phase: 'checking', fraction: 0, bytesDone: 0, bytesTotal: 0, label: `Listing ${name}` });
  const source = await openSource(input);
  try {
    const rows: IndexRow[] = input.addTo ? await readIndex(input.addTo.baseIndex, input.workDir) : [];
    const skipped: SkippedFile[] = [...source.skipped, ...rows.flatMap((r) => (r.error === null ? [] : [unread(r)]))];
    const inVersion = new Set(rows.map((r) => `${r.label}\0${r.sha256 ?? ''}`));
    const picture = pictureReader(input);
    const total = source.candidates.length;
    let bytesDone = rows.reduce((sum, r) => sum + r.bytes, 0);
    // A few pictures at a time: libvips decodes on libuv's thread pool, so several keep its threads busy.
    for (let at = 0; at < total; at += IN_FLIGHT) {
      onProgress({
        phase: 'reading',
        fraction: 0.02 + 0.93 * (at / Math.max(1, total)),
        bytesDone,
        bytesTotal: 0,
        rows: at,
        unit: 'pictures',
        label: `Reading picture ${at + 1} of ${total}`,
      });
      const batch = source.candidates.slice(at, at + IN_FLIGHT);
      const read = await Promise.all(batch.map((c) => picture(c)));
      // A damaged picture's reason may have been lost to another failing beside it (DamagedImage):
      // it is decoded again with nothing else in flight, so that its reason is its own.
      for (const [i, r] of read.entries()) if (r.damaged) read[i] = await picture(batch[i] as ImageCandidate, true);
      for (const { row } of read) {
        if (input.addTo) {
          assertAdded(row);
          const key = `${row.label}\0${row.sha256 ?? ''}`;
          if (inVersion.has(key)) continue;
          inVersion.add(key);
        }
        rows.push(row);
        bytesDone += row.bytes;
        if (row.error !== null) skipped.push({ file: row.file, reason: row.error });
      }
    }
    const readable = rows.filter((r) => r.error === null);
    const classes: Record<string, number> = {};
    for (const r of readable) classes[r.label] = (classes[r.label] ?? 0) + 1;
    assertEnough(name, readable.length, Object.keys(classes).length, skipped.length);
    const sha256 = versionHash(rows);
    const known = input.knownHashes[sha256];
    if (known) return { kind: 'unchanged', versionId: known, sha256 };
    onProgress({
      phase: 'saving',
      fraction: 0.96,
      bytesDone,
      bytesTotal: bytesDone,
      rows: readable.length,
      unit: 'pictures',
      label: 'Saving',
    });
    const dataFile = path.join(input.workDir, 'index.parquet');
    await writeIndex(input.workDir, rows, dataFile);
    return {
      kind: 'createdImages',
      sha256,
      format: input.format,
      sizeBytes: bytesDone,
      dataFile,
      storeDir: path.join(input.workDir, 'store'),
      rows: readable.length,
      summary: { classes, skipped: skipped.slice(0, SKIPPED_LISTED) },
    };
  } finally {
    await source.close();
  }
}

/** Pictures decoded at once. */
const IN_FLIGHT = 4;

/**
 * Reads, hashes and decodes one listed picture into its index row, storing its bytes and thumbnail
 * the first time its content is seen (a duplicate waits for the first's decode instead of its own).
 */
function pictureReader(
  input: ImageImportInput,
): (c: ImageCandidate, again?: boolean) => Promise<{ row: IndexRow; damaged: boolean }> {
  const seen = new Map<string, Promise<ImageInfo>>();
  const newStore = path.join(input.workDir, 'store');
  const decodeOnce = (sha256: string, bytes: Buffer): Promise<ImageInfo> => {
    let info = seen.get(sha256);
    if (!info) {
      info = (async () => {
        const { thumbnail, ...rest } = await decodeImage(bytes, input.limits?.maxPixels ?? MAX_PIXELS);
        await store(input.storeDir, newStore, pictureFile(sha256, rest.format), bytes);
        await store(input.storeDir, newStore, thumbnailFile(sha256), thumbnail);
        return rest;
      })();
      seen.set(sha256, info);
    }
    return info;
  };
  return async (c, again = false) => {
    let bytes: Buffer;
    try {
      bytes = await c.read();
    } catch (err) {
      if (err instanceof CairnError) throw err;
      const row = unreadableRow(c.file, c.label, null, 0, `cannot be read (${(err as Error).message})`);
      return { row, damaged: false };
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (again) seen.delete(sha256);
    let info: ImageInfo;
    try {
      info = await decodeOnce(sha256, bytes);
    } catch (err) {
      if (!(err instanceof UnreadableImage)) throw err;
      const row = unreadableRow(c.file, c.label, sha256, bytes.length, err.message);
      return { row, damaged: !again && err instanceof DamagedImage };
    }
    const row: IndexRow = {
      file: c.file,
      label: c.label,
      sha256,
      width: info.width,
      height: info.height,
      channels: info.channels,
      colour_mode: info.colourMode,
      format: info.format,
      bytes: bytes.length,
      error: null,
    };
    return { row, damaged: false };
  };
}

async function openSource(input: ImageImportInput): Promise<ImageSource> {
  const source = { ...SOURCE_LIMITS, ...input.limits?.source };
  if (input.addTo) return addedSource(input.addTo.pictures, source);
  switch (input.format) {
    case 'folder':
      return folderSource(input.path, source);
    case 'zip':
      return zipSource(input.path, { ...IMAGE_ZIP_LIMITS, ...input.limits?.zip });
    case 'csv':
    case 'parquet':
      return listSource(input.path, input.format, input, source);
  }
}

/** An added picture the import cannot read fails the addition: it was checked when it was staged. */
function assertAdded(row: IndexRow): void {
  if (row.error !== null)
    throw new CairnError('import_failed', `${row.file} cannot be added: ${row.error}`, { file: row.file });
}

function unread(row: IndexRow): SkippedFile {
  return { file: row.file, reason: row.error ?? '' };
}

function unreadableRow(file: string, label: string, sha256: string | null, bytes: number, error: string): IndexRow {
  return {
    file,
    label,
    sha256,
    width: null,
    height: null,
    channels: null,
    colour_mode: null,
    format: null,
    bytes,
    error,
  };
}

/** One class, or nothing readable, is not a dataset a classifier can learn from: one clear message. */
function assertEnough(name: string, images: number, classes: number, skipped: number): void {
  const left = skipped > 0 ? ` (${skipped} file${skipped === 1 ? '' : 's'} could not be read)` : '';
  if (images === 0)
    throw new CairnError(
      'import_failed',
      `${name} holds no pictures Cairn can read${left}: put them in one subfolder per class`,
    );
  if (classes < 2)
    throw new CairnError(
      'import_failed',
      `${name} holds pictures of one class only${left}: a classifier needs at least two, one subfolder each`,
    );
}

/**
 * A version's content hash: what was imported (every listed file's class and content, unreadable
 * ones too), not where it came from. The same pictures in the same classes hash the same however
 * they are named or packed.
 */
function versionHash(rows: IndexRow[]): string {
  const lines = rows.map((r) => `${r.label}\0${r.sha256 ?? `unread:${r.file}`}`).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}

/** Writes `bytes` at `rel` under `newStore`, unless the dataset's folder or an earlier row has it. */
async function store(storeDir: string, newStore: string, rel: string, bytes: Buffer): Promise<void> {
  if (await exists(path.join(storeDir, rel))) return;
  const file = path.join(newStore, rel);
  if (await exists(file)) return;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Every row of a version's index (readable or not), as the import wrote them. */
async function readIndex(indexFile: string, workDir: string): Promise<IndexRow[]> {
  const { instance, conn } = await openDuck({ tempDir: path.join(workDir, 'spill') });
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet(${literal(indexFile)})`);
    // The columns are INDEX_COLUMNS; only BIGINT arrives as a bigint.
    const rows = reader.getRowObjectsJS() as unknown as (Omit<IndexRow, 'bytes'> & { bytes: bigint | number })[];
    return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The index as Parquet through DuckDB, as tables are stored: rows as NDJSON, then one COPY. */
async function writeIndex(workDir: string, rows: IndexRow[], dataFile: string): Promise<void> {
  const json = path.join(workDir, 'index.ndjson');
  await writeFile(json, rows.map((r) => JSON.stringify(r)).join('\n'));
  const { instance, conn } = await openDuck({ tempDir: path.join(workDir, 'spill') });
  try {
    const columns = Object.entries(INDEX_COLUMNS)
      .map(([k, t]) => `${k}: '${t}'`)
      .join(', ');
    await conn.run(
      `COPY (SELECT * FROM read_json(${literal(json)}, format = 'newline_delimited', columns = {${columns}})
             ORDER BY label, file)
       TO ${literal(dataFile)} (FORMAT parquet)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  await fsyncFile(dataFile);
  if ((await stat(dataFile)).size === 0) throw new Error('the index was written empty');
}
