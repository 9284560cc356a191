// The view a pipeline opens at: the whole pipeline when it fits at a zoom where a step's text can
// be read, else that readable zoom from the first steps on (the start of the flow, top left), to
// pan from. Fitting a long pipeline by zoom alone shrank steps to 6 px text and 4 px ports.
import type { Rect, Viewport } from '@xyflow/react';

/** The smallest zoom the editor fits to: 12 px step text renders at 10 px or more, ports at 12 px. */
export const READABLE_ZOOM = 0.85;
/** Fitting never blows a small pipeline up past this. */
export const MAX_FIT_ZOOM = 1.1;
/** Screen pixels kept clear around the steps. */
export const FIT_MARGIN = 16;

/** The viewport showing `bounds` (flow coordinates) in a canvas of `width` x `height` screen pixels. */
export function readableViewport(bounds: Rect, width: number, height: number): Viewport {
  const room = { x: Math.max(1, width - 2 * FIT_MARGIN), y: Math.max(1, height - 2 * FIT_MARGIN) };
  const fit = Math.min(room.x / Math.max(1, bounds.width), room.y / Math.max(1, bounds.height), MAX_FIT_ZOOM);
  const zoom = Math.max(fit, READABLE_ZOOM);
  // Per axis: centred when it fits, else from its start.
  const place = (start: number, size: number, screen: number, free: number) =>
    size * zoom <= free ? screen / 2 - (start + size / 2) * zoom : FIT_MARGIN - start * zoom;
  return {
    x: place(bounds.x, bounds.width, width, room.x),
    y: place(bounds.y, bounds.height, height, room.y),
    zoom,
  };
}

/** How wide (flow units) a row of steps may be to fit a canvas `width` screen pixels wide at the readable zoom. */
export function readableRowWidth(width: number): number {
  return Math.max(1, width - 2 * FIT_MARGIN) / READABLE_ZOOM;
}
