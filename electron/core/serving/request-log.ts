// The endpoint's request log writer: entries are kept in memory and written in one transaction
// every flushMs (or sooner when many wait), off the request path. If writing falls behind, the
// oldest waiting entries are dropped and counted rather than letting memory grow.
import { RequestLogDb, type LogRow, type Retention } from '../db/request-log-db.js';

export interface RequestLogOptions {
  file: string;
  retention?: Partial<Retention>;
  flushMs?: number;
  /** Entries held at most while waiting to be written. */
  maxBuffered?: number;
  onDropped?: (n: number) => void;
  onError?: (err: unknown) => void;
}

const PRUNE_EVERY_MS = 30_000;

export class RequestLog {
  private readonly db: RequestLogDb;
  private buffer: LogRow[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly retention: Retention;
  private readonly maxBuffered: number;
  private lastPrune = 0;

  constructor(private readonly options: RequestLogOptions) {
    this.db = new RequestLogDb(options.file);
    this.retention = { maxRows: 5_000_000, maxAgeDays: 30, ...options.retention };
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 200);
    this.timer.unref();
  }

  get buffered(): number {
    return this.buffer.length;
  }

  add(row: LogRow): void {
    this.buffer.push(row);
    if (this.buffer.length > this.maxBuffered) {
      const drop = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, drop);
      this.options.onDropped?.(drop);
    }
  }

  /** Writes what waits; prunes past the retention limits now and then. */
  flush(): void {
    const rows = this.buffer;
    if (rows.length) {
      this.buffer = [];
      try {
        this.db.append(rows);
      } catch (err) {
        this.options.onError?.(err);
        this.options.onDropped?.(rows.length);
      }
    }
    const now = Date.now();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      try {
        this.db.prune(this.retention, now);
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.db.close();
  }
}
