// The endpoints' request log: a SQLite file of its own (logs/requests.db), apart from app.db,
// written only by endpoint processes, in batches. One row per prediction (and one per refused
// request), indexed by time and by model so monitoring can aggregate a million rows quickly.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS requests (
  id            INTEGER PRIMARY KEY,
  -- Epoch milliseconds when the request arrived.
  at            INTEGER NOT NULL,
  model         TEXT NOT NULL,
  -- NULL when the request named no servable version (404, 503 while loading).
  version       INTEGER,
  status        INTEGER NOT NULL,
  latency_ms    REAL NOT NULL,
  -- NULL for a refused request, which has no prediction.
  prediction_id TEXT,
  input_json    TEXT,
  output_json   TEXT,
  error         TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS requests_by_time ON requests (at);
CREATE INDEX IF NOT EXISTS requests_by_model ON requests (model, version, at);
CREATE INDEX IF NOT EXISTS requests_by_prediction ON requests (prediction_id) WHERE prediction_id IS NOT NULL;
`;

export interface LogRow {
  at: number;
  model: string;
  version: number | null;
  status: number;
  latencyMs: number;
  predictionId: string | null;
  inputJson: string | null;
  outputJson: string | null;
  error: string | null;
}

export interface Retention {
  maxRows: number;
  maxAgeDays: number;
}

/** The request log's file; several endpoint processes may write it at once (WAL, busy timeout). */
export class RequestLogDb {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertMany: (rows: readonly LogRow[]) => void;

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    const nativeBinding = process.env.CAIRN_SQLITE_BINDING;
    this.db = new Database(file, nativeBinding ? { nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    // A log: NORMAL in WAL mode cannot corrupt it; a power cut may lose the last batch.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${file} was written by a newer Cairn (schema ${version})`);
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.insert = this.db.prepare(
      `INSERT INTO requests (at, model, version, status, latency_ms, prediction_id, input_json, output_json, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = this.db.transaction((rows: readonly LogRow[]) => {
      for (const r of rows)
        this.insert.run(r.at, r.model, r.version, r.status, r.latencyMs, r.predictionId, r.inputJson, r.outputJson, r.error);
    });
  }

  /** Writes rows in one transaction. */
  append(rows: readonly LogRow[]): void {
    if (rows.length) this.insertMany(rows);
  }

  /** Deletes rows beyond the retention limits, at most `chunk` per call so a prune never blocks long; returns how many. */
  prune(retention: Retention, now = Date.now(), chunk = 50_000): number {
    const cutoff = now - retention.maxAgeDays * 86_400_000;
    let deleted = this.db
      .prepare(`DELETE FROM requests WHERE id IN (SELECT id FROM requests WHERE at < ? ORDER BY id LIMIT ?)`)
      .run(cutoff, chunk).changes;
    const max = (this.db.prepare('SELECT max(id) AS m FROM requests').get() as { m: number | null }).m;
    const count = (this.db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    if (max !== null && count > retention.maxRows) {
      deleted += this.db
        .prepare(`DELETE FROM requests WHERE id IN (SELECT id FROM requests ORDER BY id LIMIT ?)`)
        .run(Math.min(chunk, count - retention.maxRows)).changes;
    }
    return deleted;
  }

  close(): void {
    this.db.close();
  }
}

/** Read side for tests and, later, monitoring: rows of one model, newest last. */
export function readLog(file: string, where: { model?: string } = {}): (LogRow & { id: number })[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT id, at, model, version, status, latency_ms AS latencyMs, prediction_id AS predictionId,
           input_json AS inputJson, output_json AS outputJson, error
         FROM requests WHERE (? IS NULL OR model = ?) ORDER BY id`,
      )
      .all(where.model ?? null, where.model ?? null);
    return rows as (LogRow & { id: number })[];
  } finally {
    db.close();
  }
}

export interface StatsQuery {
  /** Model names whose traffic counts (compared case-insensitively, as the endpoint routes them). */
  models: readonly string[];
  /** Window, epoch ms: [from, to). */
  from: number;
  to: number;
  bucketMs: number;
  /** Where buckets start counting (a multiple of bucketMs before from); from when absent. */
  origin?: number;
}

export interface StatsRow {
  /** Bucket start, epoch ms. */
  t: number;
  requests: number;
  errors: number;
  predictions: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

// The log holds one row per predicted instance; rows of one HTTP request share its arrival time,
// model, version, status and measured latency, so grouping by those gives back the requests.
// Percentiles are nearest-rank over answered requests of a bucket: the smallest latency whose
// rank reaches p * n (rn * 100 >= p * n avoids ceil, which SQLite may be built without).
const STATS_SQL = `
WITH req AS (
  SELECT at, status, latency_ms AS ms, count(*) AS instances
  FROM requests
  WHERE at >= @from AND at < @to AND lower(model) IN (SELECT lower(value) FROM json_each(@models))
  GROUP BY at, model, version, status, latency_ms
),
ranked AS (
  SELECT CAST((at - @origin) / @bucket AS INTEGER) AS b, status, ms, instances, status < 400 AS ok,
    row_number() OVER (PARTITION BY CAST((at - @origin) / @bucket AS INTEGER), status < 400 ORDER BY ms) AS rn,
    count(*) OVER (PARTITION BY CAST((at - @origin) / @bucket AS INTEGER), status < 400) AS n
  FROM req
)
SELECT b,
  count(*) AS requests,
  sum(NOT ok) AS errors,
  sum(CASE WHEN status = 200 THEN instances ELSE 0 END) AS predictions,
  min(CASE WHEN ok AND rn * 100 >= 50 * n THEN ms END) AS p50,
  min(CASE WHEN ok AND rn * 100 >= 95 * n THEN ms END) AS p95,
  min(CASE WHEN ok AND rn * 100 >= 99 * n THEN ms END) AS p99
FROM ranked
GROUP BY b
ORDER BY b`;

/**
 * Requests, errors, predictions and latency percentiles per bucket of [from, to), aggregated in
 * SQLite over a read-only connection; with bucketMs >= to - from, one row for the whole window.
 * Only buckets with traffic come back; none when the log does not exist yet.
 */
export function requestStats(file: string, q: StatsQuery): StatsRow[] {
  if (!existsSync(file) || q.models.length === 0) return [];
  const nativeBinding = process.env.CAIRN_SQLITE_BINDING;
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const bucket = Math.max(1, Math.floor(q.bucketMs));
    const origin = Math.floor(q.origin ?? q.from);
    db.pragma('busy_timeout = 1000');
    // A file made by a writer that has not created the table yet holds no traffic.
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'requests'`).get()) return [];
    const rows = db
      .prepare(STATS_SQL)
      .all({ from: Math.floor(q.from), to: Math.ceil(q.to), origin, bucket, models: JSON.stringify(q.models) }) as (Omit<StatsRow, 't'> & { b: number })[];
    return rows.map(({ b, ...r }) => ({ t: origin + b * bucket, ...r }));
  } finally {
    db.close();
  }
}
