// readColumns on real Parquet files: semantic types, missing values, dictionaries, unknown
// names, and a million-row read that stays columnar.
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literal, openDuck } from '../../../../../electron/core/datasets/duck.js';
import {
  chooseColumns,
  readColumns,
  type CodeColumn,
  type ColumnRead,
  type NumberColumn,
} from '../../../../../electron/core/training/columns.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { tempDir } from '../helpers.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let dir: string;
let cleanup: () => Promise<void>;
let small: string;

const SMALL: ColumnRead[] = [
  { name: 'x', storageType: 'DOUBLE', type: 'numeric' },
  { name: 'n', storageType: 'BIGINT', type: 'integer' },
  { name: 'color', storageType: 'VARCHAR', type: 'categorical' },
  { name: 'flag', storageType: 'BOOLEAN', type: 'boolean' },
  { name: 'when', storageType: 'TIMESTAMP', type: 'datetime' },
  { name: 'day', storageType: 'DATE', type: 'datetime' },
  { name: 'note', storageType: 'VARCHAR', type: 'text' },
  // Corrections: text read as numbers, numbers read as categories, text read as datetimes.
  { name: 'num_text', storageType: 'VARCHAR', type: 'numeric' },
  { name: 'n', storageType: 'BIGINT', type: 'categorical' },
];

beforeAll(async () => {
  const t = await tempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  ({ instance, conn } = await openDuck());
  small = path.join(dir, 'small.parquet');
  await conn.run(`COPY (SELECT * FROM (VALUES
      (1.5, 3, 'red', true, TIMESTAMP '2024-01-02 10:00:00', DATE '2024-01-02', 'hello', '2.5', '2024-01-01'),
      (NULL, 10, 'blue', false, NULL, NULL, NULL, 'abc', 'nope'),
      ('inf'::DOUBLE, NULL, NULL, NULL, TIMESTAMP '1970-01-01 00:00:01', DATE '1970-01-01', 'x', NULL, NULL),
      ('-inf'::DOUBLE, 3, 'red', true, TIMESTAMP '2024-01-02 10:00:00', DATE '2024-01-03', 'y', '1e3', '2024-01-02 03:00'),
      ('nan'::DOUBLE, 2, 'Blue', false, NULL, NULL, 'z', ' 7 ', NULL)
    ) t(x, n, color, flag, "when", day, note, num_text, date_text)) TO ${literal(small)} (FORMAT parquet)`);
});
afterAll(async () => {
  conn.closeSync();
  instance.closeSync();
  await cleanup();
});

const num = (set: Awaited<ReturnType<typeof readColumns>>, name: string) => set.columns.get(name) as NumberColumn;
const codes = (set: Awaited<ReturnType<typeof readColumns>>, name: string) => set.columns.get(name) as CodeColumn;
const decoded = (c: CodeColumn) => Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));

describe('readColumns', () => {
  it('reads each semantic type into its typed array, missing and non-finite as NaN / -1', async () => {
    const set = await readColumns(conn, small, SMALL.slice(0, 8));
    expect(set.rows).toBe(5);
    const x = num(set, 'x');
    expect(x.kind).toBe('number');
    expect(x.values).toBeInstanceOf(Float64Array);
    expect(Array.from(x.values)).toEqual([1.5, NaN, NaN, NaN, NaN]);
    expect(Array.from(num(set, 'n').values)).toEqual([3, 10, NaN, 3, 2]);
    expect(Array.from(num(set, 'num_text').values)).toEqual([2.5, NaN, NaN, 1000, 7]);
    expect(Array.from(num(set, 'when').values)).toEqual([
      Date.UTC(2024, 0, 2, 10),
      NaN,
      1000,
      Date.UTC(2024, 0, 2, 10),
      NaN,
    ]);
    expect(Array.from(num(set, 'day').values)).toEqual([Date.UTC(2024, 0, 2), NaN, 0, Date.UTC(2024, 0, 3), NaN]);

    const color = codes(set, 'color');
    expect(color.codes).toBeInstanceOf(Int32Array);
    // Sorted by code units: upper case first; codes do not depend on which value came first.
    expect(color.dictionary).toEqual(['Blue', 'blue', 'red']);
    expect(Array.from(color.codes)).toEqual([2, 1, -1, 2, 0]);
    const flag = codes(set, 'flag');
    expect(flag.dictionary).toEqual(['false', 'true']);
    expect(Array.from(flag.codes)).toEqual([1, 0, -1, 1, 0]);
    expect(decoded(codes(set, 'note'))).toEqual(['hello', null, 'x', 'y', 'z']);
  });

  it('reads a type correction the way profiling does', async () => {
    const set = await readColumns(conn, small, [
      { name: 'n', storageType: 'BIGINT', type: 'categorical' },
      { name: 'date_text', storageType: 'VARCHAR', type: 'datetime' },
      { name: 'flag', storageType: 'BOOLEAN', type: 'categorical' },
    ]);
    const n = codes(set, 'n');
    expect(n.dictionary).toEqual(['10', '2', '3']);
    expect(decoded(n)).toEqual(['3', '10', null, '3', '2']);
    expect(Array.from(num(set, 'date_text').values)).toEqual([
      Date.UTC(2024, 0, 1),
      NaN,
      NaN,
      Date.UTC(2024, 0, 2, 3),
      NaN,
    ]);
    expect(decoded(codes(set, 'flag'))).toEqual(['true', 'false', null, 'true', 'false']);
  });

  it('reads no columns as just the row count', async () => {
    const set = await readColumns(conn, small, []);
    expect(set.rows).toBe(5);
    expect(set.columns.size).toBe(0);
  });
});

