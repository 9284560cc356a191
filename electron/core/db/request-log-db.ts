// The endpoints' request log: a SQLite file of its own (logs/requests.db), apart from app.db,
// written by endpoint processes in batches (and by the host for feedback from the app). One row
// per prediction (and one per refused request), indexed by time and by model. Beside the rows, the
// writer keeps per-minute rollups (traffic, a log-spaced latency histogram, what the model
// answered) in the same transaction, so monitoring reads a week of a million requests from a few
// thousand rollup rows instead of the rows themselves; and a feedback table holds ground truth.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { sqliteHandle } from './open.js';
import { latencyBin, valueBin } from '../monitoring/log-bins.js';

/**
 * 1: requests only. 2: rollups, feedback, the answered-requests index. 3: without the
 * (model, version, at) index, which no query used once the answered-requests index existed and
 * which cost every insert (about 3 µs of the writer's time per row).
 */
const SCHEMA_VERSION = 3;

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
CREATE INDEX IF NOT EXISTS requests_by_prediction ON requests (prediction_id) WHERE prediction_id IS NOT NULL;
-- Answered predictions only: drift samples and counts read this index without touching refused rows.
CREATE INDEX IF NOT EXISTS requests_answered ON requests (model, version, at) WHERE status = 200;

-- Per model, version (0: none) and minute since the epoch. Requests are HTTP requests; predictions are instances.
CREATE TABLE IF NOT EXISTS traffic_minutes (
  model       TEXT NOT NULL COLLATE NOCASE,
  version     INTEGER NOT NULL,
  minute      INTEGER NOT NULL,
  requests    INTEGER NOT NULL,
  errors      INTEGER NOT NULL,
  predictions INTEGER NOT NULL,
  -- Epoch ms of the newest request counted.
  last_at     INTEGER NOT NULL,
  PRIMARY KEY (model, version, minute)
) STRICT, WITHOUT ROWID;

-- Latency of answered (status < 400) requests, one row per non-empty log-spaced bin (see log-bins.ts).
CREATE TABLE IF NOT EXISTS latency_minutes (
  model   TEXT NOT NULL COLLATE NOCASE,
  version INTEGER NOT NULL,
  minute  INTEGER NOT NULL,
  bin     INTEGER NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (model, version, minute, bin)
) STRICT, WITHOUT ROWID;

-- What the model answered: a class (bin 0), or a signed log-spaced value bin (class '').
CREATE TABLE IF NOT EXISTS output_minutes (
  model   TEXT NOT NULL COLLATE NOCASE,
  version INTEGER NOT NULL,
  minute  INTEGER NOT NULL,
  class   TEXT NOT NULL,
  bin     INTEGER NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (model, version, minute, class, bin)
) STRICT, WITHOUT ROWID;

-- Ground truth for a logged prediction; a later label for the same prediction replaces it.
CREATE TABLE IF NOT EXISTS feedback (
  prediction_id TEXT PRIMARY KEY,
  model         TEXT NOT NULL COLLATE NOCASE,
  version       INTEGER NOT NULL,
  -- The prediction's time (epoch ms), so live quality is charted when the model answered.
  at            INTEGER NOT NULL,
  -- The true label as JSON: a class name or a number.
  label_json    TEXT NOT NULL,
  -- Classification: whether the prediction was right. Regression: |predicted - true|.
  correct       INTEGER CHECK (correct IN (0, 1)),
  abs_error     REAL,
  received_at   INTEGER NOT NULL,
  CHECK ((correct IS NULL) <> (abs_error IS NULL))
) STRICT;
CREATE INDEX IF NOT EXISTS feedback_by_model ON feedback (model, version, at);
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
  /**
   * What the model answered, for the rollups: the class, or the value for a regressor; null for a
   * refused request. The same answer is in outputJson; passing it spares the writer parsing it.
   */
  answer: string | number | null;
  error: string | null;
}

/** A row as stored (the answer lives in outputJson), with its id. */
export type StoredRow = Omit<LogRow, 'answer'> & { id: number };

