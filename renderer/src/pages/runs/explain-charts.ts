// ECharts options for a run's explanation: feature importance as horizontal bars (with the spread
// over shuffles), one row's contributions as a waterfall from the base to the output, and partial
// dependence with a few rows' ICE lines behind it. Pure functions of the explanation, unit-tested.
import type { FeatureImportance, PartialDependence, RowExplanation } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, ERROR_RED, GRID_LINE, SERIES_COLORS, TEXT } from '../../components/chart-theme.js';
import { formatStat } from '../../lib/format.js';

const POSITIVE = SERIES_COLORS[0] as string;
const NEGATIVE = ERROR_RED;

/** An axis tooltip over bars, its text for the bar under the pointer from `describe` ('' shows none). */
function barTooltip(describe: (index: number) => string) {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    formatter: (params: unknown) => {
      const p = (params as { dataIndex: number }[])[0];
      return p ? describe(p.dataIndex) : '';
    },
  };
}

/** Bars of mean importance, most important on top, with a whisker of ± one standard deviation. */
export function importanceOption(importance: readonly FeatureImportance[], metric: string): ChartOption {
  // ECharts draws category axes bottom-up: reversed, the most important sits on top.
  const rows = [...importance].reverse();
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
    tooltip: barTooltip((i) => {
      const r = rows[i];
      return r ? `${r.feature}: ${metric} drops ${formatStat(r.mean)} ± ${formatStat(r.std)}` : '';
    }),
    xAxis: {
      type: 'value',
      name: `drop in ${metric}`,
      nameLocation: 'middle',
      nameGap: 20,
      nameTextStyle: { color: AXIS, fontSize: 10 },
      axisLabel,
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: { type: 'category', data: rows.map((r) => r.feature), axisLabel: { color: TEXT, fontSize: 11 } },
    series: [
      { type: 'bar', data: rows.map((r) => r.mean), itemStyle: { color: POSITIVE }, barMaxWidth: 18 },
      {
        // The spread: a thin line from mean − std to mean + std on each bar. Its data are the
        // whisker's ends, so the value axis spans them too.
        type: 'custom',
        encode: { x: [0, 2], y: 1 },
        renderItem: (_params: unknown, api: { value(i: number): number; coord(p: number[]): number[] }) => {
          const [x0, y] = api.coord([api.value(0), api.value(1)]) as [number, number];
          const [x1] = api.coord([api.value(2), api.value(1)]) as [number, number];
          return { type: 'line', shape: { x1: x0, y1: y, x2: x1, y2: y }, style: { stroke: TEXT, lineWidth: 1.5 } };
        },
        data: rows.map((r, i) => [r.mean - r.std, i, r.mean + r.std]),
        z: 3,
      },
    ],
  };
}

/**
 * One row's waterfall: the base, then each column's contribution as a step up (blue) or down
 * (red), largest first, ending at the explained output.
 */
export function waterfallOption(row: RowExplanation, outputLabel: string): ChartOption {
  const steps = Object.entries(row.contributions).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const labels = ['base', ...steps.map(([f]) => `${f} = ${formatCell(row.values[f])}`), outputLabel];
  const bottoms: number[] = [];
  const heights: { value: number; itemStyle: { color: string } }[] = [];
  let level = row.base;
  bottoms.push(Math.min(0, row.base));
  heights.push({ value: Math.abs(row.base), itemStyle: { color: AXIS } });
  for (const [, c] of steps) {
    const next = level + c;
    bottoms.push(Math.min(level, next));
    heights.push({ value: Math.abs(c), itemStyle: { color: c >= 0 ? POSITIVE : NEGATIVE } });
    level = next;
  }
  bottoms.push(Math.min(0, row.output));
  heights.push({ value: Math.abs(row.output), itemStyle: { color: TEXT } });
  const signed = [row.base, ...steps.map(([, c]) => c), row.output];
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: barTooltip((i) => {
      const v = signed[i] as number;
      const sign = i > 0 && i < signed.length - 1 && v > 0 ? '+' : '';
      return `${labels[i]}: ${sign}${formatStat(v)}`;
    }),
    xAxis: { type: 'value', scale: true, axisLabel, splitLine: { lineStyle: { color: GRID_LINE } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      axisLabel: { color: TEXT, fontSize: 11, width: 220, overflow: 'truncate' },
    },
    series: [
      // An invisible bar lifts each step to where the running total stands.
      { type: 'bar', stack: 'w', data: bottoms, itemStyle: { color: 'transparent' }, silent: true },
      { type: 'bar', stack: 'w', data: heights, barMaxWidth: 16 },
    ],
  };
}

/** Partial dependence (the thick line) over ICE lines of single rows (thin, faint). */
export function dependenceOption(pd: PartialDependence): ChartOption {
  const categorical = pd.kind === 'categorical';
  const x = pd.grid.map((g) => (categorical ? String(g) : g));
  const pairs = (ys: readonly number[]) => ys.map((y, i) => [x[i], y]);
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 12, bottom: 36 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatStat(v) : String(v)) },
    xAxis: {
      type: categorical ? 'category' : 'value',
      ...(categorical ? { data: x } : { scale: true }),
      name: pd.feature,
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: { color: AXIS, fontSize: 10 },
      axisLabel,
      splitLine: { show: false },
    },
    yAxis: { type: 'value', scale: true, axisLabel, splitLine: { lineStyle: { color: GRID_LINE } } },
    series: [
      ...pd.ice.map((line) => ({
        type: 'line',
        data: categorical ? line : pairs(line),
        showSymbol: false,
        silent: true,
        lineStyle: { width: 1, color: AXIS, opacity: 0.25 },
        tooltip: { show: false },
      })),
      {
        type: 'line',
        name: `average ${pd.output}`,
        data: categorical ? pd.average : pairs(pd.average),
        showSymbol: categorical,
        lineStyle: { width: 3, color: POSITIVE },
        itemStyle: { color: POSITIVE },
      },
    ],
  };
}

function formatCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number') return formatStat(v);
  return String(v);
}
