// The table node kinds on real DuckDB and Parquet files in a temp folder: SQL transform, filter,
// select/drop/rename, impute, scale, encode and split, each checked against values worked out by
// hand, and each refusing bad params with an error naming the field.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, nodeParamSchemas, SPLIT_COLUMN, type NodeKindName } from '../../../../../shared/pipeline.js';
import { literal, openDuck, toCell } from '../../../../../electron/core/datasets/duck.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import type { StepContext } from '../../../../../electron/core/pipelines/executor.js';
import type { PipelineHost } from '../../../../../electron/core/pipelines/host.js';
import { kindRunners } from '../../../../../electron/core/pipelines/kinds/index.js';
import type { StepResult } from '../../../../../electron/core/pipelines/step-cache.js';
import { splitSizes } from '../../../../../electron/core/training/splits.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let duck: { instance: DuckDBInstance; conn: DuckDBConnection };
let people: string;
let step = 0;

/** A host with DuckDB only: the table kinds need nothing else. */
const host = {
  connect: () => duck.instance.connect(),
} as unknown as PipelineHost;
const kinds = kindRunners({ host, pipelineId: 'test-id', pipelineName: 'test', baseDir: '/' });

/** Writes a table from a SELECT to a Parquet file. */
async function table(name: string, select: string): Promise<string> {
  const file = path.join(dir, `${name}.parquet`);
  await duck.conn.run(`COPY (${select}) TO ${literal(file)} (FORMAT parquet)`);
  return file;
}

async function rows(file: string): Promise<Record<string, unknown>[]> {
  const r = await duck.conn.runAndReadAll(`SELECT * FROM read_parquet(${literal(file)})`);
  const names = r.columnNames();
  return r
    .getRowsJS()
    .map((row) => Object.fromEntries(row.map((v, i): [string, unknown] => [names[i] as string, toCell(v)])));
}

/** Runs one kind on an input file with params (defaults filled in as validation does). */
async function run(
  kind: NodeKindName,
  params: Record<string, unknown>,
  input: string,
): Promise<StepResult & { rows: Record<string, unknown>[] }> {
  const outDir = path.join(dir, `step-${++step}`);
  await mkdir(outDir);
  const ctx: StepContext = {
    node: { id: kind, kind, params: nodeParamSchemas[kind].parse({ ...defaultParams(kind), ...params }) },
    inputs: { data: { type: 'table', file: input } },
    identity: undefined,
    outDir,
    signal: new AbortController().signal,
    progress: () => undefined,
  };
  const result = await kinds[kind].run(ctx);
  const out = result.ports.data;
  if (out?.type !== 'table') throw new Error('no table out');
  return { ...result, rows: await rows(out.file) };
}

/** The error a kind fails with: its code, message and the field it names. */
async function failure(
  kind: NodeKindName,
  params: Record<string, unknown>,
  input = people,
): Promise<{ code: string; field: unknown; message: string }> {
  try {
    await run(kind, params, input);
  } catch (err) {
    if (err instanceof CairnError) return { code: err.code, field: err.details?.field, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-kinds-'));
  duck = await openDuck();
  people = await table(
    'people',
    `SELECT * FROM (VALUES
      (1, 10.0, 'auckland', true, 100),
      (2, NULL, 'wellington', false, 200),
      (3, 30.0, NULL, true, NULL),
      (4, 40.0, 'auckland', NULL, 400),
      (5, NULL, 'auckland', false, 500)
    ) t(id, x, city, flag, n)`,
  );
});
afterAll(async () => {
  duck.conn.closeSync();
  duck.instance.closeSync();
  await cleanup();
});

describe('sql', () => {
  it('runs a SELECT over the input table named input', async () => {
    const r = await run('sql', { query: 'SELECT id, x * 2 AS x2 FROM input WHERE id <= 2 ORDER BY id;' }, people);
    expect(r.rows).toEqual([
      { id: 1, x2: 20 },
      { id: 2, x2: null },
    ]);
    expect(r.output.table).toMatchObject({
      rowCount: 2,
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'x2', type: 'DECIMAL(13,1)' },
      ],
    });
  });

  it('refuses more than one statement, a statement that is not a SELECT, and a bad query, naming the field', async () => {
    expect(await failure('sql', { query: 'SELECT 1; SELECT 2' })).toMatchObject({
      code: 'invalid_argument',
      field: 'query',
      message: expect.stringMatching(/one SELECT statement/) as string,
    });
    expect(await failure('sql', { query: 'CREATE TABLE t AS SELECT * FROM input' })).toMatchObject({
      field: 'query',
      message: expect.stringMatching(/must be a SELECT/) as string,
    });
    expect(await failure('sql', { query: 'SELECT nope FROM input' })).toMatchObject({
      field: 'query',
      message: expect.stringMatching(/nope/) as string,
    });
  });
});

