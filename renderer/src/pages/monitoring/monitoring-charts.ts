// ECharts options for the monitoring page: request and error rates, latency percentiles, the
// distribution of predictions over time, live quality against the test split, and one feature's
// training and live distributions overlaid. Pure functions of monitoring.overview's answer, so
// the views memoise them and the tests check them apart.
import type { FeatureDrift, LiveQuality, MonitoringOverview, PredictionDistribution } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { xZoom, ZOOM_ROOM } from '../../components/chart-zoom.js';
import { AXIS, axisLabel, ERROR_RED, GRID_LINE, idleScale, SERIES_COLORS, TEXT } from '../../components/chart-theme.js';
import { formatMs, formatPercentValue, formatStat } from '../../lib/format.js';

const TRAINING_GREY = '#9aa4b5';
const legend = { top: 0, left: 0, textStyle: { color: TEXT, fontSize: 11 }, itemHeight: 8, type: 'scroll' };

/** The part of an overview every time chart needs: its window and bucket width. */
type Span = Pick<MonitoringOverview, 'from' | 'to' | 'bucketSeconds'>;

function timeAxis(span: Span) {
  return {
    type: 'time',
    min: span.from,
    max: span.to,
    axisLabel: { ...axisLabel, hideOverlap: true },
    splitLine: { show: false },
    axisLine: { lineStyle: { color: GRID_LINE } },
  };
}

/**
 * What every time chart here shares: the legend on top, an axis tooltip that shows each value with
 * `format`, the window's time axis with a zoom (wheel, drag or the slider under it); `rightAxis`
 * leaves room on the right for a second value axis.
 */
function timeChartFrame(span: Span, format: (v: number) => string, rightAxis: boolean) {
  return {
    animation: false,
    legend,
    grid: { left: 44, right: rightAxis ? 44 : 16, top: 44, bottom: 24 + ZOOM_ROOM },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '–') },
    xAxis: timeAxis(span),
    dataZoom: xZoom(),
  };
}

function valueAxis(name: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'value',
    name,
    nameTextStyle: { color: AXIS, fontSize: 10, align: 'left' },
    min: 0,
    splitNumber: 4,
    axisLabel,
    splitLine: { lineStyle: { color: GRID_LINE } },
    ...extra,
  };
}

/** The error-rate axis's top: the next of 5, 10, 25, 50 or 100% above the highest rate, so a 2% rate is not a flat line at the bottom. */
export function errorRateMax(highest: number): number {
  return [5, 10, 25, 50].find((top) => highest <= top) ?? 100;
}

/** Requests per minute in a bucket of `bucketSeconds`, rounded for a tooltip. */
export function perMinute(n: number, bucketSeconds: number): number {
  return Math.round((n / bucketSeconds) * 60 * 100) / 100;
}

/** Answered and refused requests per minute per bucket, and the error rate (null where a bucket had no requests). */
export function rateSeries(o: Pick<MonitoringOverview, 'buckets' | 'bucketSeconds'>): {
  answered: [number, number][];
  errors: [number, number][];
  errorRate: [number, number | null][];
} {
  return {
    answered: o.buckets.map((b) => [b.t, perMinute(b.requests - b.errors, o.bucketSeconds)]),
    errors: o.buckets.map((b) => [b.t, perMinute(b.errors, o.bucketSeconds)]),
    errorRate: o.buckets.map((b) => [b.t, b.requests ? Math.round((b.errors / b.requests) * 10_000) / 100 : null]),
  };
}

/** Request rate (answered and errors stacked) with the error rate in percent on a second axis. */
export function rateOption(o: Pick<MonitoringOverview, 'buckets' | 'bucketSeconds' | 'from' | 'to'>): ChartOption {
  const s = rateSeries(o);
  const idle = o.buckets.every((b) => b.requests === 0);
  const errorTop = errorRateMax(Math.max(0, ...s.errorRate.map(([, v]) => v ?? 0)));
  return {
    ...timeChartFrame(o, formatStat, true),
    yAxis: [
      // An idle window still shows a scale rather than a bare grid.
      valueAxis('requests / min', idleScale(idle)),
      valueAxis('error rate %', {
        max: errorTop,
        interval: errorTop / 5,
        splitLine: { show: false },
        nameTextStyle: { color: AXIS, fontSize: 10, align: 'right' },
      }),
    ],
    series: [
      {
        type: 'bar',
        name: 'answered / min',
        stack: 'rate',
        data: s.answered,
        itemStyle: { color: SERIES_COLORS[0] },
        barCategoryGap: '10%',
      },
      { type: 'bar', name: 'errors / min', stack: 'rate', data: s.errors, itemStyle: { color: ERROR_RED } },
      {
        type: 'line',
        name: 'error rate %',
        yAxisIndex: 1,
        data: s.errorRate,
        connectNulls: false,
        showSymbol: false,
        lineStyle: { width: 1.5, color: SERIES_COLORS[4] },
        itemStyle: { color: SERIES_COLORS[4] },
      },
    ],
  };
}

