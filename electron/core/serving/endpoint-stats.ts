// An endpoint's traffic for its live chart: the request log aggregated per time bucket (in
// SQLite, see requestStats), every bucket of the window present so a chart's time axis is even.
import type { Endpoint, EndpointStats, EndpointStatsBucket } from '../../../shared/api.js';
import { requestStats } from '../db/request-log-db.js';

export interface StatsArgs {
  windowSeconds: number;
  bucketSeconds?: number;
}

/** About this many buckets over a window when the caller names no width. */
const TARGET_BUCKETS = 150;

/** The bucket width for a window: a whole number of seconds giving about TARGET_BUCKETS buckets. */
export function bucketSecondsFor(windowSeconds: number): number {
  return Math.max(1, Math.round(windowSeconds / TARGET_BUCKETS));
}

/**
 * The traffic to the models an endpoint serves since it started, over the last windowSeconds.
 * The log has no endpoint column: two endpoints serving the same model show each other's traffic.
 */
export function endpointStats(logFile: string, endpoint: Endpoint, args: StatsArgs, now = Date.now()): EndpointStats {
  const bucketSeconds = args.bucketSeconds ?? bucketSecondsFor(args.windowSeconds);
  const bucketMs = bucketSeconds * 1000;
  // Buckets align to whole multiples of their width, so polls agree on where buckets start.
  const to = (Math.floor(now / bucketMs) + 1) * bucketMs;
  const from = to - Math.ceil(args.windowSeconds / bucketSeconds) * bucketMs;
  // Rows from before the endpoint started belong to an earlier server of the same models.
  const since = Math.max(from, Date.parse(endpoint.startedAt) || from);
  const models = [...new Set(endpoint.models.map((m) => m.name))];
  const rows = requestStats(logFile, { models, from: since, to, bucketMs, origin: from });
  const byStart = new Map(rows.map((r) => [r.t, r]));
  const buckets: EndpointStatsBucket[] = [];
  for (let t = from; t < to; t += bucketMs) {
    const r = byStart.get(t);
    buckets.push(r ?? { t, requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null });
  }
  const [total] = requestStats(logFile, { models, from: since, to, bucketMs: Math.max(1, to - since) });
  return {
    endpointId: endpoint.id,
    from,
    to,
    bucketSeconds,
    buckets,
    total: total
      ? { requests: total.requests, errors: total.errors, predictions: total.predictions, p50: total.p50, p95: total.p95, p99: total.p99 }
      : { requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null },
  };
}
