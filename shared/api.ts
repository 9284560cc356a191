// The one contract between the UI and the engine (DESIGN.md, "The contract").
// Every host validates every incoming call against these schemas; the renderer's client is
// typed from them. This file imports nothing but zod: no node:, DOM or electron.
import { z } from 'zod';
import { ALIAS_PATTERN, ALIAS_RULE } from './names.js';
import { PipelineIssue, PipelineSpec, StepOutput, StepState } from './pipeline.js';
import {
  ACTIVATION,
  BATCH_SIZE,
  CLASS_WEIGHT,
  choiceSchema,
  DROPOUT,
  EPOCHS,
  L2,
  LEARNING_RATE,
  MAX_HIDDEN_LAYERS,
  MIN_DELTA,
  MONITOR,
  numberSchema,
  OPTIMIZER,
  PATIENCE,
  SEED,
  UNITS,
} from './training-settings.js';

/** Semantic column types a user sees and may correct. */
export const columnTypes = ['numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text'] as const;
export const ColumnType = z.enum(columnTypes);
export type ColumnType = z.infer<typeof ColumnType>;

/** A cell as it crosses the boundary: integers beyond 2^53 travel as strings so no digit is lost. */
export const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof Cell>;

export const HistogramBin = z.object({ lo: z.number(), hi: z.number(), count: z.number() });
export type HistogramBin = z.infer<typeof HistogramBin>;
export const TopValue = z.object({ value: z.string(), count: z.number() });