/** Latency p50, p95 and p99 of answered requests per bucket; empty buckets leave gaps. */
export function latencyOption(o: Pick<MonitoringOverview, 'buckets' | 'bucketSeconds' | 'from' | 'to'>): ChartOption {
  const lines = [
    { key: 'p50', color: SERIES_COLORS[2] },
    { key: 'p95', color: SERIES_COLORS[1] },
    { key: 'p99', color: SERIES_COLORS[4] },
  ] as const;
  const idle = o.buckets.every((b) => b.p99 === null);
  return {
    ...timeChartFrame(o, formatMs, false),
    yAxis: valueAxis('latency ms', idleScale(idle)),
    series: lines.map((l) => ({
      type: 'line',
      name: l.key,
      data: o.buckets.map((b) => [b.t, b[l.key]]),
      connectNulls: false,
      // Sparse traffic leaves single points between gaps: show them.
      showSymbol: true,
      symbolSize: 3,
      lineStyle: { width: 1.8, color: l.color },
      itemStyle: { color: l.color },
    })),
  };
}

/** Each bucket's counts as shares of that bucket (0..1); null for a bucket without predictions. */
export function bucketShares(p: Pick<PredictionDistribution, 'buckets'>): { t: number; shares: (number | null)[] }[] {
  return p.buckets.map((b) => {
    const sum = b.counts.reduce((a, n) => a + n, 0);
    return { t: b.t, shares: b.counts.map((n) => (sum ? n / sum : null)) };
  });
}

