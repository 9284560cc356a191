// Training runs: the request (bounds from training-settings.ts), the run, its progress.
import { z } from 'zod';
import { choiceSchema, numberSchema } from '../setting-schemas.js';
import {
  ACTIVATION,
  AUGMENT,
  BATCH_SIZE,
  CNN_PRESET,
  CLASS_WEIGHT,
  COLSAMPLE,
  DROPOUT,
  EPOCHS,
  IMAGE_SIZE,
  L2,
  LEARNING_RATE,
  MAX_DEPTH,
  MAX_HIDDEN_LAYERS,
  MAX_LEAVES,
  MIN_DELTA,
  MIN_SAMPLES_LEAF,
  MODEL_CHOICE,
  MODEL_KIND,
  MONITOR,
  OPTIMIZER,
  PATIENCE,
  SEED,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
  UNITS,
} from '../training-settings.js';
import { ApiErrorShape } from './errors.js';
import { ComputeTarget, RunPlacement } from './fleet.js';

export const TaskName = z.enum(['classification', 'regression']);
export type TaskName = z.infer<typeof TaskName>;
export const ModelKindName = choiceSchema(MODEL_KIND);
export type ModelKindName = z.infer<typeof ModelKindName>;
/** A model kind, or 'auto': the kinds that fit the task compared on the validation split (a run's `metrics.auto`). */
export const ModelChoiceName = choiceSchema(MODEL_CHOICE);
export type ModelChoiceName = z.infer<typeof ModelChoiceName>;
export const RunStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** What a user picks for one training run; everything but the dataset and target has a default. */
export const RunRequest = z.object({
  /** Dataset name or id. */
  dataset: z.string().min(1),
  /** Dataset version number; the latest when absent. */
  version: z.number().int().positive().optional(),
  /** A table's target column; an image dataset's is its label (IMAGE_LABEL_COLUMN), the only one it takes. */
  target: z.string().min(1),
  /** Inferred from the target's type when absent. */
  task: TaskName.optional(),
  /** Feature columns; every other column when absent (some may then be dropped by preprocessing). */
  features: z.array(z.string().min(1)).min(1).optional(),
  /** 'auto' chooses each candidate's settings: it takes no network or tree settings, only the split, seed, batch size and class weights. */
  model: ModelChoiceName.default(MODEL_KIND.default),
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
  // Gradient-boosted trees only (model: 'gbdt'); they stop on the validation loss after `patience` rounds.
  trees: numberSchema(TREES).optional(),
  maxLeaves: numberSchema(MAX_LEAVES).optional(),
  maxDepth: numberSchema(MAX_DEPTH).optional(),
  minSamplesLeaf: numberSchema(MIN_SAMPLES_LEAF).optional(),
  subsample: numberSchema(SUBSAMPLE).optional(),
  colsample: numberSchema(COLSAMPLE).optional(),
  loss: choiceSchema(TREE_LOSS).optional(),
  // The convolutional network only (model: 'cnn', on an image dataset).
  preset: choiceSchema(CNN_PRESET).optional(),
  /** The side pictures are stretched to; chosen from the pictures when absent. */
  imageSize: numberSchema(IMAGE_SIZE).optional(),
  augment: choiceSchema(AUGMENT).optional(),
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
  /** Where it trains (api/fleet.ts); the saved setting (fleet.status's `where`) when absent. */
  where: ComputeTarget.optional(),
});
export type RunRequest = z.input<typeof RunRequest>;

/**
 * The settings of a request that an automatic run (model 'auto') chooses per candidate itself, by
 * their labels: naming one with 'auto' is a mistake to say before the run is queued, not to ignore.
 */
export function settingsAutoChooses(req: RunRequest): string[] {
  const labels: Partial<Record<keyof RunRequest, string>> = {
    epochs: 'epochs',
    learningRate: 'learning rate',
    optimizer: 'optimiser',
    earlyStopping: 'early stopping',
    hiddenLayers: 'hidden layers',
    l2: 'L2 penalty',
    trees: 'trees',
    maxLeaves: 'leaves per tree',
    maxDepth: 'maximum depth',
    minSamplesLeaf: 'rows per leaf',
    subsample: 'rows per tree',
    colsample: 'features per tree',
    loss: 'loss',
  };
  return Object.entries(labels)
    .filter(([key]) => req[key as keyof RunRequest] !== undefined)
    .map(([, label]) => label);
}

export const EpochRecord = z.object({ epoch: z.number(), logs: z.record(z.string(), z.number()) });
export type EpochRecord = z.infer<typeof EpochRecord>;

