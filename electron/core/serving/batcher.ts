// Dynamic micro-batching: requests for one model version that arrive close together are scored
// in one model call. The first request of a batch waits at most maxDelayMs for company; a batch
// that fills up (maxBatch rows) goes at once; while a call runs, arrivals queue for the next one.
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
  /** Answered (scored, failed or past its deadline): later outcomes are dropped. */
  settled: boolean;
  resolve(s: Scored): void;
  reject(err: Error): void;
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
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly scorer: Scorer,
    private readonly options: BatcherOptions,
  ) {}

  /** Scores n rows of features (row-major) in the next batch. */
  submit(x: Float32Array, n: number, deadline: number): Promise<Scored> {
    return new Promise<Scored>((resolve, reject) => {
      const item: Item = {
        x,
        n,
        deadline,
        settled: false,
        resolve: (s) => {
          if (!item.settled) resolve(s);
          item.settled = true;
        },
        reject: (err) => {
          if (!item.settled) reject(err);
          item.settled = true;
        },
      };
      this.queue.push(item);
      this.queuedRows += n;
      if (this.running) return;
      if (this.queuedRows >= this.options.maxBatch) this.flushSoon(true);
      else this.flushSoon(false);
    });
  }

  /** Requests waiting for a model call. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Rejects requests whose deadline has passed, queued or in the call under way. */
  expire(now: number): void {
    for (const item of this.current) if (item.deadline <= now) item.reject(new DeadlineError());
    if (!this.queue.some((i) => i.deadline <= now)) return;
    const keep: Item[] = [];
    for (const item of this.queue) {
      if (item.deadline <= now) {
        this.queuedRows -= item.n;
        item.reject(new DeadlineError());
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

  private flushSoon(now: boolean): void {
    if (now) {
      this.clearTimer();
      // Still asynchronous: the caller's promise chain is set up before any resolve.
      this.timer = setImmediate(() => void this.flush());
      return;
    }
    if (this.timer) return;
    this.timer =
      this.options.maxDelayMs > 0
        ? setTimeout(() => void this.flush(), this.options.maxDelayMs)
        : setImmediate(() => void this.flush());
  }

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
      if (next.deadline <= now) next.reject(new DeadlineError());
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
            item.resolve({ y, row });
            row += item.n;
          }
        }
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        for (const item of batch) item.reject(error);
      } finally {
        this.running = false;
        this.current = [];
      }
    }
    if (this.queue.length > 0) this.flushSoon(true);
    else this.settleIdle();
  }

  private settleIdle(): void {
    if (this.running || this.queue.length > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
