// The first rows of a fetched file (url and s3 previews), read by DuckDB as the import would read
// it, with DuckDB's type names.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { literal, openDuck, toCell } from '../../datasets/duck.js';
import type { FetchedFile, SourcePreview } from '../source-kind.js';

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

/** Runs `fn` with a temporary folder, removed after. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-source-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
