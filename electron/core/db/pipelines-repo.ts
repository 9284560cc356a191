// SQL for pipelines, their saved versions, their runs and each run's steps. Rows map to the
// contract's shapes at this edge; JSON columns are parsed here.
import type {
  ApiErrorShape,
  PipelineRun,
  PipelineRunStatus,
  PipelineRunSummary,
  PipelineStep,
  PipelineSummary,
  PipelineVersionInfo,
} from '../../../shared/api.js';
import type { StepOutput, StepState } from '../../../shared/pipeline.js';
import type { Db } from './open.js';
import { parse } from './runs-repo.js';

interface DbPipelineSummary {
  id: string;
  name: string;
  created_at: string;
  latest_version: number;
  version_count: number;
  updated_at: string;
  latest_spec: string;
  last_run_id: string | null;
  last_run_version: number | null;
  last_run_status: PipelineRunStatus | null;
  last_run_created_at: string | null;
  last_run_finished_at: string | null;
}

interface DbVersion {
  version: number;
  spec_json: string;
  spec_hash: string;
  base_dir: string | null;
  message: string;
  saved_at: string;
}

interface DbRun {
  id: string;
  pipeline_id: string;
  pipeline_name: string;
  version: number;
  status: PipelineRunStatus;
  error_json: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface DbStep {
  run_id: string;
  node_id: string;
  kind: string;
  state: StepState;
  cached: number;
  output_json: string | null;
  error_json: string | null;
  reason: string | null;
  training_run_id: string | null;
  model_name: string | null;
  model_version: number | null;
  started_at: string | null;
  finished_at: string | null;
}

/** A version as stored: the spec as JSON text and the folder its relative paths resolve against. */
export interface StoredPipelineVersion extends PipelineVersionInfo {
  pipelineId: string;
  specJson: string;
  baseDir: string | null;
}

/** What a step's row changes to; fields left out keep their value. */
export interface StepUpdate {
  state: StepState;
  cacheKey?: string | null;
  output?: StepOutput | null;
  error?: ApiErrorShape | null;
  reason?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
}

const SUMMARY_SELECT = `
  SELECT p.id, p.name, p.created_at,
    lv.version AS latest_version, lv.saved_at AS updated_at, lv.spec_json AS latest_spec,
    (SELECT count(*) FROM pipeline_versions v WHERE v.pipeline_id = p.id) AS version_count,
    lr.id AS last_run_id, lr.version AS last_run_version, lr.status AS last_run_status,
    lr.created_at AS last_run_created_at, lr.finished_at AS last_run_finished_at
  FROM pipelines p
  JOIN pipeline_versions lv ON lv.pipeline_id = p.id
    AND lv.version = (SELECT max(version) FROM pipeline_versions WHERE pipeline_id = p.id)
  LEFT JOIN pipeline_runs lr ON lr.id = (
    SELECT id FROM pipeline_runs r WHERE r.pipeline_id = p.id ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1)`;

const RUN_SELECT = `
  SELECT r.id, r.pipeline_id, p.name AS pipeline_name, r.version, r.status, r.error_json, r.created_at, r.started_at, r.finished_at
  FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id`;

function toSummary(row: DbPipelineSummary): PipelineSummary {
  const spec = JSON.parse(row.latest_spec) as { description?: unknown };
  return {
    id: row.id,
    name: row.name,
    description: typeof spec.description === 'string' ? spec.description : null,
    latestVersion: row.latest_version,
    versionCount: row.version_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRun:
      row.last_run_id !== null
        ? {
            id: row.last_run_id,
            version: row.last_run_version as number,
            status: row.last_run_status as PipelineRunStatus,
            createdAt: row.last_run_created_at as string,
            finishedAt: row.last_run_finished_at,
          }
        : null,
  };
}

function toVersion(pipelineId: string, row: DbVersion): StoredPipelineVersion {
  const spec = JSON.parse(row.spec_json) as { nodes?: unknown[] };
  return {
    pipelineId,
    version: row.version,
    savedAt: row.saved_at,
    message: row.message,
    nodes: Array.isArray(spec.nodes) ? spec.nodes.length : 0,
    specHash: row.spec_hash,
    specJson: row.spec_json,
    baseDir: row.base_dir,
  };
}

function toStep(row: DbStep): PipelineStep {
  return {
    nodeId: row.node_id,
    kind: row.kind,
    state: row.state,
    cached: row.cached === 1,
    output: parse<StepOutput>(row.output_json),
    error: parse<ApiErrorShape>(row.error_json),
    reason: row.reason,
    // Live progress is the host's, in memory; a stored step has none.
    progress: null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export class PipelinesRepo {
  constructor(private readonly db: Db) {}

  list(): PipelineSummary[] {
    return (
      this.db.prepare(`${SUMMARY_SELECT} ORDER BY lv.saved_at DESC, p.rowid DESC`).all() as DbPipelineSummary[]
    ).map(toSummary);
  }

  /** A pipeline by id, else by name (case-insensitive). */
  find(ref: string): PipelineSummary | undefined {
    const row = (this.db.prepare(`${SUMMARY_SELECT} WHERE p.id = ?`).get(ref) ??
      this.db.prepare(`${SUMMARY_SELECT} WHERE p.name = ? COLLATE NOCASE`).get(ref)) as DbPipelineSummary | undefined;
    return row ? toSummary(row) : undefined;
  }

  /** Every version of a pipeline, newest first. */
  versions(pipelineId: string): StoredPipelineVersion[] {
    const rows = this.db
      .prepare(
        'SELECT version, spec_json, spec_hash, base_dir, message, saved_at FROM pipeline_versions WHERE pipeline_id = ? ORDER BY version DESC',
      )
      .all(pipelineId) as DbVersion[];
    return rows.map((r) => toVersion(pipelineId, r));
  }

  version(pipelineId: string, version: number): StoredPipelineVersion | undefined {
    const row = this.db
      .prepare(
        'SELECT version, spec_json, spec_hash, base_dir, message, saved_at FROM pipeline_versions WHERE pipeline_id = ? AND version = ?',
      )
      .get(pipelineId, version) as DbVersion | undefined;
    return row ? toVersion(pipelineId, row) : undefined;
  }

  /** The saved version and node whose step made (or reused) a training run, newest run first; undefined when none did. */
  trainedBy(
    trainingRunId: string,
  ): { version: StoredPipelineVersion; pipelineName: string; nodeId: string } | undefined {
    const row = this.db
      .prepare(
        `SELECT r.pipeline_id, r.version, s.node_id, p.name FROM pipeline_steps s
         JOIN pipeline_runs r ON r.id = s.run_id JOIN pipelines p ON p.id = r.pipeline_id
         WHERE s.training_run_id = ? ORDER BY r.created_at DESC LIMIT 1`,
      )
      .get(trainingRunId) as { pipeline_id: string; version: number; node_id: string; name: string } | undefined;
    const version = row && this.version(row.pipeline_id, row.version);
    return row && version ? { version, pipelineName: row.name, nodeId: row.node_id } : undefined;
  }

  /**
   * Saves a spec as the next version of pipeline `id` (renaming it to `name`), or creates the
   * pipeline when `id` is absent. Identical content to the latest version (same hash and base
   * folder) makes no version. The caller checks that `name` is free.
   */
  save(
    p: {
      id: string;
      create: boolean;
      name: string;
      specJson: string;
      specHash: string;
      baseDir: string | null;
      message: string;
    },
    now: string,
  ): { version: number; created: boolean } {
    return this.db.transaction(() => {
      if (p.create) {
        this.db.prepare('INSERT INTO pipelines (id, name, created_at) VALUES (?, ?, ?)').run(p.id, p.name, now);
      } else {
        this.db.prepare('UPDATE pipelines SET name = ? WHERE id = ?').run(p.name, p.id);
      }
      const latest = this.db
        .prepare(
          'SELECT version, spec_hash, base_dir FROM pipeline_versions WHERE pipeline_id = ? ORDER BY version DESC LIMIT 1',
        )
        .get(p.id) as { version: number; spec_hash: string; base_dir: string | null } | undefined;
      if (latest && latest.spec_hash === p.specHash && latest.base_dir === p.baseDir)
        return { version: latest.version, created: false };
      const version = (latest?.version ?? 0) + 1;
      this.db
        .prepare(
          'INSERT INTO pipeline_versions (pipeline_id, version, spec_json, spec_hash, base_dir, message, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(p.id, version, p.specJson, p.specHash, p.baseDir, p.message, now);
      return { version, created: true };
    })();
  }

  /** Removes a pipeline with its versions, runs and steps. */
  delete(pipelineId: string): boolean {
    return this.db.prepare('DELETE FROM pipelines WHERE id = ?').run(pipelineId).changes > 0;
  }

  /** Records a queued run with one queued step per node, in topological order. */
  createRun(
    run: { id: string; pipelineId: string; version: number; hostPid: number },
    steps: readonly { nodeId: string; kind: string }[],
    now: string,
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO pipeline_runs (id, pipeline_id, version, status, host_pid, created_at) VALUES (?, ?, ?, 'queued', ?, ?)`,
        )
        .run(run.id, run.pipelineId, run.version, run.hostPid, now);
      const insert = this.db.prepare(
        `INSERT INTO pipeline_steps (run_id, node_id, kind, position, state) VALUES (?, ?, ?, ?, 'queued')`,
      );
      steps.forEach((s, i) => insert.run(run.id, s.nodeId, s.kind, i));
    })();
  }

  markRunning(runId: string, now: string): void {
    this.db
      .prepare(`UPDATE pipeline_runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`)
      .run(now, runId);
  }

  /** Ends a queued or running run. */
  finishRun(
    runId: string,
    status: Exclude<PipelineRunStatus, 'queued' | 'running'>,
    error: ApiErrorShape | null,
    now: string,
  ): void {
    this.db
      .prepare(
        `UPDATE pipeline_runs SET status = ?, error_json = ?, finished_at = ?, host_pid = NULL WHERE id = ? AND status IN ('queued', 'running')`,
      )
      .run(status, error ? JSON.stringify(error) : null, now, runId);
  }

  /** Writes a step's new state; the links to a training run and model version come from its output. */
  updateStep(runId: string, nodeId: string, u: StepUpdate): void {
    const sets: string[] = ['state = ?', 'cached = ?'];
    const values: (string | number | null)[] = [u.state, u.state === 'cached' ? 1 : 0];
    const add = (column: string, value: string | number | null) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (u.cacheKey !== undefined) add('cache_key', u.cacheKey);
    if (u.output !== undefined) {
      add('output_json', u.output ? JSON.stringify(u.output) : null);
      add('training_run_id', u.output?.runId ?? null);
      add('model_name', u.output?.model?.name ?? null);
      add('model_version', u.output?.model?.version ?? null);
    }
    if (u.error !== undefined) add('error_json', u.error ? JSON.stringify(u.error) : null);
    if (u.reason !== undefined) add('reason', u.reason);
    if (u.startedAt !== undefined) add('started_at', u.startedAt);
    if (u.finishedAt !== undefined) add('finished_at', u.finishedAt);
    this.db
      .prepare(`UPDATE pipeline_steps SET ${sets.join(', ')} WHERE run_id = ? AND node_id = ?`)
      .run(...values, runId, nodeId);
  }

  /** Runs newest first, of one pipeline or of all. */
  runs(pipelineId?: string): PipelineRunSummary[] {
    const rows = (
      pipelineId
        ? this.db
            .prepare(`${RUN_SELECT} WHERE r.pipeline_id = ? ORDER BY r.created_at DESC, r.rowid DESC`)
            .all(pipelineId)
        : this.db.prepare(`${RUN_SELECT} ORDER BY r.created_at DESC, r.rowid DESC`).all()
    ) as DbRun[];
    const counts = this.db.prepare('SELECT state, count(*) AS n FROM pipeline_steps WHERE run_id = ? GROUP BY state');
    return rows.map((r) => this.summary(r, counts.all(r.id) as { state: StepState; n: number }[]));
  }

  /** One run without its steps. */
  runSummary(runId: string): PipelineRunSummary | undefined {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as DbRun | undefined;
    if (!row) return undefined;
    const counts = this.db
      .prepare('SELECT state, count(*) AS n FROM pipeline_steps WHERE run_id = ? GROUP BY state')
      .all(runId);
    return this.summary(row, counts as { state: StepState; n: number }[]);
  }

  run(runId: string): PipelineRun | undefined {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as DbRun | undefined;
    if (!row) return undefined;
    const stepRows = this.db
      .prepare('SELECT * FROM pipeline_steps WHERE run_id = ? ORDER BY position')
      .all(runId) as DbStep[];
    const counts = new Map<StepState, number>();
    for (const s of stepRows) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
    return {
      ...this.summary(
        row,
        [...counts].map(([state, n]) => ({ state, n })),
      ),
      steps: stepRows.map(toStep),
      trainingRuns: stepRows
        .filter((s) => s.training_run_id !== null)
        .map((s) => ({ nodeId: s.node_id, runId: s.training_run_id as string, cached: s.cached === 1 })),
      modelVersions: stepRows
        .filter((s) => s.model_name !== null && s.model_version !== null)
        .map((s) => ({
          nodeId: s.node_id,
          name: s.model_name as string,
          version: s.model_version as number,
          cached: s.cached === 1,
        })),
    };
  }

  /** Whether a pipeline has a queued or running run. */
  hasOpenRun(pipelineId: string): boolean {
    return Boolean(
      this.db
        .prepare(`SELECT 1 FROM pipeline_runs WHERE pipeline_id = ? AND status IN ('queued', 'running') LIMIT 1`)
        .get(pipelineId),
    );
  }

  /**
   * Runs left queued or running by a host process that no longer lives: marked interrupted, and
   * their unfinished steps skipped. Returns their ids.
   */
  interruptOrphans(isAlive: (pid: number) => boolean, now: string): string[] {
    const open = this.db
      .prepare(`SELECT id, host_pid FROM pipeline_runs WHERE status IN ('queued', 'running')`)
      .all() as {
      id: string;
      host_pid: number | null;
    }[];
    const orphans = open.filter((r) => r.host_pid === null || !isAlive(r.host_pid)).map((r) => r.id);
    const error = JSON.stringify({ code: 'internal', message: 'The app stopped before this pipeline run finished.' });
    this.db.transaction(() => {
      for (const id of orphans) {
        this.db
          .prepare(
            `UPDATE pipeline_runs SET status = 'interrupted', error_json = ?, finished_at = ?, host_pid = NULL WHERE id = ?`,
          )
          .run(error, now, id);
        this.db
          .prepare(
            `UPDATE pipeline_steps SET state = 'skipped', cached = 0, reason = 'the app stopped before this step finished', finished_at = ?
             WHERE run_id = ? AND state IN ('queued', 'running')`,
          )
          .run(now, id);
      }
    })();
    return orphans;
  }

  private summary(row: DbRun, counts: { state: StepState; n: number }[]): PipelineRunSummary {
    return {
      id: row.id,
      pipelineId: row.pipeline_id,
      pipelineName: row.pipeline_name,
      version: row.version,
      status: row.status,
      error: parse<ApiErrorShape>(row.error_json),
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: Object.fromEntries(counts.map((c) => [c.state, c.n])),
    };
  }
}
