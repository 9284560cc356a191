// Traffic and answers of a model over a window, per chart bucket, from the request log's
// per-minute rollups: requests, errors, predictions and latency percentiles (read from the
// log-spaced latency bins), and the distribution of what the model answered (class counts, or a
// histogram of predicted values re-binned for display).
import type { PredictionDistribution, TrafficBucket, TrafficTotals } from '../../../shared/api.js';
import type { MinuteWindow, RequestLogReader } from '../db/request-log-reader.js';
import { binPercentiles, valueBinEdges } from './log-bins.js';
import { bucketStarts, MINUTE_MS, type WindowBounds } from './windows.js';

/** Bars of a predicted-value histogram, at most. */
export const VALUE_BARS = 12;

/** The rollup query for a window's buckets (or the whole window as one bucket). */
export function minuteWindow(model: string, version: number | null, b: WindowBounds, whole = false): MinuteWindow {
  const fromMin = Math.floor(b.from / MINUTE_MS);
  const toMin = Math.ceil(b.to / MINUTE_MS);
  return {
    model,
    version,
    fromMin,
    toMin,
    originMin: fromMin,
    bucketMin: whole ? Math.max(1, toMin - fromMin) : Math.max(1, Math.round(b.bucketMs / MINUTE_MS)),
  };
}

/** Per-bucket traffic (every bucket of the window, oldest first) and the window's totals. */
export function trafficSeries(
  reader: RequestLogReader,
  model: string,
  version: number | null,
  b: WindowBounds,
): { buckets: TrafficBucket[]; totals: TrafficTotals } {
  const w = minuteWindow(model, version, b);
  const traffic = new Map(reader.traffic(w).map((r) => [r.b, r]));
  const bins = new Map<number, Map<number, number>>();
  const all = new Map<number, number>();
  for (const r of reader.latency(w)) {
    let m = bins.get(r.b);
    if (!m) bins.set(r.b, (m = new Map<number, number>()));
    m.set(r.bin, (m.get(r.bin) ?? 0) + r.count);
    all.set(r.bin, (all.get(r.bin) ?? 0) + r.count);
  }
  const buckets = bucketStarts(b).map((t, i): TrafficBucket => {
    const r = traffic.get(i);
    const [p50, p95, p99] = binPercentiles(bins.get(i) ?? [], [50, 95, 99]);
    return {
      t,
      requests: r?.requests ?? 0,
      errors: r?.errors ?? 0,
      predictions: r?.predictions ?? 0,
      p50: p50 ?? null,
      p95: p95 ?? null,
      p99: p99 ?? null,
    };
  });
  const sum = (k: 'requests' | 'errors' | 'predictions') => buckets.reduce((s, x) => s + x[k], 0);
  const [p50, p95, p99] = binPercentiles(all, [50, 95, 99]);
  const requests = sum('requests');
  const errors = sum('errors');
  return {
    buckets,
    totals: {
      requests,
      errors,
      predictions: sum('predictions'),
      errorRate: requests ? errors / requests : null,
      p50: p50 ?? null,
      p95: p95 ?? null,
      p99: p99 ?? null,
    },
  };
}

/** What the model answered per bucket: counts per class (the model's classes first), or a value histogram. */
export function predictionDistribution(
  reader: RequestLogReader,
  model: string,
  version: number | null,
  b: WindowBounds,
  classes: readonly string[] | null,
): PredictionDistribution {
  const rows = reader.outputs(minuteWindow(model, version, b));
  const starts = bucketStarts(b);
  if (classes) {
    const labels = [...classes];
    for (const r of rows) if (r.cls && !labels.includes(r.cls)) labels.push(r.cls);
    const index = new Map(labels.map((l, i) => [l, i]));
    const counts = starts.map(() => new Array<number>(labels.length).fill(0));
    for (const r of rows) if (r.cls) counts[r.b]![index.get(r.cls) as number]! += r.count;
    return {
      kind: 'classes',
      labels,
      edges: [],
      buckets: starts.map((t, i) => ({ t, counts: counts[i]! })),
      total: columnSums(counts, labels.length),
    };
  }
  const valueRows = rows.filter((r) => r.cls === '');
  if (!valueRows.length)
    return { kind: 'values', labels: [], edges: [], buckets: starts.map((t) => ({ t, counts: [] })), total: [] };
  // Fine bins span about 4 % each; show up to VALUE_BARS equal-width bars from the lowest to the highest bin seen.
  const lo = Math.min(...valueRows.map((r) => valueBinEdges(r.bin)[0]));
  const hi = Math.max(...valueRows.map((r) => valueBinEdges(r.bin)[1]));
  const bars = Math.min(VALUE_BARS, new Set(valueRows.map((r) => r.bin)).size);
  const width = (hi - lo) / bars;
  const edges = Array.from({ length: bars + 1 }, (_, i) => (i === bars ? hi : lo + i * width));
  const barOf = (bin: number) => {
    const [a, z] = valueBinEdges(bin);
    return Math.min(bars - 1, Math.max(0, Math.floor(((a + z) / 2 - lo) / width)));
  };
  const counts = starts.map(() => new Array<number>(bars).fill(0));
  for (const r of valueRows) counts[r.b]![barOf(r.bin)]! += r.count;
  const labels = edges.slice(0, -1).map((e, i) => `${short(e)} – ${short(edges[i + 1] as number)}`);
  return {
    kind: 'values',
    labels,
    edges,
    buckets: starts.map((t, i) => ({ t, counts: counts[i]! })),
    total: columnSums(counts, bars),
  };
}

function columnSums(rows: number[][], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (const r of rows) r.forEach((c, i) => (out[i]! += c));
  return out;
}

function short(x: number): string {
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}
