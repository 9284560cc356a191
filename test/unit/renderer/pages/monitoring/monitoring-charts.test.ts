import { describe, expect, it } from 'vitest';
import type { LiveQuality, PredictionDistribution } from '../../../../../shared/api.js';
import {
  bucketShares,
  driftOverlayOption,
  errorRateMax,
  latencyOption,
  liveQualityOption,
  perMinute,
  predictionsOption,
  rateOption,
  rateSeries,
} from '../../../../../renderer/src/pages/monitoring/monitoring-charts.js';

type Series = {
  name?: string;
  type?: string;
  data: unknown[];
  stack?: string;
  yAxisIndex?: number;
  barGap?: string;
  markLine?: { data: { yAxis: number }[]; label: { formatter: string } };
}[];

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const span = { from: T0, to: T0 + 3 * 60_000, bucketSeconds: 60 };
const bucket = (i: number, requests: number, errors: number, p50: number | null) => ({
  t: T0 + i * 60_000,
  requests,
  errors,
  predictions: requests - errors,
  p50,
  p95: p50 === null ? null : p50 * 2,
  p99: p50 === null ? null : p50 * 3,
});
const overview = { ...span, buckets: [bucket(0, 30, 3, 2), bucket(1, 0, 0, null), bucket(2, 12, 0, 4)] };

