// Rows per refresh over time: a bar per refresh that read the source, coloured by whether it made
// a new version, and failed ones as red marks on the axis, so a source that stopped growing or
// started failing shows at a glance. A pure function of the history, memoised by the page.
import type { SourceRefresh } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, ERROR_RED, GRID_LINE, SERIES_COLORS, TEXT } from '../../components/chart-theme.js';
import { formatCount, formatDate } from '../../lib/format.js';

/** When a refresh started, to the second: refreshes by hand or on a fast schedule share a minute. */
export function refreshTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${formatDate(iso)}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** The history oldest first, as the chart reads it left to right. */
export function refreshChartOption(history: readonly SourceRefresh[]): ChartOption {
  const ordered = [...history].filter((r) => r.status !== 'running').reverse();
  const labels = ordered.map((r) => refreshTime(r.startedAt));
  /** One stacked bar series: the rows of the refreshes with this status, a gap for the others. */
  const bar = (name: string, status: SourceRefresh['status'], color: string | undefined) => ({
    name,
    type: 'bar',
    stack: 'rows',
    barMaxWidth: 28,
    itemStyle: { color },
    data: ordered.map((r) => (r.status === status && r.rows !== null ? r.rows : null)),
  });
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 40, bottom: 30 },
    legend: { top: 0, right: 0, textStyle: { color: TEXT, fontSize: 11 }, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? formatCount(v) : '—'),
    },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { ...axisLabel, hideOverlap: true },
      axisLine: { lineStyle: { color: AXIS } },
    },
    yAxis: {
      type: 'value',
      name: 'rows',
      nameTextStyle: { color: TEXT, fontSize: 11 },
      axisLabel: { ...axisLabel, formatter: (v: number) => formatCount(v) },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      bar('new version', 'changed', SERIES_COLORS[0]),
      bar('unchanged', 'unchanged', SERIES_COLORS[7]),
      {
        name: 'failed or cancelled',
        type: 'scatter',
        symbol: 'triangle',
        symbolSize: 9,
        itemStyle: { color: ERROR_RED },
        data: ordered.map((r) => (r.status === 'failed' || r.status === 'cancelled' ? 0 : null)),
      },
    ],
  };
}
