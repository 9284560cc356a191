// Where an image import's pictures come from: a folder whose subfolders are the labels (the
// convention of Keras' image_dataset_from_directory, Teachable Machine and Lobe), or a CSV/Parquet
// list of paths and labels. A zip of such a folder is zip-source.ts. Each source lists candidate
// pictures with their label before any is read, and the files it left out with the reason.
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SkippedFile } from '../../../../shared/api.js';
import { CairnError } from '../../errors.js';
import { isInside, relativeInside } from '../../paths.js';
import { ident, literal, openDuck } from '../duck.js';

/** A picture to read: where it was (as the user sees it) and the class it belongs to. */
export interface ImageCandidate {
  file: string;
  label: string;
  read(): Promise<Buffer>;
}

export interface ImageSource {
  candidates: ImageCandidate[];
  skipped: SkippedFile[];
  /** Releases what the source holds open (a zip). */
  close(): Promise<void>;
}

export interface SourceLimits {
  /** Pictures a source may list. */
  maxFiles: number;
  /** Bytes one picture file may have. */
  maxFileBytes: number;
  /** Folder depth below a class folder that is walked. */
  maxDepth: number;
}

export const SOURCE_LIMITS: SourceLimits = { maxFiles: 500_000, maxFileBytes: 256 * 1024 * 1024, maxDepth: 16 };

/** Names that are an operating system's bookkeeping, not pictures: left out without a word. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === 'Thumbs.db' || name === 'desktop.ini';
}

export function tooManyFiles(source: string, limits: SourceLimits): CairnError {
  return new CairnError(
    'import_failed',
    `${path.basename(source)} holds more than ${limits.maxFiles.toLocaleString('en-US')} files, the most an image import takes`,
    { file: source },
  );
}

/**
 * The pictures of a folder of class folders. Links are never followed (a link could lead out of
 * the folder, or round in a loop): each is left out with the reason, as is a file beside the
 * class folders. Folders inside a class folder are walked; their pictures keep the class.
 */
export async function folderSource(root: string, limits: SourceLimits = SOURCE_LIMITS): Promise<ImageSource> {
  const candidates: ImageCandidate[] = [];
  const skipped: SkippedFile[] = [];
  const add = (file: string, label: string) => {
    if (candidates.length >= limits.maxFiles) throw tooManyFiles(root, limits);
    const full = path.join(root, file);
    candidates.push({ file: toSlashes(file), label, read: () => readPicture(full, limits) });
  };
  const walk = async (rel: string, label: string, depth: number): Promise<void> => {
    for (const entry of await listFolder(path.join(root, rel))) {
      if (isHiddenName(entry.name)) continue;
      const file = path.join(rel, entry.name);
      if (entry.isSymbolicLink()) skipped.push({ file: toSlashes(file), reason: 'a link: links are not followed' });
      else if (entry.isDirectory()) {
        if (depth >= limits.maxDepth)
          skipped.push({ file: toSlashes(file), reason: `folders deeper than ${limits.maxDepth} levels are not read` });
        else await walk(file, label, depth + 1);
      } else if (entry.isFile()) add(file, label);
      else skipped.push({ file: toSlashes(file), reason: 'not a regular file' });
    }
  };
  for (const entry of await listFolder(root)) {
    if (isHiddenName(entry.name)) continue;
    if (entry.isSymbolicLink()) skipped.push({ file: entry.name, reason: 'a link: links are not followed' });
    else if (entry.isDirectory()) await walk(entry.name, entry.name.normalize('NFC'), 0);
    else skipped.push({ file: entry.name, reason: 'not inside a class folder (each subfolder is a class)' });
  }
  return { candidates, skipped, close: async () => undefined };
}

