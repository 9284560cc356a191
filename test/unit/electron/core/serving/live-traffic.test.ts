// An endpoint's per-second traffic for its live chart: requests, refusals, predictions and latency
// percentiles per bucket (within a log bin of the exact nearest-rank ones), the last 15 minutes
// only, whatever the window asked.
import { describe, expect, it } from 'vitest';
import { LIVE_SECONDS, LiveTraffic } from '../../../../../electron/core/serving/live-traffic.js';

const T0 = 1_700_000_000_000; // a multiple of 10 s

/** Within one log bin (2^(1/16), about 4.4 %) of the exact value. */
const near = (got: number | null, want: number) => expect(Math.abs((got as number) / want - 1)).toBeLessThan(0.023);

describe('LiveTraffic', () => {
  it('counts requests, refusals and predictions per bucket, with latency percentiles of answered requests', () => {
    const live = new LiveTraffic();
    // [T0, T0+1s): latencies 1..100 ms, one instance each.
    for (let i = 1; i <= 100; i++) live.record(T0 + (i % 1000), 200, i, 1);
    // [T0+1s, T0+2s): one request of three instances, one 400 and one 503.
    live.record(T0 + 1_100, 200, 7.5, 3);
    live.record(T0 + 1_200, 400, 0.4, 0);
    live.record(T0 + 1_300, 503, 0.2, 0);
    const w = live.window(T0 - 2_000, T0 + 3_000, 1_000);
    expect(w.buckets.map((b) => b.t)).toEqual([-2, -1, 0, 1, 2].map((k) => T0 + k * 1_000));
    expect(w.buckets.map((b) => [b.requests, b.errors, b.predictions])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [100, 0, 100],
      [3, 2, 3],
      [0, 0, 0],
    ]);
    expect(w.buckets[0]).toMatchObject({ p50: null, p95: null, p99: null });
    const first = w.buckets[2]!;
    near(first.p50, 50);
    near(first.p95, 95);
    near(first.p99, 99);
    near(w.buckets[3]!.p99, 7.5);
    expect(w.total).toMatchObject({ requests: 103, errors: 2, predictions: 103 });
    near(w.total.p50, 50);
  });

  it('sums whole seconds into wider buckets', () => {
    const live = new LiveTraffic();
    for (let s = 0; s < 10; s++) live.record(T0 + s * 1_000 + 500, 200, 2, 1);
    const w = live.window(T0, T0 + 10_000, 5_000);
    expect(w.buckets.map((b) => [b.t, b.requests])).toEqual([
      [T0, 5],
      [T0 + 5_000, 5],
    ]);
  });

  it('keeps only the last LIVE_SECONDS: a second reused by the ring starts from zero', () => {
    const live = new LiveTraffic();
    live.record(T0, 200, 1, 1);
    live.record(T0 + 1_000, 200, 1, 1);
    // The same slot as T0, a ring's turn later: T0's count is gone, not added to.
    const later = T0 + LIVE_SECONDS * 1_000;
    live.record(later, 500, 1, 0);
    expect(live.window(T0, T0 + 2_000, 1_000).buckets.map((b) => b.requests)).toEqual([0, 1]);
    expect(live.window(later, later + 1_000, 1_000).buckets[0]).toMatchObject({
      requests: 1,
      errors: 1,
      predictions: 0,
      p50: null,
    });
  });

  it('gives every bucket of the window even with no traffic at all', () => {
    const w = new LiveTraffic().window(T0, T0 + 60_000, 2_000);
    expect(w.buckets).toHaveLength(30);
    expect(w.total).toEqual({ requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null });
  });
});
