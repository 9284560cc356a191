// Partial dependence and ICE (Friedman 2001; Goldstein et al. 2015): how a model's output moves as
// one column takes each value of a grid, everything else in a row held as it is. An ICE curve is one
// row's path; the partial dependence is their mean. The grid: quantiles of a number (within the
// 5th..95th percentiles, as scikit-learn, so outliers do not stretch the chart), each category of a
// one-hot column, each frequent code of a code column.
import type { Predict } from './attributions.js';
import { outputCount, rowWidth } from './attributions.js';
import type { FeatureGroup } from './feature-groups.js';
import { checkGroups } from './feature-groups.js';
import { sampleRows } from './row-sample.js';

export interface GridPoint {
  /** What the chart shows: the category, or the number in the column's units. */
  label: string;
  /** The feature value set ('number', 'code'), or the position of the hot feature ('one-hot'). */
  value: number;
  /** For a standardised number, the value in the column's own units. */
  raw?: number;
}

export interface PartialDependence {
  group: string;
  points: GridPoint[];
  outputs: number;
  /** points × outputs: the mean of the ICE curves. */
  average: Float64Array;
  /** The rows of x the ICE curves follow, ascending. */
  rows: Uint32Array;
  /** rows × points × outputs. */
  ice: Float64Array;
}

export interface PartialDependenceOptions {
  /** Grid points at most (numbers and code columns). */
  gridSize?: number;
  /** Rows to draw ICE curves for (a seeded sample when x has more). */
  iceRows?: number;
  seed?: number;
}

export const PARTIAL_DEPENDENCE_DEFAULTS = { gridSize: 20, iceRows: 100, seed: 0 };

/** PD and ICE of one group over n rows of x (row-major n×d). */
export function partialDependence(
  predict: Predict,
  x: Float32Array,
  n: number,
  group: FeatureGroup,
  options: PartialDependenceOptions = {},
): PartialDependence {
  const d = rowWidth(x, n);
  checkGroups([group], d);
  const gridSize = options.gridSize ?? PARTIAL_DEPENDENCE_DEFAULTS.gridSize;
  if (!Number.isInteger(gridSize) || gridSize < 2)
    throw new RangeError(`gridSize must be an integer ≥ 2, got ${gridSize}`);
  const points = grid(x, n, d, group, gridSize);
  const rows = iceRowsOf(n, options.iceRows ?? PARTIAL_DEPENDENCE_DEFAULTS.iceRows, options.seed);
  const m = rows.length;
  const work = new Float32Array(m * d);
  for (let i = 0; i < m; i++) work.set(x.subarray(rows[i]! * d, (rows[i]! + 1) * d), i * d);

  let ice = new Float64Array(0);
  let k = 0;
  points.forEach((point, p) => {
    for (let i = 0; i < m; i++) {
      if (group.encoding === 'one-hot') group.features.forEach((j, c) => (work[i * d + j] = c === point.value ? 1 : 0));
      else work[i * d + group.features[0]!] = point.value;
    }
    const pred = predict(work, m);
    if (p === 0) {
      k = outputCount(pred, m);
      ice = new Float64Array(m * points.length * k);
    }
    for (let i = 0; i < m; i++) for (let o = 0; o < k; o++) ice[(i * points.length + p) * k + o] = pred[i * k + o]!;
  });
  const average = new Float64Array(points.length * k);
  for (let i = 0; i < m; i++)
    for (let t = 0; t < points.length * k; t++) average[t]! += ice[i * points.length * k + t]! / m;
  return { group: group.name, points, outputs: k, average, rows, ice };
}

/** The values a group is set to. */
function grid(x: Float32Array, n: number, d: number, group: FeatureGroup, gridSize: number): GridPoint[] {
  if (group.encoding === 'one-hot')
    return group.features.map((j, c) => ({ label: group.categories?.[c] ?? `#${c}`, value: c }));
  const j = group.features[0]!;
  const present: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = x[i * d + j]!;
    if (!Number.isNaN(v)) present.push(v);
  }
  if (present.length === 0) throw new RangeError(`Column "${group.name}" has no values in these rows`);
  present.sort((a, b) => a - b);
  if (group.encoding === 'code') {
    const counts = new Map<number, number>();
    for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
    // The most frequent codes (ties to the smaller code), shown in code order.
    const codes = [...counts.keys()]
      .sort((a, b) => counts.get(b)! - counts.get(a)! || a - b)
      .slice(0, gridSize)
      .sort((a, b) => a - b);
    return codes.map((v) => ({ label: codeLabel(group, v), value: v }));
  }
  const distinct = present.filter((v, i) => i === 0 || v !== present[i - 1]);
  const values =
    distinct.length <= gridSize
      ? distinct
      : Array.from({ length: gridSize }, (_, i) => quantile(present, 0.05 + (0.9 * i) / (gridSize - 1))).filter(
          (v, i, all) => i === 0 || v !== all[i - 1],
        );
  return values.map((v) => {
    const raw = group.scale ? v * group.scale.std + group.scale.mean : undefined;
    return { label: String(Number((raw ?? v).toPrecision(4))), value: v, ...(raw === undefined ? {} : { raw }) };
  });
}

/** The q-quantile of sorted values, interpolating linearly between neighbours (numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
}

function codeLabel(group: FeatureGroup, code: number): string {
  if (!group.categories) return String(code);
  // An index step's codes: 0 missing or unknown, c + 1 the c-th category.
  return code === 0 ? '(missing or unknown)' : (group.categories[code - 1] ?? String(code));
}

/** All rows when there are at most `count`, else a seeded sample of `count`, ascending. */
function iceRowsOf(n: number, count: number, seed = PARTIAL_DEPENDENCE_DEFAULTS.seed): Uint32Array {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`iceRows must be an integer ≥ 1, got ${count}`);
  return sampleRows(n, count, seed);
}