describe('filter', () => {
  it('keeps the rows where the condition holds (NULL drops the row)', async () => {
    const r = await run('filter', { condition: "x >= 30 OR city = 'wellington'" }, people);
    expect(r.rows.map((x) => x.id)).toEqual([2, 3, 4]);
    expect((await run('filter', { condition: 'flag' }, people)).rows.map((x) => x.id)).toEqual([1, 3]);
  });

  it('refuses a condition that is not true/false, does not parse, names no column, or appends a statement', async () => {
    expect(await failure('filter', { condition: 'x + 1' })).toMatchObject({
      field: 'condition',
      message: expect.stringMatching(/gives DECIMAL.* values, not true or false/) as string,
    });
    expect(await failure('filter', { condition: 'x >' })).toMatchObject({ field: 'condition' });
    expect(await failure('filter', { condition: 'height > 1' })).toMatchObject({
      field: 'condition',
      message: expect.stringMatching(/height/) as string,
    });
    expect(await failure('filter', { condition: 'true; DROP TABLE x' })).toMatchObject({ field: 'condition' });
  });
});

describe('columns', () => {
  it('keeps the named columns in the order given, then renames', async () => {
    const r = await run(
      'columns',
      { mode: 'select', columns: ['city', 'id'], rename: [{ from: 'city', to: 'town' }] },
      people,
    );
    expect(Object.keys(r.rows[0] ?? {})).toEqual(['town', 'id']);
    expect(r.rows[0]).toEqual({ town: 'auckland', id: 1 });
  });

  it('drops the named columns', async () => {
    const r = await run('columns', { mode: 'drop', columns: ['x', 'flag'] }, people);
    expect(Object.keys(r.rows[0] ?? {})).toEqual(['id', 'city', 'n']);
  });

  it('names an unknown column, a rename of a dropped column, and a name clash', async () => {
    expect(await failure('columns', { mode: 'drop', columns: ['ghost'] })).toMatchObject({
      field: 'columns',
      message: expect.stringMatching(/no column "ghost" in the input \(it has id, x, city, flag, n\)/) as string,
    });
    expect(await failure('columns', { mode: 'drop', columns: ['x'], rename: [{ from: 'x', to: 'y' }] })).toMatchObject({
      field: 'rename.0.from',
    });
    expect(await failure('columns', { mode: 'drop', columns: [], rename: [{ from: 'x', to: 'id' }] })).toMatchObject({
      field: 'rename.0.to',
      message: 'two columns would be named "id"',
    });
    expect(await failure('columns', { mode: 'drop', columns: ['id', 'x', 'city', 'flag', 'n'] })).toMatchObject({
      field: 'columns',
      message: 'that drops every column',
    });
  });
});

