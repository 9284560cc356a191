// The model registry: versions, aliases, lineage, cards, bundles, batch predictions.
import { z } from 'zod';
import { ALIAS_PATTERN, ALIAS_RULE } from '../names.js';
import { Cell, ColumnProfile, SkippedFile } from './datasets.js';
import { exportFormats } from './export-formats.js';
import { TaskName } from './runs.js';

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
  /** A picture model's: each prediction's picture (relative to the folder named), in order. */
  files: z.array(z.string()).optional(),
  /** A picture model's: the files under the folder that were not pictures it could read, and why. */
  skipped: z.array(SkippedFile).optional(),
});
export type PredictFileResult = z.infer<typeof PredictFileResult>;

/** What a version is exported as: a Cairn bundle (zip) or an ONNX model. */
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

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

/**
 * Where a version came from: its run and the dataset version it was trained on (as carried by a
 * bundle for imports). A run a pipeline started trained on a table the pipeline made: `dataset` is
 * the dataset version that table came from, and `pipeline` names the pipeline.
 */
export const ModelLineage = z.object({
  runId: z.string().nullable(),
  dataset: z.object({ name: z.string(), version: z.number(), hash: z.string() }).nullable(),
  pipeline: z.string().optional(),
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

/**
 * A short profile of the data a version was trained on. With `pipeline`, `dataset` is the version
 * the pipeline started from and the rows and columns are those of the table its steps made from it.
 */
export const TrainingDataSummary = z.object({
  dataset: z.object({ name: z.string(), version: z.number(), hash: z.string() }),
  pipeline: z.string().optional(),
  rows: z.number(),
  /** Each column's profile as the dataset had it, without the parts a card does not show. */
  columns: z.array(
    ColumnProfile.pick({
      name: true,
      type: true,
      missing: true,
      distinct: true,
      min: true,
      max: true,
      mean: true,
      std: true,
      topValues: true,
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
  /**
   * A picture model's input (it takes pictures, not the fields above): the square side and
   * channels it scales every picture to. Absent or null for a model of table rows.
   */
  image: z.object({ size: z.number(), channels: z.number() }).nullable().optional(),
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
