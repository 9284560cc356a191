import { describe, expect, it } from 'vitest';
import {
  binRows,
  fitBins,
  numericThresholds,
  sortFloat32,
} from '../../../../../../electron/core/training/gbdt/binning.js';

describe('numeric bins', () => {
  it('puts a threshold at the midpoint between distinct values when there are at most maxBins of them', () => {
    const x = Float32Array.from([3, 1, 2, 1, 3, 5]);
    const mapper = fitBins(x, 6, ['numeric'], 255, 1);
    expect(Array.from(mapper.thresholds[0]!)).toEqual([1.5, 2.5, 4]);
    expect(mapper.nBins[0]).toBe(4);
    expect(Array.from(binRows(mapper, x, 6))).toEqual([2, 0, 1, 0, 2, 3]);
  });

  it('takes midpoint percentiles at k/maxBins when values are many (numpy midpoint method)', () => {
    // 0..99: the position of percentile k/4 is 99k/4 = 24.75, 49.5, 74.25, between two values each.
    const sorted = Float64Array.from({ length: 100 }, (_v, i) => i);
    expect(Array.from(numericThresholds(sorted, 4))).toEqual([24.5, 49.5, 74.5]);
    const x = Float32Array.from({ length: 1000 }, (_v, i) => (i * 7919) % 1000);
    const mapper = fitBins(x, 1000, ['numeric'], 255, 1);
    expect(mapper.nBins[0]).toBe(255);
    // Bins hold similar numbers of rows.
    const counts = new Array<number>(256).fill(0);
    for (const b of binRows(mapper, x, 1000)) counts[b]!++;
    expect(Math.max(...counts.slice(0, 255))).toBeLessThanOrEqual(5);
  });

  it('gives missing values the bin after the feature own bins and records that they occur', () => {
    const x = Float32Array.from([1, NaN, 2, 3, NaN]);
    const mapper = fitBins(x, 5, ['numeric'], 255, 1);
    expect(mapper.hasMissing[0]).toBe(1);
    expect(Array.from(binRows(mapper, x, 5))).toEqual([0, 3, 1, 2, 3]);
    expect(fitBins(Float32Array.from([1, 2]), 2, ['numeric'], 255, 1).hasMissing[0]).toBe(0);
  });

  it('bins a value by the number of thresholds below it, at, between and beyond every threshold count', () => {
    for (const distinct of [1, 2, 3, 7, 8, 9, 200]) {
      const fitted = Float32Array.from({ length: distinct }, (_v, i) => i * 2);
      const mapper = fitBins(fitted, distinct, ['numeric'], 255, 1);
      const t = mapper.thresholds[0]!;
      const probes = Float32Array.from([-5, ...Array.from(t).flatMap((v) => [v - 0.5, v, v + 0.5]), 1e6]);
      const expected = Array.from(probes, (v) => t.filter((th) => th < v).length);
      expect(Array.from(binRows(mapper, probes, probes.length))).toEqual(expected);
    }
  });

  it('lays the bin matrix out feature-major', () => {
    // Two rows, two features: row-major in, column-major out.
    const x = Float32Array.from([1, 10, 2, 20]);
    const mapper = fitBins(x, 2, ['numeric', 'numeric'], 255, 1);
    expect(Array.from(binRows(mapper, x, 2))).toEqual([0, 1, 0, 1]);
  });
});

describe('categorical bins', () => {
  it('gives each category a bin, unseen categories the other bin after them, missing the last', () => {
    const x = Float32Array.from([7, 3, NaN, 7, 100]);
    const mapper = fitBins(x, 5, ['categorical'], 255, 1);
    expect(Array.from(mapper.categories[0]!)).toEqual([3, 7, 100, -1]);
    expect(mapper.otherBin[0]).toBe(3);
    expect(Array.from(binRows(mapper, x, 5))).toEqual([1, 0, 4, 1, 2]);
    expect(Array.from(binRows(mapper, Float32Array.from([5, 1000, 3, NaN]), 4))).toEqual([3, 3, 0, 4]);
  });

  it('keeps the most frequent categories past maxBins and gives the rest (and unseen ones) one other bin', () => {
    // Categories 0..5 with counts 6, 5, 4, 3, 2, 1; maxBins 4 keeps 0, 1, 2 and an other bin.
    const ids = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5];
    const x = Float32Array.from(ids);
    const mapper = fitBins(x, ids.length, ['categorical'], 4, 1);
    expect(Array.from(mapper.categories[0]!)).toEqual([0, 1, 2, -1]);
    expect(mapper.otherBin[0]).toBe(3);
    expect(mapper.nBins[0]).toBe(4);
    expect(Array.from(binRows(mapper, Float32Array.from([2, 3, 5, 9, NaN]), 5))).toEqual([2, 3, 3, 3, 4]);
  });

  it('refuses ids that are not non-negative integers', () => {
    expect(() => fitBins(Float32Array.from([1, -1]), 2, ['categorical'], 255, 1)).toThrow(/category id/);
    expect(() => fitBins(Float32Array.from([1, 1.5]), 2, ['categorical'], 255, 1)).toThrow(/category id/);
  });
});

describe('sortFloat32', () => {
  it('orders numbers as TypedArray sort does: negatives, -0 before 0, tiny and huge values, infinities', () => {
    const special = [0, -0, -Infinity, Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1, 0.5, -0.5];
    const values = Float32Array.from([
      ...special,
      ...Array.from({ length: 5000 }, (_v, i) => Math.sin(i) * 10 ** (i % 7)),
    ]);
    const sorted = sortFloat32(values);
    const expected = Float64Array.from(values).sort();
    expect(sorted.length).toBe(expected.length);
    for (let i = 0; i < sorted.length; i++) expect(Object.is(sorted[i], expected[i])).toBe(true);
  });
});