export const ColumnProfile = z.object({
  name: z.string(),
  type: ColumnType,
  inferredType: ColumnType,
  /** DuckDB's storage type in the Parquet file, e.g. BIGINT, DOUBLE, VARCHAR. */
  storageType: z.string(),
  missing: z.number(),
  /** Values present in the file that could not be read as `type` (after a user's correction). */
  invalid: z.number(),
  /** Infinity, -Infinity (and 1e309, which overflows to it); kept, but left out of the statistics. */
  nonFinite: z.number(),
  distinct: z.number(),
  distinctApprox: z.boolean(),
  min: Cell.optional(),
  max: Cell.optional(),
  mean: z.number().nullable().optional(),
  std: z.number().nullable().optional(),
  quantiles: z.array(z.object({ q: z.number(), value: z.number() })).optional(),
  histogram: z.array(HistogramBin).optional(),
  topValues: z.array(TopValue).optional(),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

export const Dataset = z.object({
  id: z.string(),
  name: z.string(),
  latestVersion: z.number(),
  versionCount: z.number(),
  rows: z.number(),
  columns: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Dataset = z.infer<typeof Dataset>;

export const SourceFormat = z.enum(['csv', 'json', 'parquet']);
export type SourceFormat = z.infer<typeof SourceFormat>;

export const DatasetVersion = z.object({
  id: z.string(),
  datasetId: z.string(),
  version: z.number(),
  contentHash: z.string(),
  sourcePath: z.string(),
  sourceFormat: SourceFormat,
  sizeBytes: z.number(),
  rows: z.number(),
  columns: z.number(),
  skippedRows: z.number(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
});
export type DatasetVersion = z.infer<typeof DatasetVersion>;

export const DatasetDetail = z.object({
  dataset: Dataset,
  versions: z.array(DatasetVersion),
  version: DatasetVersion,
  columns: z.array(ColumnProfile),
});
export type DatasetDetail = z.infer<typeof DatasetDetail>;

export const RowFilterOp = z.enum(['contains', 'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_null', 'not_null']);
export type RowFilterOp = z.infer<typeof RowFilterOp>;
export const RowFilter = z.object({
  column: z.string(),
  op: RowFilterOp,
  value: z.union([z.string(), z.number()]).optional(),
});
export type RowFilter = z.infer<typeof RowFilter>;

export const RowsQuery = z.object({
  versionId: z.string(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  sort: z.object({ column: z.string(), direction: z.enum(['asc', 'desc']) }).optional(),
  filters: z.array(RowFilter).max(50).default([]),
  /** Only these columns (in this order); all when absent. Lets the UI page through very wide tables. */
  columns: z.array(z.string()).min(1).max(1000).optional(),
});
export type RowsQuery = z.input<typeof RowsQuery>;

export const RowsPage = z.object({
  columns: z.array(z.string()),
  /** Each row begins with its 1-based row number in the original file order. */
  rows: z.array(z.array(Cell)),
  total: z.number(),
  offset: z.number(),
});
export type RowsPage = z.infer<typeof RowsPage>;

export const BadRowsPolicy = z.enum(['fail', 'skip']);
export type BadRowsPolicy = z.infer<typeof BadRowsPolicy>;

export const ImportRequest = z.object({
  path: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
  badRows: BadRowsPolicy.default('fail'),
  /** Set by the browser host for uploaded files: the temporary copy is removed after import. */
  removeSourceAfter: z.boolean().default(false),
  /** The file's own name when `path` is a temporary upload. */
  originalName: z.string().optional(),
});
export type ImportRequest = z.input<typeof ImportRequest>;

export const ImportResult = z.object({
  datasetId: z.string(),
  versionId: z.string(),
  name: z.string(),
  version: z.number(),
  rows: z.number(),
  /** False when identical content was already imported: nothing new was created. */
  created: z.boolean(),
  skippedRows: z.number(),
  columns: z.array(ColumnProfile),
  /** What the user should know about how the file was read (columns kept as text, invented names...). */
  warnings: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ErrorCode = z.enum([
  'invalid_argument',
  'not_found',
  'unauthorized',
  'import_failed',
  'bad_rows',
  'cancelled',
  /** The action conflicts with the current state, e.g. deleting a version an alias points at. */
  'conflict',
  /** A pipeline's evaluate step found a gate (e.g. accuracy >= 0.9) not met. */
  'gate_failed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Errors cross the boundary as data, never as stacks. */
export const ApiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

export const BackendName = z.enum(['tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const AppInfo = z.object({
  version: z.string(),
  home: z.string(),
  backend: z.object({
    name: BackendName,
    tried: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
  }),
  electron: z.object({ present: z.boolean(), version: z.string().optional() }),
  versions: z.record(z.string(), z.string()),
  host: z.enum(['desktop', 'browser', 'cli']),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const JobKind = z.enum(['import', 'train']);
export type JobKind = z.infer<typeof JobKind>;
export const JobStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobProgress = z.object({
  jobId: z.string(),
  kind: JobKind,
  phase: z.enum(['checking', 'hashing', 'reading', 'profiling', 'saving']),
  /** 0..1 over the whole job, for one progress bar. */
  fraction: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  rows: z.number().optional(),
  label: z.string(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobFinished = z.object({
  jobId: z.string(),
  kind: JobKind,
  status: JobStatus,
  result: ImportResult.optional(),
  error: ApiErrorShape.optional(),
});
export type JobFinished = z.infer<typeof JobFinished>;

export const JobStarted = z.object({ jobId: z.string(), kind: JobKind, label: z.string() });
export type JobStarted = z.infer<typeof JobStarted>;

export const TaskName = z.enum(['classification', 'regression']);
export type TaskName = z.infer<typeof TaskName>;
export const ModelKindName = z.enum(['logistic_regression', 'linear_regression', 'mlp']);
export type ModelKindName = z.infer<typeof ModelKindName>;
export const RunStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** What a user picks for one training run; everything but the dataset and target has a default. */
export const RunRequest = z.object({
  /** Dataset name or id. */
  dataset: z.string().min(1),
  /** Dataset version number; the latest when absent. */
  version: z.number().int().positive().optional(),
  target: z.string().min(1),
  /** Inferred from the target's type when absent. */
  task: TaskName.optional(),
  /** Feature columns; every other column when absent (some may then be dropped by preprocessing). */
  features: z.array(z.string().min(1)).min(1).optional(),
  model: ModelKindName.default('mlp'),
  // Bounds and defaults: shared/training-settings.ts.
  hiddenLayers: z
    .array(
      z.object({
        units: numberSchema(UNITS),
        activation: choiceSchema(ACTIVATION).optional(),
        dropout: numberSchema(DROPOUT).optional(),
      }),
    )
    .max(MAX_HIDDEN_LAYERS)
    .optional(),
  l2: numberSchema(L2).optional(),
  epochs: numberSchema(EPOCHS).optional(),
  batchSize: numberSchema(BATCH_SIZE).optional(),
  learningRate: numberSchema(LEARNING_RATE).optional(),
  optimizer: choiceSchema(OPTIMIZER).optional(),
  classWeight: choiceSchema(CLASS_WEIGHT).optional(),
  /** Stop when the monitored metric stops improving; off when absent. */
  earlyStopping: z
    .object({
      monitor: choiceSchema(MONITOR).default(MONITOR.default),
      patience: numberSchema(PATIENCE).default(PATIENCE.default),
      /** A change smaller than this is not an improvement. */
      minDelta: numberSchema(MIN_DELTA).default(MIN_DELTA.default),
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  /** A datetime column: split in time (oldest rows train, newest test) instead of at random. */
  timeColumn: z.string().min(1).optional(),
  /** A column assigning each row to train, validation or test (as a pipeline's split step writes it); replaces split and timeColumn. */
  splitColumn: z.string().min(1).optional(),
  /** Seeds the split, the initial weights, dropout and the batch order. */
  seed: numberSchema(SEED).optional(),
  split: z
    .object({ train: z.number().positive(), validation: z.number().min(0), test: z.number().positive() })
    .optional(),
  /** The model the run's result is saved under; the dataset's name by default. */
  modelName: z.string().trim().min(1).max(200).optional(),
});
export type RunRequest = z.input<typeof RunRequest>;

export const EpochRecord = z.object({ epoch: z.number(), logs: z.record(z.string(), z.number()) });
export type EpochRecord = z.infer<typeof EpochRecord>;

export const Run = z.object({
  id: z.string(),
  datasetVersionId: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number(),
  status: RunStatus,
  task: TaskName.nullable(),
  target: z.string(),
  modelKind: ModelKindName,
  /** Fully resolved: model, training and split parameters with every default filled in. */
  params: z.record(z.string(), z.unknown()),
  preprocess: z.record(z.string(), z.unknown()).nullable(),
  history: z.array(EpochRecord),
  /** {test: {...}}: accuracy, precision_macro, ... confusion, roc for classification; mae, rmse, r2 for regression. */
  metrics: z.record(z.string(), z.unknown()).nullable(),
  backend: z.string().nullable(),
  tfjsVersion: z.string().nullable(),
  datasetHash: z.string(),
  error: ApiErrorShape.nullable(),
  model: z.object({ name: z.string(), version: z.number() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

/**
 * A run as the runs table shows it: everything but the bulky parts (history, preprocessing,
 * curves, confusion matrices), so listing 10,000 runs stays a few megabytes.
 */
export const RunSummary = Run.omit({ preprocess: true, history: true, metrics: true }).extend({
  // params: as in Run, less `features`.
  /** The test split's scalar metrics (accuracy, f1_macro, ... or mae, rmse, r2); null until it succeeds. */
  testMetrics: z.record(z.string(), z.number().nullable()).nullable(),
  /** Epochs run so far (the length of the history). */
  epochsRun: z.number(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunProgress = z.object({
  runId: z.string(),
  /** 1-based number of the epoch just finished. */
  epoch: z.number(),
  epochs: z.number(),
  logs: z.record(z.string(), z.number()),
  etaMs: z.number(),
  fraction: z.number(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const RunFinished = z.object({ runId: z.string(), status: RunStatus, error: ApiErrorShape.optional() });
export type RunFinished = z.infer<typeof RunFinished>;

/** One row's prediction: a class with every class's probability, or a number. */
export const Prediction = z.union([
  z.object({ label: z.string(), probabilities: z.record(z.string(), z.number()) }),
  z.object({ value: z.number() }),
]);
export type Prediction = z.infer<typeof Prediction>;

/** An alias: a letter, then letters, digits, '.', '_' or '-' (so it can never be read as a version number). */
export const AliasName = z.string().trim().regex(ALIAS_PATTERN, ALIAS_RULE);

/** Scores a data file (CSV, TSV, JSON, NDJSON or Parquet) with a saved model version. */
export const PredictFileRequest = z.object({
  /** The model's name, or a reference `name@alias` / `name:version` when neither field below is given. */
  model: z.string().min(1),
  /** The model version; when neither it nor `alias` is given, the production alias, else the latest. */
  version: z.number().int().positive().optional(),
  /** An alias of the model, e.g. production. */
  alias: AliasName.optional(),
  path: z.string().min(1),
  /** Output file (.csv, .json or .ndjson): input columns plus prediction columns. */
  out: z.string().min(1).optional(),
  /** Whether `out` may replace an existing file (refused as a conflict otherwise). */
  overwrite: z.boolean().default(false),
});
export type PredictFileRequest = z.input<typeof PredictFileRequest>;

export const PredictFileResult = z.object({
  model: z.object({ name: z.string(), version: z.number() }),
  task: TaskName,
  classes: z.array(z.string()).nullable(),
  rows: z.number(),
  /** The file written (absolute), or null. */
  out: z.string().nullable(),
  /** Every prediction in row order; only when no output file was asked for. */
  predictions: z.array(Prediction).optional(),
  /** Input columns, then `prediction` and (for classes) `probability_<class>`. */
  columns: z.array(z.string()),
  /** The first rows, inputs and predictions, for a quick look. */
  preview: z.array(z.array(Cell)),
  warnings: z.array(z.string()),
});
export type PredictFileResult = z.infer<typeof PredictFileResult>;

/** Which model version a call means: `version`, else `alias`, else the production alias, else the latest. */
export const ModelRef = z.object({
  /** The model's name, or `name@alias` / `name:version` when neither field below is given. */
  name: z.string().min(1),
  version: z.number().int().positive().optional(),
  alias: AliasName.optional(),
});
export type ModelRef = z.input<typeof ModelRef>;

export const ModelOrigin = z.enum(['run', 'import']);
export type ModelOrigin = z.infer<typeof ModelOrigin>;

export const ModelAlias = z.object({ alias: z.string(), version: z.number(), updatedAt: z.string() });
export type ModelAlias = z.infer<typeof ModelAlias>;

/** One move of an alias: fromVersion null when it was first set, toVersion null when it was removed. */
export const AliasEvent = z.object({
  id: z.number(),
  alias: z.string(),
  fromVersion: z.number().nullable(),
  toVersion: z.number().nullable(),
  reason: z.string(),
  at: z.string(),
});
export type AliasEvent = z.infer<typeof AliasEvent>;

/** Where a version came from: its run and the dataset version it was trained on (as carried by a bundle for imports). */
export const ModelLineage = z.object({
  runId: z.string().nullable(),
  dataset: z.object({ name: z.string(), version: z.number(), hash: z.string() }).nullable(),
  target: z.string().nullable(),
  modelKind: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  /** The test split's scalar metrics. */
  metrics: z.record(z.string(), z.number().nullable()),
});
export type ModelLineage = z.infer<typeof ModelLineage>;

export const ModelVersionInfo = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number(),
  origin: ModelOrigin,
  task: TaskName.nullable(),
  createdAt: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  /** Aliases pointing at this version. */
  aliases: z.array(z.string()),
  /** sha256 of the version's artifact manifest. */
  sha256: z.string(),
  lineage: ModelLineage,
  /** For imports: where the bundle came from (model name and version when exported). */
  importedFrom: z.object({ name: z.string(), version: z.number(), exportedAt: z.string() }).nullable(),
});
export type ModelVersionInfo = z.infer<typeof ModelVersionInfo>;

export const ModelSummary = z.object({
  name: z.string(),
  versionCount: z.number(),
  latestVersion: z.number(),
  aliases: z.array(ModelAlias),
  /** The latest version's task. */
  task: TaskName.nullable(),
  createdAt: z.string(),
  /** When the latest version was made or an alias last moved. */
  updatedAt: z.string(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelDetail = z.object({
  model: ModelSummary,
  /** Newest first. */
  versions: z.array(ModelVersionInfo),
  /** Every alias move, newest first. */
  aliasHistory: z.array(AliasEvent),
});
export type ModelDetail = z.infer<typeof ModelDetail>;

/** One input column a model reads, as its preprocessing expects it. */
export const InputField = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'integer', 'boolean', 'categorical', 'datetime']),
  /** The categories seen in training (others are treated as unknown). */
  categories: z.array(z.string()).optional(),
});
export type InputField = z.infer<typeof InputField>;

/** What a model gives back per row. */
export const OutputSignature = z.union([
  z.object({ task: z.literal('classification'), target: z.string(), classes: z.array(z.string()) }),
  z.object({ task: z.literal('regression'), target: z.string() }),
]);
export type OutputSignature = z.infer<typeof OutputSignature>;

/** A short profile of the data a version was trained on. */
export const TrainingDataSummary = z.object({
  dataset: z.object({ name: z.string(), version: z.number(), hash: z.string() }),
  rows: z.number(),
  columns: z.array(
    z.object({
      name: z.string(),
      type: ColumnType,
      missing: z.number(),
      distinct: z.number(),
      min: Cell.optional(),
      max: Cell.optional(),
      mean: z.number().nullable().optional(),
      std: z.number().nullable().optional(),
      topValues: z.array(TopValue).optional(),
    }),
  ),
});
export type TrainingDataSummary = z.infer<typeof TrainingDataSummary>;

export const ModelCardView = z.object({
  name: z.string(),
  version: z.number(),
  task: TaskName,
  target: z.string(),
  modelKind: z.string(),
  classes: z.array(z.string()).nullable(),
  inputs: z.array(InputField),
  output: OutputSignature,
  /** Columns the preprocessing left out, with why. */
  dropped: z.array(z.object({ column: z.string(), reason: z.string() })),
  metrics: z.record(z.string(), z.unknown()),
  backend: z.string(),
  tfjsVersion: z.string(),
  createdAt: z.string(),
  trainingData: TrainingDataSummary.nullable(),
});
export type ModelCardView = z.infer<typeof ModelCardView>;

export const ModelImportRequest = z.object({
  path: z.string().min(1),
  /** The model name to import under; the bundle's own by default. */
  name: z.string().trim().min(1).max(200).optional(),
  /** Set by the browser host for uploaded files: the temporary copy is removed after import. */
  removeSourceAfter: z.boolean().default(false),
});
export type ModelImportRequest = z.input<typeof ModelImportRequest>;
/** Where a prediction endpoint is in its life; `restarting` after its process died. */
export const EndpointStatus = z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped', 'failed']);
export type EndpointStatus = z.infer<typeof EndpointStatus>;

/** One model version an endpoint serves (error: it could not be loaded, e.g. its files failed their check). */
export const EndpointModel = z.object({
  name: z.string(),
  version: z.number(),
  aliases: z.array(z.string()),
  /** Answers /v1/models/{name}/predict. */
  isDefault: z.boolean(),
  error: z.string().optional(),
});
export type EndpointModel = z.infer<typeof EndpointModel>;

export const Endpoint = z.object({
  id: z.string(),
  /** Base URL, e.g. http://127.0.0.1:8080; null until it first listens. */
  url: z.string().nullable(),
  host: z.string(),
  port: z.number().nullable(),
  status: EndpointStatus,
  /** The references it was started with (name, name@alias, name:version). */
  refs: z.array(z.string()),
  models: z.array(EndpointModel),
  pid: z.number().nullable(),
  /** Times its process died and was started again. */
  restarts: z.number(),
  startedAt: z.string(),
  /** Required as Authorization: Bearer when it binds a non-loopback address; null on loopback. */
  apiKey: z.string().nullable(),
  /** The last thing that happened to it, for the UI (e.g. why it restarted). */
  message: z.string().nullable(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const EndpointStartRequest = z.object({
  /** Model references: name (production, else latest), name@alias, name:version. */
  models: z.array(z.string().trim().min(1)).min(1).max(100),
  /** A free one when absent. */
  port: z.number().int().min(0).max(65535).optional(),
  /** 127.0.0.1 when absent; any other address gets an API key. */
  host: z.string().trim().min(1).max(255).optional(),
});
export type EndpointStartRequest = z.input<typeof EndpointStartRequest>;

/** A dataset that ships with Cairn, for a first look without a file of one's own. */
export const SampleInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The column a first model should predict, and what kind of task that is. */
  target: z.string(),
  task: TaskName,
  rows: z.number(),
  columns: z.number(),
  source: z.string(),
  license: z.string(),
});
export type SampleInfo = z.infer<typeof SampleInfo>;

/** Traffic of one endpoint over the last minutes, for its live chart. */
export const EndpointStatsRequest = z.object({
  endpointId: z.string().min(1),
  /** How far back from now; 300 s when absent. Endpoints keep their last 15 minutes per second. */
  windowSeconds: z.number().int().min(10).max(900).default(300),
  /** Bucket width; about 150 buckets over the window when absent. */
  bucketSeconds: z.number().int().min(1).max(900).optional(),
});
export type EndpointStatsRequest = z.input<typeof EndpointStatsRequest>;

/** Latency percentiles in ms over answered (status < 400) requests; null when there were none. */
const LatencyPercentiles = { p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() };

export const EndpointStatsBucket = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  /** HTTP requests the endpoint answered, predictions or refusals. */
  requests: z.number(),
  /** Requests answered with status 400 or more. */
  errors: z.number(),
  /** Instances predicted (one request may carry several). */
  predictions: z.number(),
  ...LatencyPercentiles,
});
export type EndpointStatsBucket = z.infer<typeof EndpointStatsBucket>;

/** What the endpoint's process has answered since it last started (a restart begins anew), per bucket. */
export const EndpointStats = z.object({
  endpointId: z.string(),
  /** Window start and end, epoch ms. */
  from: z.number(),
  to: z.number(),
  bucketSeconds: z.number(),
  /** Oldest first, every bucket of the window (empty ones with zero requests). */
  buckets: z.array(EndpointStatsBucket),
  total: z.object({ requests: z.number(), errors: z.number(), predictions: z.number(), ...LatencyPercentiles }),
});
export type EndpointStats = z.infer<typeof EndpointStats>;

/** A prediction sent to a running endpoint by the host on the UI's behalf (the UI may not reach other ports). */
export const EndpointTestRequest = z.object({
  endpointId: z.string().min(1),
  model: z.string().min(1),
  /** A version number, or an alias; the model's default (production, else latest) when neither. */
  version: z.number().int().positive().optional(),
  alias: z.string().min(1).max(64).optional(),
  instances: z.array(z.record(z.string(), z.unknown())).min(1).max(1_000),
});
export type EndpointTestRequest = z.input<typeof EndpointTestRequest>;

/** The endpoint's answer as it came: refusals (4xx, 5xx) are results here, not errors. */
export const EndpointTestResult = z.object({
  /** The URL posted to. */
  url: z.string(),
  status: z.number(),
  /** Round trip as the host measured it. */
  latencyMs: z.number(),
  /** The parsed JSON body (or the text when it was not JSON). */
  body: z.unknown(),
});
export type EndpointTestResult = z.infer<typeof EndpointTestResult>;

/** How a pipeline run ended (or where it is): gate_failed when every failure was an unmet gate. */
export const PipelineRunStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'gate_failed',
  'cancelled',
  'interrupted',
]);
export type PipelineRunStatus = z.infer<typeof PipelineRunStatus>;

export const PipelineSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number(),
  versionCount: z.number(),
  createdAt: z.string(),
  /** When the latest version was saved. */
  updatedAt: z.string(),
  lastRun: z
    .object({
      id: z.string(),
      version: z.number(),
      status: PipelineRunStatus,
      createdAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
});
export type PipelineSummary = z.infer<typeof PipelineSummary>;

export const PipelineVersionInfo = z.object({
  version: z.number(),
  savedAt: z.string(),
  /** What the save said about itself (may be empty). */
  message: z.string(),
  nodes: z.number(),
  /** sha256 of the spec's canonical JSON: saving identical content makes no new version. */
  specHash: z.string(),
});
export type PipelineVersionInfo = z.infer<typeof PipelineVersionInfo>;

export const PipelineDetail = z.object({
  pipeline: PipelineSummary,
  /** The version `spec` is. */
  version: z.number(),
  spec: PipelineSpec,
  /** Newest first. */
  versions: z.array(PipelineVersionInfo),
});
export type PipelineDetail = z.infer<typeof PipelineDetail>;

/** A step's live progress (train steps: epochs). */
export const StepProgress = z.object({ fraction: z.number(), label: z.string() });
export type StepProgress = z.infer<typeof StepProgress>;

/** One node's step in a pipeline run. */
export const PipelineStep = z.object({
  nodeId: z.string(),
  kind: z.string(),
  state: StepState,
  /** Its output came from an earlier run with the same inputs and parameters (state cached). */
  cached: z.boolean(),
  output: StepOutput.nullable(),
  /** Why it failed (code gate_failed for an unmet gate). */
  error: ApiErrorShape.nullable(),
  /** Why a skipped step did not run, e.g. an upstream step failed or the run was cancelled. */
  reason: z.string().nullable(),
  progress: StepProgress.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type PipelineStep = z.infer<typeof PipelineStep>;

export const PipelineRunSummary = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  /** The pipeline version it ran. */
  version: z.number(),
  status: PipelineRunStatus,
  error: ApiErrorShape.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Steps per state, e.g. {cached: 3, succeeded: 2}. */
  counts: z.partialRecord(StepState, z.number()),
});
export type PipelineRunSummary = z.infer<typeof PipelineRunSummary>;

export const PipelineRun = PipelineRunSummary.extend({
  /** In the order they can run (topological), every node of the version. */
  steps: z.array(PipelineStep),
  /** Training runs its train steps made (cached: made by an earlier run and reused). */
  trainingRuns: z.array(z.object({ nodeId: z.string(), runId: z.string(), cached: z.boolean() })),
  /** Model versions its steps made or used. */
  modelVersions: z.array(z.object({ nodeId: z.string(), name: z.string(), version: z.number(), cached: z.boolean() })),
});
export type PipelineRun = z.infer<typeof PipelineRun>;

export const PipelineTemplateName = z.enum(['tabular-classification', 'tabular-regression']);
export type PipelineTemplateName = z.infer<typeof PipelineTemplateName>;

export const PipelineTemplateInfo = z.object({
  id: PipelineTemplateName,
  label: z.string(),
  description: z.string(),
  task: TaskName,
  /** The gate it gets when none is given, e.g. accuracy >= 0.8. */
  defaultGate: z.string(),
});
export type PipelineTemplateInfo = z.infer<typeof PipelineTemplateInfo>;

export const PipelineFromTemplateRequest = z.object({
  template: PipelineTemplateName,
  /** A dataset name, or a CSV / Parquet file path. */
  dataset: z.string().trim().min(1),
  target: z.string().trim().min(1),
  /** Gates for the evaluate step, e.g. ["accuracy >= 0.9"]; the template's default when absent. */
  gates: z.array(z.string().trim().min(1)).max(20).optional(),
  /** The pipeline's name; from the dataset and template when absent. */
  name: z.string().trim().min(1).max(200).optional(),
});
export type PipelineFromTemplateRequest = z.input<typeof PipelineFromTemplateRequest>;

/** One pipeline: its id, or its name. */
const PipelineRef = z.object({ id: z.string().min(1) });
// ---- Monitoring: served models' traffic, drift, ground truth, alert rules and retraining ----

/** The windows the monitoring page and `cairn monitor` offer. */
export const monitoringWindows = ['1h', '24h', '7d'] as const;
export const MonitoringWindow = z.enum(monitoringWindows);
export type MonitoringWindow = z.infer<typeof MonitoringWindow>;

export const MonitoringOverviewRequest = z.object({
  model: z.string().min(1),
  /** One version's traffic; every version's when absent. */
  version: z.number().int().positive().optional(),
  window: MonitoringWindow.default('24h'),
});
export type MonitoringOverviewRequest = z.input<typeof MonitoringOverviewRequest>;

/** Traffic in one time bucket (or the whole window): requests answered or refused, and latency of answered ones. */
export const TrafficBucket = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  /** HTTP requests to the model, answered or refused. */
  requests: z.number(),
  /** Requests answered with status 400 or more. */
  errors: z.number(),
  /** Instances predicted (one request may carry several). */
  predictions: z.number(),
  ...LatencyPercentiles,
});
export type TrafficBucket = z.infer<typeof TrafficBucket>;

export const TrafficTotals = TrafficBucket.omit({ t: true }).extend({
  /** errors / requests; null with no requests. */
  errorRate: z.number().nullable(),
});
export type TrafficTotals = z.infer<typeof TrafficTotals>;

/**
 * What the model answered, per bucket: counts aligned with `labels` (class names for a
 * classifier; value bins for a regressor, whose edges are in `edges`, labels.length + 1 of them).
 */
export const PredictionDistribution = z.object({
  kind: z.enum(['classes', 'values']),
  labels: z.array(z.string()),
  /** Bin edges of a value histogram (ascending); empty for classes. */
  edges: z.array(z.number()),
  buckets: z.array(z.object({ t: z.number(), counts: z.array(z.number()) })),
  /** Counts over the whole window. */
  total: z.array(z.number()),
});
export type PredictionDistribution = z.infer<typeof PredictionDistribution>;

/** One bin of a feature's training and live distributions, as shares (0..1) for an overlay chart. */
export const DriftBin = z.object({
  label: z.string(),
  /** Numeric bins: [lo, hi); null at an open end, and for categories. */
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  training: z.number(),
  live: z.number(),
});
export type DriftBin = z.infer<typeof DriftBin>;

export const FeatureDrift = z.object({
  feature: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  /** Population stability index of live against training; null with no live values. */
  psi: z.number().nullable(),
  /** Two-sample Kolmogorov-Smirnov test (numeric features with training rows at hand). */
  ks: z.object({ statistic: z.number(), pValue: z.number() }).nullable(),
  drifted: z.boolean(),
  /** Why it counts as drifted (e.g. "PSI 0.41 > 0.2"); empty when it does not. */
  reasons: z.array(z.string()),
  /** Live values seen (missing ones excluded). */
  liveCount: z.number(),
  /** Live values that were missing or not of the feature's type. */
  liveMissing: z.number(),
  bins: z.array(DriftBin),
});
export type FeatureDrift = z.infer<typeof FeatureDrift>;

export const DriftReport = z.object({
  /** What live inputs are compared with: the training rows, the model card's profile (dataset gone), or nothing. */
  reference: z.enum(['training_rows', 'card_profile', 'none']),
  trainingRows: z.number(),
  /** Logged inputs in the window (answered predictions). */
  liveRows: z.number(),
  /** Live inputs below which no drift is judged (too few to say). */
  minLiveRows: z.number(),
  /** The largest feature PSI; null with too few live rows. */
  score: z.number().nullable(),
  /** Drifting features, most drifted first. */
  drifted: z.array(z.string()),
  /** Every feature the model reads, most drifted first. */
  features: z.array(FeatureDrift),
  thresholds: z.object({ psi: z.number(), ksPValue: z.number() }),
});
export type DriftReport = z.infer<typeof DriftReport>;

export const LiveMetricName = z.enum(['accuracy', 'mae']);
export type LiveMetricName = z.infer<typeof LiveMetricName>;

/** Quality measured on predictions that received ground truth through feedback. */
export const LiveQuality = z.object({
  metric: LiveMetricName,
  /** Over the window's labelled predictions; null with none. */
  value: z.number().nullable(),
  /** The same metric on the version's test split, for comparison (the newest served version when several). */
  testSplit: z.number().nullable(),
  /** Labelled predictions in the window. */
  labelled: z.number(),
  /** Answered predictions in the window, labelled or not. */
  predictions: z.number(),
  buckets: z.array(z.object({ t: z.number(), labelled: z.number(), value: z.number().nullable() })),
});
export type LiveQuality = z.infer<typeof LiveQuality>;

export const AlertMetric = z.enum([
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'error_rate',
  'drift_score',
  'live_accuracy',
  'live_mae',
]);
export type AlertMetric = z.infer<typeof AlertMetric>;
export const Comparator = z.enum(['>', '>=', '<', '<=']);
export type Comparator = z.infer<typeof Comparator>;
/** What a firing rule does: show and notify only, or also start a retrain (per the model's retrain policy). */
export const AlertAction = z.enum(['notify', 'retrain']);
export type AlertAction = z.infer<typeof AlertAction>;

export const AlertRuleInput = z.object({
  /** Present to update that rule; a new rule otherwise. */
  id: z.string().min(1).optional(),
  model: z.string().min(1),
  metric: AlertMetric,
  comparator: Comparator,
  threshold: z.number(),
  window: MonitoringWindow.default('1h'),
  /** Below this many samples in the window (requests, live inputs or labels) the rule is not judged. */
  minSamples: z.number().int().min(1).max(1_000_000).default(20),
  enabled: z.boolean().default(true),
  action: AlertAction.default('notify'),
});
export type AlertRuleInput = z.input<typeof AlertRuleInput>;

export const AlertRule = AlertRuleInput.required({ id: true }).extend({
  window: MonitoringWindow,
  minSamples: z.number(),
  enabled: z.boolean(),
  action: AlertAction,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The last evaluation: its value (null when not judged) and whether the rule fires now. */
  state: z.object({ value: z.number().nullable(), firing: z.boolean(), evaluatedAt: z.string().nullable() }),
});
export type AlertRule = z.infer<typeof AlertRule>;

/** One firing of a rule, recorded with the value that crossed the threshold. */
export const Alert = z.object({
  id: z.number(),
  ruleId: z.string(),
  model: z.string(),
  metric: AlertMetric,
  comparator: Comparator,
  threshold: z.number(),
  window: MonitoringWindow,
  value: z.number(),
  /** One line for a list or a notification, e.g. "drift score 0.43 > 0.2 (petal_length)". */
  message: z.string(),
  /** Drift alerts: the features that drift. */
  features: z.array(z.string()),
  action: AlertAction,
  firedAt: z.string(),
  /** When the value went back within the threshold; null while firing. */
  resolvedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const MonitoringOverview = z.object({
  model: z.string(),
  version: z.number().nullable(),
  task: TaskName,
  window: MonitoringWindow,
  /** Window start and end, epoch ms, and the bucket width of every series. */
  from: z.number(),
  to: z.number(),
  bucketSeconds: z.number(),
  /** Versions that answered in the window, for a version picker. */
  versions: z.array(z.number()),
  totals: TrafficTotals,
  /** Oldest first, every bucket of the window. */
  buckets: z.array(TrafficBucket),
  predictions: PredictionDistribution,
  drift: DriftReport,
  live: LiveQuality,
  /** The model's alerts still firing. */
  firing: z.array(Alert),
});
export type MonitoringOverview = z.infer<typeof MonitoringOverview>;

/** A row per model that has traffic, rules or decisions, for the monitoring page's list. */
export const MonitoredModel = z.object({
  name: z.string(),
  task: TaskName.nullable(),
  requests24h: z.number(),
  errors24h: z.number(),
  /** Epoch ms of its newest logged request; null with none. */
  lastRequestAt: z.number().nullable(),
  firingAlerts: z.number(),
  rules: z.number(),
});
export type MonitoredModel = z.infer<typeof MonitoredModel>;

/** Ground truth for one logged prediction: a class name (classification) or a number (regression). */
export const FeedbackItem = z.object({
  id: z.string().min(1).max(200),
  label: z.union([z.string(), z.number(), z.boolean()]),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;

export const FeedbackResult = z.object({
  /** Labels stored (new or replacing an earlier label of the same prediction). */
  accepted: z.number(),
  /** Ids that name no logged prediction of this model. */
  unknown: z.array(z.string()),
  /** Items refused, with why: `row` is the CSV line (1 = header) or the item's index. */
  invalid: z.array(z.object({ row: z.number(), id: z.string().nullable(), message: z.string() })),
});
export type FeedbackResult = z.infer<typeof FeedbackResult>;

export const FeedbackCsvRequest = z
  .object({
    model: z.string().min(1),
    /** CSV text with a header naming `id` and `label` columns (other columns are ignored). */
    csv: z.string().max(50_000_000).optional(),
    /** Or a CSV file's path. */
    path: z.string().min(1).optional(),
  })
  .refine((r) => (r.csv === undefined) !== (r.path === undefined), { message: 'give either csv or path' });
export type FeedbackCsvRequest = z.input<typeof FeedbackCsvRequest>;

export const CompareMetric = z.enum(['accuracy', 'f1_macro', 'precision_macro', 'recall_macro', 'mae', 'rmse', 'r2']);
export type CompareMetric = z.infer<typeof CompareMetric>;

export const RetrainPolicyInput = z.object({
  model: z.string().min(1),
  triggers: z
    .object({
      /** A firing rule whose action is `retrain` starts one. */
      onAlert: z.boolean().default(true),
      /** Retrain every so many hours; never when null. */
      scheduleHours: z
        .number()
        .positive()
        .max(24 * 365)
        .nullable()
        .default(null),
      /** A new version of the training dataset starts one. */
      onNewDatasetVersion: z.boolean().default(false),
    })
    .default({ onAlert: true, scheduleHours: null, onNewDatasetVersion: false }),
  /** Add logged requests that received feedback labels to the training data. */
  includeLabelledRequests: z.boolean().default(false),
  /** The test metric champion and challenger are compared on; accuracy or mae by task when absent. */
  metric: CompareMetric.optional(),
  /** How much better (in the metric's units) the challenger must be to be promoted. */
  margin: z.number().min(0).max(1_000_000).default(0),
  /** The alias the champion holds and a better challenger takes. */
  alias: AliasName.default('production'),
});
export type RetrainPolicyInput = z.input<typeof RetrainPolicyInput>;

export const RetrainPolicy = RetrainPolicyInput.extend({
  triggers: z.object({ onAlert: z.boolean(), scheduleHours: z.number().nullable(), onNewDatasetVersion: z.boolean() }),
  includeLabelledRequests: z.boolean(),
  metric: CompareMetric,
  margin: z.number(),
  alias: z.string(),
  /** False until a user saves one: the defaults shown are what a retrain would use. */
  saved: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type RetrainPolicy = z.infer<typeof RetrainPolicy>;

export const RetrainTrigger = z.enum(['manual', 'alert', 'schedule', 'dataset']);
export type RetrainTrigger = z.infer<typeof RetrainTrigger>;

/** A version's scores on the held-out rows both were judged on. */
export const ScoredVersion = z.object({ version: z.number(), metrics: z.record(z.string(), z.number().nullable()) });

/** The outcome of one retrain: whether the challenger took the alias, with both versions' scores and why. */
export const RetrainDecision = z.object({
  id: z.number(),
  model: z.string(),
  trigger: RetrainTrigger,
  /** What set it off, e.g. the alert's message or "every 24 h". */
  triggerDetail: z.string(),
  outcome: z.enum(['promoted', 'kept', 'failed']),
  promoted: z.boolean(),
  reason: z.string(),
  alias: z.string(),
  metric: CompareMetric,
  margin: z.number(),
  /** The retraining run (null if it could not start). */
  runId: z.string().nullable(),
  dataset: z.object({ name: z.string(), version: z.number() }).nullable(),
  /** Logged, labelled requests added to the training data. */
  labelledRowsAdded: z.number(),
  /** Rows of the challenger run's test split that both versions were scored on. */
  heldOutRows: z.number(),
  champion: ScoredVersion.nullable(),
  challenger: ScoredVersion.nullable(),
  at: z.string(),
});
export type RetrainDecision = z.infer<typeof RetrainDecision>;

export const RetrainStarted = z.object({
  model: z.string(),
  runId: z.string(),
  trigger: RetrainTrigger,
  championVersion: z.number().nullable(),
});
export type RetrainStarted = z.infer<typeof RetrainStarted>;

const ModelName = z.object({ model: z.string().min(1) });

const Empty = z.object({}).strict().default({});
const Ref = z.object({ ref: z.string().min(1), version: z.number().int().positive().optional() });

/** Method name -> argument and result schemas. */
export const methods = {
  'app.info': { input: Empty, output: AppInfo },
  'datasets.list': { input: Empty, output: z.array(Dataset) },
  'datasets.get': { input: Ref, output: DatasetDetail },
  'datasets.rows': { input: RowsQuery, output: RowsPage },
  'datasets.setColumnType': {
    input: z.object({ versionId: z.string(), column: z.string(), type: ColumnType }),
    output: ColumnProfile,
  },
  'datasets.import': { input: ImportRequest, output: JobStarted },
  'samples.list': { input: Empty, output: z.array(SampleInfo) },
  /** Imports a shipped sample as a dataset named by its id, like datasets.import. */
  'samples.import': { input: z.object({ id: z.string().min(1) }), output: JobStarted },
  /** Runs the import to completion and returns its result: for the CLI and scripts. */
  'datasets.importNow': { input: ImportRequest, output: ImportResult },
  'runs.start': { input: RunRequest, output: z.object({ runId: z.string(), jobId: z.string() }) },
  /** Queues a run and waits for it to end: for the CLI and scripts. Fails with the run's error. */
  'runs.startNow': { input: RunRequest, output: Run },
  'runs.list': { input: Empty, output: z.array(RunSummary) },
  'runs.get': { input: z.object({ runId: z.string().min(1) }), output: Run },
  'runs.cancel': { input: z.object({ runId: z.string().min(1) }), output: z.object({ cancelled: z.boolean() }) },
  'models.predictFile': { input: PredictFileRequest, output: PredictFileResult },
  'models.list': { input: Empty, output: z.array(ModelSummary) },
  'models.get': { input: z.object({ name: z.string().min(1) }), output: ModelDetail },
  'models.card': { input: ModelRef, output: ModelCardView },
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
    input: ModelRef.extend({ out: z.string().min(1), overwrite: z.boolean().default(false) }),
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
  /** Starts a retrain (run, then decision) and answers at once; run.* and retrain.decided events follow. */
  'monitoring.retrain': { input: ModelName, output: RetrainStarted },
  /** Retrains and waits for the decision: for the CLI and scripts. */
  'monitoring.retrainNow': { input: ModelName, output: RetrainDecision },
  /** Every retrain decision, newest first. */
  'monitoring.decisions': {
    input: z
      .object({ model: z.string().min(1).optional(), limit: z.number().int().min(1).max(10_000).default(100) })
      .default({ limit: 100 }),
    output: z.array(RetrainDecision),
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
