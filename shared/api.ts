// The one contract between the UI and the engine (DESIGN.md, "The contract").
// Every host validates every incoming call against these schemas; the renderer's client is
// typed from them. Each domain's schemas are in shared/api/<domain>.ts; this index re-exports them
// and binds them into the method and event maps. Nothing here imports node:, DOM or electron.
import { z } from 'zod';

import {
  ColumnProfile,
  ColumnType,
  Dataset,
  DatasetDetail,
  ImportRequest,
  ImportResult,
  RowsPage,
  RowsQuery,
  SampleInfo,
} from './api/datasets.js';
import { type ApiErrorShape } from './api/errors.js';
import {
  AddPicturesRequest,
  ImagePredictionsPage,
  ImagePredictionsQuery,
  ImageProfile,
  ImagesPage,
  ImagesQuery,
  MAX_STAGED_PICTURES,
  StagedPicture,
  StagePictureRequest,
} from './api/images.js';
import { AppInfo } from './api/app.js';
import { JobFinished, JobProgress, JobStarted } from './api/jobs.js';
import {
  Run,
  RunFinished,
  RunGroups,
  RunGroupsRequest,
  RunProgress,
  RunRequest,
  RunsListRequest,
  RunSummary,
} from './api/runs.js';
import { ExplainRequest, ExplainResult } from './api/explain.js';
import { Sweep, SweepDetail, SweepProgress, SweepPromotion, SweepRequest, SweepSummary } from './api/sweeps.js';
import { ExportFormat } from './api/models.js';
import {
  AliasEvent,
  AliasName,
  ModelCardView,
  ModelDetail,
  ModelImportRequest,
  ModelRef,
  ModelSummary,
  ModelVersionInfo,
  PredictFileRequest,
  PredictFileResult,
} from './api/models.js';
import {
  Endpoint,
  EndpointStartRequest,
  EndpointStats,
  EndpointStatsRequest,
  EndpointTestRequest,
  EndpointTestResult,
} from './api/endpoints.js';
import {
  PipelineDetail,
  PipelineFromTemplateRequest,
  PipelineRef,
  PipelineRun,
  PipelineRunSummary,
  PipelineStep,
  PipelineSummary,
  PipelineTemplateInfo,
} from './api/pipelines.js';
import {
  Alert,
  AlertRule,
  AlertRuleInput,
  FeedbackCsvRequest,
  FeedbackItem,
  FeedbackResult,
  MonitoredModel,
  MonitoringOverview,
  MonitoringOverviewRequest,
  RetrainDecision,
  RetrainPolicy,
  RetrainPolicyInput,
  RetrainPlan,
  RetrainRequest,
  RetrainStarted,
} from './api/monitoring.js';
import {
  ScheduleCheck,
  Source,
  SourceAddRequest,
  SourceDetail,
  SourcePreview,
  SourcePreviewRequest,
  SourceRefresh,
  SourceRefreshProgress,
  SourceRefreshResult,
  SourceTargetRequest,
  SourceUpdateRequest,
} from './api/sources.js';
import { PipelineIssue, PipelineSpec } from './pipeline.js';

export * from './api/datasets.js';
export * from './api/errors.js';
export * from './api/images.js';
export * from './api/app.js';
export * from './api/jobs.js';
export * from './api/runs.js';
export * from './api/sweeps.js';
export * from './api/models.js';
export * from './api/explain.js';
export * from './api/endpoints.js';
export * from './api/pipelines.js';
export * from './api/monitoring.js';
export * from './api/sources.js';

const ModelName = z.object({ model: z.string().min(1) });
const NamedSource = z.object({ name: z.string().min(1) });

const Empty = z.object({}).strict().default({});
const ColumnTypeChange = z.object({ versionId: z.string(), column: z.string(), type: ColumnType });
const Ref = z.object({ ref: z.string().min(1), version: z.number().int().positive().optional() });

