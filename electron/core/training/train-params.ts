// The hyperparameters of one training run as the engine reads them. Bounds and defaults come from
// shared/training-settings.ts, where the contract, the pipeline node and the Train dialog read them too.
import { z } from 'zod';
import { choiceSchema, numberSchema } from '../../../shared/setting-schemas.js';
import {
  BATCH_SIZE,
  CLASS_WEIGHT,
  EPOCHS,
  LEARNING_RATE,
  MIN_DELTA,
  MONITOR,
  OPTIMIZER,
  PATIENCE,
  SEED,
} from '../../../shared/training-settings.js';

export const OptimizerName = choiceSchema(OPTIMIZER);
export type OptimizerName = z.infer<typeof OptimizerName>;

/** Epoch metrics a run can watch: loss always, accuracy ("acc", as tfjs names it) for classes, MAE for numbers. */
export const StoppingMetric = choiceSchema(MONITOR);
export type StoppingMetric = z.infer<typeof StoppingMetric>;

export const EarlyStopping = z.object({
  monitor: StoppingMetric.default(MONITOR.default),
  patience: numberSchema(PATIENCE).default(PATIENCE.default),
  minDelta: numberSchema(MIN_DELTA).default(MIN_DELTA.default),
  /** Put back the weights of the best epoch when training ends (stopped early or not). */
  restoreBestWeights: z.boolean().default(true),
});
export type EarlyStopping = z.infer<typeof EarlyStopping>;

/**
 * The loop's own learning rate when a caller gives none; run-training.ts first picks one per task
 * and model (LEARNING_RATE has no default of its own: "chosen for the task and model").
 */
const FALLBACK_LEARNING_RATE = 0.001;

/** The hyperparameters of one training run, with the defaults a user starts from. */
export const TrainParams = z.object({
  epochs: numberSchema(EPOCHS).default(EPOCHS.default),
  batchSize: numberSchema(BATCH_SIZE).default(BATCH_SIZE.default),
  learningRate: numberSchema(LEARNING_RATE).default(FALLBACK_LEARNING_RATE),
  optimizer: OptimizerName.default(OPTIMIZER.default),
  earlyStopping: EarlyStopping.optional(),
  classWeight: choiceSchema(CLASS_WEIGHT).default(CLASS_WEIGHT.default),
  seed: numberSchema(SEED).default(SEED.default),
});
export type TrainParams = z.infer<typeof TrainParams>;