export interface Retention {
  maxRows: number;
  maxAgeDays: number;
}

/** A logged prediction as feedback needs it. */
export interface LoggedPrediction {
  predictionId: string;
  model: string;
  version: number;
  at: number;
  outputJson: string;
}

/** One stored label, with how the prediction fared against it. */
export interface FeedbackRow {
  predictionId: string;
  model: string;
  version: number;
  at: number;
  labelJson: string;
  correct: 0 | 1 | null;
  absError: number | null;
  receivedAt: number;
}

const MINUTE_MS = 60_000;

/** Rollup increments of one batch, keyed by their primary keys. */
class Rollup {
  readonly traffic = new Map<
    string,
    {
      model: string;
      version: number;
      minute: number;
      requests: number;
      errors: number;
      predictions: number;
      lastAt: number;
    }
  >();
  readonly latency = new Map<string, { model: string; version: number; minute: number; bin: number; count: number }>();
  readonly outputs = new Map<
    string,
    { model: string; version: number; minute: number; cls: string; bin: number; count: number }
  >();

  /**
   * Adds rows in log order. The rows of one HTTP request are logged together and share its
   * arrival time, model, version, status and latency: a run of such rows counts as one request.
   */
  add(rows: readonly LogRow[]): void {
    let prev = this.last;
    for (const r of rows) {
      const version = r.version ?? 0;
      const minute = Math.floor(r.at / MINUTE_MS);
      const model = r.model;
      const k = `${model.toLowerCase()}\u0000${version}\u0000${minute}`;
      let t = this.traffic.get(k);
      if (!t)
        this.traffic.set(k, (t = { model, version, minute, requests: 0, errors: 0, predictions: 0, lastAt: r.at }));
      const sameRequest =
        prev !== undefined &&
        prev.at === r.at &&
        prev.model === r.model &&
        prev.version === r.version &&
        prev.status === r.status &&
        prev.latencyMs === r.latencyMs;
      prev = r;
      if (r.at > t.lastAt) t.lastAt = r.at;
      if (r.status === 200) {
        t.predictions++;
        this.output(k, model, version, minute, r.answer);
      }
      if (sameRequest) continue;
      t.requests++;
      if (r.status >= 400) t.errors++;
      else {
        const bin = latencyBin(r.latencyMs);
        const lk = `${k}\u0000${bin}`;
        const l = this.latency.get(lk);
        if (l) l.count++;
        else this.latency.set(lk, { model, version, minute, bin, count: 1 });
      }
    }
    this.last = prev;
  }

  /** The last row added: a request's rows may straddle two calls. */
  private last: LogRow | undefined;

  private output(k: string, model: string, version: number, minute: number, answer: string | number | null): void {
    let cls: string;
    let bin: number;
    if (typeof answer === 'string') [cls, bin] = [answer, 0];
    else if (typeof answer === 'number') [cls, bin] = ['', valueBin(answer)];
    else return;
    const ok = `${k}\u0000${cls}\u0000${bin}`;
    const e = this.outputs.get(ok);
    if (e) e.count++;
    else this.outputs.set(ok, { model, version, minute, cls, bin, count: 1 });
  }
}

/** The answer in a logged output (`{"label",...}` or `{"value"}`): for rows logged before rows carried it. */
function answerOf(outputJson: string | null): string | number | null {
  if (!outputJson) return null;
  try {
    const o = JSON.parse(outputJson) as { label?: unknown; value?: unknown };
    return typeof o.label === 'string' ? o.label : typeof o.value === 'number' ? o.value : null;
  } catch {
    return null;
  }
}

