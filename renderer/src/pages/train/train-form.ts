// The train dialog's state and the pure rules behind it: which target to suggest, which task a
// target implies (the engine's rule, so the dialog shows what the engine will do), which features
// the engine will drop and why, and how the form becomes a runs.start request. Kept apart from
// the component so each rule is unit-tested.
import type { ColumnProfile, ModelChoiceName, ModelKindName, RunRequest, TaskName } from '../../../../shared/api.js';
import { checkNumber } from '../../../../shared/setting-schemas.js';
import {
  BATCH_SIZE,
  CLASS_WEIGHT,
  COLSAMPLE,
  DEFAULT_HIDDEN_UNITS,
  DROPOUT,
  EPOCHS,
  L2,
  LEARNING_RATE,
  MAX_DEPTH,
  MAX_HIDDEN_LAYERS,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  MODEL_CHOICE,
  MONITOR,
  OPTIMIZER,
  PATIENCE,
  SEED,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
  UNITS,
  type ChoiceValue,
} from '../../../../shared/training-settings.js';
import { inferTask } from '../../../../shared/target-task.js';
import { canBeTarget, isIdLike, suggestTarget } from './target-suggestion.js';

export { inferTask, MAX_INTEGER_CLASSES } from '../../../../shared/target-task.js';

/** Why the engine will leave a feature out, judged from the whole version's profile (it decides on the training rows). */
export function dropHint(c: ColumnProfile, rows: number): string | undefined {
  if (c.missing >= rows) return 'every value is missing';
  if (c.type === 'text') return 'free text is not used (set its type to categorical to use it)';
  if (c.distinct <= 1) return 'constant';
  if (isIdLike(c, rows)) return 'id-like: every value differs';
  return undefined;
}

export interface TrainForm {
  target: string;
  /** 'auto' leaves the choice to the engine's inference. */
  task: TaskName | 'auto';
  /** 'auto' (the default) tries the kinds that fit the task and keeps the best; it takes no network or tree settings. */
  model: ModelChoiceName;
  modelName: string;
  /** Feature columns the user unticked. */
  excluded: string[];
  /** Comma-separated units per hidden layer, e.g. "64, 32". */
  hiddenLayers: string;
  activation: 'relu' | 'tanh' | 'elu' | 'selu' | 'sigmoid';
  dropout: number;
  /** Undefined leaves it to the engine, which picks per task and model (and records what it used). */
  l2: number | undefined;
  epochs: number;
  batchSize: number;
  /** Undefined leaves it to the engine, as for l2. */
  learningRate: number | undefined;
  optimizer: ChoiceValue<typeof OPTIMIZER>;
  earlyStopping: boolean;
  monitor: ChoiceValue<typeof MONITOR>;
  patience: number;
  restoreBestWeights: boolean;
  classWeight: ChoiceValue<typeof CLASS_WEIGHT>;
  /** Gradient-boosted trees only; they always stop on the validation loss after `patience` rounds. */
  trees: number;
  maxLeaves: number;
  /** Undefined: no depth limit. */
  maxDepth: number | undefined;
  minSamplesLeaf: number;
  subsample: number;
  colsample: number;
  loss: ChoiceValue<typeof TREE_LOSS>;
  /** Percentages; they must add up to 100. */
  split: { train: number; validation: number; test: number };
  /** '' for a random (stratified for classes) split; a datetime column's name for a split in time. */
  timeColumn: string;
  seed: number;
}

/**
 * The form a user starts from: automatic model choice, and the engine's defaults for a kind picked
 * instead, with the learning rate and L2 left for the engine to choose (it tunes them per task and
 * model), so "Train" with nothing changed trains what `cairn train --model auto` does.
 */
export function defaultForm(columns: readonly ColumnProfile[], datasetName: string, rows?: number): TrainForm {
  return {
    target: suggestTarget(columns, rows)?.column ?? '',
    task: 'auto',
    model: MODEL_CHOICE.default,
    modelName: datasetName,
    excluded: [],
    hiddenLayers: DEFAULT_HIDDEN_UNITS.join(', '),
    activation: 'relu',
    dropout: DROPOUT.default,
    l2: undefined,
    epochs: EPOCHS.default,
    batchSize: BATCH_SIZE.default,
    learningRate: undefined,
    optimizer: OPTIMIZER.default,
    earlyStopping: false,
    monitor: MONITOR.default,
    patience: PATIENCE.default,
    restoreBestWeights: true,
    classWeight: CLASS_WEIGHT.default,
    trees: TREES.default,
    maxLeaves: MAX_LEAVES.default,
    maxDepth: undefined,
    minSamplesLeaf: MIN_SAMPLES_LEAF.default,
    subsample: SUBSAMPLE.default,
    colsample: COLSAMPLE.default,
    loss: TREE_LOSS.default,
    split: { train: 70, validation: 15, test: 15 },
    timeColumn: '',
    seed: SEED.default,
  };
}

