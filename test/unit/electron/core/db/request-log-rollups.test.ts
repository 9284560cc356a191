// The request log's schema 2 and 3: per-minute rollups written with the rows (requests grouped back
// from their rows, latency bins within 2.2 % of the exact percentiles, classes and value bins),
// the upgrade of a schema-1 file (rollups filled from the rows already there), feedback stored
// and replaced, retention applied to rollups and feedback, and schema 3's dropped index.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestLogDb, requestStats, type LogRow } from '../../../../../electron/core/db/request-log-db.js';
import { RequestLogReader, type MinuteWindow } from '../../../../../electron/core/db/request-log-reader.js';
import { binPercentiles, valueBinEdges } from '../../../../../electron/core/monitoring/log-bins.js';
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';
import { tempDir } from '../helpers.js';

const MIN = 60_000;
const T0 = 28_000_000 * MIN; // a whole minute
let dir: string;
let cleanup: () => Promise<void>;
let file: string;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('cairn-rollups-'));
  file = path.join(dir, 'logs', 'requests.db');
  await mkdir(path.dirname(file), { recursive: true });
});
afterEach(async () => cleanup());

/** A request of `n` instances: n rows sharing its time, status and latency. */
function request(
  at: number,
  latencyMs: number,
  opts: { n?: number; status?: number; model?: string; version?: number | null; out?: unknown } = {},
): LogRow[] {
  const status = opts.status ?? 200;
  const out = (opts.out ?? { label: 'a', probabilities: { a: 0.9, b: 0.1 } }) as { label?: string; value?: number };
  return Array.from({ length: opts.n ?? 1 }, (_, i) => ({
    at,
    model: opts.model ?? 'iris',
    version: opts.version === undefined ? 1 : opts.version,
    status,
    latencyMs,
    predictionId: status === 200 ? `p${at}-${latencyMs}-${i}-${Math.random()}` : null,
    inputJson: status === 200 ? '{"x":1}' : null,
    outputJson: status === 200 ? JSON.stringify(out) : null,
    answer: status === 200 ? (out.label ?? out.value ?? null) : null,
    error: status === 200 ? null : 'refused',
  }));
}

const window = (over: Partial<MinuteWindow> = {}): MinuteWindow => ({
  model: 'iris',
  version: null,
  fromMin: T0 / MIN,
  toMin: T0 / MIN + 60,
  originMin: T0 / MIN,
  bucketMin: 60,
  ...over,
});

const V1_SCHEMA = `
CREATE TABLE requests (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, model TEXT NOT NULL, version INTEGER, status INTEGER NOT NULL,
  latency_ms REAL NOT NULL, prediction_id TEXT, input_json TEXT, output_json TEXT, error TEXT) STRICT;
CREATE INDEX requests_by_time ON requests (at);
CREATE INDEX requests_by_model ON requests (model, version, at);
CREATE INDEX requests_by_prediction ON requests (prediction_id) WHERE prediction_id IS NOT NULL;
PRAGMA user_version = 1;`;

function traffic(): LogRow[] {
  const random = seededRandom(3);
  const rows: LogRow[] = [];
  // 2,000 one-instance requests over 30 minutes, log-normal latencies from 0.2 to ~200 ms.
  for (let i = 0; i < 2_000; i++) {
    const ms = Math.exp(Math.log(0.2) + random() * Math.log(1000));
    rows.push(
      ...request(T0 + Math.floor((i / 2_000) * 30 * MIN), ms, {
        out: { label: random() < 0.3 ? 'b' : 'a', probabilities: { a: 0.5, b: 0.5 } },
      }),
    );
  }
  rows.push(...request(T0 + 31 * MIN, 5, { n: 4 }));
  rows.push(...request(T0 + 31 * MIN + 1, 0.3, { status: 400, version: 1 }));
  rows.push(...request(T0 + 32 * MIN, 0.1, { status: 404, model: 'IRIS', version: null }));
  rows.push(...request(T0 + 33 * MIN, 2, { model: 'wine' }));
  return rows;
}

