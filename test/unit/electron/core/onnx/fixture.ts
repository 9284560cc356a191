// A small mixed table for the ONNX export tests (every feature step kind, missing values in each
// column), the records the endpoint would take for its test rows (with unknown categories and
// JSON-number categories), and an onnxruntime-node run of an exported file on those records.
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { ColumnData, ColumnSet } from '../../../../../electron/core/training/columns.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';
import { fitPreprocess } from '../../../../../electron/core/training/preprocess.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

export const TRAIN_ROWS = 80;
export const TEST_ROWS = 40;
const ROWS = TRAIN_ROWS + TEST_ROWS;

const COLORS = ['blue', 'green', 'red'];
// Ten cities: above maxOneHot (4), so index-encoded.
const CITIES = ['Ayr', 'Bath', 'Cork', 'Derby', 'Ely', 'Fife', 'Hull', 'Leeds', 'Oban', 'York'];
// A number column used as categories: DuckDB's text of each value, as a JSON client would not send it.
const SIZES = ['1.0', '2.0', '3.5'];
const DAY_MS = 86_400_000;

export interface Table {
  data: ColumnSet;
  train: Uint32Array;
  /** The test rows as prediction records: null for missing, unknown categories, numbers for sizes. */
  records: Record<string, unknown>[];
}

/** The table with a target `y`: three classes (by a score's thirds), two, or the score itself. */
export function makeTable(task: 'multiclass' | 'binary' | 'regression', seed = 7): Table {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const maybe = (v: number) => (random() < 0.12 ? Number.NaN : v);
  const x = new Float64Array(ROWS);
  const count = new Float64Array(ROWS);
  const when = new Float64Array(ROWS);
  const flag = new Int32Array(ROWS);
  const color = new Int32Array(ROWS);
  const city = new Int32Array(ROWS);
  const size = new Int32Array(ROWS);
  const score: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    x[r] = maybe(random() * 200 - 50);
    count[r] = maybe(Math.floor(random() * 12));
    when[r] = maybe(Date.UTC(2024, 0, 1) + Math.floor(random() * 700) * DAY_MS + Math.floor(random() * DAY_MS));
    flag[r] = random() < 0.1 ? -1 : random() < 0.6 ? 1 : 0;
    color[r] = random() < 0.1 ? -1 : COLORS.indexOf(pick(COLORS));
    city[r] = random() < 0.1 ? -1 : CITIES.indexOf(pick(CITIES));
    size[r] = random() < 0.1 ? -1 : SIZES.indexOf(pick(SIZES));
    score.push((Number.isNaN(x[r]) ? 0 : x[r]! / 50) + (color[r] === 2 ? 1 : 0) + (flag[r] === 1 ? 0.5 : 0) + random());
  }
  const sorted = [...score].sort((a, b) => a - b);
  const cut = (q: number) => sorted[Math.floor(q * ROWS)] as number;
  const classes = task === 'binary' ? ['no', 'yes'] : ['high', 'low', 'mid'];
  const label = score.map((s) =>
    task === 'binary' ? (s > cut(0.5) ? 1 : 0) : s < cut(1 / 3) ? 1 : s < cut(2 / 3) ? 2 : 0,
  );
  const target: ColumnData =
    task === 'regression'
      ? { name: 'y', type: 'numeric', kind: 'number', values: Float64Array.from(score, (s) => 1000 + 250 * s) }
      : { name: 'y', type: 'categorical', kind: 'codes', codes: Int32Array.from(label), dictionary: classes };
  const columns: ColumnData[] = [
    { name: 'x', type: 'numeric', kind: 'number', values: x },
    { name: 'count', type: 'integer', kind: 'number', values: count },
    { name: 'when', type: 'datetime', kind: 'number', values: when },
    { name: 'flag', type: 'boolean', kind: 'codes', codes: flag, dictionary: ['false', 'true'] },
    { name: 'color', type: 'categorical', kind: 'codes', codes: color, dictionary: COLORS },
    { name: 'city', type: 'categorical', kind: 'codes', codes: city, dictionary: CITIES },
    { name: 'size', type: 'categorical', kind: 'codes', codes: size, dictionary: SIZES },
    target,
  ];
  const data: ColumnSet = { rows: ROWS, columns: new Map(columns.map((c) => [c.name, c])) };
  const train = Uint32Array.from({ length: TRAIN_ROWS }, (_, i) => i);
  const records: Record<string, unknown>[] = [];
  for (let r = TRAIN_ROWS; r < ROWS; r++) {
    const i = r - TRAIN_ROWS;
    const num = (v: number) => (Number.isNaN(v) ? null : v);
    records.push({
      // Beyond the training range now and then: scaling is linear, nothing clips.
      x: i === 3 ? 1e4 : num(x[r] as number),
      count: num(count[r] as number),
      when: num(when[r] as number),
      flag: flag[r] === -1 ? null : flag[r] === 1,
      color: i % 9 === 4 ? 'purple' : color[r] === -1 ? null : COLORS[color[r] as number],
      city: i % 7 === 2 ? 'Zurich' : city[r] === -1 ? null : CITIES[city[r] as number],
      // As a JSON client sends a number: 2, which reads as "2" and finds category "2.0".
      size: size[r] === -1 ? null : i % 2 === 0 ? Number(SIZES[size[r] as number]) : SIZES[size[r] as number],
    });
  }
  return { data, train, records };
}

