// Dynamic micro-batching: requests for one model version that arrive close together are scored
// in one model call. The first request of a batch waits at most maxDelayMs for company; a batch
// that fills up (maxBatch rows) goes at once; while a call runs, arrivals queue for the next one.

/** Thrown to a request whose deadline passed before its batch ran. */
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
  resolve(s: Scored): void;
  reject(err: Error): void;
}

export class MicroBatcher {
  private queue: Item[] = [];
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
      this.queue.push({ x, n, deadline, resolve, reject });
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

  /** Rejects queued requests whose deadline has passed. */
  expire(now: number): void {
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
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Item;
      // One request bigger than a batch goes alone; otherwise fill up to maxBatch rows.
      if (batch.length > 0 && rows + next.n > this.options.maxBatch) break;
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
      try {
        if (this.options.beforeCall) await this.options.beforeCall(rows);
        const { width } = this.scorer;
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
        const started = performance.now();
        const y = this.scorer.predict(x, rows);
        this.options.onCall?.(rows, performance.now() - started);
        let row = 0;
        for (const item of batch) {
          item.resolve({ y, row });
          row += item.n;
        }
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        for (const item of batch) item.reject(error);
      } finally {
        this.running = false;
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
