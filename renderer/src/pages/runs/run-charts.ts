// ECharts options for runs: training curves (one run, or several overlaid for comparison), the
// confusion matrix as a heatmap, ROC curves, and predicted-vs-actual and residual scatter plots.
// Pure functions of run data, so they are memoised by the views and unit-tested apart.
import type { EpochRecord } from '../../../../shared/api.js';
import type { ChartOption } from '../../components/chart.js';
import { AXIS, axisLabel, GRID_LINE, SERIES_COLORS, stepAxis, TEXT } from '../../components/chart-theme.js';
import { formatStat } from '../../lib/format.js';

/** One line on a curve chart: a metric of one run, e.g. "loss" or "val_loss". */
export interface CurveSeries {
  name: string;
  history: readonly EpochRecord[];
  /** The key in each epoch's logs. */
  key: string;
  color?: string;
  /** Validation curves are dashed, so train and validation of one run read as a pair. */
  dashed?: boolean;
}

/** The metric keys a history holds, training ones first: loss, acc, val_loss, val_acc, ... */
export function historyKeys(history: readonly EpochRecord[]): string[] {
  const keys = new Set<string>();
  for (const e of history) for (const k of Object.keys(e.logs)) keys.add(k);
  return [...keys].sort((a, b) => Number(a.startsWith('val_')) - Number(b.startsWith('val_')) || a.localeCompare(b));
}

/** What a log key means, for legends and titles. */
export function metricLabel(key: string): string {
  const base = key.replace(/^val_/, '');
  const name = base === 'acc' ? 'accuracy' : base === 'mae' ? 'MAE' : base;
  return key.startsWith('val_') ? `validation ${name}` : `training ${name}`;
}

/**
 * Lines over epochs (or a tree model's boosting rounds: `step` names them); they start at 1.
 * `best` marks the step whose model was kept (the best round of early-stopped trees).
 */
export function curvesOption(series: readonly CurveSeries[], step = 'epoch', best?: number): ChartOption {
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 28, bottom: 36 },
    legend: { top: 0, left: 0, textStyle: { color: TEXT, fontSize: 11 }, itemHeight: 8, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatStat(v) : String(v)) },
    xAxis: stepAxis(step),
    // The y axis is named by the chart's title and legend; a name here would sit on the legend.
    yAxis: {
      type: 'value',
      scale: true,
      axisLabel,
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: series.map((s, i) => ({
      type: 'line',
      name: s.name,
      showSymbol: s.history.length <= 1,
      symbolSize: 5,
      data: s.history.filter((e) => Number.isFinite(e.logs[s.key])).map((e) => [e.epoch, e.logs[s.key]]),
      lineStyle: {
        width: 2,
        type: s.dashed ? 'dashed' : 'solid',
        color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length],
      },
      itemStyle: { color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] },
      // Thousands of epochs stay smooth: ECharts drops points that share a pixel.
      sampling: 'lttb',
      ...(best !== undefined && i === 0
        ? {
            markLine: {
              symbol: 'none',
              silent: true,
              label: { formatter: `kept: ${step} ${best}`, color: TEXT, fontSize: 10 },
              lineStyle: { color: AXIS, type: 'dotted' },
              data: [{ xAxis: best }],
            },
          }
        : {}),
    })),
  };
}

/**
 * confusion[t][p] as a heatmap: true class down the side, predicted along the bottom, counts in the
 * cells; `unit` names what is counted ('pictures' when a cell opens its pictures).
 */
