// ECharts options for a sweep: the trials in parallel coordinates (an axis per searched parameter
// and one for the metric; choices on category axes, log ranges on log axes), the best value so
// far over trial numbers, and the parameters' importance as bars. Pure functions of the sweep, so
// the page memoises them and tests read them apart.
import type { ParamImportance, Sweep, SweepTrial } from '../../../../shared/api.js';
import type { ParamSpace } from '../../../../shared/sweep/space.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, GRID_LINE, SERIES_COLORS, stepAxis, TEXT } from '../../components/chart-theme.js';
import { formatStat } from '../../lib/format.js';

/** The parameters that vary in a sweep's space, in its order: fixed ones make flat axes. */
export function searchedParams(space: Sweep['space']): string[] {
  return Object.entries(space)
    .filter(([, spec]) => spec.type !== 'fixed' && !(spec.type === 'choice' && spec.values.length < 2))
    .map(([name]) => name);
}

/** Trials with a value: what the charts plot (running, pruned and failed ones have none). */
export function scoredTrials(sweep: Pick<Sweep, 'trials'>): (SweepTrial & { value: number })[] {
  return sweep.trials.filter((t): t is SweepTrial & { value: number } => t.status === 'complete' && t.value !== null);
}

function axisOf(name: string, spec: ParamSpace, dim: number) {
  const base = {
    dim,
    name,
    nameTextStyle: { color: TEXT, fontSize: 11 },
    axisLabel,
    axisLine: { lineStyle: { color: AXIS } },
  };
  if (spec.type === 'choice') return { ...base, type: 'category' as const, data: spec.values.map(String) };
  if (spec.type === 'log') return { ...base, type: 'log' as const, min: spec.min, max: spec.max, logBase: 10 };
  if (spec.type === 'fixed') return { ...base, type: 'value' as const };
  return { ...base, type: 'value' as const, min: spec.min, max: spec.max };
}

/** One line per scored trial across the searched parameters and the metric; the best drawn on top. */
export function parallelOption(sweep: Sweep): ChartOption {
  const params = searchedParams(sweep.space);
  const trials = scoredTrials(sweep);
  const row = (t: SweepTrial & { value: number }) => [
    ...params.map((p) => {
      const v = t.params[p];
      return sweep.space[p]?.type === 'choice' ? String(v) : v;
    }),
    t.value,
    t.number + 1,
  ];
  const best = trials.find((t) => t.runId === sweep.bestRunId);
  const metricDim = params.length;
  return {
    animation: false,
    parallel: { left: 56, right: 96, top: 36, bottom: 24, parallelAxisDefault: { nameGap: 12 } },
    parallelAxis: [
      ...params.map((p, i) => axisOf(p, sweep.space[p]!, i)),
      {
        dim: metricDim,
        name: `validation ${sweep.metric}`,
        type: 'value',
        scale: true,
        inverse: sweep.direction === 'minimize',
        nameTextStyle: { color: TEXT, fontSize: 11, fontWeight: 'bold' },
        axisLabel,
        axisLine: { lineStyle: { color: AXIS } },
      },
    ],
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: (number | string)[] }) =>
        [
          `trial ${p.value[metricDim + 1]}`,
          ...params.map((name, i) => `${name}: ${formatStat(p.value[i])}`),
          `${sweep.metric}: ${formatStat(p.value[metricDim])}`,
        ].join('<br/>'),
    },
    series: [
      {
        name: 'trials',
        type: 'parallel',
        lineStyle: { color: SERIES_COLORS[0], width: 1.5, opacity: 0.45 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        data: trials.filter((t) => t !== best).map(row),
      },
      {
        name: 'best',
        type: 'parallel',
        lineStyle: { color: SERIES_COLORS[1], width: 3, opacity: 1 },
        data: best ? [row(best)] : [],
      },
    ],
  };
}

/** Each scored trial's value by its number, and the best so far as a step line. */
export function bestSoFarOption(sweep: Sweep): ChartOption {
  const trials = scoredTrials(sweep);
  const better = (a: number, b: number) => (sweep.direction === 'minimize' ? a < b : a > b);
  let best: number | undefined;
  const bestLine = trials.map((t) => {
    if (best === undefined || better(t.value, best)) best = t.value;
    return [t.number + 1, best];
  });
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 28, bottom: 36 },
    legend: { top: 0, left: 0, textStyle: { color: TEXT, fontSize: 11 }, itemHeight: 8 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatStat(v) : String(v)) },
    xAxis: { ...stepAxis('trial'), max: Math.max(1, sweep.trials.length) },
    yAxis: {
      type: 'value',
      scale: true,
      inverse: sweep.direction === 'minimize',
      axisLabel,
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      {
        name: `best ${sweep.metric} so far`,
        type: 'line',
        step: 'end',
        symbol: 'none',
        lineStyle: { color: SERIES_COLORS[1], width: 2 },
        itemStyle: { color: SERIES_COLORS[1] },
        data: bestLine,
      },
      {
        name: `trial ${sweep.metric}`,
        type: 'scatter',
        symbolSize: 7,
        itemStyle: { color: SERIES_COLORS[0] },
        data: trials.map((t) => [t.number + 1, t.value]),
      },
    ],
  };
}

/** Horizontal bars, the most important parameter on top, as shares of the explained variance. */
export function importanceOption(importance: readonly ParamImportance[]): ChartOption {
  const rows = [...importance].reverse();
  return {
    animation: false,
    grid: { left: 110, right: 48, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => percent(v) },
    xAxis: {
      type: 'value',
      max: 1,
      axisLabel: { ...axisLabel, formatter: (v: number) => `${Math.round(v * 100)}%` },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.param),
      axisLabel: { color: TEXT, fontSize: 11 },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      {
        type: 'bar',
        data: rows.map((r) => r.importance),
        itemStyle: { color: SERIES_COLORS[0] },
        barMaxWidth: 18,
        label: {
          show: true,
          position: 'right',
          color: TEXT,
          fontSize: 10,
          formatter: (p: { value: number }) => percent(p.value),
        },
      },
    ],
  };
}

function percent(v: unknown): string {
  return typeof v === 'number' ? `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%` : String(v);
}