/** The request log's file; several endpoint processes (and the host) may write it at once (WAL, busy timeout). */
export class RequestLogDb {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertMany: (rows: readonly LogRow[]) => void;

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = sqliteHandle(file);
    this.db.pragma('journal_mode = WAL');
    // A log: NORMAL in WAL mode cannot corrupt it; a power cut may lose the last batch.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Checkpoint every ~40 MiB of WAL instead of SQLite's 4 MiB: the pages every batch touches
    // (the rightmost leaves of the table and its indexes, the rollups) are copied back once per
    // checkpoint, so rarer checkpoints cut the writer's CPU per row by about a third (measured on
    // 240,000 rows). The WAL is cut back to 64 MiB after a checkpoint if it grew past that.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('journal_size_limit = 67108864');
    this.upgrade(file);
    this.insert = this.db.prepare(
      `INSERT INTO requests (at, model, version, status, latency_ms, prediction_id, input_json, output_json, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const traffic = this.db.prepare(
      `INSERT INTO traffic_minutes (model, version, minute, requests, errors, predictions, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, version, minute) DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors,
         predictions = predictions + excluded.predictions, last_at = max(last_at, excluded.last_at)`,
    );
    const latency = this.db.prepare(
      `INSERT INTO latency_minutes (model, version, minute, bin, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (model, version, minute, bin) DO UPDATE SET count = count + excluded.count`,
    );
    const outputs = this.db.prepare(
      `INSERT INTO output_minutes (model, version, minute, class, bin, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, version, minute, class, bin) DO UPDATE SET count = count + excluded.count`,
    );
    const rollUp = (rows: readonly LogRow[]) => {
      const r = new Rollup();
      r.add(rows);
      for (const t of r.traffic.values())
        traffic.run(t.model, t.version, t.minute, t.requests, t.errors, t.predictions, t.lastAt);
      for (const l of r.latency.values()) latency.run(l.model, l.version, l.minute, l.bin, l.count);
      for (const o of r.outputs.values()) outputs.run(o.model, o.version, o.minute, o.cls, o.bin, o.count);
    };
    this.insertMany = this.db.transaction((rows: readonly LogRow[]) => {
      for (const r of rows)
        this.insert.run(
          r.at,
          r.model,
          r.version,
          r.status,
          r.latencyMs,
          r.predictionId,
          r.inputJson,
          r.outputJson,
          r.error,
        );
      rollUp(rows);
    });
  }

  /**
   * Brings the file to SCHEMA_VERSION under a write lock (two processes may open it at once):
   * creates what is missing and, coming from schema 1, fills the rollups from the rows already logged.
   */
  private upgrade(file: string): void {
    const read = () => this.db.pragma('user_version', { simple: true }) as number;
    if (read() > SCHEMA_VERSION) throw new Error(`${file} was written by a newer Cairn (schema ${read()})`);
    if (read() === SCHEMA_VERSION) return;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const from = read();
      if (from < SCHEMA_VERSION) {
        this.db.exec(SCHEMA);
        if (from === 1) this.backfillRollups();
        this.db.exec('DROP INDEX IF EXISTS requests_by_model');
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Rolls up rows logged before rollups existed, in id order, through the writer's own rollup code. */
  private backfillRollups(): void {
    const select = this.db.prepare(
      `SELECT id, at, model, version, status, latency_ms AS latencyMs, prediction_id AS predictionId, NULL AS inputJson,
         output_json AS outputJson, error FROM requests WHERE id > ? ORDER BY id LIMIT 50000`,
    );
    const r = new Rollup();
    for (let after = 0; ;) {
      const rows = select.all(after) as StoredRow[];
      if (!rows.length) break;
      r.add(rows.map((row) => ({ ...row, answer: answerOf(row.outputJson) })));
      after = rows[rows.length - 1]!.id;
    }
    const traffic = this.db.prepare(
      'INSERT INTO traffic_minutes (model, version, minute, requests, errors, predictions, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const latency = this.db.prepare(
      'INSERT INTO latency_minutes (model, version, minute, bin, count) VALUES (?, ?, ?, ?, ?)',
    );
    const outputs = this.db.prepare(
      'INSERT INTO output_minutes (model, version, minute, class, bin, count) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const t of r.traffic.values())
      traffic.run(t.model, t.version, t.minute, t.requests, t.errors, t.predictions, t.lastAt);
    for (const l of r.latency.values()) latency.run(l.model, l.version, l.minute, l.bin, l.count);
    for (const o of r.outputs.values()) outputs.run(o.model, o.version, o.minute, o.cls, o.bin, o.count);
  }

  /** Writes rows, and their rollups, in one transaction. */
  append(rows: readonly LogRow[]): void {
    if (rows.length) this.insertMany(rows);
  }

  /** Logged answered predictions among `ids` (any model; the caller checks whose they are). */
  predictions(ids: readonly string[]): Map<string, LoggedPrediction> {
    const found = new Map<string, LoggedPrediction>();
    const select = this.db.prepare(
      `SELECT prediction_id AS predictionId, model, version, at, output_json AS outputJson FROM requests
       WHERE prediction_id IS NOT NULL AND prediction_id IN (SELECT value FROM json_each(?)) AND status = 200`,
    );
    // json_each over a bound array: one statement for any number of ids, values never spliced.
    for (let i = 0; i < ids.length; i += 10_000) {
      for (const row of select.all(JSON.stringify(ids.slice(i, i + 10_000))) as LoggedPrediction[])
        found.set(row.predictionId, row);
    }
    return found;
  }

  /** Stores labels in one transaction, replacing earlier labels of the same predictions. */
  saveFeedback(rows: readonly FeedbackRow[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO feedback (prediction_id, model, version, at, label_json, correct, abs_error, received_at)
       VALUES (@predictionId, @model, @version, @at, @labelJson, @correct, @absError, @receivedAt)
       ON CONFLICT (prediction_id) DO UPDATE SET label_json = excluded.label_json, correct = excluded.correct,
         abs_error = excluded.abs_error, received_at = excluded.received_at`,
    );
    this.db.transaction(() => {
      for (const r of rows) upsert.run(r);
    })();
  }

