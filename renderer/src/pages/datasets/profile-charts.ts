// ECharts options for a column's profile: the histogram of a numeric column and the top values
// of a categorical one. Pure functions of the profile, so they are memoised and tested apart.
import type { ColumnProfile } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, GRID_LINE, TEXT } from '../../components/chart-theme.js';
import { formatCount, formatFull, formatTicks } from '../../lib/format.js';

const BAR = '#3b6fd8';

/** Bars over the bins; the label under each bar is its lower edge. */
export function histogramOption(h: NonNullable<ColumnProfile['histogram']>): ChartOption {
  return {
    animation: false,
    grid: { left: 44, right: 8, top: 8, bottom: 24 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const p = (params as Array<{ dataIndex: number }>)[0];
        const bin = p ? h[p.dataIndex] : undefined;
        // The bin's edges in full: the axis labels are rounded.
        return bin ? `${formatFull(bin.lo)} – ${formatFull(bin.hi)}<br/><b>${formatCount(bin.count)}</b> rows` : '';
      },
    },
    xAxis: {
      type: 'category',
      data: formatTicks(h.map((b) => b.lo)),
      axisLabel: { ...axisLabel, hideOverlap: true },
      axisTick: { alignWithLabel: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: { type: 'value', axisLabel, splitLine: { lineStyle: { color: GRID_LINE } } },
    series: [{ type: 'bar', data: h.map((b) => b.count), itemStyle: { color: BAR }, barCategoryGap: '4%' }],
  };
}

/** Horizontal bars, most frequent on top: the first `limit` values (an image dataset's classes show all). */
export function topValuesOption(top: NonNullable<ColumnProfile['topValues']>, limit = 15): ChartOption {
  const shown = top.slice(0, limit).reverse();
  return {
    animation: false,
    grid: { left: 8, right: 44, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: shown.map((t) => (t.value.length > 24 ? `${t.value.slice(0, 23)}…` : t.value)),
      axisLabel: { ...axisLabel, color: TEXT },
      axisTick: { show: false },
      axisLine: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: shown.map((t) => t.count),
        itemStyle: { color: BAR },
        barCategoryGap: '25%',
        label: {
          show: true,
          position: 'right',
          color: AXIS,
          fontSize: 10,
          formatter: (p: { value: unknown }) => formatCount(Number(p.value)),
        },
      },
    ],
  };
}
