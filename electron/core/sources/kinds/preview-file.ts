// The first rows of a fetched file (url and s3 previews), read by DuckDB as the import would read
// it, with DuckDB's type names.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { literal, openDuck, toCell } from '../../datasets/duck.js';
import type {
  FetchedFile,
  FetchOptions,
  NotModified,
  ReachOptions,
  SourcePreview,
  SourceTarget,
} from '../source-kind.js';

function reader(file: FetchedFile): string {
  const f = literal(file.path);
  if (file.format === 'parquet') return `read_parquet(${f})`;
  if (file.format === 'json') return `read_json_auto(${f}, format='auto')`;
  return `read_csv_auto(${f})`;
}

export async function previewFile(file: FetchedFile, limit: number): Promise<SourcePreview> {
  const { instance, conn } = await openDuck({ memoryLimit: '256MB', threads: 1 });
  try {
    const result = await conn.runAndReadAll(`SELECT * FROM ${reader(file)} LIMIT ${Math.floor(limit)}`);
    const names = result.columnNames();
    const types = result.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rows: result.getRows().map((row) => row.map(toCell)),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A file kind's preview: the whole fetch (within the source's limits) into a temporary folder, then its first rows. */
export function previewByFetch(
  fetch: (target: SourceTarget, options: FetchOptions) => Promise<FetchedFile | NotModified>,
): (target: SourceTarget, limit: number, options: ReachOptions) => Promise<SourcePreview> {
  return (target, limit, options) =>
    withTempDir(async (tempDir) => {
      const fetched = await fetch(target, { ...options, tempDir });
      if ('notModified' in fetched) throw new Error('a fetch without validators cannot be not-modified');
      return previewFile(fetched, limit);
    });
}

/** Runs `fn` with a temporary folder, removed after. */
async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-source-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
