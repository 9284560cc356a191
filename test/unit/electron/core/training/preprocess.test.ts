// Preprocessing on real Parquet read through readColumns: fitted on training rows only, the
// same features from columns and from records, encodings, drops with reasons, errors.
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './error-of.js';
import { literal, openDuck } from '../../../../../electron/core/datasets/duck.js';
import { readColumns, type ColumnRead, type ColumnSet } from '../../../../../electron/core/training/columns.js';
import { categoryFinder, PreprocessManifest } from '../../../../../electron/core/training/manifest.js';
import { compileValidator } from '../../../../../electron/core/serving/validator.js';
import {
  decodeLabel,
  decodeValues,
  encodeTarget,
  featureCount,
  fitPreprocess,
  logsInTargetUnits,
  looksLikeIdName,
  transform,
  transformRecords,
} from '../../../../../electron/core/training/preprocess.js';
import { tempDir } from '../helpers.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let cleanup: () => Promise<void>;
let file: string;
let data: ColumnSet;

// 30 rows. Rows 0-19 train, 20-29 "test". The test rows carry values that would move every
// statistic if they leaked: x = 1000, a color only they have, flag always true, later times.
const COLUMNS: ColumnRead[] = [
  { name: 'row_id', storageType: 'BIGINT', type: 'integer' },
  { name: 'x', storageType: 'DOUBLE', type: 'numeric' },
  { name: 'n', storageType: 'BIGINT', type: 'integer' },
  { name: 'color', storageType: 'VARCHAR', type: 'categorical' },
  { name: 'flag', storageType: 'BOOLEAN', type: 'boolean' },
  { name: 'when', storageType: 'TIMESTAMP', type: 'datetime' },
  { name: 'note', storageType: 'VARCHAR', type: 'text' },
  { name: 'same', storageType: 'VARCHAR', type: 'categorical' },
  { name: 'user_uuid', storageType: 'VARCHAR', type: 'categorical' },
  { name: 'empty', storageType: 'DOUBLE', type: 'numeric' },
  { name: 'label', storageType: 'VARCHAR', type: 'categorical' },
  { name: 'grade', storageType: 'BIGINT', type: 'integer' },
  { name: '__proto__', storageType: 'VARCHAR', type: 'categorical' },
];
const TRAIN = Uint32Array.from({ length: 20 }, (_, i) => i);
const TEST = Uint32Array.from({ length: 10 }, (_, i) => 20 + i);
const FEATURES = ['row_id', 'x', 'n', 'color', 'flag', 'when', 'note', 'same', 'user_uuid', '__proto__'];

beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  file = path.join(t.dir, 'data.parquet');
  ({ instance, conn } = await openDuck());
  await conn.run(`COPY (SELECT
      i AS row_id,
      CASE WHEN i >= 20 THEN 1000 WHEN i % 5 = 0 THEN NULL ELSE i END::DOUBLE AS x,
      (i % 4)::BIGINT AS n,
      CASE WHEN i >= 20 AND i % 2 = 0 THEN 'purple' WHEN i % 7 = 0 THEN NULL ELSE ['red', 'green', 'blue'][i % 3 + 1] END AS color,
      CASE WHEN i >= 20 THEN true WHEN i % 6 = 0 THEN NULL ELSE i % 4 = 0 END AS flag,
      TIMESTAMP '2024-01-01' + to_days(CASE WHEN i >= 20 THEN 400 + i ELSE i END::INTEGER) AS "when",
      'free text ' || i::VARCHAR AS note,
      'k' AS same,
      'u-' || i::VARCHAR AS user_uuid,
      NULL::DOUBLE AS empty,
      CASE WHEN i >= 20 THEN 'zebra' ELSE ['cat', 'ant', 'bee'][i % 3 + 1] END AS label,
      CASE WHEN i % 2 = 0 THEN 10 ELSE 2 END::BIGINT AS grade,
      ['p', 'q'][i % 2 + 1] AS "__proto__"
    FROM range(30) r(i)) TO ${literal(file)} (FORMAT parquet)`);
  data = await readColumns(conn, file, COLUMNS);
});
afterAll(async () => {
  conn.closeSync();
  instance.closeSync();
  await cleanup();
});

