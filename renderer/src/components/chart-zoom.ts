// Zooming a chart's x axis (ECharts dataZoom): a wheel or drag inside the plot, and a slim slider
// under it. The Chart host replaces its option whenever the data changes (the monitoring page
// polls every few seconds), so the range the user zoomed to is carried into each new option as
// long as the axis still spans the same stretch; a different window starts unzoomed.
import { AXIS, GRID_LINE, SERIES_COLORS } from './chart-theme.js';

/** The slider's height and the room a grid leaves under the axis labels for it. */
export const ZOOM_SLIDER_HEIGHT = 14;
export const ZOOM_ROOM = ZOOM_SLIDER_HEIGHT + 10;

/** dataZoom for the first x axis: the inside zoom and the slider, both in percent of the axis. */
export function xZoom(): Record<string, unknown>[] {
  return [
    { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
    {
      type: 'slider',
      xAxisIndex: 0,
      filterMode: 'none',
      height: ZOOM_SLIDER_HEIGHT,
      bottom: 4,
      borderColor: GRID_LINE,
      fillerColor: 'rgba(59, 111, 216, 0.12)',
      handleStyle: { color: SERIES_COLORS[0] },
      moveHandleSize: 4,
      textStyle: { color: AXIS, fontSize: 10 },
      showDetail: false,
      brushSelect: false,
    },
  ];
}

/** A zoom range in percent of the axis. */
export interface ZoomRange {
  start: number;
  end: number;
}

type OptionLike = Record<string, unknown>;

/** What an x axis spans: its time range, or its category count. Undefined without an x axis. */
function axisSpan(option: OptionLike): string | undefined {
  const raw = option.xAxis;
  const axis = (Array.isArray(raw) ? raw[0] : raw) as OptionLike | undefined;
  if (!axis) return undefined;
  if (Array.isArray(axis.data)) return `categories:${axis.data.length}`;
  return typeof axis.min === 'number' && typeof axis.max === 'number' ? `range:${axis.max - axis.min}` : undefined;
}

/** The zoom ranges of a shown option (ECharts' getOption()), if it has any. */
export function zoomOf(shown: OptionLike): ZoomRange[] | undefined {
  const zoom = shown.dataZoom;
  if (!Array.isArray(zoom) || zoom.length === 0) return undefined;
  return zoom.map((z: OptionLike) => ({
    start: typeof z.start === 'number' ? z.start : 0,
    end: typeof z.end === 'number' ? z.end : 100,
  }));
}

/**
 * `next` with the zoom of the option shown now (`shown`, as getOption() returns it) when both
 * zoom the same way over an axis of the same span; `next` unchanged otherwise.
 */
export function keepZoom<T extends OptionLike>(next: T, shown: OptionLike | undefined): T {
  const zoom = Array.isArray(next.dataZoom) ? (next.dataZoom as OptionLike[]) : undefined;
  const kept = shown ? zoomOf(shown) : undefined;
  if (!zoom || !kept || !shown || kept.length !== zoom.length || axisSpan(shown) !== axisSpan(next)) return next;
  return { ...next, dataZoom: zoom.map((z, i) => ({ ...z, ...kept[i] })) };
}
