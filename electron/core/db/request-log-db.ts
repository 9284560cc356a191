// The endpoints' request log: a SQLite file of its own (logs/requests.db), apart from app.db,
// written only by endpoint processes, in batches. One row per prediction (and one per refused
// request), indexed by time and by model so monitoring can aggregate a million rows quickly.
import { mkdirSync } from 'node:fs';
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