/** The task the form will train: the user's choice, or what the target implies. */
export function effectiveTask(form: TrainForm, columns: readonly ColumnProfile[]): TaskName | undefined {
  if (form.task !== 'auto') return form.task;
  const target = columns.find((c) => c.name === form.target);
  return target ? inferTask(target) : undefined;
}

/** The linear model's name for a task: logistic for classes, linear for numbers. */
export function linearModelFor(task: TaskName | undefined): ModelKindName {
  return task === 'regression' ? 'linear_regression' : 'logistic_regression';
}

/** The model kept when the task changes: a linear model follows the task, the MLP, trees and auto do both. */
export function modelForTask(model: ModelChoiceName, task: TaskName | undefined): ModelChoiceName {
  return model === 'mlp' || model === 'gbdt' || model === 'auto' ? model : linearModelFor(task);
}

/** Problems that keep the form from being sent, by field; empty when it can be. */
export function validateForm(form: TrainForm, columns: readonly ColumnProfile[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const target = columns.find((c) => c.name === form.target);
  if (!target) errors.target = 'Pick the column to predict.';
  else if (!canBeTarget(target))
    errors.target = `"${target.name}" is ${target.type}: pick a numeric or categorical column.`;
  const task = effectiveTask(form, columns);
  if (target && task === 'regression' && !['numeric', 'integer'].includes(target.type))
    errors.task = `Regression needs a numeric target; "${target.name}" is ${target.type}.`;
  if (form.model === 'logistic_regression' && task === 'regression')
    errors.model = 'Logistic regression predicts classes.';
  if (form.model === 'linear_regression' && task === 'classification')
    errors.model = 'Linear regression predicts numbers.';
  if (featuresOf(form, columns).length === 0) errors.features = 'Keep at least one feature column.';
  if (form.model === 'mlp' && parseLayers(form.hiddenLayers) === undefined)
    errors.hiddenLayers = 'Hidden layers are unit counts separated by commas, e.g. 64, 32.';
  // Bounds come from shared/training-settings.ts, the engine's own.
  const check = (field: keyof TrainForm, problem: string | undefined, automatic = false) => {
    if (problem) errors[field] = automatic ? problem.replace(/\.$/, ', or empty for automatic.') : problem;
  };
  if (form.model === 'gbdt') {
    check('trees', checkNumber(TREES, form.trees));
    check('maxLeaves', checkNumber(MAX_LEAVES, form.maxLeaves));
    if (form.maxDepth !== undefined) check('maxDepth', checkNumber(MAX_DEPTH, form.maxDepth));
    check('minSamplesLeaf', checkNumber(MIN_SAMPLES_LEAF, form.minSamplesLeaf));
    check('subsample', checkNumber(SUBSAMPLE, form.subsample));
    check('colsample', checkNumber(COLSAMPLE, form.colsample));
    check('patience', checkNumber(PATIENCE, form.patience));
  } else if (isNetwork(form.model)) {
    // An automatic run sets its candidates' settings itself (shared/api/runs.ts settingsAutoChooses).
    check('epochs', checkNumber(EPOCHS, form.epochs));
    check('batchSize', checkNumber(BATCH_SIZE, form.batchSize));
  }
  const networkOrTrees = form.model !== 'auto';
  if (networkOrTrees && form.learningRate !== undefined)
    check('learningRate', checkNumber(LEARNING_RATE, form.learningRate), true);
  check('dropout', checkNumber(DROPOUT, form.dropout));
  if (networkOrTrees && form.l2 !== undefined) check('l2', checkNumber(L2, form.l2), true);
  if (form.earlyStopping && isNetwork(form.model)) check('patience', checkNumber(PATIENCE, form.patience));
  const splitError = splitProblem(form.split);
  if (splitError) errors.split = splitError;
  const { validation } = form.split;
  if (isNetwork(form.model) && form.earlyStopping && form.monitor.startsWith('val_') && validation === 0)
    errors.monitor = 'Early stopping on a validation metric needs a validation split above 0%.';
  if (form.model === 'auto' && validation === 0)
    errors.split = 'Automatic model choice compares the models on the validation split: give it more than 0%.';
  check('seed', checkNumber(SEED, form.seed));
  return errors;
}

/** Why split percentages cannot be sent, or undefined when they can. */
export function splitProblem({ train, validation, test }: TrainForm['split']): string | undefined {
  if (!(train > 0 && test > 0 && validation >= 0) || Math.abs(train + validation + test - 100) > 1e-9)
    return 'Train, validation and test must be percentages adding up to 100, with train and test above 0.';
  return undefined;
}

/** The split percentages a run sends as fractions. */
export function splitFractions({ train, validation, test }: TrainForm['split']): NonNullable<RunRequest['split']> {
  return { train: train / 100, validation: validation / 100, test: test / 100 };
}

/** Whether a choice is a network (epochs, optimiser, early stopping), not trees or the automatic choice. */
export function isNetwork(model: ModelChoiceName): model is Exclude<ModelKindName, 'gbdt'> {
  return model !== 'gbdt' && model !== 'auto';
}

/** "64, 32" → [64, 32]; undefined when any part is not a unit count. An empty string is no hidden layer. */
export function parseLayers(text: string): number[] | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const units = parts.map(Number);
  return units.every((u) => checkNumber(UNITS, u) === undefined) && units.length <= MAX_HIDDEN_LAYERS
    ? units
    : undefined;
}

