// SQL for sweeps and their trials. A trial's row is written when it is asked for and rewritten as
// it reports and ends, so a host that dies leaves every finished trial and what the running one
// had reported; rows are mapped to the contract's Sweep here, JSON parsed at this edge.
import type {
  ApiErrorShape,
  ModelKindName,
  Sweep,
  SweepMetric,
  SweepStatus,
  SweepSummary,
  SweepTrial,
  TaskName,
} from '../../../shared/api.js';
import type { SearchSpace } from '../../../shared/sweep/space.js';
import type { SweepStrategy, TrialStopping } from '../../../shared/sweep/strategy.js';
import type { CurvePoint, Direction, Trial, TrialState } from '../sweeps/trials.js';
import type { Db } from './open.js';
import { parse } from './runs-repo.js';

interface DbSweep {
  id: string;
  dataset_version_id: string;
  target: string;
  task: TaskName;
  model_kind: ModelKindName;
  request_json: string;
  space_json: string;
  strategy: SweepStrategy;
  stopping: TrialStopping;
  metric: SweepMetric;
  direction: Direction;
  max_trials: number | null;
  max_seconds: number | null;
  seconds_used: number;
  parallel: number;
  seed: number;
  status: SweepStatus;
  error_json: string | null;
  best_run_id: string | null;
  created_at: string;
  finished_at: string | null;
  notes_json: string;
  dataset_name: string;
  dataset_version: number;
  trials_done: number;
  best_value: number | null;
}

interface DbTrial {
  number: number;
  run_id: string | null;
  params_json: string;
  state: TrialState;
  value: number | null;
  curve_json: string;
  error_json: string | null;
  run_metrics_json: string | null;
}

/** What a new sweep records. */
export interface NewSweep {
  id: string;
  datasetVersionId: string;
  target: string;
  task: TaskName;
  model: ModelKindName;
  request: Record<string, unknown>;
  space: SearchSpace;
  strategy: SweepStrategy;
  stopping: TrialStopping;
  metric: SweepMetric;
  direction: Direction;
  maxTrials: number | null;
  maxSeconds: number | null;
  parallel: number;
  seed: number;
  hostPid: number;
  /** What the sweep says to its user from the start (none by default). */
  notes?: string[];
}

/** A sweep as the runner reads it back to resume: its settings and time spent. */
export type StoredSweep = Sweep & { secondsUsed: number };

const FINISHED_STATES = `('complete', 'pruned', 'failed')`;

const SWEEP_SELECT = `
  SELECT s.*, d.name AS dataset_name, v.version AS dataset_version,
    (SELECT count(*) FROM sweep_trials t WHERE t.sweep_id = s.id AND t.state IN ${FINISHED_STATES}) AS trials_done,
    (SELECT t.value FROM sweep_trials t WHERE t.sweep_id = s.id AND t.run_id = s.best_run_id) AS best_value
  FROM sweeps s
  JOIN dataset_versions v ON v.id = s.dataset_version_id
  JOIN datasets d ON d.id = v.dataset_id`;

function toSummary(row: DbSweep): SweepSummary {
  return {
    id: row.id,
    datasetVersionId: row.dataset_version_id,
    datasetName: row.dataset_name,
    datasetVersion: row.dataset_version,
    target: row.target,
    task: row.task,
    model: row.model_kind,
    strategy: row.strategy,
    stopping: row.stopping,
    metric: row.metric,
    direction: row.direction,
    budget: { trials: row.max_trials, seconds: row.max_seconds },
    parallel: row.parallel,
    seed: row.seed,
    status: row.status,
    error: parse<ApiErrorShape>(row.error_json),
    trialsDone: row.trials_done,
    bestRunId: row.best_run_id,
    bestValue: row.best_value,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    notes: JSON.parse(row.notes_json) as string[],
  };
}

function toTrial(row: DbTrial): SweepTrial {
  const metrics = parse<{ validation?: Record<string, number | null> }>(row.run_metrics_json);
  return {
    number: row.number,
    runId: row.run_id,
    status: row.state,
    params: JSON.parse(row.params_json) as SweepTrial['params'],
    value: row.value,
    validation: metrics?.validation ?? null,
    error: parse<ApiErrorShape>(row.error_json),
  };
}

export class SweepsRepo {
  constructor(private readonly db: Db) {}