describe('rollups', () => {
  it('count requests, errors and predictions as the rows do, per model case-insensitively', () => {
    const db = new RequestLogDb(file);
    db.append(traffic());
    db.close();
    const reader = new RequestLogReader(file);
    try {
      expect(reader.traffic(window())).toEqual([{ b: 0, requests: 2_003, errors: 2, predictions: 2_004 }]);
      const exact = requestStats(file, { models: ['iris'], from: T0, to: T0 + 60 * MIN, bucketMs: 60 * MIN })[0]!;
      expect(exact).toMatchObject({ requests: 2_003, errors: 2, predictions: 2_004 });
      // Per 10 minutes: 667, 667, 666 one-instance requests, then the 4-instance one and the two refusals.
      expect(reader.traffic(window({ bucketMin: 10 })).map((r) => r.requests)).toEqual([667, 667, 666, 3]);
      expect(reader.traffic(window({ version: 1 }))[0]?.requests).toBe(2_002);
      expect(reader.traffic(window({ model: 'wine' }))[0]).toMatchObject({ requests: 1, predictions: 1 });
      expect(reader.versions('Iris', T0 / MIN, T0 / MIN + 60)).toEqual([1]);
      expect(reader.models(T0 / MIN).map((m) => [m.model.toLowerCase(), m.requests, m.errors])).toEqual([
        ['iris', 2_003, 2],
        ['wine', 1, 0],
      ]);
    } finally {
      reader.close();
    }
  });

  it('give latency percentiles within 2.2 % of the exact nearest-rank ones', () => {
    const db = new RequestLogDb(file);
    db.append(traffic());
    db.close();
    const reader = new RequestLogReader(file);
    try {
      const bins = reader.latency(window()).map((r) => [r.bin, r.count] as const);
      expect(bins.reduce((s, [, c]) => s + c, 0)).toBe(2_001);
      const [p50, p95, p99] = binPercentiles(bins, [50, 95, 99]);
      const exact = requestStats(file, { models: ['iris'], from: T0, to: T0 + 60 * MIN, bucketMs: 60 * MIN })[0]!;
      for (const [got, want] of [
        [p50, exact.p50],
        [p95, exact.p95],
        [p99, exact.p99],
      ] as const) {
        expect(Math.abs((got as number) / (want as number) - 1)).toBeLessThan(0.022);
      }
    } finally {
      reader.close();
    }
  });

  it('count the classes and value bins the model answered', () => {
    const db = new RequestLogDb(file);
    db.append(traffic());
    db.append([
      ...request(T0, 1, { model: 'prices', out: { value: 12.5 } }),
      ...request(T0, 1, { model: 'prices', out: { value: -3 } }),
    ]);
    db.close();
    const reader = new RequestLogReader(file);
    try {
      const classes = reader.outputs(window());
      const count = (cls: string) => classes.filter((r) => r.cls === cls).reduce((s, r) => s + r.count, 0);
      expect(count('a') + count('b')).toBe(2_004);
      expect(count('b')).toBeGreaterThan(500);
      expect(count('b')).toBeLessThan(700);
      const values = reader.outputs(window({ model: 'prices' }));
      expect(values).toHaveLength(2);
      for (const [v, r] of [
        [12.5, values.find((x) => x.bin > 0)],
        [-3, values.find((x) => x.bin < 0)],
      ] as const) {
        const [lo, hi] = valueBinEdges(r!.bin);
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThan(hi);
      }
    } finally {
      reader.close();
    }
  });

  it('are filled from the rows when a schema-1 log is upgraded, the same as if written by schema 2', () => {
    const rows = traffic();
    const old = new Database(file.replace('requests.db', 'old.db'));
    // A schema-1 file made the way schema 1 made it, then opened by this version.
    old.exec(V1_SCHEMA);
    const insert = old.prepare(
      'INSERT INTO requests (at, model, version, status, latency_ms, prediction_id, input_json, output_json, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of rows)
      insert.run(r.at, r.model, r.version, r.status, r.latencyMs, r.predictionId, r.inputJson, r.outputJson, r.error);
    old.close();
    const oldFile = file.replace('requests.db', 'old.db');
    new RequestLogDb(oldFile).close();
    const fresh = new RequestLogDb(file);
    fresh.append(rows);
    fresh.close();
    const upgraded = new Database(oldFile, { readonly: true });
    const written = new Database(file, { readonly: true });
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(3);
      for (const table of ['traffic_minutes', 'latency_minutes', 'output_minutes']) {
        const all = (db: Database.Database) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5`).all();
        expect(all(upgraded)).toEqual(all(written));
      }
      expect((upgraded.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n).toBe(rows.length);
    } finally {
      upgraded.close();
      written.close();
    }
    // Opening again changes nothing.
    new RequestLogDb(oldFile).close();
  });

  it('lose the (model, version, at) index no query uses when a schema-2 log is upgraded, keeping the others', () => {
    const indexes = (f: string) => {
      const db = new Database(f, { readonly: true });
      try {
        return (
          db
            .prepare(
              `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests' AND sql IS NOT NULL ORDER BY name`,
            )
            .all() as { name: string }[]
        ).map((r) => r.name);
      } finally {
        db.close();
      }
    };
    const log = new RequestLogDb(file);
    log.append(traffic());
    log.close();
    const db = new Database(file);
    db.exec('CREATE INDEX requests_by_model ON requests (model, version, at); PRAGMA user_version = 2');
    db.close();
    expect(indexes(file)).toContain('requests_by_model');
    new RequestLogDb(file).close();
    expect(indexes(file)).toEqual(['requests_answered', 'requests_by_prediction', 'requests_by_time']);
  });

  it('refuse a log written by a newer schema', () => {
    const db = new Database(file.replace('requests.db', 'new.db'));
    db.pragma('user_version = 4');
    db.close();
    expect(() => new RequestLogDb(file.replace('requests.db', 'new.db'))).toThrow(/newer Cairn/);
  });
});

