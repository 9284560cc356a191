import { describe, expect, it } from 'vitest';
import type { RowExplanation } from '../../../../../shared/api.js';
import {
  dependenceOption,
  importanceOption,
  waterfallOption,
} from '../../../../../renderer/src/pages/runs/explain-charts.js';

type Series = { data: unknown[] }[];

describe('explanation charts', () => {
  it('puts the most important column on top, with whiskers spanning mean ± std', () => {
    const option = importanceOption(
      [
        { feature: 'a', mean: 0.3, std: 0.05 },
        { feature: 'b', mean: 0.1, std: 0.02 },
      ],
      'accuracy',
    );
    // Category axes draw bottom-up: the last category is on top.
    expect((option.yAxis as { data: string[] }).data).toEqual(['b', 'a']);
    const [bars, whiskers] = option.series as Series;
    expect(bars?.data).toEqual([0.1, 0.3]);
    expect(whiskers?.data).toEqual([
      [0.08, 0, 0.12000000000000001],
      [0.25, 1, 0.35],
    ]);
  });

  it('draws a waterfall from the base through each contribution, largest first, to the output', () => {
    const row: RowExplanation = {
      row: 3,
      prediction: 'yes',
      actual: 'no',
      explainedClass: 'yes',
      output: 1.5,
      base: 0.5,
      contributions: { x: -0.5, y: 1.5 },
      values: { x: 2, y: null },
      error: 0.8,
    };
    const option = waterfallOption(row, 'log-odds of yes');
    expect((option.yAxis as { data: string[] }).data).toEqual(['base', 'y = missing', 'x = 2', 'log-odds of yes']);
    const [lift, steps] = option.series as Series;
    // base 0.5; +1.5 rises from 0.5 to 2; −0.5 falls from 2 to 1.5; the output bar from 0.
    expect(lift?.data).toEqual([0, 0.5, 1.5, 0]);
    expect((steps?.data as { value: number }[]).map((d) => d.value)).toEqual([0.5, 1.5, 0.5, 1.5]);
  });

  it('draws partial dependence over ICE lines, categories on a category axis', () => {
    const option = dependenceOption({
      feature: 'colour',
      kind: 'categorical',
      output: 'P(yes)',
      grid: ['red', 'blue'],
      average: [0.2, 0.6],
      ice: [
        [0.1, 0.5],
        [0.3, 0.7],
      ],
    });
    expect((option.xAxis as { type: string; data: string[] }).data).toEqual(['red', 'blue']);
    const series = option.series as Series;
    expect(series).toHaveLength(3);
    expect(series.at(-1)?.data).toEqual([0.2, 0.6]);
  });
});
