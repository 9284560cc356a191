import { describe, expect, it } from 'vitest';
import type { EndpointStats } from '../../../../../shared/api.js';
import { trafficOption, trafficSeries } from '../../../../../renderer/src/pages/endpoints/traffic-chart.js';

const bucket = (t: number, requests: number, errors: number, p: number | null) => ({
  t,
  requests,
  errors,
  predictions: requests,
  p50: p,
  p95: p,
  p99: p,
});

function stats(buckets: ReturnType<typeof bucket>[]): EndpointStats {
  return {
    endpointId: 'e',
    from: 0,
    to: 30_000,
    bucketSeconds: 10,
    buckets,
    total: { requests: 0, errors: 0, predictions: 0, p50: null, p95: null, p99: null },
  };
}

interface Axis {
  max?: number;
  interval?: number;
}

describe('traffic chart', () => {
  it('turns counts per bucket into rates, keeping gaps where no latency was measured', () => {
    const s = trafficSeries(stats([bucket(0, 25, 5, 2), bucket(10_000, 0, 0, null)]));
    expect(s.ok).toEqual([
      [0, 2],
      [10_000, 0],
    ]);
    expect(s.errors).toEqual([
      [0, 0.5],
      [10_000, 0],
    ]);
    expect(s.p99).toEqual([
      [0, 2],
      [10_000, null],
    ]);
  });

  it('gives an idle window a 0-to-1 scale with only those two ticks', () => {
    const axes = trafficOption(stats([bucket(0, 0, 0, null), bucket(10_000, 0, 0, null)])).yAxis as Axis[];
    for (const a of axes) expect(a).toMatchObject({ max: 1, interval: 1 });
  });

  it('lets the scale follow the data once there is traffic', () => {
    const axes = trafficOption(stats([bucket(0, 50, 0, 3)])).yAxis as Axis[];
    for (const a of axes) {
      expect(a.max).toBeUndefined();
      expect(a.interval).toBeUndefined();
    }
  });
});
