// The live traffic chart's ECharts option: requests per second (errors stacked in red) above,
// latency percentiles below, over the same time axis. A pure function of endpoints.stats.
import type { EndpointStats } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, ERROR_RED, GRID_LINE, idleScale, SERIES_COLORS, TEXT } from '../../components/chart-theme.js';

/** One number per bucket as [t, y] points; null latencies leave gaps rather than dropping to 0. */
export function trafficSeries(stats: EndpointStats): {
  ok: [number, number][];
  errors: [number, number][];
  p50: [number, number | null][];
  p99: [number, number | null][];
} {
  const per = stats.bucketSeconds;
  const rate = (n: number) => Math.round((n / per) * 100) / 100;
  return {
    ok: stats.buckets.map((b) => [b.t, rate(b.requests - b.errors)]),
    errors: stats.buckets.map((b) => [b.t, rate(b.errors)]),
    p50: stats.buckets.map((b) => [b.t, b.p50]),
    p99: stats.buckets.map((b) => [b.t, b.p99]),
  };
}

export function trafficOption(stats: EndpointStats): ChartOption {
  const s = trafficSeries(stats);
  const xAxis = (gridIndex: number, show: boolean) => ({
    type: 'time',
    gridIndex,
    min: stats.from,
    max: stats.to,
    axisLabel: { ...axisLabel, show, hideOverlap: true },
    axisTick: { show },
    splitLine: { show: false },
    axisLine: { lineStyle: { color: GRID_LINE } },
  });
  // An idle window still shows a scale rather than a bare grid.
  const idle = (points: [number, number | null][]) => points.every(([, y]) => !y);
  const yAxis = (gridIndex: number, name: string, empty: boolean) => ({
    type: 'value',
    gridIndex,
    name,
    nameTextStyle: { color: AXIS, fontSize: 10, align: 'left' },
    min: 0,
    // Each grid is under 90 px tall: a few ticks read; eight crowd.
    splitNumber: 3,
    ...idleScale(empty),
    axisLabel,
    splitLine: { lineStyle: { color: GRID_LINE } },
  });
  return {
    animation: false,
    legend: { top: 0, left: 0, textStyle: { color: TEXT, fontSize: 11 }, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : '–'),
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: [
      { left: 48, right: 16, top: 44, height: '30%' },
      { left: 48, right: 16, bottom: 24, height: '30%' },
    ],
    xAxis: [xAxis(0, false), xAxis(1, true)],
    yAxis: [yAxis(0, 'requests / s', idle(s.ok) && idle(s.errors)), yAxis(1, 'latency ms', idle(s.p99))],
    series: [
      {
        type: 'bar',
        name: 'answered / s',
        stack: 'rate',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: s.ok,
        itemStyle: { color: SERIES_COLORS[0] },
        barCategoryGap: '10%',
      },
      {
        type: 'bar',
        name: 'errors / s',
        stack: 'rate',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: s.errors,
        itemStyle: { color: ERROR_RED },
      },
      latencyLine('p50', s.p50, SERIES_COLORS[2]),
      latencyLine('p99', s.p99, SERIES_COLORS[1]),
    ],
  };
}

/** A latency percentile's line on the lower grid, its points marked so single buckets show. */
function latencyLine(name: string, data: [number, number | null][], color: string | undefined) {
  return {
    type: 'line',
    name,
    xAxisIndex: 1,
    yAxisIndex: 1,
    data,
    showSymbol: true,
    symbolSize: 4,
    connectNulls: false,
    lineStyle: { width: 2, color },
    itemStyle: { color },
  };
}
