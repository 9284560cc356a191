// Pages of rows for the virtualized table. The table asks for the window it shows; the cache
// fetches the pages covering it, at most a few at a time, and forgets pages it no longer needs
// so millions of rows never sit in memory. A fast scroll across many pages fetches only the
// pages still wanted when a fetch slot frees up, not every page the scrollbar passed over.
// A row is a table's cells by default; the image gallery keeps pictures the same way.
import type { Cell } from '../../../shared/api.js';
import { toApiError, type ApiError } from '../api/api-error.js';

/** One page as the engine answers it: its rows and how many the query has in all. */
export interface FetchedPage<Row> {
  rows: Row[];
  total: number;
}

export type PageFetcher<Row = Cell[]> = (offset: number, limit: number) => Promise<FetchedPage<Row>>;

export interface RowCacheOptions {
  pageSize: number;
  /** Pages kept beyond the wanted ones; the oldest are evicted first. */
  maxPages?: number;
  /** Fetches running at once. */
  concurrency?: number;
}

export class RowPageCache<Row = Cell[]> {
  readonly pageSize: number;
  total: number | undefined;
  error: ApiError | undefined;
  private readonly maxPages: number;
  private readonly concurrency: number;
  /** Insertion order doubles as recency: a page is re-inserted when it is wanted again. */
  private readonly pages = new Map<number, Row[]>();
  private readonly inflight = new Set<number>();
  private wanted: number[] = [];
  /** Pages on screen, never evicted. */
  private range: [number, number] = [0, 0];
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly fetchPage: PageFetcher<Row>,
    options: RowCacheOptions,
  ) {
    this.pageSize = Math.max(1, Math.floor(options.pageSize));
    this.maxPages = options.maxPages ?? 40;
    this.concurrency = options.concurrency ?? 2;
  }

  /** The row at a position, or undefined while its page is loading. */
  row(index: number): Row | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Whether a row position's page is loaded. */
  has(index: number): boolean {
    return this.pages.has(Math.floor(index / this.pageSize));
  }

  /** Declares the rows on screen (inclusive); loads their pages, nearest first. */
  want(first: number, last: number): void {
    if (this.disposed) return;
    const lo = Math.max(0, Math.floor(first / this.pageSize));
    let hi = Math.max(lo, Math.floor(Math.max(first, last) / this.pageSize));
    if (this.total !== undefined) hi = Math.min(hi, Math.max(0, Math.ceil(this.total / this.pageSize) - 1));
    this.range = [lo, hi];
    const wanted: number[] = [];
    for (let p = lo; p <= hi; p++) {
      const page = this.pages.get(p);
      if (page) {
        this.pages.delete(p);
        this.pages.set(p, page);
      } else wanted.push(p);
    }
    this.wanted = wanted;
    this.pump();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops all callbacks: replies for a query the user has since changed are dropped. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  private pump(): void {
    while (this.inflight.size < this.concurrency) {
      const next = this.wanted.find((p) => !this.inflight.has(p) && !this.pages.has(p));
      if (next === undefined) return;
      this.load(next);
    }
  }

  private load(page: number): void {
    this.inflight.add(page);
    this.fetchPage(page * this.pageSize, this.pageSize).then(
      (result) => {
        if (this.disposed) return;
        this.inflight.delete(page);
        this.total = result.total;
        this.error = undefined;
        this.pages.set(page, result.rows);
        this.evict();
        this.emit();
        this.pump();
      },
      (err: unknown) => {
        if (this.disposed) return;
        this.inflight.delete(page);
        this.error = toApiError(err);
        // A failed page is not retried in a loop: the next want() (scroll, retry) asks again.
        this.wanted = this.wanted.filter((p) => p !== page);
        this.emit();
        this.pump();
      },
    );
  }

  private evict(): void {
    const [lo, hi] = this.range;
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (p < lo || p > hi) this.pages.delete(p);
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