describe('impute', () => {
  it('fills numbers with their mean and other columns with their most frequent value by default', async () => {
    const r = await run('impute', {}, people);
    // x: mean of 10, 30, 40; city: auckland (3 of 4); flag: true and false tie 2-2 (either is a mode);
    // n is an integer column: its mean 300 stays an integer.
    expect(r.rows.map((x) => x.x)).toEqual([10, 80 / 3, 30, 40, 80 / 3].map((v) => Number(v.toFixed(1))));
    expect(r.rows.map((x) => x.city)).toEqual(['auckland', 'wellington', 'auckland', 'auckland', 'auckland']);
    expect(r.rows.every((x) => typeof x.flag === 'boolean')).toBe(true);
    expect(r.rows.map((x) => x.n)).toEqual([100, 200, 300, 400, 500]);
  });

  it('follows per-column rules (median, constant) and leaves excluded columns alone', async () => {
    const r = await run(
      'impute',
      {
        numeric: 'none',
        exclude: ['flag'],
        rules: [
          { column: 'x', strategy: 'median' },
          { column: 'city', strategy: 'constant', value: 'unknown' },
        ],
      },
      people,
    );
    expect(r.rows.map((x) => x.x)).toEqual([10, 30, 30, 40, 30]);
    expect(r.rows.map((x) => x.city)).toEqual(['auckland', 'wellington', 'unknown', 'auckland', 'auckland']);
    expect(r.rows.map((x) => x.flag)).toEqual([true, false, true, null, false]);
    expect(r.rows.map((x) => x.n)).toEqual([100, 200, null, 400, 500]);
  });

  it('names a constant that does not fit the column, a mean of text, and an unknown column', async () => {
    expect(await failure('impute', { rules: [{ column: 'n', strategy: 'constant', value: 'lots' }] })).toMatchObject({
      field: 'rules.0.value',
      message: '"lots" cannot be read as INTEGER, the type of "n"',
    });
    expect(await failure('impute', { rules: [{ column: 'city', strategy: 'mean' }] })).toMatchObject({
      field: 'rules.0.strategy',
    });
    expect(await failure('impute', { rules: [{ column: 'ghost', strategy: 'mode' }] })).toMatchObject({
      field: 'rules.0.column',
    });
  });
});