describe('chooseColumns', () => {
  it('picks profiles by name, once each, and names unknown columns in its error', () => {
    expect(chooseColumns(SMALL, ['color', 'x', 'color']).map((c) => c.name)).toEqual(['color', 'x']);
    let caught: unknown;
    try {
      chooseColumns(SMALL, ['x', 'nope', '__proto__']);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CairnError);
    expect((caught as CairnError).code).toBe('invalid_argument');
    expect((caught as CairnError).message).toBe('Unknown columns: "nope", "__proto__"');
    expect((caught as CairnError).details?.unknown).toEqual(['nope', '__proto__']);
  });
});

describe('a million rows', () => {
  it('reads in bounded memory: no row objects, heap growth far below one object per row', async () => {
    const big = path.join(dir, 'big.parquet');
    await conn.run(`COPY (SELECT i::DOUBLE * 0.5 AS a, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 1000 END::BIGINT AS b,
        'cat_' || (i % 20)::VARCHAR AS k, TIMESTAMP '2020-01-01' + to_seconds(i) AS t, i % 3 = 0 AS f
      FROM range(1000000) r(i)) TO ${literal(big)} (FORMAT parquet)`);
    const cols: ColumnRead[] = [
      { name: 'a', storageType: 'DOUBLE', type: 'numeric' },
      { name: 'b', storageType: 'BIGINT', type: 'integer' },
      { name: 'k', storageType: 'VARCHAR', type: 'categorical' },
      { name: 't', storageType: 'TIMESTAMP', type: 'datetime' },
      { name: 'f', storageType: 'BOOLEAN', type: 'boolean' },
    ];
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    let calls = 0;
    const started = performance.now();
    const set = await readColumns(conn, big, cols, {
      onProgress: (read, total) => {
        expect(total).toBe(1_000_000);
        if (++calls % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        if (read === total) peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    expect(set.rows).toBe(1_000_000);
    // Typed arrays live outside the JS heap; a million row objects would add well over 100 MB.
    expect((peak - base) / 2 ** 20).toBeLessThan(64);
    expect(calls).toBeGreaterThan(100);
    const a = num(set, 'a').values;
    expect(a[999_999]).toBe(499_999.5);
    const b = num(set, 'b').values;
    expect(Number.isNaN(b[0])).toBe(true);
    expect(b[999_999]).toBe(999);
    const k = codes(set, 'k');
    expect(k.dictionary).toHaveLength(20);
    expect(k.dictionary[k.codes[21] as number]).toBe('cat_1');
    expect(num(set, 't').values[86_400]).toBe(Date.UTC(2020, 0, 2));
    expect(Array.from(codes(set, 'f').codes.subarray(0, 4))).toEqual([1, 0, 0, 1]);
    // Generous: the 2-core dev machine reads this in about 0.35 s.
    expect(seconds).toBeLessThan(20);
  });
});
