// The rows-to-Parquet writer on its own, with parts of a few hundred bytes so a handful of rows
// makes many: parts merged in order, a column turned text in a later part for all rows, names
// made unique, and nothing left behind on a cancel, a failing source or no rows.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  rowsToParquet,
  type OutputColumn,
  type RowBatch,
} from '../../../../../electron/core/sources/rows-to-parquet.js';
import { tempDirFor } from '../helpers.js';
import { failure, readParquet } from './databases/kind-checks.js';

const temp = tempDirFor('each test', 'cairn-rows-parquet-');

async function* batchesOf(...batches: RowBatch[]): AsyncGenerator<RowBatch> {
  for (const b of batches) yield b;
}

const columns = (): OutputColumn[] => [
  { name: 'id', sourceType: 'integer', storeAs: 'BIGINT' },
  { name: 'day', sourceType: 'date', storeAs: 'DATE' },
  { name: 'id', sourceType: 'text', storeAs: 'VARCHAR' },
  { name: '', sourceType: 'double', storeAs: 'DOUBLE' },
];

describe('rowsToParquet', () => {
  it('merges many parts in order; a value a later part cannot cast turns that column to text for every row, said once', async () => {
    const file = path.join(temp.dir, 'out.parquet');
    const rows = (from: number, day: (i: number) => string | null): unknown[][] =>
      Array.from({ length: 20 }, (_, k) => [BigInt(from + k), day(from + k), `t${from + k}`, (from + k) / 4]);
    const progress: number[] = [];
    const written = await rowsToParquet(
      columns(),
      batchesOf(
        rows(0, () => '2024-01-02'),
        rows(20, (i) => (i === 25 ? null : '2024-01-03')),
        rows(40, (i) => (i === 47 ? 'someday' : '2024-01-04')),
        rows(60, () => '2024-01-05'),
      ),
      {
        path: file,
        tempDir: temp.dir,
        signal: new AbortController().signal,
        onProgress: (n) => progress.push(n),
        partBytes: 300,
      },
    );
    expect(written.rows).toBe(80);
    expect(progress).toEqual([20, 40, 60, 80]);
    expect(written.notes).toEqual([
      'Column 3 ("id") is called "id_2": names must be unique',
      'Column 4 has no name; it is called "column_4"',
      'Column "day" (date) was kept as text: a value ("someday") is not a DATE',
    ]);
    const back = await readParquet(file);
    expect(back.types).toEqual({ id: 'BIGINT', day: 'VARCHAR', id_2: 'VARCHAR', column_4: 'DOUBLE' });
    expect(back.rows.map((r) => r.id)).toEqual(Array.from({ length: 80 }, (_, i) => BigInt(i)));
    expect(back.rows[0]).toEqual({ id: 0n, day: '2024-01-02', id_2: 't0', column_4: 0 });
    expect(back.rows[25]?.day).toBeNull();
    expect(back.rows[47]?.day).toBe('someday');
    expect(back.rows[79]).toEqual({ id: 79n, day: '2024-01-05', id_2: 't79', column_4: 19.75 });
    // Only the file is left: the staging parts are gone.
    expect(await readdir(temp.dir)).toEqual(['out.parquet']);
  });

  it("passes a source's own error through and leaves nothing; no rows at all is 'empty'", async () => {
    const file = path.join(temp.dir, 'out.parquet');
    async function* broken(): AsyncGenerator<RowBatch> {
      yield [[1n, null, 'a', 1]];
      throw new Error('the server went away');
    }
    await expect(
      rowsToParquet(columns(), broken(), {
        path: file,
        tempDir: temp.dir,
        signal: new AbortController().signal,
        partBytes: 1,
      }),
    ).rejects.toThrow('the server went away');
    expect(await readdir(temp.dir)).toEqual([]);
    await failure(
      rowsToParquet(columns(), batchesOf([], []), {
        path: file,
        tempDir: temp.dir,
        signal: new AbortController().signal,
      }),
      'import_failed',
      'empty',
    );
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('a cancel between batches leaves no file', async () => {
    const file = path.join(temp.dir, 'out.parquet');
    const controller = new AbortController();
    async function* endless(): AsyncGenerator<RowBatch> {
      for (let i = 0; i < 1000; i++) yield [[BigInt(i), '2024-01-01', 'x', i]];
    }
    await failure(
      rowsToParquet(columns(), endless(), {
        path: file,
        tempDir: temp.dir,
        signal: controller.signal,
        partBytes: 100,
        onProgress: (n) => n === 10 && controller.abort(),
      }),
      'cancelled',
    );
    expect(await readdir(temp.dir)).toEqual([]);
  });
});
