// An endpoint's traffic for its live chart, kept in the endpoint's own process: per second, for
// the last LIVE_SECONDS, the requests answered, those refused (status 400 and up), the instances
// predicted, and a histogram of answered requests' latencies in log-spaced bins (log-bins.ts, so
// a percentile read back is within about 2 % of the exact one). Recording is a few array writes
// per request, and a chart's poll costs the same at 10 or 10,000 requests a second; the request
// log, which holds every request for monitoring, took seconds to scan every two seconds.
import type { EndpointStatsBucket } from '../../../shared/api.js';
import { binPercentiles, latencyBin } from '../monitoring/log-bins.js';

/** How far back the chart can look: the endpoints page's longest window. */
export const LIVE_SECONDS = 900;
/** Latency bins kept per second; anything slower than bin LATENCY_BINS - 1 (about 4.5 minutes) shares it. */
const LATENCY_BINS = 448;
/** Per second: requests, refused, predictions. */
const COUNTS = 3;

/** One bucket of the chart, or the whole window. */
export type TrafficBucket = EndpointStatsBucket;

export interface TrafficWindow {
  /** Oldest first, every bucket of [from, to) present. */
  buckets: TrafficBucket[];
  total: Omit<TrafficBucket, 't'>;
}

export class LiveTraffic {
  /** The epoch second each slot holds (slots are reused every LIVE_SECONDS); -1 for none yet. */
  private readonly seconds = new Float64Array(LIVE_SECONDS).fill(-1);
  private readonly counts = new Float64Array(LIVE_SECONDS * COUNTS);
  private readonly latency = new Uint32Array(LIVE_SECONDS * LATENCY_BINS);

  /** Counts one request answered at `now` (epoch ms) with `status` after `ms`, predicting `predictions` instances. */
  record(now: number, status: number, ms: number, predictions: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % LIVE_SECONDS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts.fill(0, slot * COUNTS, (slot + 1) * COUNTS);
      this.latency.fill(0, slot * LATENCY_BINS, (slot + 1) * LATENCY_BINS);
    }
    const c = slot * COUNTS;
    (this.counts[c] as number)++;
    if (status >= 400) {
      (this.counts[c + 1] as number)++;
      return;
    }
    if (status === 200) this.counts[c + 2] = (this.counts[c + 2] as number) + predictions;
    (this.latency[slot * LATENCY_BINS + Math.min(LATENCY_BINS - 1, latencyBin(ms))] as number)++;
  }

  /**
   * The buckets of [from, to) (epoch ms, whole seconds), each bucketMs wide (rounded to whole
   * seconds), and the total over the window; seconds older than LIVE_SECONDS count as empty.
   */
  window(from: number, to: number, bucketMs: number): TrafficWindow {
    const step = Math.max(1000, Math.round(bucketMs / 1000) * 1000);
    const all = new Uint32Array(LATENCY_BINS);
    const totals = { requests: 0, errors: 0, predictions: 0 };
    const buckets: TrafficBucket[] = [];
    for (let t = from; t < to; t += step) {
      const bins = new Uint32Array(LATENCY_BINS);
      const b = { requests: 0, errors: 0, predictions: 0 };
      const end = Math.ceil(Math.min(t + step, to) / 1000);
      for (let second = Math.floor(t / 1000); second < end; second++) {
        const slot = second % LIVE_SECONDS;
        if (this.seconds[slot] !== second) continue;
        const c = slot * COUNTS;
        b.requests += this.counts[c] as number;
        b.errors += this.counts[c + 1] as number;
        b.predictions += this.counts[c + 2] as number;
        const base = slot * LATENCY_BINS;
        for (let k = 0; k < LATENCY_BINS; k++) bins[k] = (bins[k] as number) + (this.latency[base + k] as number);
      }
      for (let k = 0; k < LATENCY_BINS; k++) all[k] = (all[k] as number) + (bins[k] as number);
      totals.requests += b.requests;
      totals.errors += b.errors;
      totals.predictions += b.predictions;
      buckets.push({ t, ...b, ...percentiles(bins) });
    }
    return { buckets, total: { ...totals, ...percentiles(all) } };
  }
}

function percentiles(bins: Uint32Array): Pick<TrafficBucket, 'p50' | 'p95' | 'p99'> {
  const pairs: [number, number][] = [];
  bins.forEach((count, bin) => {
    if (count > 0) pairs.push([bin, count]);
  });
  const [p50 = null, p95 = null, p99 = null] = binPercentiles(pairs, [50, 95, 99]);
  return { p50, p95, p99 };
}
