// The windows monitoring looks back over, and how each is cut into chart buckets: whole minutes,
// because the request log's rollups are per minute.
import { monitoringWindows, type MonitoringWindow } from '../../../shared/api.js';

export const MINUTE_MS = 60_000;

/** Window length and bucket width, in ms: 60 buckets of a minute, 144 of ten minutes, 168 of an hour. */
export const WINDOWS: Record<MonitoringWindow, { ms: number; bucketMs: number }> = {
  '1h': { ms: 3_600_000, bucketMs: 60_000 },
  '24h': { ms: 86_400_000, bucketMs: 600_000 },
  '7d': { ms: 7 * 86_400_000, bucketMs: 3_600_000 },
};

/** A window's bounds in epoch ms: it ends at the end of the bucket holding `now`, so polls agree on buckets. */
export interface WindowBounds {
  from: number;
  to: number;
  bucketMs: number;
}

/** The start (epoch ms) of every bucket of a window, oldest first. */
export function bucketStarts(b: WindowBounds): number[] {
  return Array.from({ length: Math.round((b.to - b.from) / b.bucketMs) }, (_, i) => b.from + i * b.bucketMs);
}

/** The bounds of `window` ending with the bucket that holds `now`. */
export function windowBounds(window: MonitoringWindow, now: number): WindowBounds {
  const { ms, bucketMs } = WINDOWS[window];
  const to = (Math.floor(now / bucketMs) + 1) * bucketMs;
  return { from: to - ms, to, bucketMs };
}

/** The `window` up to the end of the minute holding `at`, as one bucket: what a rule judges at that moment. */
export function windowEndingAt(window: MonitoringWindow, at: number): WindowBounds {
  const end = (Math.floor(at / MINUTE_MS) + 1) * MINUTE_MS;
  return { from: end - WINDOWS[window].ms, to: end, bucketMs: WINDOWS[window].ms };
}

/** The longest window offered: how far back a fitting window looks for traffic. */
export const LONGEST_WINDOW: MonitoringWindow = monitoringWindows[monitoringWindows.length - 1] ?? '7d';

/**
 * The shortest window that holds every request since `firstAt` (epoch ms; null with no traffic in
 * the longest window): a new endpoint's few minutes fill an hour's chart instead of a sliver of a
 * day's. With no traffic, the shortest window.
 */
export function fittingWindow(firstAt: number | null, now: number): MonitoringWindow {
  if (firstAt === null) return monitoringWindows[0];
  return monitoringWindows.find((w) => windowBounds(w, now).from <= firstAt) ?? LONGEST_WINDOW;
}
