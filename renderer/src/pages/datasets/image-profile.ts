// Pure pieces of an image dataset's page: the class chart's option and height, and the aspect-ratio
// bars with their labels, tested apart from React.
import type { AspectBin, ImageProfile } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, GRID_LINE, SERIES_COLORS } from '../../components/chart-theme.js';
import { formatCount } from '../../lib/format.js';
import { topValuesOption } from './profile-charts.js';

/** Every class as a bar, largest on top. */
export function classCountsOption(classes: ImageProfile['classes']): ChartOption {
  return topValuesOption(classes, classes.length);
}

/** A bar per class, within bounds: a hundred classes scroll in their card rather than squeeze. */
export function classChartHeight(classes: number): number {
  return Math.max(120, Math.min(2400, 16 + classes * 22));
}

/** A bin of width over height as a reader says it: "< 0.5", "0.95–1.05", "≥ 2" (the open end, hi null). */
export function aspectLabel(bin: Pick<AspectBin, 'lo' | 'hi'>): string {
  if (bin.hi === null) return `≥ ${bin.lo}`;
  if (bin.lo <= 0) return `< ${bin.hi}`;
  return `${bin.lo}–${bin.hi}`;
}

/** Bars over the aspect-ratio bins, tall pictures on the left, wide on the right. */
export function aspectRatioOption(bins: AspectBin[]): ChartOption {
  const labels = bins.map(aspectLabel);
  return {
    animation: false,
    grid: { left: 44, right: 8, top: 8, bottom: 36 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const p = (params as Array<{ dataIndex: number }>)[0];
        const bin = p ? bins[p.dataIndex] : undefined;
        return bin ? `width / height ${labels[p?.dataIndex ?? 0]}<br/><b>${formatCount(bin.count)}</b> pictures` : '';
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      name: 'width / height',
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: { color: AXIS, fontSize: 10 },
      axisLabel: { ...axisLabel, hideOverlap: true },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: GRID_LINE } } },
    series: [{ type: 'bar', data: bins.map((b) => b.count), itemStyle: { color: SERIES_COLORS[0] } }],
  };
}