const fit = () =>
  fitPreprocess(data, { features: FEATURES, target: { column: 'label', task: 'classification' }, train: TRAIN });

describe('fitPreprocess', () => {
  it('learns every statistic from the training rows alone', () => {
    const m = fit();
    const x = m.features.find((s) => s.column === 'x');
    // Training x: 1..19 without multiples of 5 (16 values), median 10; the four gaps impute to 10.
    const trainX = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? 10 : i));
    const mean = trainX.reduce((a, b) => a + b) / 20;
    const std = Math.sqrt(trainX.reduce((a, b) => a + (b - mean) ** 2, 0) / 20);
    expect(x).toEqual({ kind: 'numeric', column: 'x', type: 'numeric', median: 10, mean, std });
    const color = m.features.find((s) => s.column === 'color');
    expect(color).toEqual({ kind: 'one-hot', column: 'color', categories: ['blue', 'green', 'red'] });
    // Training flags: true at 4, 8, 16 (0 and 12 are missing); false more often, so gaps are false.
    expect(m.features.find((s) => s.column === 'flag')).toEqual({ kind: 'boolean', column: 'flag', fill: 0 });
    const when = m.features.find((s) => s.column === 'when');
    expect(when?.kind === 'numeric' && when.median).toBe(Date.UTC(2024, 0, 1) + 9.5 * 86_400_000);
    expect(m.target).toEqual({ task: 'classification', column: 'label', classes: ['ant', 'bee', 'cat'] });
    expect(m.fittedRows).toBe(20);
  });

  it('drops id-like, constant and text columns with a reason, and the target from the features', () => {
    const m = fitPreprocess(data, {
      features: [...FEATURES, 'label'],
      target: { column: 'label', task: 'classification' },
      train: TRAIN,
    });
    expect(m.dropped).toEqual([
      { column: 'row_id', reason: 'id-like: every training row has a different whole number' },
      {
        column: 'note',
        reason: 'free text is not encoded (set its type to categorical to use its values as categories)',
      },
      { column: 'same', reason: 'constant: every training row has the same value ("k")' },
      { column: 'user_uuid', reason: 'id-like: every training row has a different value' },
      { column: 'label', reason: 'it is the target' },
    ]);
    expect(m.features.map((s) => s.column)).toEqual(['x', 'n', 'color', 'flag', 'when', '__proto__']);
    expect(m.featureNames).toEqual([
      'x',
      'n',
      'color=blue',
      'color=green',
      'color=red',
      'flag',
      'when',
      '__proto__=p',
      '__proto__=q',
    ]);
    expect(featureCount(m)).toBe(9);
  });

  it('knows id names without mistaking words that end in "id"', () => {
    for (const name of ['id', 'ID', 'user_id', 'order-uuid', 'id_card', 'userId', 'customerUUID', 'row guid'])
      expect(looksLikeIdName(name)).toBe(true);
    for (const name of ['paid', 'valid', 'fluid', 'idea', 'width', 'Paid']) expect(looksLikeIdName(name)).toBe(false);
  });

  it('index-encodes categoricals above the one-hot limit', () => {
    const m = fitPreprocess(data, { features: ['color'], train: TRAIN, maxOneHot: 2 });
    expect(m.features).toEqual([{ kind: 'index', column: 'color', categories: ['blue', 'green', 'red'] }]);
    expect(m.featureNames).toEqual(['color']);
    const out = transform(m, data, Uint32Array.from([0, 1, 2, 3, 7, 20]));
    // Rows 0 and 7 are missing → 0; 1 → green (2); 2 → blue (1); 3 → red (3); 20 purple (unknown) → 0.
    expect(Array.from(out)).toEqual([0, 2, 1, 3, 0, 0]);
  });

  it('sorts number classes numerically and label-encodes the target', () => {
    const m = fitPreprocess(data, {
      features: ['x'],
      target: { column: 'grade', task: 'classification' },
      train: TRAIN,
    });
    expect(m.target).toEqual({ task: 'classification', column: 'grade', classes: ['2', '10'] });
    expect(Array.from(encodeTarget(m, data, Uint32Array.from([0, 1, 2])))).toEqual([1, 0, 1]);
    expect(decodeLabel(m, 1)).toBe('10');
    const labels = fit();
    // Rows 0..2 are cat, ant, bee; the test rows' "zebra" was never seen in training: -1.
    expect(Array.from(encodeTarget(labels, data, Uint32Array.from([0, 1, 2, 25])))).toEqual([2, 0, 1, -1]);
    const r = fitPreprocess(data, {
      features: ['n'],
      target: { column: 'x', task: 'regression' },
      train: Uint32Array.from([1, 2, 3]),
    });
    // A regression target is standardised with the training rows' mean and (population) std.
    expect(r.target).toEqual({ task: 'regression', column: 'x', mean: 2, std: Math.sqrt(2 / 3) });
    const scaled = Array.from(encodeTarget(r, data, Uint32Array.from([1, 2, 3])));
    scaled.forEach((v, i) => expect(v).toBeCloseTo([-1.2247449, 0, 1.2247449][i] as number, 6));
    expect(Array.from(decodeValues(r, Float32Array.from(scaled)))).toEqual(
      [1, 2, 3].map((v) => expect.closeTo(v, 5) as unknown),
    );
    // Curves read in the target's units: MSE loss scales with std², MAE with std; other keys stay.
    expect(logsInTargetUnits(r, { loss: 1.5, val_mae: 3, acc: 0.5 })).toEqual({
      loss: expect.closeTo(1, 12) as unknown,
      val_mae: expect.closeTo(3 * Math.sqrt(2 / 3), 12) as unknown,
      acc: 0.5,
    });
    expect(errorOf(() => encodeTarget(r, data, Uint32Array.from([0]))).message).toBe('Target "x" is missing in row 0');
  });

  it('gives clear errors for bad targets, empty features and unknown columns', () => {
    expect(
      errorOf(() =>
        fitPreprocess(data, { features: ['x'], target: { column: 'same', task: 'classification' }, train: TRAIN }),
      ).message,
    ).toBe('Target "same" has only one class ("k") in the training rows: classification needs at least two');
    expect(
      errorOf(() =>
        fitPreprocess(data, { features: ['x'], target: { column: 'empty', task: 'classification' }, train: TRAIN }),
      ).message,
    ).toBe('Target "empty" has no values in the training rows');
    expect(
      errorOf(() =>
        fitPreprocess(data, { features: ['x'], target: { column: 'label', task: 'regression' }, train: TRAIN }),
      ).message,
    ).toBe('A regression target must be numeric; "label" is categorical');
    expect(errorOf(() => fitPreprocess(data, { features: ['x', 'empty'], train: TRAIN })).message).toBe(
      'Feature "empty" has no values in the training rows',
    );
    expect(errorOf(() => fitPreprocess(data, { features: ['x', 'nope'], train: TRAIN })).message).toBe(
      'Unknown column: "nope"',
    );
    expect(errorOf(() => fitPreprocess(data, { features: ['x'], train: new Uint32Array(0) })).message).toMatch(
      /no training rows/,
    );
  });
});