describe('feedback and retention', () => {
  it('stores a label per prediction, replaces it, and prunes it with old rows and rollups', () => {
    const db = new RequestLogDb(file);
    const old = request(T0 - 10 * 86_400_000, 1);
    const recent = request(T0, 1);
    db.append([...old, ...recent]);
    const found = db.predictions([old[0]!.predictionId!, recent[0]!.predictionId!, 'nope']);
    expect([...found.keys()].sort()).toEqual([old[0]!.predictionId, recent[0]!.predictionId].sort());
    const label = (p: LogRow, correct: 0 | 1) => ({
      predictionId: p.predictionId!,
      model: 'iris',
      version: 1,
      at: p.at,
      labelJson: '"a"',
      correct,
      absError: null,
      receivedAt: T0,
    });
    db.saveFeedback([label(old[0]!, 1), label(recent[0]!, 1)]);
    db.saveFeedback([label(recent[0]!, 0)]);
    const reader = new RequestLogReader(file);
    expect(
      reader.feedback({ model: 'IRIS', version: null, from: T0, to: T0 + MIN, origin: T0, bucketMs: MIN }),
    ).toEqual([{ b: 0, labelled: 1, correct: 0, absError: null }]);
    expect(reader.labelled('iris')).toHaveLength(2);
    db.prune({ maxRows: 1_000, maxAgeDays: 5 }, T0);
    expect(reader.labelled('iris')).toHaveLength(1);
    expect(reader.traffic(window({ fromMin: 0, toMin: T0 / MIN + 1 })).reduce((s, r) => s + r.requests, 0)).toBe(1);
    reader.close();
    db.close();
  });
});

describe('first traffic', () => {
  it('finds the first minute with a request at or after a minute, per model and version', () => {
    const log = new RequestLogDb(file);
    log.append([
      ...request(T0 + 5 * MIN + 30_000, 5, { version: 2 }),
      ...request(T0 + 9 * MIN, 5, { version: 1, status: 500 }),
      ...request(T0 + 20 * MIN, 5, { model: 'other' }),
    ]);
    log.close();
    const reader = new RequestLogReader(file);
    try {
      expect(reader.firstMinute('iris', null, T0 / MIN)).toBe(T0 / MIN + 5);
      expect(reader.firstMinute('iris', 1, T0 / MIN)).toBe(T0 / MIN + 9);
      expect(reader.firstMinute('iris', null, T0 / MIN + 6)).toBe(T0 / MIN + 9);
      expect(reader.firstMinute('iris', null, T0 / MIN + 10)).toBeNull();
    } finally {
      reader.close();
    }
  });
});