  /**
   * Deletes rows beyond the retention limits, at most `chunk` per call so a prune never blocks long;
   * returns how many requests went. Rollups and feedback older than the age limit go too; rollups
   * outlive rows dropped for the row cap, so traffic charts keep their history.
   */
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
    const cutoffMinute = Math.floor(cutoff / MINUTE_MS);
    for (const table of ['traffic_minutes', 'latency_minutes', 'output_minutes'] as const)
      this.db.prepare(`DELETE FROM ${table} WHERE minute < ?`).run(cutoffMinute);
    this.db.prepare('DELETE FROM feedback WHERE at < ?').run(cutoff);
    return deleted;
  }

  close(): void {
    this.db.close();
  }
}

/** Read side for tests and, later, monitoring: rows of one model, newest last. */
export function readLog(file: string, where: { model?: string } = {}): StoredRow[] {
  const db = sqliteHandle(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT id, at, model, version, status, latency_ms AS latencyMs, prediction_id AS predictionId,
           input_json AS inputJson, output_json AS outputJson, error
         FROM requests WHERE (? IS NULL OR model = ?) ORDER BY id`,
      )
      .all(where.model ?? null, where.model ?? null);
    return rows as StoredRow[];
  } finally {
    db.close();
  }
}

// Exact traffic statistics straight from the rows: too slow to poll (a scan of every row in the
// window), so no screen reads them. They are the reference the per-minute rollups are checked
// against in tests, and the peer of `npm run bench -- monitor` and `live-traffic`.

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
  const db = sqliteHandle(file, { readonly: true, busyTimeoutMs: 1000 });
  try {
    const bucket = Math.max(1, Math.floor(q.bucketMs));
    const origin = Math.floor(q.origin ?? q.from);
    // A file made by a writer that has not created the table yet holds no traffic.
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'requests'`).get()) return [];
    const rows = db.prepare(STATS_SQL).all({
      from: Math.floor(q.from),
      to: Math.ceil(q.to),
      origin,
      bucket,
      models: JSON.stringify(q.models),
    }) as (Omit<StatsRow, 't'> & { b: number })[];
    return rows.map(({ b, ...r }) => ({ t: origin + b * bucket, ...r }));
  } finally {
    db.close();
  }
}
