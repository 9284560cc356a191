import { describe, expect, it } from 'vitest';
import {
  aspectLabel,
  aspectRatioOption,
  classChartHeight,
  classCountsOption,
} from '../../../../../renderer/src/pages/datasets/image-profile.js';
import { galleryRows, rowPictures, tilesPerRow } from '../../../../../renderer/src/lib/tile-grid.js';

describe('aspect-ratio bins', () => {
  it('names the closed bins by their edges and the two open ends by one', () => {
    expect(aspectLabel({ lo: 0, hi: 0.5 })).toBe('< 0.5');
    expect(aspectLabel({ lo: 0.95, hi: 1.05 })).toBe('0.95–1.05');
    expect(aspectLabel({ lo: 2, hi: null })).toBe('≥ 2');
  });

  it('draws one bar per bin, tall to wide', () => {
    const option = aspectRatioOption([
      { lo: 0, hi: 0.5, count: 1 },
      { lo: 0.5, hi: 1, count: 0 },
      { lo: 1, hi: null, count: 7 },
    ]) as { xAxis: { data: string[] }; series: Array<{ data: number[] }> };
    expect(option.xAxis.data).toEqual(['< 0.5', '0.5–1', '≥ 1']);
    expect(option.series[0]?.data).toEqual([1, 0, 7]);
  });
});

describe('class counts', () => {
  it('shows every class, however many, largest on top', () => {
    const classes = Array.from({ length: 40 }, (_, i) => ({ value: `c${i}`, count: 100 - i }));
    const option = classCountsOption(classes) as { yAxis: { data: string[] }; series: Array<{ data: number[] }> };
    expect(option.yAxis.data).toHaveLength(40);
    // ECharts draws a category axis bottom-up: the last is on top.
    expect(option.yAxis.data.at(-1)).toBe('c0');
    expect(option.series[0]?.data.at(-1)).toBe(100);
  });

  it('grows the chart with the classes, within bounds', () => {
    expect(classChartHeight(1)).toBe(120);
    expect(classChartHeight(20)).toBe(456);
    expect(classChartHeight(10_000)).toBe(2400);
  });
});

describe('gallery grid', () => {
  it('fits as many tiles as the width takes, one at least', () => {
    // 5 tiles of 112 and 4 gaps of 8 are 592 px.
    expect(tilesPerRow(592, 112, 8)).toBe(5);
    expect(tilesPerRow(591, 112, 8)).toBe(4);
    expect(tilesPerRow(40, 112, 8)).toBe(1);
  });

  it('counts rows and lists the pictures of each, the last row short', () => {
    expect(galleryRows(50_000, 9)).toBe(5556);
    expect(galleryRows(0, 9)).toBe(0);
    expect(rowPictures(0, 4, 10)).toEqual([0, 1, 2, 3]);
    expect(rowPictures(2, 4, 10)).toEqual([8, 9]);
    expect(rowPictures(3, 4, 10)).toEqual([]);
  });
});