export function fitTable(table: Table, task: 'classification' | 'regression'): PreprocessManifest {
  return fitPreprocess(table.data, {
    features: ['x', 'count', 'when', 'flag', 'color', 'city', 'size'],
    target: { column: 'y', task },
    train: table.train,
    maxOneHot: 4,
  });
}

/** The ONNX inputs for `records`: doubles with NaN for null, booleans as 0/1, categories as text ("" for null). */
export function onnxFeeds(
  manifest: PreprocessManifest,
  records: Record<string, unknown>[],
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const n = records.length;
  for (const step of manifest.features) {
    const values = records.map((r) => r[step.column]);
    if (step.kind === 'one-hot' || step.kind === 'index') {
      feeds[step.column] = new ort.Tensor(
        'string',
        values.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')),
        [n, 1],
      );
    } else {
      const numbers = Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v)));
      feeds[step.column] = new ort.Tensor('float64', numbers, [n, 1]);
    }
  }
  return feeds;
}

export interface OnnxOutputs {
  label?: string[];
  probabilities?: Float32Array;
  value?: Float32Array;
  dims: Record<string, readonly number[]>;
  inputNames: readonly string[];
}

/** Runs the exported model on `records` in onnxruntime-node (CPU). */
export async function runOnnx(
  bytes: Uint8Array,
  manifest: PreprocessManifest,
  records: Record<string, unknown>[],
): Promise<OnnxOutputs> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run(onnxFeeds(manifest, records));
    const out: OnnxOutputs = { dims: {}, inputNames: session.inputNames };
    for (const [name, tensor] of Object.entries(result)) {
      out.dims[name] = tensor.dims;
      if (name === 'label') out.label = tensor.data as string[];
      if (name === 'probabilities') out.probabilities = tensor.data as Float32Array;
      if (name === 'value') out.value = tensor.data as Float32Array;
    }
    return out;
  } finally {
    await session.release();
  }
}

/** The largest |a - b| over two equal-length arrays (Infinity when their lengths differ). */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(worst) ? Infinity : worst;
}

/**
 * Regression outputs against Cairn's values: [rows, 1], and equal relative to their size (they
 * are around 1000, where float32's own step is 6e-5).
 */
export function expectValuesClose(got: OnnxOutputs, expected: Float32Array): void {
  expect(got.dims.value).toEqual([expected.length, 1]);
  const ratios = (got.value as Float32Array).map((v, i) => v / (expected[i] as number));
  expect(maxDifference(ratios, new Float32Array(expected.length).fill(1))).toBeLessThan(1e-5);
}
