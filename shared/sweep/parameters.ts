// The training parameters a sweep may vary, per model kind, each tied to its one definition in
// shared/training-settings.ts (bounds, integer or not, the options of a choice). The space parser
// (space.ts), the default spaces and the runner's mapping of a trial onto a run request all read
// this table, so a parameter a kind does not train on cannot be swept for it.
import type { RunRequest } from '../api/runs.js';
import {
  ACTIVATION,
  BATCH_SIZE,
  CLASS_WEIGHT,
  COLSAMPLE,
  DROPOUT,
  EPOCHS,
  HIDDEN_LAYERS,
  L2,
  LEARNING_RATE,
  MAX_DEPTH,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  type MODEL_KIND,
  OPTIMIZER,
  SEED,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
  UNITS,
  type ChoiceSetting,
  type ChoiceValue,
  type NumberSetting,
} from '../training-settings.js';

export type ModelKind = ChoiceValue<typeof MODEL_KIND>;

const NETWORKS = ['mlp', 'logistic_regression', 'linear_regression'] as const satisfies readonly ModelKind[];
const ALL = [...NETWORKS, 'gbdt'] as const satisfies readonly ModelKind[];
/** The kinds trained by the train loop: the networks above and the CNN (which has no L2 penalty). */
const LOOP = [...NETWORKS, 'cnn'] as const satisfies readonly ModelKind[];

export interface SweepParameter {
  setting: NumberSetting | ChoiceSetting<string>;
  /** The model kinds that train on it. */
  kinds: readonly ModelKind[];
}

/**
 * Each sweepable parameter under the name a run request gives it, except the MLP's shape: a
 * sweep varies `layers` (how many), `units`, `dropout` and `activation`, and every hidden layer
 * takes the same values (Optuna's examples tune an MLP the same way: n_layers, then units).
 */
export const SWEEP_PARAMETERS = {
  learningRate: { setting: LEARNING_RATE, kinds: [...ALL, 'cnn'] },
  l2: { setting: L2, kinds: ALL },
  seed: { setting: SEED, kinds: [...ALL, 'cnn'] },
  classWeight: { setting: CLASS_WEIGHT, kinds: ['mlp', 'logistic_regression', 'gbdt', 'cnn'] },
  epochs: { setting: EPOCHS, kinds: LOOP },
  batchSize: { setting: BATCH_SIZE, kinds: LOOP },
  optimizer: { setting: OPTIMIZER, kinds: LOOP },
  layers: { setting: HIDDEN_LAYERS, kinds: ['mlp'] },
  units: { setting: UNITS, kinds: ['mlp'] },
  dropout: { setting: DROPOUT, kinds: ['mlp'] },
  activation: { setting: ACTIVATION, kinds: ['mlp'] },
  trees: { setting: TREES, kinds: ['gbdt'] },
  maxLeaves: { setting: MAX_LEAVES, kinds: ['gbdt'] },
  maxDepth: { setting: MAX_DEPTH, kinds: ['gbdt'] },
  minSamplesLeaf: { setting: MIN_SAMPLES_LEAF, kinds: ['gbdt'] },
  subsample: { setting: SUBSAMPLE, kinds: ['gbdt'] },
  colsample: { setting: COLSAMPLE, kinds: ['gbdt'] },
  loss: { setting: TREE_LOSS, kinds: ['gbdt'] },
} as const satisfies Record<string, SweepParameter>;

export type SweepParameterName = keyof typeof SWEEP_PARAMETERS;

/** The parameters a model kind may sweep, in the table's order. */
export function sweepParametersOf(kind: ModelKind): SweepParameterName[] {
  return (Object.keys(SWEEP_PARAMETERS) as SweepParameterName[]).filter((name) =>
    (SWEEP_PARAMETERS[name].kinds as readonly ModelKind[]).includes(kind),
  );
}

export function isSweepParameter(name: string): name is SweepParameterName {
  return Object.hasOwn(SWEEP_PARAMETERS, name);
}

/** One trial's values by parameter name. */
export type TrialParams = Record<string, number | string>;

/** The MLP's shape parameters, folded into `hiddenLayers` by trialRunFields. */
const SHAPE = new Set(['layers', 'units', 'dropout', 'activation']);

/**
 * A trial's values as run request fields: the MLP's shape becomes `layers` identical hidden
 * layers (the default count when only units, dropout or activation vary); the rest pass as named.
 */
export function trialRunFields(params: TrialParams): Partial<RunRequest> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) if (!SHAPE.has(name)) fields[name] = value;
  if (Object.keys(params).some((name) => SHAPE.has(name))) {
    const count = Number(params.layers ?? HIDDEN_LAYERS.default);
    const layer = {
      units: Number(params.units ?? UNITS.default),
      ...(params.dropout !== undefined && { dropout: Number(params.dropout) }),
      ...(params.activation !== undefined && { activation: params.activation }),
    };
    fields.hiddenLayers = Array.from({ length: count }, () => ({ ...layer }));
  }
  return fields;
}
