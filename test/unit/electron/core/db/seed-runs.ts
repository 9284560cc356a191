// Runs written straight into app.db for the query tests: each described once as plain values
// (what a query's field reads), then stored as the engine stores it, a finished run's params nested
// and an unfinished one's flat, so a test can compare SQL's answer with a plain reading of these.
import { afterAll, beforeAll } from 'vitest';
import { openDb, type Db } from '../../../../../electron/core/db/open.js';
import { RunsRepo } from '../../../../../electron/core/db/runs-repo.js';
import type { ModelKindName, RunStatus, TaskName } from '../../../../../shared/api.js';
import type { RunScore } from '../../../../../shared/metrics.js';
import type { Literal, ParamName, QueryField } from '../../../../../shared/run-query.js';

export interface SeedRun {
  id: string;
  name: string | null;
  model: ModelKindName;
  status: RunStatus;
  task: TaskName | null;
  dataset: string;
  version: number;
  target: string;
  backend: string | null;
  created: string;
  started: string | null;
  finished: string | null;
  params: Partial<Record<ParamName, number | string>>;
  test: Partial<Record<RunScore, number>> | null;
  validation: Partial<Record<RunScore, number>> | null;
  /** The sweep the run is a trial of. */
  sweep?: string | null;
}

const TRAIN_KEYS: readonly ParamName[] = ['epochs', 'batchSize', 'learningRate', 'optimizer', 'classWeight', 'seed'];
const BOOSTING_KEYS: readonly ParamName[] = [
  'trees',
  'maxLeaves',
  'maxDepth',
  'minSamplesLeaf',
  'subsample',
  'colsample',
  'loss',
];

function pick(params: SeedRun['params'], keys: readonly ParamName[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]));
}

/** params_json as the engine writes it: the resolved, nested shape once a run succeeded, else the request. */
function paramsJson(run: SeedRun): string {
  if (run.status !== 'succeeded')
    return JSON.stringify({ target: run.target, model: run.model, ...run.params, split: { train: 0.7, test: 0.3 } });
  return JSON.stringify({
    model: {
      kind: run.model,
      ...(run.params.l2 !== undefined ? { l2: run.params.l2 } : {}),
      ...(run.model === 'gbdt' ? { boosting: pick(run.params, BOOSTING_KEYS) } : {}),
    },
    train: pick(run.params, TRAIN_KEYS),
    split: { seed: run.params.seed, fractions: { train: 0.7, validation: 0.15, test: 0.15 } },
    features: ['a', 'b'],
  });
}

/** Stores the runs (with their datasets and versions) in an open, migrated app.db. */
export function seedRuns(db: Db, runs: readonly SeedRun[]): void {
  const now = '2026-12-01T00:00:00.000Z';
  const dataset = db.prepare('INSERT OR IGNORE INTO datasets (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const version = db.prepare(
    `INSERT OR IGNORE INTO dataset_versions (id, dataset_id, version, content_hash, source_path, source_format,
       size_bytes, row_count, column_count, data_file, profile_json, created_at)
     VALUES (?, ?, ?, ?, 'x.csv', 'csv', 1, 1, 1, 'x.parquet', '[]', ?)`,
  );
  const run = db.prepare(
    `INSERT INTO runs (id, dataset_version_id, status, task, target, model_kind, params_json, metrics_json,
       test_scores_json, backend, dataset_hash, model_name, model_version, created_at, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'hash', ?, ?, ?, ?, ?)`,
  );
  const sweep = db.prepare(
    `INSERT OR IGNORE INTO sweeps (id, dataset_version_id, target, task, model_kind, request_json, space_json,
       strategy, stopping, metric, direction, max_trials, parallel, seed, status, created_at)
     VALUES (?, ?, ?, 'classification', ?, '{}', '{}', 'random', 'none', 'accuracy', 'maximize', 10, 1, 0, 'succeeded', ?)`,
  );
  const trial = db.prepare(
    `INSERT INTO sweep_trials (sweep_id, number, run_id, params_json, state)
     VALUES (?, (SELECT count(*) FROM sweep_trials WHERE sweep_id = ?), ?, '{}', 'complete')`,
  );
  db.transaction(() => {
    for (const r of runs) {
      const versionId = `${r.dataset}@${r.version}`;
      dataset.run(r.dataset, r.dataset, now, now);
      version.run(versionId, r.dataset, r.version, versionId, now);
      const metrics =
        r.test === null && r.validation === null
          ? null
          : JSON.stringify({
              test: { ...r.test, confusion: [[1]] },
              ...(r.validation ? { validation: r.validation } : {}),
            });
      run.run(
        r.id,
        versionId,
        r.status,
        r.task,
        r.target,
        r.model,
        paramsJson(r),
        metrics,
        r.test ? JSON.stringify(r.test) : null,
        r.backend,
        r.name,
        r.name === null ? null : 1,
        r.created,
        r.started,
        r.finished,
      );
      if (r.sweep) {
        sweep.run(r.sweep, versionId, r.target, r.model, now);
        trial.run(r.sweep, r.sweep, r.id);
      }
    }
  })();
}

