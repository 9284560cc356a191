// Adaptive micro-batching ("batch while busy", as in Clipper and TF Serving): requests for one
// model version are scored together when they arrive together, with no fixed wait. An idle model
// scores what has arrived as soon as the current I/O has been read; requests that arrive while a
// call runs (the event loop is held by it) form the next batch, which goes as soon as it ends.
// So batches grow with load by themselves. maxDelayMs is only a cap under load: when a call ended
// less than maxDelayMs ago, the first request of the next batch may wait up to maxDelayMs for
// company (0, the default, never waits); a batch that fills up (maxBatch rows) goes at once.
// A model call is synchronous and holds the whole process (every model, /healthz), so its rows are
// bounded by the model's cost per row (rowsPerCall): a request with more rows is scored in several
// calls, other work running between them. At its deadline a request is answered (504) whether it
// is queued or in a call that has not finished.
import type { ModelCost } from '../training/topology.js';

/** Thrown to a request whose deadline passed before its model call finished. */
export class DeadlineError extends Error {
  constructor() {
    super('the request waited past its deadline');
  }
}

export interface Scorer {
  width: number;
  units: number;
  predict(x: Float32Array, n: number): Float32Array;
}

export interface BatcherOptions {
  maxBatch: number;
  /** Under load (a call ended less than this ago), how long a batch may wait for company; 0: never. */
  maxDelayMs: number;
  /** Rows one model call may take (rowsPerCall); a larger request is scored in slices. */
  maxRowsPerCall: number;
  /** Runs before each model call (tests slow the model down with it). */
  beforeCall?: (rows: number) => void | Promise<void>;
  /** Told about every model call: rows and milliseconds. */
  onCall?: (rows: number, ms: number) => void;
}

/** Where a request's rows are in a model call's output. */
export interface Scored {
  y: Float32Array;
  row: number;
}

interface Item {
  x: Float32Array;
  n: number;
  deadline: number;
  /** Answered (scored, failed or past its deadline): later outcomes are dropped (settle, fail). */
  settled: boolean;
  resolve: (s: Scored) => void;
  reject: (err: Error) => void;
}

function settle(item: Item, s: Scored): void {
  if (item.settled) return;
  item.settled = true;
  item.resolve(s);
}

function fail(item: Item, err: Error): void {
  if (item.settled) return;
  item.settled = true;
  item.reject(err);
}

/** What one model call may cost: operations (so time) and values held at once (so memory). */
export interface CallBudget {
  maxCallFlops: number;
  maxCallActivations: number;
}

/** The rows one call of a model with `cost` may take within `budget`; at least one. */
export function rowsPerCall(cost: Pick<ModelCost, 'flopsPerRow' | 'activationsPerRow'>, budget: CallBudget): number {
  const byFlops = Math.floor(budget.maxCallFlops / Math.max(1, cost.flopsPerRow));
  const byActivations = Math.floor(budget.maxCallActivations / Math.max(1, cost.activationsPerRow));
  return Math.max(1, Math.min(byFlops, byActivations));
}

/** Lets timers and I/O (other models' requests, /healthz) run before the next slice of a call. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class MicroBatcher {
  private queue: Item[] = [];
  /** The items of the call under way. */
  private current: Item[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = false;
  /** performance.now() when the last call ended; -Infinity before the first. */
  private lastCallEnded = Number.NEGATIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly scorer: Scorer,
    private readonly options: BatcherOptions,
  ) {}

  /** Scores n rows of features (row-major) in the next batch. */
  submit(x: Float32Array, n: number, deadline: number): Promise<Scored> {
    return new Promise<Scored>((resolve, reject) => {
      this.queue.push({ x, n, deadline, settled: false, resolve, reject });
      this.queuedRows += n;
      // A call under way takes the queue when it ends.
      if (this.running) return;
      this.flushSoon(this.queuedRows >= this.options.maxBatch);
    });
  }

  /** Requests waiting for a model call. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Rejects requests whose deadline has passed, queued or in the call under way. */
  expire(now: number): void {
    for (const item of this.current) if (item.deadline <= now) fail(item, new DeadlineError());
    if (!this.queue.some((i) => i.deadline <= now)) return;
    const keep: Item[] = [];
    for (const item of this.queue) {
      if (item.deadline <= now) {
        this.queuedRows -= item.n;
        fail(item, new DeadlineError());
      } else keep.push(item);
    }
    this.queue = keep;
    this.settleIdle();
  }

  /** Resolves once nothing is queued or running (a swapped-out version is disposed then). */
  whenIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Schedules the next batch: after the I/O being read now (setImmediate), so requests that
   * arrived together go together; under load with a nonzero cap, up to maxDelayMs later.
   */
  private flushSoon(full: boolean): void {
    if (full) this.clearTimer();
    else if (this.timer) return;
    const { maxDelayMs } = this.options;
    const underLoad = maxDelayMs > 0 && performance.now() - this.lastCallEnded < maxDelayMs;
    this.timer = !full && underLoad ? setTimeout(this.flushNow, maxDelayMs) : setImmediate(this.flushNow);
  }

  /** Made once: scheduling a batch makes no closure. */
  private readonly flushNow = () => void this.flush();

  private clearTimer(): void {
    if (!this.timer) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private async flush(): Promise<void> {
    this.clearTimer();
    if (this.running || this.queue.length === 0) return;
    const now = Date.now();
    const batch: Item[] = [];
    const perCall = this.options.maxRowsPerCall;
    const maxRows = Math.min(this.options.maxBatch, perCall);
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Item;
      // One request bigger than a batch goes alone (in slices); otherwise fill up to maxRows.
      if (batch.length > 0 && rows + next.n > maxRows) break;
      this.queue.shift();
      this.queuedRows -= next.n;
      if (next.deadline <= now) fail(next, new DeadlineError());
      else {
        batch.push(next);
        rows += next.n;
      }
    }
    if (batch.length > 0) {
      this.running = true;
      this.current = batch;
      try {
        const { width, units } = this.scorer;
        let x: Float32Array;
        if (batch.length === 1) x = (batch[0] as Item).x;
        else {
          x = new Float32Array(rows * width);
          let at = 0;
          for (const item of batch) {
            x.set(item.x, at * width);
            at += item.n;
          }
        }
        let y: Float32Array | undefined;
        for (let at = 0; at < rows; at += perCall) {
          const k = Math.min(perCall, rows - at);
          if (at > 0) await nextTurn();
          this.expire(Date.now());
          if (this.options.beforeCall) await this.options.beforeCall(k);
          // Every request of the call was answered at its deadline meanwhile: nothing to score.
          if (batch.every((i) => i.settled)) break;
          const started = performance.now();
          const part = this.scorer.predict(k === rows ? x : x.subarray(at * width, (at + k) * width), k);
          this.options.onCall?.(k, performance.now() - started);
          if (k === rows) y = part;
          else (y ??= new Float32Array(rows * units)).set(part, at * units);
        }
        if (y) {
          let row = 0;
          for (const item of batch) {
            settle(item, { y, row });
            row += item.n;
          }
        }
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        for (const item of batch) fail(item, error);
      } finally {
        this.running = false;
        this.current = [];
        this.lastCallEnded = performance.now();
      }
    }
    // Batch while busy: what arrived during the call goes next, without waiting for a timer.
    if (this.queue.length > 0) this.flushSoon(true);
    else this.settleIdle();
  }

  private settleIdle(): void {
    if (this.running || this.queue.length > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