/** The feature columns the run will get: every column but the target, the time column and the unticked ones. */
export function featuresOf(form: TrainForm, columns: readonly ColumnProfile[]): string[] {
  return columns
    .map((c) => c.name)
    .filter((n) => n !== form.target && n !== form.timeColumn && !form.excluded.includes(n));
}

/** The metrics early stopping can watch for a task. */
export function monitorsFor(task: TaskName | undefined): TrainForm['monitor'][] {
  return task === 'regression' ? ['val_loss', 'loss', 'val_mae', 'mae'] : ['val_loss', 'loss', 'val_acc', 'acc'];
}

/** The runs.start request a valid form stands for. */
export function toRequest(
  form: TrainForm,
  columns: readonly ColumnProfile[],
  dataset: string,
  version: number,
): RunRequest {
  const task = effectiveTask(form, columns);
  const everyFeature = form.excluded.length === 0 && form.timeColumn === '';
  return {
    dataset,
    version,
    target: form.target,
    ...(form.task === 'auto' ? {} : { task: form.task }),
    // Sending no list lets the engine use every column but the target, as the CLI does.
    ...(everyFeature ? {} : { features: featuresOf(form, columns) }),
    model: form.model,
    ...(form.model === 'auto' ? {} : kindFields(form, task)),
    ...(task === 'classification' ? { classWeight: form.classWeight } : {}),
    seed: form.seed,
    split: splitFractions(form.split),
    ...(form.timeColumn ? { timeColumn: form.timeColumn } : {}),
    ...(form.modelName.trim() ? { modelName: form.modelName.trim() } : {}),
  };
}

/** The settings of a chosen model kind (an automatic run chooses its candidates' own). */
function kindFields(form: TrainForm, task: TaskName | undefined): Partial<RunRequest> {
  const layers = parseLayers(form.hiddenLayers) ?? [];
  return {
    ...(form.model === 'mlp'
      ? { hiddenLayers: layers.map((units) => ({ units, activation: form.activation, dropout: form.dropout })) }
      : {}),
    ...(form.l2 === undefined ? {} : { l2: form.l2 }),
    ...(form.model === 'gbdt' ? treeFields(form, task) : { epochs: form.epochs, batchSize: form.batchSize }),
    ...(form.learningRate === undefined ? {} : { learningRate: form.learningRate }),
    ...(form.model === 'gbdt' ? {} : { optimizer: form.optimizer }),
    ...(form.earlyStopping && form.model !== 'gbdt'
      ? {
          earlyStopping: {
            monitor: form.monitor,
            patience: form.patience,
            restoreBestWeights: form.restoreBestWeights,
          },
        }
      : {}),
  };
}

/** A tree model's fields of the request; trees stop on the validation loss after `patience` rounds. */
function treeFields(form: TrainForm, task: TaskName | undefined): Partial<RunRequest> {
  return {
    trees: form.trees,
    maxLeaves: form.maxLeaves,
    ...(form.maxDepth === undefined ? {} : { maxDepth: form.maxDepth }),
    minSamplesLeaf: form.minSamplesLeaf,
    subsample: form.subsample,
    colsample: form.colsample,
    // The loss is for a numeric target; classes always use log loss.
    ...(task === 'regression' ? { loss: form.loss } : {}),
    earlyStopping: { monitor: 'val_loss', patience: form.patience, restoreBestWeights: true },
  };
}