/** Method name -> argument and result schemas. */
export const methods = {
  'app.info': { input: Empty, output: AppInfo },
  'datasets.list': { input: Empty, output: z.array(Dataset) },
  'datasets.get': { input: Ref, output: DatasetDetail },
  'datasets.rows': { input: RowsQuery, output: RowsPage },
  /** The profile a type correction would give the column (how many values it would invalidate), not stored. */
  'datasets.previewColumnType': { input: ColumnTypeChange, output: ColumnProfile },
  'datasets.setColumnType': { input: ColumnTypeChange, output: ColumnProfile },
  'datasets.import': { input: ImportRequest, output: JobStarted },
  /** An image dataset version's class counts, sizes, colour modes, duplicates and unreadable files. */
  'datasets.imageProfile': { input: z.object({ versionId: z.string().min(1) }), output: ImageProfile },
  /** A page of an image dataset version's pictures (one class or all), with their thumbnails' URLs. */
  'datasets.images': { input: ImagesQuery, output: ImagesPage },
  /** Keeps one camera picture (checked as the import checks a file) until datasets.addPictures saves it. */
  'datasets.stagePicture': { input: StagePictureRequest, output: StagedPicture },
  /** Forgets staged pictures the user removed before saving. */
  'datasets.discardPictures': {
    input: z.object({ staged: z.array(z.string().min(1)).max(MAX_STAGED_PICTURES) }),
    output: z.object({ discarded: z.number() }),
  },
  /**
   * Makes the dataset's next version from a version's pictures and staged ones, each in its class
   * (a picture already in that class adds nothing; nothing new makes no version: created false).
   */
  'datasets.addPictures': { input: AddPicturesRequest, output: ImportResult },
  'samples.list': { input: Empty, output: z.array(SampleInfo) },
  /** Imports a shipped sample as a dataset named by its id, like datasets.import. */
  'samples.import': { input: z.object({ id: z.string().min(1) }), output: JobStarted },
  /** Runs the import to completion and returns its result: for the CLI and scripts. */
  'datasets.importNow': { input: ImportRequest, output: ImportResult },
  'runs.start': { input: RunRequest, output: z.object({ runId: z.string(), jobId: z.string() }) },
  /** Queues a run and waits for it to end: for the CLI and scripts. Fails with the run's error. */
  'runs.startNow': { input: RunRequest, output: Run },
  /** Runs newest first; with a query (shared/run-query/), those it keeps. */
  'runs.list': { input: RunsListRequest, output: z.array(RunSummary) },
  /** The runs a query keeps, grouped by a field, with each group's mean and spread of chosen metrics. */
  'runs.groups': { input: RunGroupsRequest, output: RunGroups },
  'runs.get': { input: z.object({ runId: z.string().min(1) }), output: Run },
  /**
   * A picture model's held-out pictures as its run scored them (a confusion matrix cell, its
   * mistakes by confidence): not_found for a run that kept none (not a picture model's).
   */
  'runs.imagePredictions': { input: ImagePredictionsQuery, output: ImagePredictionsPage },
  'runs.cancel': { input: z.object({ runId: z.string().min(1) }), output: z.object({ cancelled: z.boolean() }) },
  /**
   * Checks a sweep (space, metric, budget) and starts it: trials train one after another as runs
   * (sweep.progress events follow); with `wait`, answers when it ends.
   */
  'sweeps.start': { input: SweepRequest, output: Sweep },
  /** Sweeps newest first. */
  'sweeps.list': { input: Empty, output: z.array(SweepSummary) },
  'sweeps.get': { input: z.object({ sweepId: z.string().min(1) }), output: SweepDetail },
  /** Continues a paused, interrupted (or cancelled) sweep with the budget left, from its saved trials. */
  'sweeps.resume': { input: z.object({ sweepId: z.string().min(1), wait: z.boolean().default(false) }), output: Sweep },
  /** Stops a running sweep: its training trial is cancelled, no other starts. */
  'sweeps.cancel': { input: z.object({ sweepId: z.string().min(1) }), output: z.object({ cancelled: z.boolean() }) },
  /** Starts no new trial of a running sweep; the one training finishes, then it is paused (resume goes on). */
  'sweeps.pause': { input: z.object({ sweepId: z.string().min(1) }), output: z.object({ pausing: z.boolean() }) },
  /** Points an alias (default "champion") at the model version the sweep's best trial saved. */
  'sweeps.promote': {
    input: z.object({ sweepId: z.string().min(1), alias: AliasName.default('champion') }),
    output: SweepPromotion,
  },
  'models.predictFile': { input: PredictFileRequest, output: PredictFileResult },
  'models.list': { input: Empty, output: z.array(ModelSummary) },
  'models.get': { input: z.object({ name: z.string().min(1) }), output: ModelDetail },
  'models.card': { input: ModelRef, output: ModelCardView },
  /** Why a version predicts what it does, as its run computed on its test rows (api/explain.ts). */
  'models.explain': { input: ExplainRequest, output: ExplainResult },
  /** Points an alias at a version (setting or moving it), recorded with its reason. */
  'models.setAlias': {
    input: z.object({
      name: z.string().min(1),
      alias: AliasName,
      version: z.number().int().positive(),
      reason: z.string().max(2000).default(''),
    }),
    output: AliasEvent,
  },
  'models.removeAlias': {
    input: z.object({ name: z.string().min(1), alias: AliasName, reason: z.string().max(2000).default('') }),
    output: AliasEvent,
  },
  /** Puts an alias back where it pointed before its last move (removing it if that move first set it). */
  'models.rollbackAlias': {
    input: z.object({ name: z.string().min(1), alias: AliasName, reason: z.string().max(2000).default('') }),
    output: AliasEvent,
  },
  'models.updateVersion': {
    input: z.object({
      name: z.string().min(1),
      version: z.number().int().positive(),
      notes: z.string().max(20_000).optional(),
      tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    }),
    output: ModelVersionInfo,
  },
  /** Refused (conflict) while an alias or an endpoint uses the version; removes its files too. */
  'models.deleteVersion': {
    input: z.object({ name: z.string().min(1), version: z.number().int().positive() }),
    output: z.object({ name: z.string(), version: z.number(), modelDeleted: z.boolean() }),
  },
  /** Writes a version as a self-contained zip bundle. */
  'models.export': {
    /** `out` must be in an existing folder; an existing file is replaced only with `overwrite`. */
    input: ModelRef.extend({
      out: z.string().min(1),
      overwrite: z.boolean().default(false),
      /** A Cairn bundle (zip, importable), or ONNX (preprocessing inside the graph, for other runtimes). */
      format: ExportFormat.default('bundle'),
    }),
    output: z.object({ name: z.string(), version: z.number(), path: z.string(), bytes: z.number() }),
  },
  /** Imports a bundle, checked entry by entry, as a new version (origin 'import'). */
  'models.import': { input: ModelImportRequest, output: ModelVersionInfo },
  'jobs.cancel': { input: z.object({ jobId: z.string() }), output: z.object({ cancelled: z.boolean() }) },
  'endpoints.list': { input: Empty, output: z.array(Endpoint) },
  /** Starts a prediction endpoint in its own supervised process; resolves once it listens. */
  'endpoints.start': { input: EndpointStartRequest, output: Endpoint },
  /** Drains (answers what is in flight) and stops an endpoint. */
  'endpoints.stop': { input: z.object({ endpointId: z.string().min(1) }), output: z.object({ stopped: z.boolean() }) },
  /** Request rate, errors and latency percentiles per time bucket, aggregated from the request log. */
  'endpoints.stats': { input: EndpointStatsRequest, output: EndpointStats },
  /** Posts instances to a running endpoint (with its API key) and returns its answer and latency. */
  'endpoints.testPredict': { input: EndpointTestRequest, output: EndpointTestResult },
  'pipelines.list': { input: Empty, output: z.array(PipelineSummary) },
  /** A pipeline (by id or name) at a version (the latest when absent), with its version history. */
  'pipelines.get': {
    input: PipelineRef.extend({ version: z.number().int().positive().optional() }),
    output: PipelineDetail,
  },
  /**
   * Saves a spec as a new version: of pipeline `id`, or a new pipeline named by the spec (conflict if
   * that name is taken). A half-drawn pipeline is saved as a draft: its problems come back in `issues`
   * (naming node and field) and it cannot run until they are fixed. Refused as invalid_argument (with
   * details.issues) only when it is not a pipeline document at all (no name, malformed nodes or edges).
   * Identical content makes no new version (created false).
   */
  'pipelines.save': {
    input: z.object({ id: z.string().min(1).optional(), spec: z.unknown(), message: z.string().max(2000).default('') }),
    output: z.object({
      pipeline: PipelineSummary,
      version: z.number(),
      created: z.boolean(),
      issues: z.array(PipelineIssue),
    }),
  },
  /** Checks a spec without saving it: the file's own rules, then that its datasets exist. */
  'pipelines.validate': {
    input: z.object({ spec: z.unknown() }),
    output: z.object({ issues: z.array(PipelineIssue) }),
  },
  /** Deletes a pipeline with its versions and run history (conflict while it runs). */
  'pipelines.delete': { input: PipelineRef, output: z.object({ deleted: z.boolean() }) },
  'pipelines.templates': { input: Empty, output: z.array(PipelineTemplateInfo) },
  /** A new (unsaved) spec from a template, for a dataset and target. */
  'pipelines.fromTemplate': { input: PipelineFromTemplateRequest, output: PipelineSpec },
  /** Starts a run of a saved pipeline version (the latest when absent); progress comes as pipeline.* events. */
  'pipelines.run': {
    input: PipelineRef.extend({ version: z.number().int().positive().optional() }),
    output: z.object({ runId: z.string() }),
  },
  /**
   * Runs a pipeline file to its end (for the CLI and scripts): the file is saved as a version of the
   * pipeline its name names (created when new, a version only when changed), and relative file paths
   * in it resolve against its folder. Returns the run whatever its outcome; fails only if it cannot start.
   */
  'pipelines.runFile': { input: z.object({ path: z.string().min(1) }), output: PipelineRun },
  /** Cancels a running pipeline run: the running steps stop, the rest are skipped. */
  'pipelines.cancel': { input: z.object({ runId: z.string().min(1) }), output: z.object({ cancelled: z.boolean() }) },
  /** Runs newest first: of one pipeline, or of all. */
  'pipelines.runs': {
    input: z.object({ pipelineId: z.string().min(1).optional() }),
    output: z.array(PipelineRunSummary),
  },
  'pipelines.runGet': { input: z.object({ runId: z.string().min(1) }), output: PipelineRun },
  /** Models with traffic, rules or retrain decisions, with their last day's totals and firing alerts. */
  'monitoring.models': { input: Empty, output: z.array(MonitoredModel) },
  /** Traffic, latency, predictions, drift and live quality of a model (or one version) over a window. */
  'monitoring.overview': { input: MonitoringOverviewRequest, output: MonitoringOverview },
  /** Ground truth for logged predictions of a model, written where the endpoint's feedback route writes it. */
  'monitoring.feedback': {
    input: ModelName.extend({ items: z.array(FeedbackItem).min(1).max(100_000) }),
    output: FeedbackResult,
  },
  /** The same from CSV (text or a file) with `id` and `label` columns; bad rows are reported by line. */
  'monitoring.feedbackCsv': { input: FeedbackCsvRequest, output: FeedbackResult.extend({ rows: z.number() }) },
  'monitoring.rules.list': {
    input: z.object({ model: z.string().min(1).optional() }).default({}),
    output: z.array(AlertRule),
  },
  /** Creates a rule, or updates the one with `id`; it is evaluated at once. */
  'monitoring.rules.save': { input: AlertRuleInput, output: AlertRule },
  'monitoring.rules.delete': { input: z.object({ id: z.string().min(1) }), output: z.object({ deleted: z.boolean() }) },
  /** Fired alerts, newest first. */
  'monitoring.alerts': {
    input: z
      .object({
        model: z.string().min(1).optional(),
        status: z.enum(['firing', 'resolved', 'all']).default('all'),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .default({ status: 'all', limit: 200 }),
    output: z.array(Alert),
  },
  /** The model's retrain policy; the defaults (saved: false) when none was saved. */
  'monitoring.retrainPolicy.get': { input: ModelName, output: RetrainPolicy },
  'monitoring.retrainPolicy.set': { input: RetrainPolicyInput, output: RetrainPolicy },
  /** What a retrain would train on now, and whether anything is new since the champion was trained. */
  'monitoring.retrainPlan': { input: ModelName, output: RetrainPlan },
  /**
   * Starts a retrain (run, then decision) and answers at once; run.* and retrain.decided events
   * follow. Refused (conflict) when nothing is new, unless forced.
   */
  'monitoring.retrain': { input: RetrainRequest, output: RetrainStarted },
  /** Retrains and waits for the decision: for the CLI and scripts. Refused like retrain when nothing is new. */
  'monitoring.retrainNow': { input: RetrainRequest, output: RetrainDecision },
  /** Every retrain decision, newest first. */
  'monitoring.decisions': {
    input: z
      .object({ model: z.string().min(1).optional(), limit: z.number().int().min(1).max(10_000).default(100) })
      .default({ limit: 100 }),
    output: z.array(RetrainDecision),
  },
  /** Saved sources by name, each with its last refresh. */
  'sources.list': { input: Empty, output: z.array(Source) },
  'sources.get': { input: NamedSource, output: SourceDetail },
  /**
   * Saves a source (conflict if the name is taken); a password in its URL or form goes to the
   * secret store. With `refresh`, makes its first version before answering; a failed first refresh
   * fails the call, and the source stays saved with the failure in its history.
   */
  'sources.add': { input: SourceAddRequest, output: Source },
  'sources.update': { input: SourceUpdateRequest, output: Source },
  /** Forgets a source, its refresh history and its stored secret; the dataset it fed stays. */
  'sources.remove': { input: NamedSource, output: z.object({ removed: z.boolean() }) },
  /** Connects and checks access (and that the query parses) without reading the result. */
  'sources.test': { input: SourceTargetRequest, output: z.object({ ok: z.literal(true), seconds: z.number() }) },
  /** The first rows a source reads, for the form's preview; nothing is saved. */
  'sources.preview': { input: SourcePreviewRequest, output: SourcePreview },
  /**
   * Reads the source now and imports it into its dataset: a new version only when the content
   * changed. Waits for the end (source.refresh events report progress); conflict while one runs.
   * A failure leaves the datasets as they were and is recorded in the history.
   */
  'sources.refresh': { input: NamedSource, output: SourceRefreshResult },
  /** Refreshes of a source, newest first. */
  'sources.history': {
    input: NamedSource.extend({ limit: z.number().int().min(1).max(10_000).default(50) }),
    output: z.array(SourceRefresh),
  },
  /** Stops a source's running refresh: nothing is imported. */
  'sources.cancelRefresh': { input: NamedSource, output: z.object({ cancelled: z.boolean() }) },
  /** Checks a cron schedule and gives its next run times (invalid_argument naming the field that does not parse). */
  'sources.checkSchedule': {
    input: z.object({ schedule: z.string(), count: z.number().int().min(1).max(20).default(5) }),
    output: ScheduleCheck,
  },
} as const;

/** Event name -> payload schema. */
export const events = {
  'job.started': JobStarted,
  'job.progress': JobProgress,
  'job.finished': JobFinished,
  /** A run was recorded and waits its turn (it may start at once). */
  'run.queued': z.object({ runId: z.string() }),
  'run.started': z.object({ runId: z.string() }),
  'run.progress': RunProgress,
  'run.finished': RunFinished,
  /** A sweep's trial started or ended, or the sweep ended. */
  'sweep.progress': SweepProgress,
  /** A model's versions, aliases, notes or tags changed (a run saved one, an import, a delete...). */
  'model.changed': z.object({ name: z.string() }),
  /** An endpoint started, listened, died and restarted, swapped models, or stopped. */
  'endpoint.status': Endpoint,
  /** A pipeline was saved (a new version) or deleted. */
  'pipeline.changed': z.object({ id: z.string() }),
  /** A pipeline run was queued, started or ended. */
  'pipeline.run': PipelineRunSummary,
  /** A step of a pipeline run changed state, or reported progress. */
  'pipeline.step': PipelineStep.extend({ runId: z.string(), pipelineId: z.string() }),
  /** A rule's value crossed its threshold (recorded in monitoring.alerts). */
  'alert.fired': Alert,
  /** A firing rule's value went back within its threshold. */
  'alert.resolved': Alert,
  /** A retrain's run was queued; its progress comes as run.* events. */
  'retrain.started': RetrainStarted,
  /** A retrain ended: promoted, kept unpromoted, or failed, with why. */
  'retrain.decided': RetrainDecision,
  /** New feedback labels arrived for a model (from the app; the endpoint's route is seen at the next overview). */
  'monitoring.changed': z.object({ model: z.string() }),
  /** A source was added, changed, removed, or a refresh of it began or ended. */
  'source.changed': z.object({ name: z.string() }),
  /** A refresh's progress: bytes or rows read, importing, ended (with its record). */
  'source.refresh': SourceRefreshProgress,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodArg<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** The reply envelope every transport uses. */
export type CallReply<M extends MethodName> =
  { ok: true; result: MethodResult<M> } | { ok: false; error: ApiErrorShape };

/** What a renderer holds: one typed call and one typed event subscription. */
export interface CairnClient {
  call<M extends MethodName>(method: M, arg: MethodInput<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}