describe('transform', () => {
  it('standardises, one-hot encodes and imputes with training statistics; unknown categories are zeros', () => {
    const m = fit();
    const out = transform(m, data, TEST);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out.length).toBe(10 * featureCount(m));
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
    const w = featureCount(m);
    const x = m.features.find((s) => s.column === 'x');
    if (x?.kind !== 'numeric') throw new Error('x is numeric');
    // Row 20: x = 1000, color purple (unknown) → zeros, flag true.
    expect(out[0]).toBeCloseTo((1000 - x.mean) / x.std, 4);
    expect(Array.from(out.subarray(2, 5))).toEqual([0, 0, 0]);
    expect(out[5]).toBe(1);
    // Training rows come out centred: the mean of every numeric feature is 0 over them.
    const train = transform(m, data, TRAIN);
    for (const col of [0, 1, 6]) {
      let sum = 0;
      for (let r = 0; r < 20; r++) sum += train[r * w + col] as number;
      expect(Math.abs(sum / 20)).toBeLessThan(1e-6);
    }
    // A missing x (row 5) is the median.
    expect(train[5 * w]).toBeCloseTo((10 - x.mean) / x.std, 5);
  });

  it('gives the same features from records as from columns, and after a JSON round trip of the manifest', async () => {
    const m = PreprocessManifest.parse(JSON.parse(JSON.stringify(fit())));
    expect(m).toEqual(fit());
    const rows = Uint32Array.from({ length: 30 }, (_, i) => i);
    // Records as a prediction client would send them: JSON values, times as text, "__proto__" an own key.
    const reader = await conn.runAndReadAll(
      `SELECT to_json({'x': x, 'n': n::DOUBLE, 'color': color, 'flag': flag, 'when': "when"::VARCHAR, '__proto__': "__proto__"}) FROM read_parquet(${literal(file)})`,
    );
    const records = reader.getRowsJS().map((r) => JSON.parse(r[0] as string) as Record<string, unknown>);
    expect(Object.hasOwn(records[0] as object, '__proto__')).toBe(true);
    expect(Array.from(transformRecords(m, records))).toEqual(Array.from(transform(m, data, rows)));
  });

  it('refuses a column whose type changed since fitting', () => {
    const m = fit();
    const changed: ColumnSet = { rows: data.rows, columns: new Map(data.columns) };
    changed.columns.set('color', { name: 'color', type: 'numeric', kind: 'number', values: new Float64Array(30) });
    expect(errorOf(() => transform(m, changed, TEST)).message).toBe(
      'Column "color" was categorical when preprocessing was fitted and is numeric now',
    );
  });
});

