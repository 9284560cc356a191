// The endpoint's request log: entries are kept in memory, column by column, and handed every
// flushMs to a writer thread (request-log-worker), which inserts them in one transaction and
// prunes past the retention limits; the request path only pushes to arrays. The writer
// acknowledges every batch, so entries handed over and not yet written count against the limit
// too: if writing falls behind, the oldest waiting entries are dropped and counted rather than
// letting memory (here or in the writer's message queue) grow. Feedback goes
// to the same thread, after the rows waiting, so a label for a just-answered prediction finds it.
import type { Worker } from 'node:worker_threads';
import type { FeedbackResult } from '../../../shared/api.js';
import type { LogRow, Retention } from '../db/request-log-db.js';
import { moduleWorker } from '../module-worker.js';
import type { FeedbackInput } from '../monitoring/feedback.js';
import { dropOldest, emptyColumns, type LogColumns } from './request-log-columns.js';
import type { FromLogWorker, ToLogWorker } from './request-log-worker.js';

export interface RequestLogOptions {
  file: string;
  retention?: Partial<Retention>;
  flushMs?: number;
  /** Entries held at most while waiting to be written. */
  maxBuffered?: number;
  onDropped?: (n: number) => void;
  onError?: (message: string) => void;
}

export class RequestLog {
  private buffer: LogColumns = emptyColumns();
  /** Entries handed to the writer and not yet acknowledged as written. */
  private handedOver = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly worker: Worker;
  private readonly closed: Promise<void>;
  private closing = false;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: FeedbackResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly options: RequestLogOptions) {
    const retention: Retention = { maxRows: 5_000_000, maxAgeDays: 30, ...options.retention };
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.worker = moduleWorker(import.meta.url, 'request-log-worker', 'request log writer', {
      file: options.file,
      retention,
    });
    this.closed = new Promise<void>((resolve) => {
      this.worker.on('message', (m: FromLogWorker) => {
        if (m.type === 'written') this.handedOver -= m.rows;
        else if (m.type === 'error') {
          options.onError?.(m.message);
          if (m.dropped) options.onDropped?.(m.dropped);
        } else if (m.type === 'feedback') {
          const waiting = this.pending.get(m.seq);
          this.pending.delete(m.seq);
          if ('result' in m) waiting?.resolve(m.result);
          else waiting?.reject(new Error(m.error));
        }
      });
      this.worker.on('error', (err) => options.onError?.(err.message));
      this.worker.on('exit', () => {
        for (const waiting of this.pending.values()) waiting.reject(new Error('the request log closed'));
        this.pending.clear();
        resolve();
      });
    });
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 50);
    this.timer.unref();
  }

  /** Entries not yet written: waiting here, or handed to the writer. */
  get buffered(): number {
    return this.buffer.at.length + this.handedOver;
  }

  add(row: LogRow): void {
    const b = this.buffer;
    b.at.push(row.at);
    b.model.push(row.model);
    b.version.push(row.version);
    b.status.push(row.status);
    b.latencyMs.push(row.latencyMs);
    b.predictionId.push(row.predictionId);
    b.inputJson.push(row.inputJson);
    b.outputJson.push(row.outputJson);
    b.answer.push(row.answer);
    b.error.push(row.error);
    if (b.at.length + this.handedOver > this.maxBuffered) {
      const drop = Math.min(b.at.length, b.at.length + this.handedOver - this.maxBuffered);
      dropOldest(b, drop);
      this.options.onDropped?.(drop);
    }
  }

  /** Hands what waits to the writer thread. */
  flush(): void {
    if (!this.buffer.at.length || this.closing) return;
    const rows = this.buffer;
    this.buffer = emptyColumns();
    this.handedOver += rows.at.length;
    this.worker.postMessage({ type: 'rows', rows } satisfies ToLogWorker);
  }

  /** Checks and stores labels for logged predictions of `model` (see monitoring/feedback.ts). */
  feedback(model: string, items: FeedbackInput[]): Promise<FeedbackResult> {
    if (this.closing) return Promise.reject(new Error('the request log is closing'));
    // Rows still waiting go first: a prediction answered a moment ago must be found.
    this.flush();
    const seq = ++this.seq;
    return new Promise<FeedbackResult>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ type: 'feedback', seq, model, items } satisfies ToLogWorker);
    });
  }

  /** Writes everything logged so far and closes the file. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (!this.closing) {
      this.flush();
      this.closing = true;
      this.worker.postMessage({ type: 'close' } satisfies ToLogWorker);
    }
    await this.closed;
  }
}
