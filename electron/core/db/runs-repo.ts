// SQL for training runs, and the model version a successful run saves (the registry reads and
// allocates versions). Rows are mapped to the contract's Run at the repo edge; JSON is parsed here.
import type {
  ApiErrorShape,
  EpochRecord,
  Explanation,
  ModelChoiceName,
  ModelKindName,
  Run,
  RunGroups,
  RunPlace,
  RunStatus,
  RunSummary,
  TaskName,
} from '../../../shared/api.js';
import { scalarScores } from '../../../shared/metrics.js';
import type { QueryField, RunQuery } from '../../../shared/run-query.js';
import type { Db } from './open.js';
import { groupRuns, type GroupRow } from './run-groups.js';
import { fieldSql, whereSql, type MetricChoice } from './run-query-sql.js';

interface DbRun {
  id: string;
  dataset_version_id: string;
  status: RunStatus;
  task: TaskName | null;
  target: string;
  model_kind: ModelChoiceName;
  params_json: string;
  preprocess_json: string | null;
  history_json: string;
  metrics_json: string | null;
  test_scores_json: string | null;
  backend: string | null;
  tfjs_version: string | null;
  dataset_hash: string;
  error_json: string | null;
  model_name: string | null;
  model_version: number | null;
  host_pid: number | null;
  ran_on: RunPlace;
  worker: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  // Joined from the dataset tables.
  dataset_id: string;
  dataset_name: string;
  dataset_version: number;
  // Set when a pipeline made the dataset: the pipeline and the version the table came from.
  made_by_pipeline: string | null;
  pipeline_name: string | null;
  source_dataset_id: string | null;
  source_name: string | null;
  source_version: number | null;
  sweep_id: string | null;
}

export interface NewRun {
  id: string;
  datasetVersionId: string;
  target: string;
  task: TaskName | null;
  modelKind: ModelChoiceName;
  params: Record<string, unknown>;
  datasetHash: string;
  hostPid: number;
}

export interface RunSuccess {
  task: TaskName;
  /** The kind trained: an automatic run's winner replaces its 'auto'. */
  modelKind: ModelKindName;
  params: Record<string, unknown>;
  preprocess: Record<string, unknown>;
  history: EpochRecord[];
  metrics: Record<string, unknown>;
  backend: string;
  tfjsVersion: string;
}

export interface NewModelVersion {
  id: string;
  name: string;
  version: number;
  dir: string;
  sha256: string;
}

/**
 * A run with its dataset version and dataset (the aliases run-query-sql.ts writes its SQL over),
 * and, for a pipeline's table, the pipeline and the version the table came from.
 */
const RUNS_FROM = `
  FROM runs r
  JOIN dataset_versions v ON v.id = r.dataset_version_id
  JOIN datasets d ON d.id = v.dataset_id
  LEFT JOIN dataset_versions sv ON sv.id = v.source_version_id
  LEFT JOIN datasets sd ON sd.id = sv.dataset_id
  LEFT JOIN pipelines p ON p.id = d.pipeline_id`;

/** The dataset columns of a run row. */
const DATASET_COLUMNS = `d.id AS dataset_id, d.name AS dataset_name, v.version AS dataset_version,
    d.pipeline_id AS made_by_pipeline, p.name AS pipeline_name,
    sd.id AS source_dataset_id, sd.name AS source_name, sv.version AS source_version,
    (SELECT t.sweep_id FROM sweep_trials t WHERE t.run_id = r.id) AS sweep_id`;

const RUN_SELECT = `
  SELECT r.*, ${DATASET_COLUMNS} ${RUNS_FROM}`;

/** A JSON column's value, null where the column is NULL. */
export function parse<T>(json: string | null): T | null {
  return json === null ? null : (JSON.parse(json) as T);
}

/** The scalar entries of a run's test metrics: what the runs table sorts and filters on. */
export function testScores(metrics: Record<string, unknown>): Record<string, number | null> {
  return scalarScores((metrics.test ?? {}) as Record<string, unknown>);
}

/**
 * Columns the runs table needs: no history, preprocessing or full metrics, and params without
 * the feature list (most of a wide dataset's bytes; a run's page and the compare view load it).
 */
const SUMMARY_SELECT = `
  SELECT r.id, r.dataset_version_id, r.status, r.task, r.target, r.model_kind,
    json_remove(r.params_json, '$.features') AS params_json, r.test_scores_json,
    json_array_length(r.history_json) AS epochs_run, r.backend, r.tfjs_version, r.dataset_hash, r.error_json,
    r.model_name, r.model_version, r.ran_on, r.worker, r.created_at, r.started_at, r.finished_at,
    ${DATASET_COLUMNS} ${RUNS_FROM}`;