async function listFolder(folder: string) {
  try {
    // Sorted, so two imports of the same folder list it in the same order on every file system.
    return (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (err) {
    throw new CairnError('import_failed', `${path.basename(folder)} cannot be read (${(err as Error).message})`, {
      file: folder,
    });
  }
}

/** A picture file's bytes; a file too big to be a picture is refused before it is read. */
export async function readPicture(file: string, limits: SourceLimits): Promise<Buffer> {
  const s = await lstat(file);
  if (!s.isFile()) throw new Error('not a regular file');
  if (s.size > limits.maxFileBytes)
    throw new Error(`${s.size.toLocaleString('en-US')} bytes is more than a picture file may have`);
  return readFile(file);
}

function toSlashes(p: string): string {
  return p.split(path.sep).join('/');
}

/** Pictures added to a version (camera captures staged by the host), each with its class. */
export function addedSource(
  pictures: readonly { path: string; file: string; label: string }[],
  limits: SourceLimits = SOURCE_LIMITS,
): ImageSource {
  if (pictures.length > limits.maxFiles) throw tooManyFiles('the added pictures', limits);
  const candidates = pictures.map((p) => ({ file: p.file, label: p.label, read: () => readPicture(p.path, limits) }));
  return { candidates, skipped: [], close: async () => undefined };
}

export interface ListColumns {
  pathColumn: string;
  labelColumn: string;
}

/**
 * The pictures a CSV or Parquet file lists by path and label. A path is taken relative to the
 * list's own folder and must stay inside it, after links are resolved too: a list names pictures
 * beside it, and is refused as a whole if it names anything else.
 */
export async function listSource(
  list: string,
  format: 'csv' | 'parquet',
  columns: ListColumns,
  limits: SourceLimits = SOURCE_LIMITS,
): Promise<ImageSource> {
  const base = path.dirname(path.resolve(list));
  const realBase = await realpath(base);
  const rows = await readList(list, format, columns, limits);
  const candidates: ImageCandidate[] = [];
  const skipped: SkippedFile[] = [];
  for (const [i, row] of rows.entries()) {
    const given = row.path ?? '';
    const where = `${path.basename(list)}, row ${i + 1}`;
    if (!given.trim()) {
      skipped.push({ file: where, reason: `no ${columns.pathColumn}` });
      continue;
    }
    const full = path.resolve(base, given);
    if (path.isAbsolute(given) || path.win32.isAbsolute(given) || relativeInside(base, full) === undefined) {
      throw new CairnError(
        'import_failed',
        `${where}: "${given}" is outside the list's folder; a list names pictures inside its own folder`,
        { file: list, row: i + 1 },
      );
    }
    const real = await realpath(full).catch(() => undefined);
    if (real === undefined) {
      skipped.push({ file: given, reason: 'no such file' });
      continue;
    }
    if (!isInside(realBase, real)) {
      throw new CairnError(
        'import_failed',
        `${where}: "${given}" leads outside the list's folder through a link; a list names pictures inside its own folder`,
        { file: list, row: i + 1 },
      );
    }
    const label = row.label?.trim();
    if (!label) {
      skipped.push({ file: given, reason: `no ${columns.labelColumn}` });
      continue;
    }
    candidates.push({ file: given, label: label.normalize('NFC'), read: () => readPicture(real, limits) });
  }
  return { candidates, skipped, close: async () => undefined };
}

async function readList(
  list: string,
  format: 'csv' | 'parquet',
  columns: ListColumns,
  limits: SourceLimits,
): Promise<{ path: string | null; label: string | null }[]> {
  const { instance, conn } = await openDuck();
  try {
    const from =
      format === 'csv'
        ? `read_csv(${literal(list)}, header = true, all_varchar = true)`
        : `read_parquet(${literal(list)})`;
    const names = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`))
      .getRowObjects()
      .map((r) => String(r.column_name));
    for (const wanted of [columns.pathColumn, columns.labelColumn]) {
      if (!names.includes(wanted)) {
        throw new CairnError(
          'import_failed',
          `${path.basename(list)} has no column "${wanted}" (its columns: ${names.join(', ')})`,
          { file: list },
        );
      }
    }
    const reader = await conn.runAndReadAll(
      `SELECT CAST(${ident(columns.pathColumn)} AS VARCHAR) AS path, CAST(${ident(columns.labelColumn)} AS VARCHAR) AS label
       FROM ${from} LIMIT ${limits.maxFiles + 1}`,
    );
    const rows = reader.getRowObjects() as { path: string | null; label: string | null }[];
    if (rows.length > limits.maxFiles) throw tooManyFiles(list, limits);
    return rows;
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError(
      'import_failed',
      `${path.basename(list)} cannot be read as a list of pictures (${(err as Error).message.split('\n')[0]})`,
      {
        file: list,
      },
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