export function confusionOption(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
  unit = 'rows',
): ChartOption {
  const k = classes.length;
  const data: [number, number, number][] = [];
  let max = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const n = confusion[t]?.[p] ?? 0;
      max = Math.max(max, n);
      // y runs bottom-up in ECharts: put the first class on top, as a table reads.
      data.push([p, k - 1 - t, n]);
    }
  }
  const short = (c: string) => (c.length > 14 ? `${c.slice(0, 13)}…` : c);
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 44, containLabel: true },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) => {
        const cell = confusionCell(p.value, classes);
        const hint = unit === 'pictures' ? ' (click to see them)' : '';
        return `true <b>${cell?.label ?? ''}</b>, predicted <b>${cell?.predicted ?? ''}</b><br/>${p.value[2]} ${unit}${hint}`;
      },
    },
    xAxis: {
      type: 'category',
      data: classes.map(short),
      name: 'predicted',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: { color: AXIS, fontSize: 10 },
      axisLabel: { ...axisLabel, color: TEXT, interval: 0, hideOverlap: true },
      axisTick: { show: false },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: [...classes].reverse().map(short),
      name: 'true',
      nameTextStyle: { color: AXIS, fontSize: 10 },
      axisLabel: { ...axisLabel, color: TEXT },
      axisTick: { show: false },
      splitArea: { show: true },
    },
    visualMap: { show: false, min: 0, max: Math.max(1, max), inRange: { color: ['#f4f6fb', '#3b6fd8'] } },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: k <= 20, fontSize: k <= 8 ? 12 : 9, color: '#1d2230' },
        emphasis: { itemStyle: { borderColor: '#1d2230', borderWidth: 1 } },
      },
    ],
  };
}

/** A confusion matrix cell: what was `label` and was predicted as `predicted`. */
export interface PictureCell {
  label: string;
  predicted: string;
}

/** The cell a picture model's page opens first: the largest confusion, else the first class. */
export function firstCell(confusion: readonly (readonly number[])[], classes: readonly string[]): PictureCell {
  let best: [number, number, number] = [0, 0, -1];
  confusion.forEach((row, t) =>
    row.forEach((n, p) => {
      if (t !== p && n > best[2]) best = [t, p, n];
    }),
  );
  const [t, p, n] = best;
  const first = classes[0] ?? '';
  return n > 0 ? { label: classes[t] ?? first, predicted: classes[p] ?? first } : { label: first, predicted: first };
}

/** How many pictures a cell holds, as the confusion matrix counts them. */
export function cellCount(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
  cell: PictureCell,
): number {
  return confusion[classes.indexOf(cell.label)]?.[classes.indexOf(cell.predicted)] ?? 0;
}

/** Pictures predicted wrong: the matrix off its diagonal. */
export function mistakeCount(confusion: readonly (readonly number[])[]): number {
  return confusion.reduce((n, row, t) => n + row.reduce((m, v, p) => m + (p === t ? 0 : v), 0), 0);
}

/** The classes of a heatmap cell confusionOption drew, from its value [x, y, count]. */
export function confusionCell(
  value: unknown,
  classes: readonly string[],
): { label: string; predicted: string; count: number } | undefined {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [x, y, count] = value as [unknown, unknown, unknown];
  if (typeof x !== 'number' || typeof y !== 'number' || typeof count !== 'number') return undefined;
  // y runs bottom-up: the first class is the top row.
  const label = classes[classes.length - 1 - y];
  const predicted = classes[x];
  return label === undefined || predicted === undefined ? undefined : { label, predicted, count };
}

/** One ROC curve as stored with the run's metrics. */
export interface RocCurveData {
  fpr: readonly number[];
  tpr: readonly number[];
  auc: number | null;
}