type DbRunSummary = Omit<DbRun, 'preprocess_json' | 'history_json' | 'metrics_json' | 'host_pid'> & {
  epochs_run: number;
};

function toSummary(row: DbRunSummary): RunSummary {
  return {
    ...common(row),
    testMetrics: parse<Record<string, number | null>>(row.test_scores_json),
    epochsRun: row.epochs_run,
  };
}

/** The fields a full run and a summary share. */
function common(row: DbRunSummary | DbRun): Omit<Run, 'preprocess' | 'history' | 'metrics'> {
  return {
    id: row.id,
    datasetVersionId: row.dataset_version_id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    datasetVersion: row.dataset_version,
    pipelineTable:
      row.made_by_pipeline === null
        ? null
        : {
            pipeline: row.pipeline_name,
            source:
              row.source_dataset_id !== null && row.source_name !== null && row.source_version !== null
                ? { datasetId: row.source_dataset_id, name: row.source_name, version: row.source_version }
                : null,
          },
    sweepId: row.sweep_id,
    status: row.status,
    task: row.task,
    target: row.target,
    modelKind: row.model_kind,
    params: JSON.parse(row.params_json) as Record<string, unknown>,
    backend: row.backend,
    tfjsVersion: row.tfjs_version,
    ranOn: { place: row.ran_on, worker: row.worker },
    datasetHash: row.dataset_hash,
    error: parse<ApiErrorShape>(row.error_json),
    model:
      row.model_name !== null && row.model_version !== null
        ? { name: row.model_name, version: row.model_version }
        : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function toRun(row: DbRun): Run {
  return {
    ...common(row),
    preprocess: parse<Record<string, unknown>>(row.preprocess_json),
    history: JSON.parse(row.history_json) as EpochRecord[],
    metrics: parse<Record<string, unknown>>(row.metrics_json),
  };
}

export class RunsRepo {
  constructor(private readonly db: Db) {}

  /** Records a queued run. */
  create(run: NewRun, now: string): Run {
    this.db
      .prepare(
        `INSERT INTO runs (id, dataset_version_id, status, task, target, model_kind, params_json, dataset_hash, host_pid, created_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.datasetVersionId,
        run.task,
        run.target,
        run.modelKind,
        JSON.stringify(run.params),
        run.datasetHash,
        run.hostPid,
        now,
      );
    return this.get(run.id) as Run;
  }

  get(id: string): Run | undefined {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id) as DbRun | undefined;
    return row ? toRun(row) : undefined;
  }

  /** The summaries of the runs a query keeps (every run for null), newest first. */
  list(query: RunQuery = null): RunSummary[] {
    const where = whereSql(query);
    return (
      this.db
        .prepare(`${SUMMARY_SELECT} ${where.sql} ORDER BY r.created_at DESC, r.rowid DESC`)
        .all(...where.params) as DbRunSummary[]
    ).map(toSummary);
  }

  /** The runs a query keeps, grouped by a field's value, with the spread of each metric field per group. */
  groups(query: RunQuery, groupBy: QueryField, choice: MetricChoice): RunGroups {
    const metrics = choice.fields;
    const key = fieldSql(groupBy.source);
    const values = metrics.map((m) => fieldSql(m.source));
    const where = whereSql(query);
    const columns = [`${key.sql} AS key`, ...values.map((v, i) => `${v.sql} AS m${i}`)].join(', ');
    const rows = this.db
      .prepare(`SELECT r.id AS id, ${columns} ${RUNS_FROM} ${where.sql} ORDER BY r.created_at DESC, r.rowid DESC`)
      .all(...key.params, ...values.flatMap((v) => v.params), ...where.params) as Record<string, unknown>[];
    const grouped = groupRuns(
      rows.map((r): GroupRow => ({
        id: r.id as string,
        key: typeof r.key === 'number' || typeof r.key === 'string' ? r.key : null,
        values: metrics.map((_, i) => r[`m${i}`]),
      })),
      metrics.map((m) => m.name),
      { keepEmpty: choice.chosen },
    );
    return { groupBy: groupBy.name, ...grouped };
  }

  markRunning(id: string, now: string): void {
    this.db
      .prepare(`UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`)
      .run(now, id);
  }

  /** Ends a run that did not succeed; only a queued or running run changes. */
  markEnded(
    id: string,
    status: 'failed' | 'cancelled' | 'interrupted',
    error: ApiErrorShape | null,
    now: string,
    history: EpochRecord[] = [],
  ): void {
    this.db
      .prepare(
        `UPDATE runs SET status = ?, error_json = ?, finished_at = ?, history_json = ?, host_pid = NULL
         WHERE id = ? AND status IN ('queued', 'running')`,
      )
      .run(status, error ? JSON.stringify(error) : null, now, JSON.stringify(history), id);
  }

  /** Adds an explanation computed after the run ended (a sweep's best trial) to its metrics. */
  setExplanation(id: string, explanation: Explanation): void {
    this.db.transaction(() => {
      const row = this.db.prepare(`SELECT metrics_json FROM runs WHERE id = ?`).get(id) as
        { metrics_json: string | null } | undefined;
      if (!row?.metrics_json) throw new Error(`run ${id} has no metrics to add an explanation to`);
      const metrics = { ...(JSON.parse(row.metrics_json) as Record<string, unknown>), explanation };
      this.db.prepare(`UPDATE runs SET metrics_json = ? WHERE id = ?`).run(JSON.stringify(metrics), id);
    })();
  }

  /** Runs left queued or running by a host process that no longer lives, marked interrupted; returns their ids. */
  interruptOrphans(isAlive: (pid: number) => boolean, now: string): string[] {
    // A run on the fleet trains without its host: the next host to connect takes its result in.
    const open = this.db
      .prepare(`SELECT id, host_pid FROM runs WHERE status IN ('queued', 'running') AND ran_on = 'local'`)
      .all() as {
      id: string;
      host_pid: number | null;
    }[];
    const orphans = open.filter((r) => r.host_pid === null || !isAlive(r.host_pid)).map((r) => r.id);
    const error = JSON.stringify({ code: 'internal', message: 'The app stopped before this run finished.' });
    const mark = this.db.prepare(
      `UPDATE runs SET status = 'interrupted', error_json = ?, finished_at = ?, host_pid = NULL
       WHERE id = ? AND status IN ('queued', 'running')`,
    );
    this.db.transaction(() => orphans.forEach((id) => mark.run(error, now, id)))();
    return orphans;
  }

  /** Records that a run trains on the fleet (from then on it outlives its host); `worker` once one took it. */
  placeOnFleet(id: string, worker: string | null = null): void {
    this.db.prepare(`UPDATE runs SET ran_on = 'fleet', worker = coalesce(?, worker) WHERE id = ?`).run(worker, id);
  }

  /** Runs sent to the fleet that no host has taken in yet (the app closed while they trained). */
  waitingOnFleet(): string[] {
    return (
      this.db
        .prepare(`SELECT id FROM runs WHERE ran_on = 'fleet' AND status IN ('queued', 'running') ORDER BY created_at`)
        .all() as { id: string }[]
    ).map((r) => r.id);
  }

  /** The stored spelling of a model's name, if the model exists. */
  modelName(name: string): string | undefined {
    const row = this.db.prepare('SELECT name FROM models WHERE name = ? COLLATE NOCASE').get(name) as
      { name: string } | undefined;
    return row?.name;
  }

  /**
   * Records a run's success together with the model version it created, in one transaction:
   * the model is created on its first version.
   */
  succeed(runId: string, result: RunSuccess, model: NewModelVersion, now: string): void {
    this.db.transaction(() => {
      let modelId = (
        this.db.prepare('SELECT id FROM models WHERE name = ? COLLATE NOCASE').get(model.name) as
          { id: string } | undefined
      )?.id;
      if (!modelId) {
        modelId = model.id;
        this.db.prepare('INSERT INTO models (id, name, created_at) VALUES (?, ?, ?)').run(modelId, model.name, now);
      }
      this.db
        .prepare(
          `INSERT INTO model_versions (id, model_id, version, run_id, dir, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(model.id, modelId, model.version, runId, model.dir, model.sha256, now);
      const changed = this.db
        .prepare(
          `UPDATE runs SET status = 'succeeded', task = ?, model_kind = ?, params_json = ?, preprocess_json = ?, history_json = ?,
             metrics_json = ?, test_scores_json = ?, backend = ?, tfjs_version = ?, model_name = ?, model_version = ?, finished_at = ?, host_pid = NULL
           WHERE id = ? AND status = 'running'`,
        )
        .run(
          result.task,
          result.modelKind,
          JSON.stringify(result.params),
          JSON.stringify(result.preprocess),
          JSON.stringify(result.history),
          JSON.stringify(result.metrics),
          JSON.stringify(testScores(result.metrics)),
          result.backend,
          result.tfjsVersion,
          model.name,
          model.version,
          now,
          runId,
        ).changes;
      if (changed !== 1) throw new Error(`run ${runId} is no longer running`);
    })();
  }
}
