// The endpoint's numbers in the Prometheus text format (version 0.0.4): request counts by model,
// version and status, latency and batch-size histograms, and the process's memory and tensors;
// and, per second, the traffic its live chart shows (live-traffic.ts).
import type { ConnectionCounts } from './connection-guard.js';
import { LiveTraffic } from './live-traffic.js';

const LATENCY_BUCKETS_MS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= (this.buckets[i] as number)) (this.counts[i] as number)++;
  }
  lines(name: string, labels: string): string[] {
    const sep = labels ? `${labels},` : '';
    const out = this.buckets.map((b, i) => `${name}_bucket{${sep}le="${b}"} ${this.counts[i]}`);
    out.push(`${name}_bucket{${sep}le="+Inf"} ${this.count}`);
    const braces = labels ? `{${labels}}` : '';
    out.push(`${name}_sum${braces} ${this.sum}`, `${name}_count${braces} ${this.count}`);
    return out;
  }
}

function label(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * The model label and request-log model of requests refused without a served model: one bounded
 * value, never the name the caller sent (each name would otherwise be a new series and log model).
 */
export const UNSERVED = '-';

export interface Gauges {
  inFlight: number;
  queued: number;
  tensors: number;
  logBuffered: number;
  connections: ConnectionCounts;
}

export class EndpointMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly slots = new Map<string, { key: string; histogram: Histogram | undefined }>();
  private readonly batches = new Histogram(BATCH_BUCKETS);
  private readonly modelMs = new Histogram(LATENCY_BUCKETS_MS);
  /** The last minutes per second, for the endpoints page's chart. */
  readonly live = new LiveTraffic();
  modelCalls = 0;
  rejectedOverload = 0;
  deadlineExceeded = 0;
  logDropped = 0;

  /**
   * Counts one answered request; `model` is the served model's own name, or UNSERVED for a request
   * refused without a served model (no API key, a name this endpoint does not serve), so callers
   * cannot add labels; `predictions` is the instances an answered (200) request predicted.
   */
  request(model: string, version: number | null, status: number, ms: number, predictions = 0): void {
    this.live.record(Date.now(), status, ms, predictions);
    // The label strings are built once per model, version and status, not per request.
    const id = `${model}\u0000${version ?? ''}\u0000${status}`;
    let slot = this.slots.get(id);
    if (!slot) {
      const labels = `model="${label(model)}",version="${version ?? ''}"`;
      const key = `${labels},status="${status}"`;
      let histogram: Histogram | undefined;
      if (status === 200) {
        histogram = this.latency.get(labels);
        if (!histogram) this.latency.set(labels, (histogram = new Histogram(LATENCY_BUCKETS_MS)));
      }
      this.slots.set(id, (slot = { key, histogram }));
    }
    this.requests.set(slot.key, (this.requests.get(slot.key) ?? 0) + 1);
    slot.histogram?.observe(ms);
  }

  /**
   * A request refused before it reached a prediction route (overload at the door, no such route,
   * a body too large or not JSON): not counted per model, but part of the endpoint's live traffic.
   */
  refusedAtTheDoor(status: number): void {
    this.live.record(Date.now(), status, 0, 0);
  }

  modelCall(rows: number, ms: number): void {
    this.modelCalls++;
    this.batches.observe(rows);
    this.modelMs.observe(ms);
  }

  /** The whole exposition. */
  render(g: Gauges): string {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const lines: string[] = [
      '# HELP cairn_requests_total Prediction requests answered, by model, version and HTTP status.',
      '# TYPE cairn_requests_total counter',
      ...[...this.requests].map(([k, v]) => `cairn_requests_total{${k}} ${v}`),
      '# HELP cairn_request_duration_ms Latency of successful prediction requests in milliseconds.',
      '# TYPE cairn_request_duration_ms histogram',
      ...[...this.latency].flatMap(([k, h]) => h.lines('cairn_request_duration_ms', k)),
      '# HELP cairn_model_calls_total Model calls (each scores one micro-batch).',
      '# TYPE cairn_model_calls_total counter',
      `cairn_model_calls_total ${this.modelCalls}`,
      '# HELP cairn_batch_rows Rows per model call.',
      '# TYPE cairn_batch_rows histogram',
      ...this.batches.lines('cairn_batch_rows', ''),
      '# HELP cairn_model_call_ms Time of one model call in milliseconds.',
      '# TYPE cairn_model_call_ms histogram',
      ...this.modelMs.lines('cairn_model_call_ms', ''),
      '# HELP cairn_rejected_overload_total Requests refused with 503 because the endpoint was full.',
      '# TYPE cairn_rejected_overload_total counter',
      `cairn_rejected_overload_total ${this.rejectedOverload}`,
      '# HELP cairn_deadline_exceeded_total Requests answered 504 after their deadline.',
      '# TYPE cairn_deadline_exceeded_total counter',
      `cairn_deadline_exceeded_total ${this.deadlineExceeded}`,
      '# HELP cairn_request_log_dropped_total Log entries dropped because the log could not keep up.',
      '# TYPE cairn_request_log_dropped_total counter',
      `cairn_request_log_dropped_total ${this.logDropped}`,
      '# HELP cairn_in_flight Prediction requests being handled.',
      '# TYPE cairn_in_flight gauge',
      `cairn_in_flight ${g.inFlight}`,
      '# HELP cairn_queued Prediction requests waiting for a model call.',
      '# TYPE cairn_queued gauge',
      `cairn_queued ${g.queued}`,
      '# HELP cairn_request_log_buffered Log entries waiting to be written.',
      '# TYPE cairn_request_log_buffered gauge',
      `cairn_request_log_buffered ${g.logBuffered}`,
      '# HELP cairn_connections Open connections: pending (first headers not yet complete) and established.',
      '# TYPE cairn_connections gauge',
      `cairn_connections{state="pending"} ${g.connections.pending}`,
      `cairn_connections{state="established"} ${g.connections.established}`,
      '# HELP cairn_connections_shed_total Connections closed because their budget (per address, pending or established) was full.',
      '# TYPE cairn_connections_shed_total counter',
      `cairn_connections_shed_total ${g.connections.shed}`,
      '# HELP cairn_tensors Live TensorFlow.js tensors.',
      '# TYPE cairn_tensors gauge',
      `cairn_tensors ${g.tensors}`,
      '# HELP process_cpu_seconds_total User and system CPU time of the process (all its threads) in seconds.',
      '# TYPE process_cpu_seconds_total counter',
      `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use in bytes.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