  create(s: NewSweep, now: string): void {
    this.db
      .prepare(
        `INSERT INTO sweeps (id, dataset_version_id, target, task, model_kind, request_json, space_json, strategy,
           stopping, metric, direction, max_trials, max_seconds, parallel, seed, status, host_pid, created_at, notes_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
      )
      .run(
        s.id,
        s.datasetVersionId,
        s.target,
        s.task,
        s.model,
        JSON.stringify(s.request),
        JSON.stringify(s.space),
        s.strategy,
        s.stopping,
        s.metric,
        s.direction,
        s.maxTrials,
        s.maxSeconds,
        s.parallel,
        s.seed,
        s.hostPid,
        now,
        JSON.stringify(s.notes ?? []),
      );
  }

  list(): SweepSummary[] {
    return (this.db.prepare(`${SWEEP_SELECT} ORDER BY s.created_at DESC, s.rowid DESC`).all() as DbSweep[]).map(
      toSummary,
    );
  }

  get(id: string): StoredSweep | undefined {
    const row = this.db.prepare(`${SWEEP_SELECT} WHERE s.id = ?`).get(id) as DbSweep | undefined;
    if (!row) return undefined;
    const trials = this.db
      .prepare(
        `SELECT t.*, r.metrics_json AS run_metrics_json FROM sweep_trials t LEFT JOIN runs r ON r.id = t.run_id
         WHERE t.sweep_id = ? ORDER BY t.number`,
      )
      .all(id) as DbTrial[];
    return {
      ...toSummary(row),
      space: JSON.parse(row.space_json) as SearchSpace,
      request: JSON.parse(row.request_json) as Record<string, unknown>,
      trials: trials.map(toTrial),
      secondsUsed: row.seconds_used,
    };
  }

  /** The trials as the Study reads them, with their curves. */
  studyTrials(id: string): Trial[] {
    const rows = this.db
      .prepare(
        `SELECT number, params_json, state, value, curve_json FROM sweep_trials WHERE sweep_id = ? ORDER BY number`,
      )
      .all(id) as DbTrial[];
    return rows.map((r) => ({
      number: r.number,
      params: JSON.parse(r.params_json) as Trial['params'],
      state: r.state,
      ...(r.value !== null && { value: r.value }),
      curve: JSON.parse(r.curve_json) as CurvePoint[],
    }));
  }

  addTrial(sweepId: string, number: number, params: Trial['params']): void {
    this.db
      .prepare(`INSERT INTO sweep_trials (sweep_id, number, params_json, state) VALUES (?, ?, ?, 'running')`)
      .run(sweepId, number, JSON.stringify(params));
  }

  setTrialRun(sweepId: string, number: number, runId: string): void {
    this.db.prepare(`UPDATE sweep_trials SET run_id = ? WHERE sweep_id = ? AND number = ?`).run(runId, sweepId, number);
  }

  setCurve(sweepId: string, number: number, curve: readonly CurvePoint[]): void {
    this.db
      .prepare(`UPDATE sweep_trials SET curve_json = ? WHERE sweep_id = ? AND number = ?`)
      .run(JSON.stringify(curve), sweepId, number);
  }

  endTrial(
    sweepId: string,
    number: number,
    state: Exclude<TrialState, 'running'>,
    value: number | null,
    error: ApiErrorShape | null,
  ): void {
    this.db
      .prepare(`UPDATE sweep_trials SET state = ?, value = ?, error_json = ? WHERE sweep_id = ? AND number = ?`)
      .run(state, value, error ? JSON.stringify(error) : null, sweepId, number);
  }

  /** The trial a run trained, if a sweep's: how a run taken in late (from the fleet) finds its trial. */
  trialOfRun(runId: string): { sweepId: string; number: number; state: TrialState } | undefined {
    return this.db
      .prepare(`SELECT sweep_id AS sweepId, number, state FROM sweep_trials WHERE run_id = ?`)
      .get(runId) as { sweepId: string; number: number; state: TrialState } | undefined;
  }

  /** An interrupted trial whose run goes on (on the fleet) is running again: a resumed session follows it. */
  reopenTrial(sweepId: string, number: number): void {
    this.db
      .prepare(`UPDATE sweep_trials SET state = 'running', error_json = NULL WHERE sweep_id = ? AND number = ?`)
      .run(sweepId, number);
  }

  setBest(sweepId: string, runId: string): void {
    this.db.prepare(`UPDATE sweeps SET best_run_id = ? WHERE id = ?`).run(runId, sweepId);
  }

  /** Adds a sentence to what the sweep says to its user. */
  addNote(sweepId: string, note: string): void {
    this.db
      .prepare(`UPDATE sweeps SET notes_json = json_insert(notes_json, '$[#]', ?) WHERE id = ?`)
      .run(note, sweepId);
  }

  /** The trials a session runs at once (a resume re-checks what memory holds). */
  setParallel(sweepId: string, parallel: number): void {
    this.db.prepare(`UPDATE sweeps SET parallel = ? WHERE id = ?`).run(parallel, sweepId);
  }

  /** Marks a sweep running again under this host (a resume). */
  markRunning(sweepId: string, hostPid: number): void {
    this.db
      .prepare(`UPDATE sweeps SET status = 'running', error_json = NULL, finished_at = NULL, host_pid = ? WHERE id = ?`)
      .run(hostPid, sweepId);
  }

  /** Ends a session of a sweep, adding the wall time it spent. */
  end(
    sweepId: string,
    status: Exclude<SweepStatus, 'running'>,
    error: ApiErrorShape | null,
    seconds: number,
    now: string,
  ): void {
    this.db
      .prepare(
        `UPDATE sweeps SET status = ?, error_json = ?, seconds_used = seconds_used + ?, finished_at = ?, host_pid = NULL
         WHERE id = ?`,
      )
      .run(status, error ? JSON.stringify(error) : null, seconds, now, sweepId);
  }

  /**
   * Sweeps left running by a host process that no longer lives, and their running trials, marked
   * interrupted (their runs are marked by RunsRepo.interruptOrphans); returns their ids.
   */
  interruptOrphans(isAlive: (pid: number) => boolean, now: string): string[] {
    const open = this.db.prepare(`SELECT id, host_pid FROM sweeps WHERE status = 'running'`).all() as {
      id: string;
      host_pid: number | null;
    }[];
    const orphans = open.filter((s) => s.host_pid === null || !isAlive(s.host_pid)).map((s) => s.id);
    const error = JSON.stringify({ code: 'internal', message: 'The app stopped before this sweep finished.' });
    const trialError = JSON.stringify({ code: 'internal', message: 'The app stopped before this trial finished.' });
    const markSweep = this.db.prepare(
      `UPDATE sweeps SET status = 'interrupted', error_json = ?, finished_at = ?, host_pid = NULL WHERE id = ?`,
    );
    const markTrials = this.db.prepare(
      `UPDATE sweep_trials SET state = 'interrupted', error_json = ? WHERE sweep_id = ? AND state = 'running'`,
    );
    this.db.transaction(() =>
      orphans.forEach((id) => {
        markSweep.run(error, now, id);
        markTrials.run(trialError, id);
      }),
    )();
    return orphans;
  }
}
