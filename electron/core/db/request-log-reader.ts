// Monitoring's reads of the request log, over one read-only connection: traffic, latency bins and
// answers from the per-minute rollups, counts and a deterministic sample of answered inputs from
// the answered-requests index, and live quality from the feedback table. Everything is
// aggregated in SQLite; what comes back is per bucket, never per request.
import type Database from 'better-sqlite3';
import { sqliteHandle } from './open.js';

/** A window in whole minutes since the epoch, cut into buckets of `bucketMin` minutes from `originMin`. */
export interface MinuteWindow {
  model: string;
  /** One version; every version when null. */
  version: number | null;
  fromMin: number;
  toMin: number;
  originMin: number;
  bucketMin: number;
}

export interface TrafficRow {
  /** Bucket index from originMin. */
  b: number;
  requests: number;
  errors: number;
  predictions: number;
}

export interface BinRow {
  b: number;
  bin: number;
  count: number;
}

export interface OutputRow {
  b: number;
  /** A class name, or '' for a value bin. */
  cls: string;
  bin: number;
  count: number;
}

export interface FeedbackBucketRow {
  b: number;
  labelled: number;
  /** Classification: right answers. */
  correct: number | null;
  /** Regression: the sum of absolute errors. */
  absError: number | null;
}

/** Answered requests of a model's versions in [from, to) epoch ms. */
export interface AnsweredWindow {
  model: string;
  versions: readonly number[];
  from: number;
  to: number;
}

export interface ModelTraffic {
  model: string;
  requests: number;
  errors: number;
  lastAt: number;
}

/** Multiplier of the sampling hash: Knuth's multiplicative constant spreads consecutive ids evenly. */
const SAMPLE_HASH = 2654435761;

const versionFilter = '(@version IS NULL OR version = @version)';

/** A model's logged predictions that received a label, with the inputs a retrain would train on. */
const LABELLED_REQUESTS = `FROM feedback f
  JOIN requests r ON r.prediction_id = f.prediction_id AND r.prediction_id IS NOT NULL
  WHERE f.model = ? AND r.input_json IS NOT NULL`;

