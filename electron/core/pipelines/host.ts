// What the pipeline node kinds need from the rest of the engine: data, training, the registry,
// endpoints and monitoring. The service implements it over its repos, run queue and endpoint supervisor, so the
// kinds stay small and the executor runs them without knowing the service.
import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  AlertRule,
  Endpoint,
  MethodArg,
  MethodInput,
  MonitoringOverview,
  RetrainPolicy,
  Run,
  RunProgress,
  Sweep,
  SweepProgress,
} from '../../../shared/api.js';
import type { PipelineTable } from '../db/datasets-repo.js';

/** A dataset version a step reads. */
export interface ResolvedDataset {
  name: string;
  version: number;
  versionId: string;
  contentHash: string;
  /** Its Parquet file (absolute): the table, or a picture dataset's index of pictures. */
  file: string;
  /** Whether it is a picture dataset (a CNN trains on it) rather than a table. */
  pictures: boolean;
}

export interface PipelineHost {
  /** A DuckDB connection of the step's own; the caller closes it. */
  connect(): Promise<DuckDBConnection>;
  /** A dataset by name or id at a version (the latest when absent); undefined when there is none. */
  findDataset(ref: string, version?: number): ResolvedDataset | undefined;
  /**
   * The file a dataset node names, resolved against the pipeline's folder by the host's file
   * policy (file-access.ts): the app hosts keep it inside that folder. Throws when refused.
   */
  sourceFile(ref: string, baseDir: string): Promise<string>;
  /**
   * Imports a file as a version of dataset `name`; identical content gives the existing version.
   * With `pipeline`, the table is that pipeline's (kept out of the user's list, traced to its source).
   */
  importFile(file: string, name: string, pipeline?: PipelineTable): Promise<ResolvedDataset>;
  /** The dataset a saved source feeds, by the source's name; undefined when there is no such source. */
  sourceDataset(name: string): string | undefined;
  /**
   * Refreshes a source (as `sources.refresh` does, recorded as a pipeline's refresh); joins a refresh
   * of it already under way. Aborting cancels it. Fails with the refresh's error.
   */
  refreshSource(name: string, signal: AbortSignal): Promise<void>;
  /** Queues a training run and waits for its end; fails with the run's error. */
  train(
    req: MethodArg<'runs.start'>,
    hooks: { started(runId: string): void; progress(p: RunProgress): void },
    signal: AbortSignal,
  ): Promise<Run>;
  /**
   * Runs a sweep (sweeps.start) to its end and gives it with its best trial's run; fails when it
   * failed or no trial completed. Aborting cancels it.
   */
  sweep(
    req: MethodInput<'sweeps.start'>,
    hooks: { progress(p: SweepProgress): void },
    signal: AbortSignal,
  ): Promise<{ sweep: Sweep; best: Run }>;
  /** A training run as runs.get gives it; undefined when there is none. */
  run(runId: string): Run | undefined;
  /** A model version's folder (absolute) and artifact sha256; undefined when it does not exist. */
  modelFiles(name: string, version: number): { dir: string; sha256: string } | undefined;
  /** The version an alias points at; undefined when unset. */
  aliasVersion(name: string, alias: string): number | undefined;
  setAlias(name: string, alias: string, version: number, reason: string): void;
  endpoints(): Endpoint[];
  startEndpoint(req: MethodArg<'endpoints.start'>): Promise<Endpoint>;
  stopEndpoint(id: string): Promise<void>;
  /** Re-resolves every endpoint's references (hot-swapping moved aliases) and waits for it. */
  refreshEndpoints(): Promise<void>;
  /** Every alert rule (of every model), as monitoring.rules.list gives them. */
  alertRules(): AlertRule[];
  /**
   * Creates or updates a rule as monitoring.rules.save does. With `createWithId`, an id not in use
   * creates the rule under that id: a pipeline step names its rules so a rerun finds and replaces them.
   */
  saveAlertRule(rule: MethodInput<'monitoring.rules.save'>, options?: { createWithId?: boolean }): Promise<AlertRule>;
  deleteAlertRule(id: string): boolean;
  /** The model's retrain policy as saved, else its defaults (monitoring.retrainPolicy.get). */
  retrainPolicy(model: string): RetrainPolicy;
  setRetrainPolicy(policy: MethodInput<'monitoring.retrainPolicy.set'>): Promise<RetrainPolicy>;
  monitoringOverview(req: MethodInput<'monitoring.overview'>): Promise<MonitoringOverview>;
}