export const Run = z.object({
  id: z.string(),
  datasetVersionId: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number(),
  /**
   * Set when a pipeline made the table the run trained on (the dataset above, kept out of the
   * datasets list): the pipeline (null once deleted) and the dataset version the table's rows came
   * from (null when they came from several).
   */
  pipelineTable: z
    .object({
      pipeline: z.string().nullable(),
      source: z.object({ datasetId: z.string(), name: z.string(), version: z.number() }).nullable(),
    })
    .nullable(),
  /** The sweep this run is a trial of; null for a run trained on its own. */
  sweepId: z.string().nullable(),
  status: RunStatus,
  task: TaskName.nullable(),
  target: z.string(),
  /** The kind trained; 'auto' until an automatic run has chosen (then the winner's kind, and `params.modelChoice` is 'auto'). */
  modelKind: ModelChoiceName,
  /** Fully resolved: model, training and split parameters with every default filled in. */
  params: z.record(z.string(), z.unknown()),
  preprocess: z.record(z.string(), z.unknown()).nullable(),
  history: z.array(EpochRecord),
  /** {test: {...}}: accuracy, precision_macro, ... confusion, roc for classification; mae, rmse, r2 for regression. */
  metrics: z.record(z.string(), z.unknown()).nullable(),
  backend: z.string().nullable(),
  tfjsVersion: z.string().nullable(),
  /** This machine or the fleet (with the worker that trained it). */
  ranOn: RunPlacement,
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

/** One kind an automatic run tried: its validation scores, training time and the settings it trained with. */
export const AutoCandidate = z.object({
  model: ModelKindName,
  /** accuracy, balanced_accuracy, log_loss for classes; rmse, mae, r2 for numbers. */
  validation: z.record(z.string(), z.number().nullable()),
  seconds: z.number(),
  settings: z.record(z.string(), z.unknown()),
});
export type AutoCandidate = z.infer<typeof AutoCandidate>;

/** An automatic run's leaderboard (`run.metrics.auto`): every candidate, the one kept, and why. */
export const AutoChoice = z.object({
  /** The validation score compared: accuracy (higher wins) or rmse (lower wins). */
  metric: z.string(),
  candidates: z.array(AutoCandidate),
  chosen: ModelKindName,
  reason: z.string(),
});
export type AutoChoice = z.infer<typeof AutoChoice>;

/** The leaderboard a run recorded, if it is an automatic run that has chosen. */
export function autoChoiceOf(run: Pick<Run, 'metrics'>): AutoChoice | undefined {
  const parsed = AutoChoice.safeParse((run.metrics as { auto?: unknown } | null)?.auto);
  return parsed.success ? parsed.data : undefined;
}

export const RunProgress = z.object({
  runId: z.string(),
  /** 1-based number of the epoch just finished. */
  epoch: z.number(),
  epochs: z.number(),
  logs: z.record(z.string(), z.number()),
  etaMs: z.number(),
  fraction: z.number(),
  /** The candidate an automatic run is training (the 2nd of 3); epochs then count its steps, fraction the whole run's share. */
  candidate: z.object({ model: ModelKindName, number: z.number(), of: z.number() }).optional(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const RunFinished = z.object({ runId: z.string(), status: RunStatus, error: ApiErrorShape.optional() });
export type RunFinished = z.infer<typeof RunFinished>;

/** Longest runs query accepted: a query is typed, not generated. */
export const MAX_QUERY_LENGTH = 2000;
/** A query in the runs query language (shared/run-query/); absent or empty keeps every run. */
const RunQueryText = z.string().max(MAX_QUERY_LENGTH);
/** A field as a query names it: `model`, `params.learningRate`, `test.accuracy`. */
const FieldName = z.string().min(1).max(100);

export const RunsListRequest = z.object({ query: RunQueryText.optional() }).strict().default({});
export type RunsListRequest = z.input<typeof RunsListRequest>;

export const RunGroupsRequest = z
  .object({
    query: RunQueryText.optional(),
    groupBy: FieldName,
    /** Number fields to summarise per group; every test score some run has when absent. */
    metrics: z.array(FieldName).max(32).optional(),
  })
  .strict();
export type RunGroupsRequest = z.input<typeof RunGroupsRequest>;

/** A number field over a group's runs that have it (n): mean, and the sample standard deviation (null below 2). */
export const Spread = z.object({ n: z.number(), mean: z.number().nullable(), std: z.number().nullable() });
export type Spread = z.infer<typeof Spread>;

export const RunGroup = z.object({
  /** The grouping field's value; null gathers the runs without one. */
  key: z.union([z.string(), z.number()]).nullable(),
  count: z.number(),
  /** Newest first, as the runs list orders them. */
  runIds: z.array(z.string()),
  /** By metric field name. */
  stats: z.record(z.string(), Spread),
});
export type RunGroup = z.infer<typeof RunGroup>;

export const RunGroups = z.object({
  /** The grouping field, as the field list spells it. */
  groupBy: z.string(),
  /** The metric fields summarised (those some matching run has, when the caller chose none). */
  metrics: z.array(z.string()),
  /** Ordered by key: numbers ascending, text naturally, the runs without a value last. */
  groups: z.array(RunGroup),
});
export type RunGroups = z.infer<typeof RunGroups>;
