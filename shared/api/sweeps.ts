// Hyperparameter sweeps: the request (a search space over training settings, a strategy, a budget
// and the validation metric to choose by), a sweep with its trials, and its progress events. Each
// trial is an ordinary training run; the test split never chooses.
import { z } from 'zod';
import { RUN_SCORES, type RunScore } from '../metrics.js';
import { SearchSpace } from '../sweep/space.js';
import { SweepStrategy, TrialStopping } from '../sweep/strategy.js';
import { numberSchema } from '../setting-schemas.js';
import { MODEL_KIND, SEED } from '../training-settings.js';
import { ApiErrorShape } from './errors.js';
import { ModelKindName, RunRequest, TaskName } from './runs.js';

type ChoosableScore = Exclude<RunScore, 'majority_baseline'>;
/** The scores a sweep may choose by: every run score but the majority baseline (the same for every trial). */
export const SWEEP_METRICS = RUN_SCORES.filter((s): s is ChoosableScore => s !== 'majority_baseline');
export const SweepMetric = z.enum(SWEEP_METRICS as [ChoosableScore, ...ChoosableScore[]]);
export type SweepMetric = z.infer<typeof SweepMetric>;

/** The validation score a sweep chooses by when it names none. */
export const DEFAULT_SWEEP_METRIC: Readonly<Record<TaskName, SweepMetric>> = {
  classification: 'accuracy',
  regression: 'rmse',
};

/** Paused: asked to pause, it started no trial after the one training; a resume goes on with the budget left. */
export const SweepStatus = z.enum(['running', 'paused', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type SweepStatus = z.infer<typeof SweepStatus>;

/** Interrupted: its run died with the host; a resume does not count it against the budget. */
export const TrialStatus = z.enum(['running', 'complete', 'pruned', 'failed', 'interrupted']);
export type TrialStatus = z.infer<typeof TrialStatus>;

export const SweepRequest = RunRequest.pick({
  dataset: true,
  version: true,
  target: true,
  task: true,
  features: true,
  timeColumn: true,
  splitColumn: true,
  split: true,
  modelName: true,
  where: true,
}).extend({
  model: ModelKindName.default(MODEL_KIND.default),
  /** The model kind's default space (shared/sweep/default-spaces.ts) when absent. */
  space: SearchSpace.optional(),
  strategy: SweepStrategy.default('tpe'),
  /** Stop poor trials early on their per-epoch (per-round) validation curve. */
  stopping: TrialStopping.default('none'),
  /** A validation score of the task; accuracy (classification) or rmse (regression) when absent. */
  metric: SweepMetric.optional(),
  /** Trials to finish (pruned and failed ones count); 20 when no budget is given, a grid's size for a grid. */
  trials: z.number().int().min(0).optional(),
  /** Wall time: no trial starts after it is spent (the one training finishes). */
  seconds: z.number().min(0).optional(),
  /**
   * Trials training at once, each in its own job process. Absent: one per core less one (at least
   * 1). Lowered, with a note, to what the machine's free memory holds; the sweep records the number used.
   * On the fleet (`where`) nothing is lowered: the workers' own concurrency bounds what trains at once.
   */
  parallel: z.number().int().min(1).max(64).optional(),
  /** Seeds the sampler (each trial's draw) and every trial's split and training. */
  seed: numberSchema(SEED).optional(),
  /** Answer when the sweep ends rather than when it starts: for the CLI and scripts. */
  wait: z.boolean().default(false),
});
export type SweepRequest = z.input<typeof SweepRequest>;

/** Null where the sweep has no such limit. */
export const SweepBudget = z.object({ trials: z.number().nullable(), seconds: z.number().nullable() });

export const SweepTrial = z.object({
  /** 0-based, in the order trials were asked for. */
  number: z.number(),
  runId: z.string().nullable(),
  status: TrialStatus,
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  /** The sweep's metric on the validation split, for a complete trial. */
  value: z.number().nullable(),
  /** The run's validation scores, once it succeeded. */
  validation: z.record(z.string(), z.number().nullable()).nullable(),
  /** Why a trial failed (its run's error) or was interrupted. */
  error: ApiErrorShape.nullable(),
});
export type SweepTrial = z.infer<typeof SweepTrial>;

export const SweepSummary = z.object({
  id: z.string(),
  datasetVersionId: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number(),
  target: z.string(),
  task: TaskName,
  model: ModelKindName,
  strategy: SweepStrategy,
  stopping: TrialStopping,
  metric: SweepMetric,
  direction: z.enum(['maximize', 'minimize']),
  budget: SweepBudget,
  parallel: z.number(),
  seed: z.number(),
  status: SweepStatus,
  error: ApiErrorShape.nullable(),
  /** Complete, pruned and failed trials: what the budget counts. */
  trialsDone: z.number(),
  bestRunId: z.string().nullable(),
  bestValue: z.number().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  // -- Parallel trials (sweep-parallel): what Cairn changed or could not do, for the user to read.
  /** Said once each, oldest first: parallel trials lowered to fit in memory, a best trial left unexplained. */
  notes: z.array(z.string()),
});
export type SweepSummary = z.infer<typeof SweepSummary>;

export const Sweep = SweepSummary.extend({
  space: SearchSpace,
  /** The run fields every trial shares (dataset, target, split...), as requested. */
  request: z.record(z.string(), z.unknown()),
  trials: z.array(SweepTrial),
});
export type Sweep = z.infer<typeof Sweep>;

/** How much one parameter mattered: its share (0 to 1) of the variance in the trials' metric. */
export const ParamImportance = z.object({ param: z.string(), importance: z.number() });
export type ParamImportance = z.infer<typeof ParamImportance>;

/** Complete trials parameter importance needs before it says anything. */
export const MIN_IMPORTANCE_TRIALS = 5;

/** A sweep as its page shows it: with the parameters' importance (empty below MIN_IMPORTANCE_TRIALS complete trials). */
export const SweepDetail = Sweep.extend({ importance: z.array(ParamImportance) });
export type SweepDetail = z.infer<typeof SweepDetail>;

/** The best trial's model version an alias was moved to. */
export const SweepPromotion = z.object({
  sweepId: z.string(),
  trial: z.number(),
  runId: z.string(),
  model: z.object({ name: z.string(), version: z.number() }),
  alias: z.string(),
  /** Where the alias pointed before: null when this set it first. */
  fromVersion: z.number().nullable(),
  /** The sweep's metric of that trial on the validation split. */
  value: z.number(),
});
export type SweepPromotion = z.infer<typeof SweepPromotion>;

/** A trial started or ended, or the sweep ended. */
export const SweepProgress = z.object({
  sweepId: z.string(),
  status: SweepStatus,
  metric: SweepMetric,
  trialsDone: z.number(),
  budget: SweepBudget,
  bestValue: z.number().nullable(),
  trial: SweepTrial.optional(),
});
export type SweepProgress = z.infer<typeof SweepProgress>;
