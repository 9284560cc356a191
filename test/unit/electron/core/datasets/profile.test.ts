// Type inference and column profiles on tiny tables whose statistics are worked out by hand.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../../shared/api.js';
import path from 'node:path';
import { asText, literal, openDuck } from '../../../../../electron/core/datasets/duck.js';
import { describeColumns, parquetStats } from '../../../../../electron/core/datasets/parquet-file.js';
import {
  CATEGORICAL_MAX_DISTINCT,
  LONG_COLUMNS_PER_READ,
  LONG_MIN_COLUMNS,
  profileColumns,
  storageFamily,
} from '../../../../../electron/core/datasets/profile.js';
import { tempDirFor } from '../helpers.js';

const temp = tempDirFor('file', 'cairn-profile-');
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let profiles: Map<string, ColumnProfile>;

async function specsOf(table: string) {
  const reader = await conn.runAndReadAll(`DESCRIBE ${table}`);
  return reader.getRowsJS().map((r) => ({ name: asText(r[0]), storageType: asText(r[1]) }));
}

beforeAll(async () => {
  ({ instance, conn } = await openDuck());
  await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES
    (1.0::DOUBLE, 1::BIGINT, 'a', 'p', true,  DATE '2024-01-15', 9007199254740993::BIGINT, 1.5::DOUBLE),
    (2.0,         1,         'a', 'q', false, DATE '2024-03-01', 1,                        'inf'::DOUBLE),
    (3.0,         2,         'b', 'r', true,  DATE '2023-12-31', 2,                        '-inf'::DOUBLE),
    (4.0,         3,         'a', 's', true,  NULL,              3,                        NULL),
    (10.0,        3,         'b', 'u', NULL,  DATE '2024-02-01', 4,                        2.5),
    (NULL,        3,         'a', 'v', true,  DATE '2024-01-01', 9223372036854775807,      3.5)
  ) v(x, n, c, t, b, d, big, f)`);
  const result = await profileColumns(conn, 't', await specsOf('t'));
  profiles = new Map(result.map((p) => [p.name, p]));
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

const get = (name: string): ColumnProfile => {
  const p = profiles.get(name);
  if (!p) throw new Error(`no profile for ${name}`);
  return p;
};

describe('profileColumns', () => {
  it('profiles a numeric column: min, max, mean, sample std, quantiles, histogram', () => {
    const x = get('x');
    expect(x).toMatchObject({
      type: 'numeric',
      inferredType: 'numeric',
      missing: 1,
      invalid: 0,
      nonFinite: 0,
      distinct: 5,
      min: 1,
      max: 10,
    });
    expect(x.mean).toBeCloseTo(4, 12); // (1+2+3+4+10)/5
    expect(x.std).toBeCloseTo(Math.sqrt(50 / 4), 12); // squared deviations 9+4+1+0+36, n-1 = 4
    // Linear interpolation between order statistics (quantile_cont): positions q*(n-1).
    const q = Object.fromEntries((x.quantiles ?? []).map((e) => [e.q, e.value]));
    expect(q[0.5]).toBeCloseTo(3, 12);
    expect(q[0.25]).toBeCloseTo(2, 12);
    expect(q[0.75]).toBeCloseTo(4, 12);
    expect(q[0.05]).toBeCloseTo(1.2, 12);
    expect(q[0.95]).toBeCloseTo(8.8, 12);
    // 20 bins of width 0.45 from 1: 1 -> 0, 2 -> 2, 3 -> 4, 4 -> 6, 10 -> last.
    const h = x.histogram ?? [];
    expect(h).toHaveLength(20);
    expect(h[0]?.lo).toBe(1);
    expect(h[19]?.hi).toBeCloseTo(10, 12);
    const nonEmpty = h.flatMap((bin, i) => (bin.count > 0 ? [[i, bin.count]] : []));
    expect(nonEmpty).toEqual([
      [0, 1],
      [2, 1],
      [4, 1],
      [6, 1],
      [19, 1],
    ]);
  });

  it('puts a value on a bin boundary in the lower bin, the same with Parquet bounds (one scan) or without', async () => {
    // 0..20 in 20 bins of width 1: bins are right-closed, (j, j+1], and the first also takes 0.
    await conn.run('CREATE TABLE edges AS SELECT range::DOUBLE AS e FROM range(0, 21)');
    const scanned = (await profileColumns(conn, 'edges', await specsOf('edges')))[0]?.histogram;
    const bounded = (
      await profileColumns(conn, 'edges', [{ name: 'e', storageType: 'DOUBLE', bounds: { min: 0, max: 20 } }])
    )[0]?.histogram;
    expect(scanned?.map((b) => b.count)).toEqual([2, ...Array<number>(19).fill(1)]);
    expect(bounded).toEqual(scanned);
  });

  it('counts every value when a bin bound has no short decimal form (the binned histogram keys)', async () => {
    // With these bounds the tenth bin ends at 0.00009999999997489795, which DuckDB would read
    // one unit off as a DECIMAL literal: that bin's values would vanish from the histogram.
    await conn.run(
      'CREATE TABLE odd AS SELECT * FROM (VALUES (-499.9992::DOUBLE), (0.00005), (0.00004), (499.9994)) v(o)',
    );
    for (const bounds of [undefined, { min: -499.9992, max: 499.9994 }]) {
      const [p] = await profileColumns(conn, 'odd', [{ name: 'o', storageType: 'DOUBLE', bounds }]);
      expect(p?.histogram?.reduce((n, b) => n + b.count, 0)).toBe(4);
      expect(p?.histogram?.[9]?.count).toBe(2);
    }
  });

  it('gives a small-range integer column one bin per value', () => {
    const n = get('n');
    expect(n).toMatchObject({ type: 'integer', missing: 0, distinct: 3, min: 1, max: 3 });
    expect(n.mean).toBeCloseTo(13 / 6, 12);
    expect(n.histogram?.map((b) => [b.lo, b.hi, b.count])).toEqual([
      [1, 2, 2],
      [2, 3, 1],
      [3, 4, 3],
    ]);
  });

  it('calls a repetitive text column categorical, with its top values', () => {
    expect(get('c')).toMatchObject({
      type: 'categorical',
      distinct: 2,
      topValues: [
        { value: 'a', count: 4 },
        { value: 'b', count: 2 },
      ],
    });
  });

  it('calls a text column whose values rarely repeat text, without top values', () => {
    const t = get('t');
    expect(t.type).toBe('text');
    expect(t.distinct).toBe(6);
    expect(t.topValues).toBeUndefined();
  });

  it('profiles booleans with their counts and missing values', () => {
    expect(get('b')).toMatchObject({
      type: 'boolean',
      missing: 1,
      distinct: 2,
      topValues: [
        { value: 'true', count: 4 },
        { value: 'false', count: 1 },
      ],
    });
  });

  it('profiles dates as datetime with min and max', () => {
    expect(get('d')).toMatchObject({ type: 'datetime', missing: 1, distinct: 5, min: '2023-12-31', max: '2024-03-01' });
  });

  it('reports integers above 2^53 exactly, as strings', () => {
    const big = get('big');
    expect(big.type).toBe('integer');
    expect(big.min).toBe(1);
    expect(big.max).toBe('9223372036854775807');
  });

  it('counts infinities as non-finite and leaves them out of min, max and mean', () => {
    const f = get('f');
    expect(f).toMatchObject({ type: 'numeric', missing: 1, nonFinite: 2, min: 1.5, max: 3.5 });
    expect(f.mean).toBeCloseTo(2.5, 12);
  });

  it('profiles a column as a type the user chose: integer as categorical, text as numeric', async () => {
    const [asCategory] = await profileColumns(conn, 't', [{ name: 'n', storageType: 'BIGINT', type: 'categorical' }]);
    expect(asCategory).toMatchObject({ type: 'categorical', inferredType: 'integer', invalid: 0 });
    expect(asCategory?.topValues?.[0]).toEqual({ value: '3', count: 3 });
    await conn.run(`CREATE TABLE s AS SELECT * FROM (VALUES ('1.5'), ('x'), ('2.5'), (NULL), ('oops')) v(s)`);
    const [asNumber] = await profileColumns(conn, 's', [{ name: 's', storageType: 'VARCHAR', type: 'numeric' }]);
    expect(asNumber).toMatchObject({ type: 'numeric', missing: 1, invalid: 2, min: 1.5, max: 2.5 });
    expect(asNumber?.mean).toBeCloseTo(2, 12);
  });
});

describe('profiles from Parquet statistics', () => {
  it('takes counts, min and max of finite number columns from the statistics, the same as a scan gives', async () => {
    // Row groups of two rows: the statistics are combined across groups. A NaN or an infinity in
    // any group leaves the column without statistics, so its non-finite values are still counted.
    const file = path.join(temp.dir, 'stats.parquet');
    await conn.run(`COPY (SELECT *, CASE WHEN x = 3 THEN 'nan'::DOUBLE ELSE x END AS withNan FROM t)
      TO ${literal(file)} (FORMAT parquet, ROW_GROUP_SIZE 2)`);
    const source = `read_parquet(${literal(file)})`;
    const columns = await describeColumns(conn, file);
    const stats = await parquetStats(conn, file, columns);
    expect(stats.get('x')?.exact).toEqual({ min: 1, max: 10, nonNull: 5 });
    expect(stats.get('n')?.exact).toEqual({ min: 1, max: 3, nonNull: 6 });
    expect(stats.get('big')?.exact).toEqual({ min: 1, max: '9223372036854775807', nonNull: 6 });
    expect(stats.has('f')).toBe(false);
    expect(stats.has('withNan')).toBe(false);
    // A date's statistics are no number: it is scanned, as text is.
    expect(stats.has('d')).toBe(false);

    const withStats = columns.map((c) => ({
      ...c,
      bounds: stats.get(c.name)?.bounds,
      known: stats.get(c.name)?.exact,
    }));
    const scanned = await profileColumns(conn, source, columns);
    expect(await profileColumns(conn, source, withStats)).toEqual(scanned);
    expect(scanned.find((p) => p.name === 'withNan')).toMatchObject({ nonFinite: 1, min: 1, max: 10 });
  });

  it('uses known values for the column as its own type only, not as a type the user chose', async () => {
    const known = { min: -7, max: 70, nonNull: 2 };
    const [own] = await profileColumns(conn, 't', [{ name: 'n', storageType: 'BIGINT', known }]);
    // Known values are trusted as given: the scan leaves them out.
    expect(own).toMatchObject({ min: -7, max: 70, missing: 4 });
    const [asNumber] = await profileColumns(conn, 't', [{ name: 'n', storageType: 'BIGINT', type: 'numeric', known }]);
    expect(asNumber).toMatchObject({ min: 1, max: 3, missing: 0 });
  });
});

describe('wide tables', () => {
  it(`profiles ${LONG_MIN_COLUMNS}+ columns in long format with the same results as the wide queries`, async () => {
    // Every column of t, repeated under new names until the table is wide enough.
    const base = await specsOf('t');
    const copies = Math.ceil(LONG_MIN_COLUMNS / base.length) + 1;
    const select = Array.from({ length: copies }, (_, i) =>
      base.map((c) => `"${c.name}" AS "${c.name}_${i}"`).join(', '),
    ).join(', ');
    await conn.run(`CREATE TABLE w AS SELECT ${select}, NULL::VARCHAR AS all_null FROM t`);
    const specs = await specsOf('w');
    expect(specs.length).toBeGreaterThanOrEqual(LONG_MIN_COLUMNS);
    const long = await profileColumns(conn, 'w', specs);
    const wide: ColumnProfile[] = [];
    for (let i = 0; i < specs.length; i += 50) wide.push(...(await profileColumns(conn, 'w', specs.slice(i, i + 50))));
    expect(long).toEqual(wide);
    expect(long.find((p) => p.name === 'x_3')).toEqual({ ...get('x'), name: 'x_3' });
    expect(long.at(-1)).toMatchObject({ name: 'all_null', missing: 6, distinct: 0, type: 'text' });
    // A type correction goes through the same path.
    const corrected = await profileColumns(
      conn,
      'w',
      specs.map((c) => (c.name === 'n_0' ? { ...c, type: 'categorical' as const } : c)),
    );
    expect(corrected.find((p) => p.name === 'n_0')?.topValues?.[0]).toEqual({ value: '3', count: 3 });
  });

  it('profiles 10,000 columns in seconds', async () => {
    const select = Array.from({ length: 10_000 }, (_, i) => `i * ${i} AS c${i}`).join(', ');
    await conn.run(`CREATE TABLE ten_k AS SELECT ${select} FROM range(3) r(i)`);
    const started = Date.now();
    const result = await profileColumns(conn, 'ten_k', await specsOf('ten_k'));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result).toHaveLength(10_000);
    expect(result[9999]).toMatchObject({ name: 'c9999', type: 'integer', min: 0, max: 19998, distinct: 3 });
  });
});

describe('categorical or text', () => {
  it(`is categorical up to ${CATEGORICAL_MAX_DISTINCT} distinct values that repeat, text above`, async () => {
    const max = CATEGORICAL_MAX_DISTINCT;
    await conn.run(`CREATE TABLE k AS SELECT
        'v' || (i % ${max})::VARCHAR AS at_limit,
        'v' || (i % ${max + 1})::VARCHAR AS over_limit,
        'v' || (i % ${max / 2})::VARCHAR AS few,
        'v' || i::VARCHAR AS unique_values
      FROM range(${3 * max}) r(i)`);
    const result = await profileColumns(conn, 'k', await specsOf('k'));
    expect(Object.fromEntries(result.map((p) => [p.name, p.type]))).toEqual({
      at_limit: 'categorical',
      over_limit: 'text',
      few: 'categorical',
      unique_values: 'text',
    });
  });

  it('needs repeats: all values distinct is text; on tiny tables some repeats are enough', async () => {
    await conn.run(
      `CREATE TABLE r AS SELECT * FROM (VALUES ('a', 'a'), ('b', 'b'), ('c', 'a'), ('d', 'c'), ('e', 'd')) v(u, s)`,
    );
    const result = await profileColumns(conn, 'r', await specsOf('r'));
    expect(result.map((p) => p.type)).toEqual(['text', 'categorical']);
    // Above the tiny-table allowance, more distinct values than half the rows is text.
    await conn.run(
      `CREATE TABLE h AS SELECT 'v' || (i % 60)::VARCHAR AS s60, 'v' || (i % 50)::VARCHAR AS s50 FROM range(100) r(i)`,
    );
    const wide = await profileColumns(conn, 'h', await specsOf('h'));
    expect(wide.map((p) => p.type)).toEqual(['text', 'categorical']);
  });
});

describe('storageFamily', () => {
  it.each([
    ['BIGINT', 'integer'],
    ['HUGEINT', 'integer'],
    ['UBIGINT', 'integer'],
    ['INTEGER', 'integer'],
    ['DOUBLE', 'numeric'],
    ['DECIMAL(21,1)', 'numeric'],
    ['BOOLEAN', 'boolean'],
    ['DATE', 'datetime'],
    ['TIMESTAMP WITH TIME ZONE', 'datetime'],
    ['VARCHAR', 'string'],
    ['BLOB', 'other'],
    ['STRUCT(a INTEGER)', 'other'],
  ])('%s is %s', (storage, family) => expect(storageFamily(storage)).toBe(family));
});

describe('wide tables scale linearly', () => {
  /** Runs the profile through a connection that records every statement it is given. */
  async function statementsFor(columns: number): Promise<{ sql: string[]; result: ColumnProfile[] }> {
    const table = `lin_${columns}`;
    const select = Array.from({ length: columns }, (_, i) => `i * ${i} AS c${i}`).join(', ');
    await conn.run(`CREATE TABLE ${table} AS SELECT ${select} FROM range(3) r(i)`);
    const sql: string[] = [];
    const recording = {
      run: (q: string) => (sql.push(q), conn.run(q)),
      runAndReadAll: (q: string) => (sql.push(q), conn.runAndReadAll(q)),
      createAppender: (...args: Parameters<DuckDBConnection['createAppender']>) => conn.createAppender(...args),
    } as unknown as DuckDBConnection;
    const result = await profileColumns(recording, table, await specsOf(table));
    return { sql, result };
  }

  it('reads each column of the source once, and runs the same statistics queries for 1,000 or 4,000 columns', async () => {
    const small = await statementsFor(1000);
    const large = await statementsFor(4000);
    for (const [columns, { sql, result }] of [
      [1000, small],
      [4000, large],
    ] as const) {
      expect(result).toHaveLength(columns);
      expect(result[columns - 1]).toMatchObject({ type: 'integer', min: 0, max: 2 * (columns - 1), distinct: 3 });
      // Every mention of a source column, over every statement: each column exactly once. (The
      // UNPIVOT format named each column in three or four queries, each binding the whole schema.)
      const mentions = sql.join('\n').match(/"c\d+"/g) ?? [];
      expect(new Set(mentions).size).toBe(columns);
      expect(mentions).toHaveLength(columns);
      // Statements that read the source (and so bind all its columns): one per LONG_COLUMNS_PER_READ.
      const reads = sql.filter((q) => new RegExp(`\\bFROM lin_${columns}\\b`).test(q)).length;
      expect(reads).toBe(1 + Math.ceil(columns / LONG_COLUMNS_PER_READ)); // with the row count
    }
    // Everything else (statistics over the long table, its set-up and clean-up) does not grow.
    const others = (sql: string[]) => sql.filter((q) => !/\bFROM lin_\d+\b/.test(q)).length;
    expect(others(large.sql)).toBe(others(small.sql));
  });
});