/** Read-only queries over logs/requests.db; the file must exist (RequestLogDb creates it). */
export class RequestLogReader {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = sqliteHandle(file, { readonly: true, busyTimeoutMs: 2000 });
  }

  private bucketed(w: MinuteWindow) {
    return {
      model: w.model,
      version: w.version,
      from: w.fromMin,
      to: w.toMin,
      origin: w.originMin,
      bucket: w.bucketMin,
    };
  }

  /** Requests, errors and predictions per bucket (buckets without traffic are absent). */
  traffic(w: MinuteWindow): TrafficRow[] {
    return this.db
      .prepare(
        `SELECT CAST((minute - @origin) / @bucket AS INTEGER) AS b, sum(requests) AS requests, sum(errors) AS errors, sum(predictions) AS predictions
         FROM traffic_minutes WHERE model = @model AND ${versionFilter} AND minute >= @from AND minute < @to
         GROUP BY b ORDER BY b`,
      )
      .all(this.bucketed(w)) as TrafficRow[];
  }

  /** Latency bin counts of answered requests per bucket. */
  latency(w: MinuteWindow): BinRow[] {
    return this.db
      .prepare(
        `SELECT CAST((minute - @origin) / @bucket AS INTEGER) AS b, bin, sum(count) AS count
         FROM latency_minutes WHERE model = @model AND ${versionFilter} AND minute >= @from AND minute < @to
         GROUP BY b, bin`,
      )
      .all(this.bucketed(w)) as BinRow[];
  }

  /** Answers per bucket: class counts, or value bin counts. */
  outputs(w: MinuteWindow): OutputRow[] {
    return this.db
      .prepare(
        `SELECT CAST((minute - @origin) / @bucket AS INTEGER) AS b, class AS cls, bin, sum(count) AS count
         FROM output_minutes WHERE model = @model AND ${versionFilter} AND minute >= @from AND minute < @to
         GROUP BY b, class, bin`,
      )
      .all(this.bucketed(w)) as OutputRow[];
  }

  /** Versions of a model that answered in the window, ascending. */
  versions(model: string, fromMin: number, toMin: number): number[] {
    return (
      this.db
        .prepare(
          `SELECT DISTINCT version FROM traffic_minutes WHERE model = ? AND minute >= ? AND minute < ? AND version > 0 AND predictions > 0
           ORDER BY version`,
        )
        .all(model, fromMin, toMin) as { version: number }[]
    ).map((r) => r.version);
  }

  /** The first minute at or after `fromMin` with any request to the model (or one version); null with none. */
  firstMinute(model: string, version: number | null, fromMin: number): number | null {
    const row = this.db
      .prepare(
        `SELECT min(minute) AS minute FROM traffic_minutes WHERE model = @model AND ${versionFilter} AND minute >= @from`,
      )
      .get({ model, version, from: fromMin }) as { minute: number | null };
    return row.minute;
  }

  /** Answered predictions in the window (from the answered-requests index alone). */
  answeredCount(w: AnsweredWindow): number {
    return (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM requests WHERE status = 200 AND model = ? AND version IN (SELECT value FROM json_each(?)) AND at >= ? AND at < ?`,
        )
        .get(w.model, JSON.stringify(w.versions), w.from, w.to) as { n: number }
    ).n;
  }

  /**
   * The inputs of about 1 in `every` answered predictions of the window, picked by a hash of the
   * row id: spread over the whole window, the same rows on every call, and only those rows read.
   */
  sampleInputs(w: AnsweredWindow, every: number, limit: number): string[] {
    return this.sample('input_json', w, every, limit);
  }

  /**
   * sampleInputs for a picture model: each logged picture's summary (its `image` member) with the
   * label the model answered as "predicted class", one flat JSON record per prediction.
   */
  samplePictureRecords(w: AnsweredWindow, every: number, limit: number): string[] {
    return this.sample(
      `json_set(json_extract(input_json, '$.image'), '$."predicted class"', json_extract(output_json, '$.label'))`,
      w,
      every,
      limit,
    );
  }

  /** `expr` of every `every`-th answered request of the window (by a hash of its id), at most `limit`. */
  private sample(expr: string, w: AnsweredWindow, every: number, limit: number): string[] {
    return (
      this.db
        .prepare(
          `SELECT ${expr} AS j FROM requests
           WHERE status = 200 AND model = ? AND version IN (SELECT value FROM json_each(?)) AND at >= ? AND at < ?
             AND ((id * ${SAMPLE_HASH}) % 4294967296) % ? = 0 AND input_json IS NOT NULL
           LIMIT ?`,
        )
        .all(w.model, JSON.stringify(w.versions), w.from, w.to, Math.max(1, Math.floor(every)), limit) as {
        j: string | null;
      }[]
    ).flatMap((r) => (r.j === null ? [] : [r.j]));
  }

  /** Labelled predictions per bucket of `bucketMs` from `origin` over [from, to) ms, by prediction time. */
  feedback(q: {
    model: string;
    version: number | null;
    from: number;
    to: number;
    origin: number;
    bucketMs: number;
  }): FeedbackBucketRow[] {
    return this.db
      .prepare(
        `SELECT CAST((at - @origin) / @bucket AS INTEGER) AS b, count(*) AS labelled, sum(correct) AS correct, sum(abs_error) AS absError
         FROM feedback WHERE model = @model AND ${versionFilter} AND at >= @from AND at < @to
         GROUP BY b ORDER BY b`,
      )
      .all({
        model: q.model,
        version: q.version,
        from: q.from,
        to: q.to,
        origin: q.origin,
        bucket: q.bucketMs,
      }) as FeedbackBucketRow[];
  }

  /** Every model's requests and errors since `fromMin`, and the time of its newest request ever. */
  models(fromMin: number): ModelTraffic[] {
    return this.db
      .prepare(
        `SELECT model, sum(CASE WHEN minute >= ? THEN requests ELSE 0 END) AS requests,
           sum(CASE WHEN minute >= ? THEN errors ELSE 0 END) AS errors, max(last_at) AS lastAt
         FROM traffic_minutes GROUP BY model COLLATE NOCASE ORDER BY model`,
      )
      .all(fromMin, fromMin) as ModelTraffic[];
  }

  /** How many of a model's logged predictions have a label and their inputs: what a retrain could add. */
  labelledCount(model: string): number {
    const row = this.db.prepare(`SELECT count(*) AS n ${LABELLED_REQUESTS}`).get(model) as { n: number };
    return row.n;
  }

  /** Inputs and true labels of a model's labelled predictions, oldest first (for retraining). */
  labelled(model: string): { inputJson: string; labelJson: string }[] {
    return this.db
      .prepare(`SELECT r.input_json AS inputJson, f.label_json AS labelJson ${LABELLED_REQUESTS} ORDER BY f.at`)
      .all(model) as { inputJson: string; labelJson: string }[];
  }

  close(): void {
    this.db.close();
  }
}