describe('monitoring charts', () => {
  it('lets every time chart zoom its x axis', () => {
    const options = [
      rateOption(overview),
      latencyOption(overview),
      predictionsOption({ kind: 'classes', labels: ['a'], edges: [], buckets: [], total: [0] }, span),
    ];
    for (const option of options)
      expect((option.dataZoom as { type: string }[]).map((z) => z.type)).toEqual(['inside', 'slider']);
  });

  it('draws requests per minute, errors stacked, and the error rate with gaps where nothing came', () => {
    expect(perMinute(30, 60)).toBe(30);
    expect(perMinute(30, 900)).toBe(2);
    const s = rateSeries(overview);
    expect(s.answered).toEqual([
      [T0, 27],
      [T0 + 60_000, 0],
      [T0 + 120_000, 12],
    ]);
    expect(s.errors.map(([, v]) => v)).toEqual([3, 0, 0]);
    expect(s.errorRate.map(([, v]) => v)).toEqual([10, null, 0]);
    const o = rateOption(overview) as { series: Series; xAxis: { min: number; max: number } };
    expect(o.series.map((x) => x.name)).toEqual(['answered / min', 'errors / min', 'error rate %']);
    expect(o.series[0]?.stack).toBe(o.series[1]?.stack);
    expect(o.series[2]?.yAxisIndex).toBe(1);
    expect([o.xAxis.min, o.xAxis.max]).toEqual([span.from, span.to]);
  });

  it('scales the error-rate axis to the rates seen', () => {
    expect(errorRateMax(0)).toBe(5);
    expect(errorRateMax(7)).toBe(10);
    expect(errorRateMax(60)).toBe(100);
    // overview's worst bucket: 3 errors in 30 requests.
    expect((rateOption(overview) as { yAxis: { max?: number; interval?: number }[] }).yAxis[1]).toMatchObject({
      max: 10,
      interval: 2,
    });
  });

  it('keeps a scale on an idle window', () => {
    const o = rateOption({ ...span, buckets: [bucket(0, 0, 0, null)] }) as { yAxis: { max?: number }[] };
    expect(o.yAxis[0]?.max).toBe(1);
  });

  it('gives an idle window a 0-to-1 scale with only those two ticks, and lets the scale follow the data once there is traffic', () => {
    type Axis = { max?: number; interval?: number };
    const idle = { ...span, buckets: [bucket(0, 0, 0, null), bucket(1, 0, 0, null)] };
    expect((rateOption(idle) as { yAxis: Axis[] }).yAxis[0]).toMatchObject({ max: 1, interval: 1 });
    expect((latencyOption(idle) as { yAxis: Axis }).yAxis).toMatchObject({ max: 1, interval: 1 });
    const busy = (rateOption(overview) as { yAxis: Axis[] }).yAxis[0];
    expect([busy?.max, busy?.interval]).toEqual([undefined, undefined]);
    const latency = (latencyOption(overview) as { yAxis: Axis }).yAxis;
    expect([latency.max, latency.interval]).toEqual([undefined, undefined]);
  });

  it('draws p50, p95 and p99 per bucket, null where no request was answered', () => {
    const o = latencyOption(overview) as { series: Series };
    expect(o.series.map((x) => x.name)).toEqual(['p50', 'p95', 'p99']);
    expect(o.series[2]?.data).toEqual([
      [T0, 6],
      [T0 + 60_000, null],
      [T0 + 120_000, 12],
    ]);
  });

  const classes: PredictionDistribution = {
    kind: 'classes',
    labels: ['setosa', 'virginica'],
    edges: [],
    buckets: [
      { t: T0, counts: [3, 1] },
      { t: T0 + 60_000, counts: [0, 0] },
      { t: T0 + 120_000, counts: [0, 5] },
    ],
    total: [3, 6],
  };

  it('shares each bucket out among the classes, stacked, with the window share in the legend', () => {
    expect(bucketShares(classes).map((b) => b.shares)).toEqual([
      [0.75, 0.25],
      [null, null],
      [0, 1],
    ]);
    const o = predictionsOption(classes, span) as { series: Series };
    expect(o.series.map((x) => x.name)).toEqual(['setosa (33.3%)', 'virginica (66.7%)']);
    expect(o.series.every((x) => x.stack === 'shares')).toBe(true);
    // The empty bucket draws no bar rather than a zero one, but keeps its place on the axis.
    expect(o.series[0]?.data).toEqual([
      [T0, 75],
      [T0 + 60_000, null],
      [T0 + 120_000, 0],
    ]);
  });

  it('draws a regressor’s predictions as a histogram per bucket', () => {
    const values: PredictionDistribution = {
      kind: 'values',
      labels: ['0–10', '10–20'],
      edges: [0, 10, 20],
      buckets: [
        { t: T0, counts: [1, 3] },
        { t: T0 + 60_000, counts: [0, 0] },
      ],
      total: [1, 3],
    };
    const o = predictionsOption(values, span) as {
      series: Series;
      yAxis: { data: string[] };
      xAxis: { data: string[] };
      visualMap: { max: number };
    };
    expect(o.visualMap.max).toBe(75);
    expect(o.series[0]?.type).toBe('heatmap');
    expect(o.yAxis.data).toEqual(['0–10', '10–20']);
    expect(o.xAxis.data).toHaveLength(2);
    // [bucket, bin, share of the bucket in %]; empty cells are left blank.
    expect(o.series[0]?.data).toEqual([
      [0, 0, 25],
      [0, 1, 75],
      [1, 0, null],
      [1, 1, null],
    ]);
  });

  it('draws live accuracy in percent with the test split as a reference line', () => {
    const live: LiveQuality = {
      metric: 'accuracy',
      value: 0.8,
      testSplit: 0.9667,
      labelled: 10,
      predictions: 40,
      buckets: [
        { t: T0, labelled: 10, value: 0.8 },
        { t: T0 + 60_000, labelled: 0, value: null },
      ],
    };
    const o = liveQualityOption(live, span) as { series: Series };
    const line = o.series.find((x) => x.type === 'line');
    expect(line?.data).toEqual([
      [T0, 80],
      [T0 + 60_000, null],
    ]);
    expect(line?.markLine?.data).toEqual([{ yAxis: 96.7 }]);
    expect(line?.markLine?.label.formatter).toBe('test split 96.7%');
    const mae = liveQualityOption({ ...live, metric: 'mae', testSplit: null }, span) as { series: Series };
    expect(mae.series.find((x) => x.type === 'line')?.markLine).toBeUndefined();
  });

  it('overlays training and live shares of a feature on the same bins', () => {
    const o = driftOverlayOption({
      feature: 'petal_length',
      bins: [
        { label: '< 2', lo: null, hi: 2, training: 0.333, live: 0 },
        { label: '≥ 2', lo: 2, hi: null, training: 0.667, live: 1 },
      ],
    }) as { series: Series; xAxis: { data: string[] } };
    expect(o.xAxis.data).toEqual(['< 2', '≥ 2']);
    expect(o.series.map((x) => [x.name, x.data])).toEqual([
      ['training', [33.3, 66.7]],
      ['live', [0, 100]],
    ]);
    expect(o.series.every((x) => x.barGap === '-100%')).toBe(true);
  });
});