/** ROC curves (one for binary, one per class one-vs-rest) and the chance diagonal. */
export function rocOption(curves: readonly RocCurveData[], names: readonly string[]): ChartOption {
  const axis = (name: string) => ({
    type: 'value' as const,
    min: 0,
    max: 1,
    name,
    nameLocation: 'middle' as const,
    nameGap: 24,
    nameTextStyle: { color: AXIS, fontSize: 10 },
    axisLabel,
    splitLine: { lineStyle: { color: GRID_LINE } },
  });
  return {
    animation: false,
    grid: { left: 44, right: 12, top: 28, bottom: 40 },
    legend: { top: 0, left: 0, type: 'scroll', textStyle: { color: TEXT, fontSize: 11 }, itemHeight: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; value: [number, number] }) =>
        `${p.seriesName}<br/>FPR ${formatStat(p.value[0])}, TPR ${formatStat(p.value[1])}`,
    },
    xAxis: axis('false positive rate'),
    yAxis: axis('true positive rate'),
    series: [
      ...curves.map((c, i) => ({
        type: 'line',
        name: `${names[i] ?? `class ${i}`}${c.auc === null ? '' : ` (AUC ${c.auc.toFixed(3)})`}`,
        data: c.fpr.map((x, j) => [x, c.tpr[j]]),
        showSymbol: false,
        lineStyle: { width: 2, color: SERIES_COLORS[i % SERIES_COLORS.length] },
        itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
      })),
      {
        type: 'line',
        name: 'chance',
        data: [
          [0, 0],
          [1, 1],
        ],
        showSymbol: false,
        silent: true,
        lineStyle: { width: 1, type: 'dotted', color: AXIS },
        itemStyle: { color: AXIS },
      },
    ],
  };
}

interface ScatterSpec {
  /** What x and y are, in the tooltip and (unless `yAxis` says longer) on the axes. */
  x: string;
  y: string;
  yAxis?: string;
  points: (number | undefined)[][];
  /** Which of SERIES_COLORS the points take. */
  colorIndex: number;
  /** Drawn with the points: a markLine on their series (y = 0). */
  markLine?: object;
  /** Drawn after the points: a series of its own (y = x). */
  line?: object;
}

/** The sampled test-split points of a regression chart, on scaled value axes named for x and y. */
function scatterOption({ x, y, yAxis = y, points, colorIndex, markLine, line }: ScatterSpec): ChartOption {
  const axis = (name: string, gap: number) => ({
    type: 'value' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap: gap,
    nameTextStyle: { color: AXIS, fontSize: 10 },
    scale: true,
    axisLabel,
    splitLine: { lineStyle: { color: GRID_LINE } },
  });
  return {
    animation: false,
    grid: { left: 56, right: 12, top: 12, bottom: 40 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: [number, number] }) =>
        `${x} ${formatStat(p.value[0])}<br/>${y} ${formatStat(p.value[1])}`,
    },
    xAxis: axis(x, 24),
    yAxis: axis(yAxis, 40),
    series: [
      {
        type: 'scatter',
        symbolSize: 4,
        data: points,
        itemStyle: { color: SERIES_COLORS[colorIndex], opacity: 0.55 },
        large: true,
        ...(markLine ? { markLine } : {}),
      },
      ...(line ? [line] : []),
    ],
  };
}

/** Points sampled from the test split: actual on x, predicted on y, with the y = x line a perfect model sits on. */
export function predictedVsActualOption(actual: readonly number[], predicted: readonly number[]): ChartOption {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...actual, ...predicted]) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  return scatterOption({
    x: 'actual',
    y: 'predicted',
    points: actual.map((a, i) => [a, predicted[i]]),
    colorIndex: 0,
    line: {
      type: 'line',
      name: 'perfect',
      data: [
        [lo, lo],
        [hi, hi],
      ],
      showSymbol: false,
      silent: true,
      lineStyle: { width: 1, type: 'dashed', color: AXIS },
    },
  });
}

/** Residuals (actual − predicted) against the prediction: a good model's sit in a flat band around 0. */
export function residualOption(actual: readonly number[], predicted: readonly number[]): ChartOption {
  return scatterOption({
    x: 'predicted',
    y: 'residual',
    yAxis: 'residual (actual − predicted)',
    points: predicted.map((p, i) => [p, (actual[i] ?? 0) - p]),
    colorIndex: 1,
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { color: AXIS, type: 'dashed' },
      data: [{ yAxis: 0 }],
      label: { show: false },
    },
  });
}