describe('scale', () => {
  it('standardises numeric columns with the population deviation, leaving excluded ones', async () => {
    const r = await run('scale', { method: 'standard', exclude: ['id'] }, people);
    const xs = [10, 30, 40];
    const mean = xs.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(r.rows.map((x) => x.x)).toEqual([(10 - mean) / sd, null, (30 - mean) / sd, (40 - mean) / sd, null]);
    expect(r.rows.map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
    expect(r.rows.map((x) => x.city)).toEqual(['auckland', 'wellington', null, 'auckland', 'auckland']);
  });

  it('maps to 0..1 by minimum and maximum, and a constant column to 0', async () => {
    const input = await table('const', 'SELECT * FROM (VALUES (1, 5.0), (3, 5.0), (5, 5.0)) t(a, b)');
    const r = await run('scale', { method: 'minmax' }, input);
    expect(r.rows).toEqual([
      { a: 0, b: 0 },
      { a: 0.5, b: 0 },
      { a: 1, b: 0 },
    ]);
  });

  it('names a text column asked to scale', async () => {
    expect(await failure('scale', { columns: ['city'] })).toMatchObject({
      field: 'columns',
      message: '"city" is VARCHAR, not a number column',
    });
  });
});

describe('encode', () => {
  it('one-hot: a 0/1 column per value in place of the column, a missing value all zeros', async () => {
    const r = await run('encode', { method: 'onehot' }, people);
    expect(Object.keys(r.rows[0] ?? {})).toEqual(['id', 'x', 'city_auckland', 'city_wellington', 'flag', 'n']);
    expect(r.rows.map((x) => [x.city_auckland, x.city_wellington])).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  it('one-hot beyond the limit: the rarer values share an other column', async () => {
    const r = await run(
      'encode',
      { method: 'onehot', maxCategories: 2, columns: ['city'] },
      await table('cities', "SELECT * FROM (VALUES ('a'), ('a'), ('b'), ('c')) t(city)"),
    );
    expect(r.rows).toEqual([
      { city_a: 1, city_b: 0, city_other: 0 },
      { city_a: 1, city_b: 0, city_other: 0 },
      { city_a: 0, city_b: 1, city_other: 0 },
      { city_a: 0, city_b: 0, city_other: 1 },
    ]);
  });

  it('ordinal: one integer per value in sorted order, missing stays missing; booleans when named', async () => {
    const r = await run('encode', { method: 'ordinal', columns: ['city', 'flag'] }, people);
    expect(r.rows.map((x) => x.city)).toEqual([0, 1, null, 0, 0]);
    expect(r.rows.map((x) => x.flag)).toEqual([1, 0, 1, null, 0]);
  });

  it('names a number column asked to encode, and a column name that would clash', async () => {
    expect(await failure('encode', { columns: ['x'] })).toMatchObject({ field: 'columns' });
    const clash = await table('clash', "SELECT * FROM (VALUES ('a', 1)) t(c, c_a)");
    expect(await failure('encode', { columns: ['c'] }, clash)).toMatchObject({
      field: 'columns',
      message: expect.stringMatching(/"c_a", which already exists/) as string,
    });
  });
});

describe('fitted steps after a split', () => {
  /** Rows 1-3 train, 4 validation, 5-6 test: the held-out rows hold values the train rows lack. */
  let splitPeople: string;
  beforeAll(async () => {
    splitPeople = await table(
      'split-people',
      `SELECT * FROM (VALUES
        (1, 10.0, 'auckland', 'train'),
        (2, NULL, 'wellington', 'train'),
        (3, 30.0, 'auckland', 'train'),
        (4, 1000.0, 'nelson', 'validation'),
        (5, NULL, 'nelson', 'test'),
        (6, -500.0, NULL, 'test')
      ) t(id, x, city, ${SPLIT_COLUMN})`,
    );
  });

  it("impute: fills every part with the train rows' statistics and keeps the split column", async () => {
    const r = await run('impute', { numeric: 'mean', exclude: ['id'] }, splitPeople);
    // The mean of the train part's 10 and 30, not of all present values (which include 1000 and -500).
    expect(r.rows.map((x) => x.x)).toEqual([10, 20, 30, 1000, 20, -500]);
    expect(r.rows.map((x) => x.city)).toEqual(['auckland', 'wellington', 'auckland', 'nelson', 'nelson', 'auckland']);
    expect(r.rows.map((x) => x[SPLIT_COLUMN])).toEqual(['train', 'train', 'train', 'validation', 'test', 'test']);
    expect(r.output.fit).toEqual({ part: 'train', rows: 3 });
    expect(r.output.table?.parts).toEqual({ train: 3, validation: 1, test: 2 });
  });

  it("scale: the train rows' mean and deviation, applied to every part", async () => {
    const r = await run('scale', { method: 'standard', columns: ['x'] }, splitPeople);
    // Train x: 10 and 30 (mean 20, population deviation 10).
    expect(r.rows.map((x) => x.x)).toEqual([-1, null, 1, 98, null, -52]);
    expect(r.output.fit).toEqual({ part: 'train', rows: 3 });
  });

  it("encode: only the train rows' values; a value only held-out rows have is other, or missing", async () => {
    const hot = await run('encode', { method: 'onehot', columns: ['city'] }, splitPeople);
    expect(Object.keys(hot.rows[0] ?? {})).toEqual(['id', 'x', 'city_auckland', 'city_wellington', SPLIT_COLUMN]);
    expect(hot.rows.map((x) => [x.city_auckland, x.city_wellington])).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const ord = await run('encode', { method: 'ordinal', columns: ['city'] }, splitPeople);
    expect(ord.rows.map((x) => x.city)).toEqual([0, 1, 0, null, null, null]);
  });

  it('before a split, says it learned from all rows; says nothing when it learned nothing', async () => {
    expect((await run('impute', {}, people)).output.fit).toEqual({ part: 'all', rows: 5 });
    const constants = await run(
      'impute',
      { numeric: 'none', other: 'none', rules: [{ column: 'x', strategy: 'constant', value: '0' }] },
      people,
    );
    expect(constants.output.fit).toBeUndefined();
    expect((await run('scale', { columns: [], exclude: ['id', 'x', 'n'] }, people)).output.fit).toBeUndefined();
    // A column that merely has the split's name, but not its text type, does not make a split table.
    const numbered = await table('numbered', `SELECT * FROM (VALUES (1.0, 1), (3.0, 2)) t(x, ${SPLIT_COLUMN})`);
    const scaled = await run('scale', { method: 'minmax', columns: ['x'] }, numbered);
    expect(scaled.output.fit).toEqual({ part: 'all', rows: 2 });
    expect(scaled.rows.map((r) => r.x)).toEqual([0, 1]);
  });

  it('refuses a rule that would fill the split column', async () => {
    expect(await failure('impute', { rules: [{ column: SPLIT_COLUMN, strategy: 'mode' }] }, splitPeople)).toMatchObject(
      {
        field: 'rules.0.column',
        message: `"${SPLIT_COLUMN}" says which part a row is in: it is not filled`,
      },
    );
  });
});

describe('split', () => {
  let big: string;
  beforeAll(async () => {
    // 200 rows, classes a (150) and b (50), a few without a class.
    big = await table(
      'big',
      "SELECT i AS id, CASE WHEN i % 50 = 7 THEN NULL WHEN i % 4 = 0 THEN 'b' ELSE 'a' END AS label FROM range(200) r(i)",
    );
  });

  it('random: adds the split column with the sizes training uses, the same for the same seed', async () => {
    const r = await run('split', { method: 'random', seed: 7 }, big);
    const [train, validation, test] = splitSizes(200, { train: 0.7, validation: 0.15, test: 0.15 });
    expect(r.output.table?.parts).toEqual({ train, validation, test });
    expect(r.rows.map((x) => x.id)).toEqual(Array.from({ length: 200 }, (_v, i) => i));
    const again = await run('split', { method: 'random', seed: 7 }, big);
    expect(again.rows.map((x) => x[SPLIT_COLUMN])).toEqual(r.rows.map((x) => x[SPLIT_COLUMN]));
    const other = await run('split', { method: 'random', seed: 8 }, big);
    expect(other.rows.map((x) => x[SPLIT_COLUMN])).not.toEqual(r.rows.map((x) => x[SPLIT_COLUMN]));
  });

  it('stratified: each class keeps its share in every part; rows without a class get no part', async () => {
    const r = await run(
      'split',
      { method: 'stratified', stratify: 'label', train: 0.6, validation: 0.2, test: 0.2 },
      big,
    );
    const count = (label: string | null, part: string | null) =>
      r.rows.filter((x) => x.label === label && x[SPLIT_COLUMN] === part).length;
    const nb = r.rows.filter((x) => x.label === 'b').length;
    const na = r.rows.filter((x) => x.label === 'a').length;
    for (const [part, share] of [
      ['train', 0.6],
      ['validation', 0.2],
      ['test', 0.2],
    ] as const) {
      expect(Math.abs(count('b', part) - nb * share)).toBeLessThanOrEqual(1);
      expect(Math.abs(count('a', part) - na * share)).toBeLessThanOrEqual(1);
    }
    expect(count(null, null)).toBe(4);
    expect(r.output.table?.parts).toEqual({
      train: count('a', 'train') + count('b', 'train'),
      validation: count('a', 'validation') + count('b', 'validation'),
      test: count('a', 'test') + count('b', 'test'),
    });
  });

  it('names an unknown stratify column, a class too small to split, and an input split already', async () => {
    expect(await failure('split', { method: 'stratified', stratify: 'ghost' }, big)).toMatchObject({
      field: 'stratify',
    });
    const tiny = await table('tiny', "SELECT * FROM (VALUES ('a'), ('a'), ('a'), ('b')) t(label)");
    expect(await failure('split', { method: 'stratified', stratify: 'label' }, tiny)).toMatchObject({
      field: 'stratify',
      message: expect.stringMatching(/at least 2 rows of each class/) as string,
    });
    const split = await run('split', {}, big);
    const file = split.ports.data?.type === 'table' ? split.ports.data.file : '';
    expect(await failure('split', {}, file)).toMatchObject({
      field: 'method',
      message: expect.stringMatching(/split already/) as string,
    });
  });
});
