// Partial dependence and ICE against hand-computed curves, and the grid for each kind of column.
import { describe, expect, it } from 'vitest';
import type { Predict } from '../../../../../electron/core/explain/attributions.js';
import { partialDependence } from '../../../../../electron/core/explain/partial-dependence.js';

function expectClose(got: Float64Array, expected: number[]): void {
  expect(got.length).toBe(expected.length);
  expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
}

describe('partialDependence', () => {
  // f = x0·x1 + x2, one output.
  const d = 3;
  const f: Predict = (x, n) => Float64Array.from({ length: n }, (_, i) => x[i * d]! * x[i * d + 1]! + x[i * d + 2]!);
  const x = Float32Array.of(1, 2, 0, 2, 4, 1, 3, -1, 5, 1, 1, 2);

  it('follows each row (ICE) and averages them (PD) over the distinct values of a number', () => {
    const got = partialDependence(f, x, 4, {
      name: 'x0',
      features: [0],
      encoding: 'number',
      scale: { mean: 10, std: 2 },
    });
    expect(got.points.map((p) => p.value)).toEqual([1, 2, 3]);
    expect(got.points.map((p) => p.raw)).toEqual([12, 14, 16]);
    expect(got.points.map((p) => p.label)).toEqual(['12', '14', '16']);
    expect(Array.from(got.rows)).toEqual([0, 1, 2, 3]);
    // Row r at v: v·x1_r + x2_r; x1 = (2, 4, −1, 1), x2 = (0, 1, 5, 2); PD = v·1.5 + 2.
    expect(Array.from(got.ice)).toEqual([2, 4, 6, 5, 9, 13, 4, 3, 2, 3, 4, 5]);
    expect(Array.from(got.average)).toEqual([3.5, 5, 6.5]);
  });

  it('takes quantiles within the 5th..95th percentiles when a number has more values than the grid', () => {
    const n = 100;
    const xs = Float32Array.from({ length: n * d }, (_, i) => (i % d === 0 ? Math.floor(i / d) : 0));
    xs[3 * d] = Number.NaN; // missing values (tree models) are left out of the quantiles
    const got = partialDependence(
      f,
      xs,
      n,
      { name: 'x0', features: [0], encoding: 'number' },
      { gridSize: 11, iceRows: 7 },
    );
    // 99 values 0..99 without 3: the q-quantile sits at position q·98.
    const expected = Array.from({ length: 11 }, (_, i) => {
      const at = (0.05 + 0.09 * i) * 98;
      const lo = Math.floor(at);
      const value = (v: number) => (v < 3 ? v : v + 1);
      return value(lo) + (at - lo) * (value(lo + 1) - value(lo));
    });
    got.points.forEach((p, i) => expect(p.value).toBeCloseTo(expected[i]!, 9));
    expect(got.rows.length).toBe(7);
    expect(got.ice.length).toBe(7 * 11);
  });

  it('sets each category of a one-hot column in turn, and each frequent code of a code column', () => {
    // g = 2·c0 − c1 (one-hot over features 0..2) + x3².
    const g: Predict = (xs, n) =>
      Float64Array.from({ length: n }, (_, i) => 2 * xs[i * 4]! - xs[i * 4 + 1]! + xs[i * 4 + 3]! ** 2);
    const rows = Float32Array.of(1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 2, 0, 0, 1, 2, 0, 1, 0, 3);
    const hot = partialDependence(g, rows, 5, {
      name: 'color',
      features: [0, 1, 2],
      encoding: 'one-hot',
      categories: ['red', 'green', 'blue'],
    });
    expect(hot.points.map((p) => p.label)).toEqual(['red', 'green', 'blue']);
    // Mean of x3² over the rows is (0 + 1 + 4 + 4 + 9) / 5 = 3.6.
    expectClose(hot.average, [2 + 3.6, -1 + 3.6, 3.6]);
    const code = partialDependence(
      g,
      rows,
      5,
      { name: 'size', features: [3], encoding: 'code', categories: ['S', 'M', 'L'] },
      { gridSize: 3 },
    );
    // Codes 0 (once), 1 (once), 2 (twice), 3 (once): the three most frequent, ties to the smaller code.
    expect(code.points.map((p) => p.value)).toEqual([0, 1, 2]);
    expect(code.points.map((p) => p.label)).toEqual(['(missing or unknown)', 'S', 'M']);
    // Mean of 2·c0 − c1 over the rows is (2 − 1 − 0 + 0 − 1) / 5 = 0.
    expectClose(code.average, [0, 1, 4]);
  });

  it('samples the same ICE rows for the same seed', () => {
    const n = 50;
    const xs = Float32Array.from({ length: n * d }, (_, i) => i % 7);
    const group = { name: 'x0', features: [0], encoding: 'number' } as const;
    const a = partialDependence(f, xs, n, group, { iceRows: 10, seed: 1 });
    const b = partialDependence(f, xs, n, group, { iceRows: 10, seed: 1 });
    const c = partialDependence(f, xs, n, group, { iceRows: 10, seed: 2 });
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).not.toEqual(a.rows);
  });
});
