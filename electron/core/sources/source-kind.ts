// The seam between a source's kind (how to reach a database, a URL or a bucket) and everything else
// about sources (saved connections, secrets, refresh, schedules, dataset versions). Every kind does
// the same three things; the rest of Cairn never learns which kind it talks to. A kind fetches its
// whole result into one local file, which the ordinary file import turns into a dataset version
// (Parquet, content hash, profile): so a source's version is made exactly as a dropped file's is.
//
// Kinds report failures as CairnError: 'unauthorized' (wrong password or key), 'not_found' (no such
// table, object or file), 'invalid_argument' (a query or URL that cannot run), 'import_failed' with
// `details.reason` ('unreachable', 'timeout', 'empty', 'too_large', 'redirect', 'format', 'query'),
// and 'cancelled' when `signal` aborts. Messages never contain the secret.

import type { SourceKindName, SourcePreview } from '../../../shared/api/sources.js';

// The kinds a source can be: one list, in the contract (the engine may import shared/, not the reverse).
export { SOURCE_KINDS, type SourceKindName } from '../../../shared/api/sources.js';

/** What to read, with its secret already resolved for this one use (never stored with the source). */
export interface SourceTarget {
  kind: SourceKindName;
  /**
   * Where: a connection URL without its password (`postgres://user@host:5432/db`,
   * `mysql://user@host:3306/db`), a SQLite file's path, an `http(s)://` URL, or
   * `s3://bucket/key-or-prefix?endpoint=...&region=...`.
   */
  url: string;
  /** The password or secret key for this fetch, if the source has one. */
  secret?: string;
  /** The SQL to run, for database kinds. */
  query?: string;
  /** url and s3: what the source allows (database kinds ignore it). */
  limits?: DownloadLimits;
}

/** url and s3: the largest download, said before it starts, and whether a redirect may change host. */
export interface DownloadLimits {
  maxBytes: number;
  allowRedirects: boolean;
}

/** Limits every kind honours: cancel, a deadline to connect or get a first byte, and progress. */
export interface ReachOptions {
  signal: AbortSignal;
  /** Connect / first-byte deadline in ms: an unreachable host answers within it, never hangs. */
  timeoutMs: number;
}

export interface FetchOptions extends ReachOptions {
  /** A folder the caller owns and removes; the fetched file goes inside it. */
  tempDir: string;
  /** Called as rows or bytes arrive (throttle-free: the caller throttles). */
  onProgress?: (progress: FetchProgress) => void;
  /** For url and s3: the previous fetch's validators, so an unchanged object is not downloaded. */
  previous?: { etag?: string; lastModified?: string };
}

export interface FetchProgress {
  rows?: number;
  bytes?: number;
  /** When known before the end (Content-Length, object size): drives a determinate progress bar. */
  totalBytes?: number;
}

/** A source's whole result in one local file, ready for the ordinary import. */
export interface FetchedFile {
  path: string;
  format: 'parquet' | 'csv' | 'json';
  /** Rows read, when the kind counts them. */
  rows?: number;
  /** What the user should know, e.g. "column geom (geometry) was converted to text". */
  notes: string[];
  /** url and s3: validators for the next conditional fetch. */
  etag?: string;
  lastModified?: string;
}

/** url and s3 with `previous` validators: the object did not change, nothing was downloaded. */
export interface NotModified {
  notModified: true;
  etag?: string;
  lastModified?: string;
}

/** The first rows, for the "Add source" preview: column names with the source's own type names (the contract's shape). */
export type { SourcePreview } from '../../../shared/api/sources.js';

export interface SourceKind {
  /** Connects and checks access (and that the query parses, for databases) without reading the result. */
  test(target: SourceTarget, options: ReachOptions): Promise<void>;
  /** At most `limit` rows of the result. */
  preview(target: SourceTarget, limit: number, options: ReachOptions): Promise<SourcePreview>;
  /** The whole result, streamed into one file under `options.tempDir` with bounded memory. */
  fetch(target: SourceTarget, options: FetchOptions): Promise<FetchedFile | NotModified>;
}