/** A field's value as a query reads it, from the plain description; null where the run lacks it. */
export function fieldValue(run: SeedRun, field: QueryField): Literal | null {
  const s = field.source;
  if (s.kind === 'param') return run.params[s.param] ?? null;
  if (s.kind === 'score') return run[s.split]?.[s.metric] ?? null;
  if (s.column === 'duration')
    return run.started && run.finished ? (Date.parse(run.finished) - Date.parse(run.started)) / 1000 : null;
  if (s.column === 'model') return run.model;
  if (s.column === 'sweep') return run.sweep ?? null;
  return run[s.column];
}

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, drawn with `random`. */
export function oneOf<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const STATUSES: readonly RunStatus[] = ['succeeded', 'succeeded', 'succeeded', 'failed', 'queued', 'cancelled'];
const MODELS: readonly ModelKindName[] = ['mlp', 'gbdt', 'logistic_regression', 'linear_regression'];

/** `n` varied runs: every model kind and status, params present or not, scores for finished ones. */
export function sampleRuns(n: number, seed = 1): SeedRun[] {
  const random = seededRandom(seed);
  const maybe = <T>(v: T): T | undefined => (random() < 0.8 ? v : undefined);
  return Array.from({ length: n }, (_, i): SeedRun => {
    const model = oneOf(random, MODELS);
    const status = oneOf(random, STATUSES);
    const task: TaskName = model === 'linear_regression' ? 'regression' : 'classification';
    const done = status === 'succeeded';
    const created = new Date(Date.UTC(2026, 11, 1 + (i % 5), 10, i)).toISOString();
    const startMs = Date.parse(created) + 1000;
    const params: SeedRun['params'] = {
      seed: oneOf(random, [1, 2, 3, 42]),
      learningRate: maybe(oneOf(random, [0.001, 0.01, 0.1])),
      epochs: maybe(oneOf(random, [10, 50, 200])),
      optimizer: maybe(oneOf(random, ['adam', 'sgd'])),
      l2: maybe(oneOf(random, [0, 0.01])),
      ...(model === 'gbdt' ? { trees: oneOf(random, [50, 100]), loss: 'squared_error' } : {}),
    };
    const score = () => Math.round(random() * 1000) / 1000;
    return {
      id: `run-${String(i).padStart(3, '0')}`,
      name: done ? oneOf(random, ['iris', 'wine', 'Iris_v2', 'it%s']) : null,
      model,
      status,
      task: done || random() < 0.5 ? task : null,
      dataset: oneOf(random, ['iris', 'wine', 'Iris-2']),
      version: oneOf(random, [1, 2, 3]),
      target: oneOf(random, ['species', 'quality']),
      backend: done ? oneOf(random, ['cpu', 'wasm']) : null,
      created,
      started: status === 'queued' ? null : new Date(startMs).toISOString(),
      finished: status === 'queued' ? null : new Date(startMs + oneOf(random, [5, 20, 65, 300]) * 1000).toISOString(),
      params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
      test: done
        ? task === 'classification'
          ? { accuracy: score(), f1_macro: score() }
          : { r2: score(), mae: score() }
        : null,
      validation: done && random() < 0.5 ? (task === 'classification' ? { accuracy: score() } : { r2: score() }) : null,
      // Not drawn from the stream, so the other fields stay what they were before runs had sweeps.
      sweep: i % 3 === 0 ? (i % 2 ? 'sweep-b' : 'sweep-a') : null,
    };
  });
}

/** A runs repo over an in-memory app.db holding `runs`, opened before the file's tests and closed after. */
export function seededRepo(runs: readonly SeedRun[]): { readonly repo: RunsRepo } {
  let db: Db | undefined;
  let repo: RunsRepo | undefined;
  beforeAll(() => {
    db = openDb(':memory:');
    seedRuns(db, runs);
    repo = new RunsRepo(db);
  });
  afterAll(() => db?.close());
  return {
    get repo() {
      if (!repo) throw new Error('the seeded repo exists only while the tests run');
      return repo;
    },
  };
}
