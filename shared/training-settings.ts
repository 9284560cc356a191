// The training settings, each defined once: its label, bounds, default and the options of a
// choice. The contract (shared/api.ts RunRequest), the engine's parameters (training/train-loop.ts),
// the pipeline train node's fields (shared/pipeline/kinds/train.ts) and the Train dialog's checks
// (renderer/src/pages/train/train-form.ts) all derive from here, so a bound or a default cannot
// differ between the form, a pipeline file, the CLI and the engine (test/unit/shared/training-settings.test.ts).
// Plain data with no zod, so the CLI can name the choices in its help without loading the contract;
// the schemas made from these settings are in setting-schemas.ts.

/** A number setting: `above` makes `min` exclusive (a learning rate of 0 learns nothing). */
export interface NumberSetting {
  type: 'number' | 'integer';
  label: string;
  min: number;
  max: number;
  above?: boolean;
  /** Absent: the engine chooses per task and model when the setting is left empty. */
  default?: number;
  step?: number;
  description?: string;
}

/** A choice among fixed values. */
export interface ChoiceSetting<T extends string> {
  type: 'enum';
  label: string;
  options: readonly { value: T; label: string }[];
  default: T;
}

/** A choice's options written as `{ value: 'label' }`, in the order shown (keys are never integer-like). */
export function options<const O extends Readonly<Record<string, string>>>(
  labels: O,
): readonly { value: keyof O & string; label: string }[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

const MAX_SEED = 2 ** 31 - 1;

export const EPOCHS = {
  type: 'integer',
  label: 'Epochs',
  min: 1,
  max: 100_000,
  default: 50,
} as const satisfies NumberSetting;
export const BATCH_SIZE = {
  type: 'integer',
  label: 'Batch size',
  min: 1,
  max: 1_000_000,
  default: 32,
} as const satisfies NumberSetting;
export const LEARNING_RATE = {
  type: 'number',
  label: 'Learning rate',
  min: 0,
  above: true,
  max: 100,
  step: 0.0001,
  description: 'Chosen for the task and model when empty.',
} as const satisfies NumberSetting;
export const L2 = {
  type: 'number',
  label: 'L2 penalty',
  min: 0,
  max: 10,
  description: 'Chosen for the task and model when empty.',
} as const satisfies NumberSetting;
export const SEED = {
  type: 'integer',
  label: 'Seed',
  min: 0,
  max: MAX_SEED,
  default: 42,
} as const satisfies NumberSetting;
export const UNITS = {
  type: 'integer',
  label: 'Units',
  min: 1,
  max: 4096,
  default: 64,
} as const satisfies NumberSetting;
export const DROPOUT = {
  type: 'number',
  label: 'Dropout',
  min: 0,
  max: 0.9,
  step: 0.05,
  default: 0,
} as const satisfies NumberSetting;
/** Epochs without improvement after which training stops (as Keras counts: 0 stops at the first). */
export const PATIENCE = {
  type: 'integer',
  label: 'Patience (epochs)',
  min: 0,
  max: 10_000,
  default: 10,
} as const satisfies NumberSetting;
/** A change smaller than this is not an improvement. */
export const MIN_DELTA = {
  type: 'number',
  label: 'Minimum change',
  min: 0,
  max: 1e9,
  default: 0,
} as const satisfies NumberSetting;
/** Hidden layers of an MLP at most. */
export const MAX_HIDDEN_LAYERS = 16;
/** How many hidden layers an MLP has, as a sweep varies it (each layer then gets the same units). */
export const HIDDEN_LAYERS = {
  type: 'integer',
  label: 'Hidden layers',
  min: 1,
  max: MAX_HIDDEN_LAYERS,
  default: 2,
} as const satisfies NumberSetting;
/** The MLP's hidden layers when none are given. */
export const DEFAULT_HIDDEN_UNITS: readonly number[] = [64, 32];

/** The model kinds a run can train, in the order a picker shows them. */
export const MODEL_KIND = {
  type: 'enum',
  label: 'Model',
  options: options({
    mlp: 'Neural network (MLP)',
    gbdt: 'Gradient-boosted trees',
    logistic_regression: 'Logistic regression',
    linear_regression: 'Linear regression',
    cnn: 'Convolutional network (pictures)',
  }),
  default: 'mlp',
} as const satisfies ChoiceSetting<string>;

/** A model kind as people read it ("Gradient-boosted trees"); an unknown kind as it is spelled. */
export function modelKindLabel(kind: string): string {
  return MODEL_KIND.options.find((o) => o.value === kind)?.label ?? kind;
}

/**
 * What a run asks to train: a model kind, or "auto", which trains the kinds that fit the task with
 * short budgets, compares them on the validation split and keeps the winner
 * (electron/core/training/auto-model.ts). "Automatic" is the Train dialog's default; the contract's
 * default stays MODEL_KIND's, so a script that names no model trains one model as before.
 */
export const MODEL_CHOICE = {
  type: 'enum',
  label: 'Model',
  options: [{ value: 'auto', label: 'Automatic' }, ...MODEL_KIND.options],
  default: 'auto',
} as const satisfies ChoiceSetting<string>;

// The convolutional network on pictures (electron/core/training/cnn-model.ts).
/** Depth and width: "small" is three blocks of 16/32/64 filters, "medium" four of 32/64/128/128. */
export const CNN_PRESET = {
  type: 'enum',
  label: 'Network size',
  options: options({ small: 'Small (3 blocks)', medium: 'Medium (4 blocks)' }),
  default: 'small',
} as const satisfies ChoiceSetting<string>;
/** The square side pictures are stretched to; chosen from the pictures when empty (32 up to 32 px, else 64). */
export const IMAGE_SIZE = {
  type: 'integer',
  label: 'Input size (px)',
  min: 8,
  // The medium preset at 128 px is about 400 M operations per picture, within the topology caps.
  max: 128,
  description: 'Chosen from the pictures when empty: 32 for pictures up to 32 px, else 64.',
} as const satisfies NumberSetting;
/** The input size a CNN trains at when none is asked for: 32 when every picture fits in 32 px, else 64. */
export function defaultImageSize(largest: { width: number; height: number }): 32 | 64 {
  return largest.width <= 32 && largest.height <= 32 ? 32 : 64;
}
/** How training pictures are varied each epoch: flips, shifts and crops, small rotations, colour jitter. */
export const AUGMENT = {
  type: 'enum',
  label: 'Augmentation',
  options: options({ none: 'None', light: 'Light', strong: 'Strong' }),
  default: 'light',
} as const satisfies ChoiceSetting<string>;

// Gradient-boosted trees. Defaults are scikit-learn's HistGradientBoosting ones (max_iter 100,
// max_leaf_nodes 31, min_samples_leaf 20, no depth limit, learning rate 0.1), the bar
// test/quality/gbdt-parity.test.ts holds Cairn to.
/** Boosting rounds at most; early stopping on the validation split may stop sooner. */
export const TREES = {
  type: 'integer',
  label: 'Trees (boosting rounds)',
  min: 1,
  max: 10_000,
  default: 100,
} as const satisfies NumberSetting;
export const MAX_LEAVES = {
  type: 'integer',
  label: 'Leaves per tree',
  min: 2,
  max: 65_536,
  default: 31,
} as const satisfies NumberSetting;
export const MAX_DEPTH = {
  type: 'integer',
  label: 'Maximum depth',
  min: 1,
  max: 64,
  description: 'No limit when empty: the leaf count bounds each tree.',
} as const satisfies NumberSetting;
export const MIN_SAMPLES_LEAF = {
  type: 'integer',
  label: 'Rows per leaf (at least)',
  min: 1,
  max: 1_000_000,
  default: 20,
} as const satisfies NumberSetting;
/** Share of training rows each tree is grown on (drawn from the seed); 1 uses all. */
export const SUBSAMPLE = {
  type: 'number',
  label: 'Rows per tree (share)',
  min: 0,
  above: true,
  max: 1,
  step: 0.05,
  default: 1,
} as const satisfies NumberSetting;
/** Share of features each tree may split on (drawn from the seed); 1 uses all. */
export const COLSAMPLE = {
  type: 'number',
  label: 'Features per tree (share)',
  min: 0,
  above: true,
  max: 1,
  step: 0.05,
  default: 1,
} as const satisfies NumberSetting;
/** The boosting learning rate (shrinkage) where a run names none. */
export const TREE_LEARNING_RATE = 0.1;
/** What a regression tree model minimises; classes always use log loss. */
export const TREE_LOSS = {
  type: 'enum',
  label: 'Loss (numeric target)',
  options: options({ squared_error: 'Squared error', absolute_error: 'Absolute error', huber: 'Huber' }),
  default: 'squared_error',
} as const satisfies ChoiceSetting<string>;

export const OPTIMIZER = {
  type: 'enum',
  label: 'Optimiser',
  options: options({ adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' }),
  default: 'adam',
} as const satisfies ChoiceSetting<string>;

export const ACTIVATION = {
  type: 'enum',
  label: 'Activation',
  options: options({
    relu: 'ReLU',
    tanh: 'tanh',
    elu: 'ELU',
    selu: 'SELU',
    sigmoid: 'Sigmoid',
    softplus: 'Softplus',
    linear: 'Linear',
  }),
  default: 'relu',
} as const satisfies ChoiceSetting<string>;

/** Epoch metrics early stopping can watch: loss always, accuracy ("acc", as tfjs names it) for classes, MAE for numbers. */
export const MONITOR = {
  type: 'enum',
  label: 'Watch',
  options: options({
    val_loss: 'Validation loss',
    loss: 'Training loss',
    val_acc: 'Validation accuracy',
    acc: 'Training accuracy',
    val_mae: 'Validation MAE',
    mae: 'Training MAE',
  }),
  default: 'val_loss',
} as const satisfies ChoiceSetting<string>;

export const CLASS_WEIGHT = {
  type: 'enum',
  label: 'Class weights',
  options: options({ none: 'None', balanced: 'Balanced' }),
  default: 'none',
} as const satisfies ChoiceSetting<string>;

/** The values a choice setting offers, as a type (the form's and the engine's). */
export type ChoiceValue<S extends ChoiceSetting<string>> = S['options'][number]['value'];

/** What a number setting accepts, in words: "a whole number from 1 to 100,000", "above 0, at most 100". */
export function describeBounds(s: NumberSetting): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const kind = s.type === 'integer' ? 'a whole number' : 'a number';
  return s.above ? `${kind} above ${n(s.min)}, at most ${n(s.max)}` : `${kind} from ${n(s.min)} to ${n(s.max)}`;
}