/** Time labels for a category axis: clock time within a day, day and hour over a week. */
export function bucketLabel(t: number, bucketSeconds: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return bucketSeconds >= 3600 ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}` : clock;
}

/**
 * Predictions over time: for a classifier, each class's share of a bucket's predictions as
 * stacked bars (the legend gives its share of the window); for a regressor, a heatmap of the
 * value histogram, a column per bucket, shaded by the share of that bucket's predictions.
 */
export function predictionsOption(p: PredictionDistribution, span: Span): ChartOption {
  const shares = bucketShares(p);
  const windowTotal = p.total.reduce((a, n) => a + n, 0);
  if (p.kind === 'classes') {
    return {
      ...timeChartFrame(span, (v) => `${v}%`, false),
      yAxis: valueAxis('share of predictions %', { max: 100, interval: 25 }),
      series: p.labels.map((label, i) => ({
        type: 'bar',
        name: `${label} (${formatPercentValue(windowTotal ? (p.total[i] ?? 0) / windowTotal : 0)})`,
        stack: 'shares',
        barCategoryGap: '10%',
        // Every bucket is in the data, empty ones as null (no bar): on a time axis the bar width
        // comes from the gap between points, and a lone point would get a bar an hour wide.
        data: shares.map((b) => [
          b.t,
          b.shares[i] === null || b.shares[i] === undefined ? null : Math.round(b.shares[i] * 1000) / 10,
        ]),
        itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
      })),
    };
  }
  const data: [number, number, number | null][] = [];
  shares.forEach((b, x) =>
    b.shares.forEach((s, y) => data.push([x, y, s === null || s === 0 ? null : Math.round(s * 1000) / 10])),
  );
  const counts = p.buckets.map((b) => b.counts);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 28, bottom: ZOOM_ROOM, containLabel: true },
    dataZoom: xZoom(),
    tooltip: {
      formatter: (q: { value: [number, number, number | null] }) => {
        const [x, y, share] = q.value;
        const n = counts[x]?.[y] ?? 0;
        return `${bucketLabel(p.buckets[x]?.t ?? 0, span.bucketSeconds)}<br/>value <b>${p.labels[y] ?? ''}</b>: ${n} prediction${n === 1 ? '' : 's'} (${share ?? 0}%)`;
      },
    },
    xAxis: {
      type: 'category',
      data: p.buckets.map((b) => bucketLabel(b.t, span.bucketSeconds)),
      axisLabel: { ...axisLabel, hideOverlap: true },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: {
      type: 'category',
      data: p.labels,
      name: 'predicted value',
      nameTextStyle: { color: AXIS, fontSize: 10, align: 'left' },
      axisLabel,
      axisTick: { show: false },
    },
    // Shaded up to the largest cell, so the most common value reads dark even when predictions
    // spread over many bins (no cell near 100%).
    visualMap: {
      show: false,
      min: 0,
      max: Math.max(1, ...data.map(([, , v]) => v ?? 0)),
      inRange: { color: ['#eef3fd', '#1f4fb4'] },
    },
    series: [
      {
        type: 'heatmap',
        name: 'share of the bucket %',
        data,
        emphasis: { itemStyle: { borderColor: '#1d2230', borderWidth: 1 } },
      },
    ],
  };
}

/**
 * Live accuracy (in percent) or MAE per bucket as a line, the labelled predictions behind each
 * point as faint bars, and the test split's figure as a dashed reference line.
 */
export function liveQualityOption(live: LiveQuality, span: Span): ChartOption {
  const accuracy = live.metric === 'accuracy';
  const scale = (v: number | null) => (v === null ? null : accuracy ? Math.round(v * 1000) / 10 : v);
  const name = accuracy ? 'live accuracy %' : 'live MAE';
  const reference = scale(live.testSplit);
  return {
    ...timeChartFrame(span, formatStat, true),
    yAxis: [
      valueAxis(name, accuracy ? { max: 100, interval: 25 } : {}),
      valueAxis('labelled', {
        splitLine: { show: false },
        minInterval: 1,
        nameTextStyle: { color: AXIS, fontSize: 10, align: 'right' },
      }),
    ],
    series: [
      {
        type: 'bar',
        name: 'labelled predictions',
        yAxisIndex: 1,
        data: live.buckets.map((b) => [b.t, b.labelled]),
        itemStyle: { color: '#d9e3f7' },
        barCategoryGap: '10%',
      },
      {
        type: 'line',
        name,
        data: live.buckets.map((b) => [b.t, scale(b.value)]),
        connectNulls: false,
        showSymbol: true,
        symbolSize: 4,
        lineStyle: { width: 2, color: SERIES_COLORS[0] },
        itemStyle: { color: SERIES_COLORS[0] },
        ...(reference === null
          ? {}
          : {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: SERIES_COLORS[2], type: 'dashed', width: 1.5 },
                label: {
                  formatter: `test split ${accuracy ? `${reference}%` : formatStat(reference)}`,
                  position: 'insideEndTop',
                  color: SERIES_COLORS[2],
                  fontSize: 10,
                },
                data: [{ yAxis: reference }],
              },
            }),
      },
    ],
  };
}

/** One feature's distribution in training (grey) and live (blue), bars drawn over each other, as shares in percent. */
export function driftOverlayOption(f: Pick<FeatureDrift, 'bins' | 'feature'>): ChartOption {
  const pct = (v: number) => Math.round(v * 1000) / 10;
  return {
    animation: false,
    legend,
    grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '–'),
    },
    xAxis: {
      type: 'category',
      data: f.bins.map((b) => b.label),
      axisLabel: { ...axisLabel, color: TEXT, hideOverlap: true, rotate: f.bins.length > 8 ? 30 : 0 },
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
    // The title says what is drawn; an axis name here would sit on the legend.
    yAxis: valueAxis('', { axisLabel: { ...axisLabel, formatter: '{value}%' } }),
    series: [
      // Same slot for both series (barGap -100%): live is drawn over training, translucent, so both read.
      {
        type: 'bar',
        name: 'training',
        data: f.bins.map((b) => pct(b.training)),
        barGap: '-100%',
        barCategoryGap: '20%',
        itemStyle: { color: TRAINING_GREY, opacity: 0.75 },
      },
      {
        type: 'bar',
        name: 'live',
        data: f.bins.map((b) => pct(b.live)),
        barGap: '-100%',
        itemStyle: { color: SERIES_COLORS[0], opacity: 0.55, borderColor: SERIES_COLORS[0], borderWidth: 1 },
      },
    ],
  };
}