describe('transformRecords', () => {
  const m = () => fitPreprocess(data, { features: ['x', 'color', 'flag', 'when', '__proto__'], train: TRAIN });

  it('imputes nulls, zeros unknown categories, and accepts numbers as text and booleans as text', () => {
    const manifest = m();
    const json =
      '[{"x": null, "color": null, "flag": null, "when": null, "__proto__": null}, {"x": "3", "color": "mauve", "flag": "TRUE", "when": "2024-01-05", "__proto__": "q", "extra": 1}]';
    const out = transformRecords(manifest, JSON.parse(json) as unknown[]);
    const w = featureCount(manifest);
    const x = manifest.features[0];
    if (x?.kind !== 'numeric') throw new Error('x is numeric');
    expect(out[0]).toBeCloseTo((10 - x.mean) / x.std, 5);
    expect(Array.from(out.subarray(1, 5))).toEqual([0, 0, 0, 0]);
    expect(out[w + 0]).toBeCloseTo((3 - x.mean) / x.std, 5);
    expect(Array.from(out.subarray(w + 1, w + 5))).toEqual([0, 0, 0, 1]);
    expect(Array.from(out.subarray(w + 6, w + 8))).toEqual([0, 1]);
  });

  it('lists every missing or wrongly typed field, and never lets NaN or Infinity through', () => {
    const manifest = m();
    const records: unknown[] = [
      { x: 'abc', color: 'red', flag: 'maybe', when: 'not a date', __proto__: { a: 1 } },
      JSON.parse('{"color": "red", "flag": true, "when": 0}'),
      [1, 2],
      // A computed "__proto__" key is an own field, as JSON.parse makes it.
      { x: Infinity, color: ['red'], flag: true, when: 0, ['__proto__']: 'p' },
    ];
    const err = errorOf(() => transformRecords(manifest, records));
    expect(err.message).toBe(
      '9 invalid fields in the prediction input; first: record 0 field "x" is not a finite number',
    );
    expect(err.details?.errors).toEqual([
      { row: 0, field: 'x', message: 'is not a finite number' },
      { row: 0, field: 'flag', message: 'is not true or false' },
      { row: 0, field: 'when', message: 'is not a date or time' },
      // An object literal's __proto__ sets the prototype: no own field of that name.
      { row: 0, field: '__proto__', message: 'is missing (send null for an unknown value)' },
      { row: 1, field: 'x', message: 'is missing (send null for an unknown value)' },
      { row: 1, field: '__proto__', message: 'is missing (send null for an unknown value)' },
      { row: 2, field: '', message: 'is not an object of field values' },
      { row: 3, field: 'x', message: 'is not a finite number' },
      { row: 3, field: 'color', message: 'is not a category (a string)' },
    ]);
  });

  it('refuses a fraction for a column that held whole numbers, as the endpoint does', () => {
    // n is BIGINT in the dataset: the manifest calls it integer.
    const manifest = fitPreprocess(data, { features: ['n', 'x'], train: TRAIN });
    expect(manifest.features[0]).toMatchObject({ column: 'n', type: 'integer' });
    const fraction = JSON.parse('[{"n": 12.5, "x": 1}]') as unknown[];
    expect(errorOf(() => transformRecords(manifest, fraction)).details?.errors).toEqual([
      { row: 0, field: 'n', message: 'is not an integer (a whole number is expected)' },
    ]);
    expect(compileValidator(manifest).check(fraction)).toMatchObject({
      errors: [{ instance: 0, field: 'n', message: 'is not an integer (a whole number is expected)' }],
    });
    // 12, 12.0 and "12" (a file's text) are one whole number; null is imputed.
    const whole = JSON.parse(
      '[{"n": 12, "x": 1}, {"n": 12.0, "x": 1}, {"n": "12", "x": 1}, {"n": null, "x": 1}]',
    ) as unknown[];
    const out = transformRecords(manifest, whole);
    expect(out[0]).toBe(out[2]);
    expect(out[0]).toBe(out[4]);
    expect('x' in compileValidator(manifest).check(whole.slice(0, 2))).toBe(true);
    expect('x' in compileValidator(manifest).check(whole.slice(3))).toBe(true);
  });

  it('refuses values too large to standardise instead of producing Infinity', () => {
    const manifest = m();
    expect(
      errorOf(() =>
        transformRecords(manifest, [
          JSON.parse('{"x": 1.7e308, "color": null, "flag": null, "when": null, "__proto__": null}'),
        ]),
      ).message,
    ).toMatch(/Feature "x" has a value too large to use/);
  });
});

