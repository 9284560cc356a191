// The CSV-to-Parquet copy of a wide file: work per column stays constant as columns are added,
// checked by the statements DuckDB is given rather than by the clock.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLimitFor, openDuck } from '../../../../../electron/core/datasets/duck.js';
import { inspectFile } from '../../../../../electron/core/datasets/file-check.js';
import { describeColumns } from '../../../../../electron/core/datasets/parquet-file.js';
import { copyToParquet } from '../../../../../electron/core/datasets/to-parquet.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => cleanup());

describe('copyToParquet on a wide text CSV', () => {
  it('checks text columns for infinities in long format: a fixed number of tests per statement, not two per column', async () => {
    const columns = 1000;
    const file = path.join(dir, 'wide-text.csv');
    const header = Array.from({ length: columns }, (_, i) => `t${i}`).join(',');
    const row = (first: string, value: string) =>
      [first, ...Array.from({ length: columns - 1 }, () => value)].join(',');
    await writeFile(file, `${[header, row('1.5', 'a'), row('-inf', 'b'), row('2', 'a')].join('\n')}\n`);
    const info = await inspectFile(file);
    const { instance, conn } = await openDuck({
      memoryLimit: memoryLimitFor(columns),
      tempDir: path.join(dir, 'spill'),
    });
    const sql: string[] = [];
    const recording = {
      run: (q: string) => (sql.push(q), conn.run(q)),
      runAndReadAll: (q: string) => (sql.push(q), conn.runAndReadAll(q)),
    } as unknown as DuckDBConnection;
    try {
      const out = path.join(dir, 'wide-text.parquet');
      const copied = await copyToParquet(recording, info, out, 'fail');
      expect(copied.rows).toBe(3);
      const types = await describeColumns(conn, out);
      expect(types[0]).toEqual({ name: 't0', storageType: 'DOUBLE' });
      expect(types.slice(1).every((c) => c.storageType === 'VARCHAR')).toBe(true);
      const tests = sql.map((q) => q.match(/regexp_full_match/g)?.length ?? 0);
      expect(Math.max(...tests)).toBe(2);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
