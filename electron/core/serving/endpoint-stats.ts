// An endpoint's traffic for its live chart: asked of the endpoint's process, which keeps the last
// minutes per second (live-traffic.ts), over a window whose buckets align to whole multiples of
// their width, so successive polls agree on where buckets start and a chart's time axis is even.
import type { Endpoint, EndpointStats } from '../../../shared/api.js';
import type { TrafficWindow } from './live-traffic.js';

export interface StatsArgs {
  windowSeconds: number;
  bucketSeconds?: number;
}

/** The traffic of [from, to) in buckets of bucketMs, or undefined when the endpoint has none to give (not running). */
export type TrafficSource = (from: number, to: number, bucketMs: number) => Promise<TrafficWindow | undefined>;

/** About this many buckets over a window when the caller names no width. */
const TARGET_BUCKETS = 150;

/** The bucket width for a window: a whole number of seconds giving about TARGET_BUCKETS buckets. */
export function bucketSecondsFor(windowSeconds: number): number {
  return Math.max(1, Math.round(windowSeconds / TARGET_BUCKETS));
}

/**
 * What the endpoint answered over the last windowSeconds, every bucket present (empty ones with
 * zero requests). Counted by the endpoint's process since it last started: a restart begins anew.
 */
export async function endpointStats(
  source: TrafficSource,
  endpoint: Endpoint,
  args: StatsArgs,
  now = Date.now(),
): Promise<EndpointStats> {
  const bucketSeconds = args.bucketSeconds ?? bucketSecondsFor(args.windowSeconds);
  const bucketMs = bucketSeconds * 1000;
  const to = (Math.floor(now / bucketMs) + 1) * bucketMs;
  const from = to - Math.ceil(args.windowSeconds / bucketSeconds) * bucketMs;
  const traffic = await source(from, to, bucketMs);
  const empty = { requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null };
  const buckets =
    traffic?.buckets ??
    Array.from({ length: (to - from) / bucketMs }, (_, i) => ({ t: from + i * bucketMs, ...empty }));
  return { endpointId: endpoint.id, from, to, bucketSeconds, buckets, total: traffic?.total ?? empty };
}