describe('categories of a number column', () => {
  it('finds a category by its text, else by its value (3 is "3.0"), never by hex, blanks or words', () => {
    const find = categoryFinder(['1.0', '2.5', '3.0', 'red']);
    expect(['3.0', '3', ' 3 ', '2.50', '25e-1', 'red', '4', '0x3', '', 'Red'].map(find)).toEqual([
      2,
      2,
      2,
      1,
      1,
      3,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(categoryFinder(['a', 'b'])('b')).toBe(1);
    // Two categories of one value: each matches its own text, a third spelling neither.
    const twice = categoryFinder(['1', '1.0', '7']);
    expect(['1', '1.0', '1.00', '07'].map(twice)).toEqual([0, 1, undefined, 2]);
    // Ids beyond 2^53 match by their text only (as doubles they would collide).
    expect(categoryFinder(['9007199254740992'])('9007199254740993')).toBeUndefined();
  });

  it('reads a JSON number sent for a DOUBLE column trained as categories, as training read the column', async () => {
    const dir = path.dirname(file);
    const ratings = path.join(dir, 'ratings.parquet');
    await conn.run(
      `COPY (SELECT (i % 3 + 1)::DOUBLE AS rating, (i % 2)::DOUBLE AS half FROM range(12) r(i)) TO ${literal(ratings)} (FORMAT parquet)`,
    );
    const set = await readColumns(conn, ratings, [
      { name: 'rating', storageType: 'DOUBLE', type: 'categorical' },
      { name: 'half', storageType: 'DOUBLE', type: 'numeric' },
    ]);
    const manifest = fitPreprocess(set, {
      features: ['rating', 'half'],
      train: Uint32Array.from({ length: 12 }, (_, i) => i),
    });
    const step = manifest.features[0];
    if (step?.kind !== 'one-hot') throw new Error('rating is one-hot');
    // DuckDB's text of a DOUBLE keeps its ".0": a client sending 2 must still match.
    expect(step.categories).toEqual(['1.0', '2.0', '3.0']);
    const fromColumns = transform(manifest, set, Uint32Array.from([1]));
    const sent = JSON.parse('[{"rating": 2, "half": 1}]') as unknown[];
    expect(Array.from(transformRecords(manifest, sent))).toEqual(Array.from(fromColumns));
    const checked = compileValidator(manifest).check(sent);
    if (!('x' in checked)) throw new Error(JSON.stringify(checked.errors));
    expect(Array.from(checked.x)).toEqual(Array.from(fromColumns));
  });
});
