// The look every chart shares: axis and grid greys, the legend's text colour, the red of errors,
// the series palette, and the scale an idle value axis keeps. Plain values for ECharts options.

/** Axis labels and names. */
export const AXIS = '#8a93a3';
/** Split lines and axis lines. */
export const GRID_LINE = '#e6e9ef';
/** Legend text and category labels that name things. */
export const TEXT = '#3d4452';
/** Refused requests and other failures. */
export const ERROR_RED = '#c0322b';
/** Distinct, colour-blind-friendly series colours (Okabe–Ito, then two extra). */
export const SERIES_COLORS = ['#3b6fd8', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#7a5195', '#8a93a3'];

export const axisLabel = { color: AXIS, fontSize: 10 };

/**
 * What a value axis adds so that a chart with nothing to draw still shows a scale rather than a
 * bare grid: 0 to 1 with ticks at 0 and 1 only (a fixed max of 1 alone let ECharts put 0.9 just
 * under 1, and the labels overlapped). Nothing once there is data: the scale follows it.
 */
export function idleScale(idle: boolean): { max: number; interval: number } | Record<string, never> {
  return idle ? { max: 1, interval: 1 } : {};
}

/** An x axis of 1-based steps counted in whole numbers (epochs, boosting rounds, trials), named under it. */
export function stepAxis(name: string): Record<string, unknown> {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 22,
    nameTextStyle: { color: AXIS, fontSize: 10 },
    minInterval: 1,
    min: 1,
    axisLabel,
    splitLine: { show: false },
    axisLine: { lineStyle: { color: GRID_LINE } },
  };
}
