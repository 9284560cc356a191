// The train kind: a training run on the split's train part that saves a model version
// (electron/core/pipelines/kinds/train.ts runs it). Its settings' bounds and defaults are the
// training settings' (shared/training-settings.ts), as the Train dialog's are.
import {
  AUGMENT,
  BATCH_SIZE,
  CNN_PRESET,
  COLSAMPLE,
  DROPOUT,
  EPOCHS,
  IMAGE_SIZE,
  L2,
  LEARNING_RATE,
  MAX_DEPTH,
  MAX_LEAVES,
  MIN_SAMPLES_LEAF,
  type MODEL_KIND,
  OPTIMIZER,
  PATIENCE,
  SEED,
  SUBSAMPLE,
  TREE_LOSS,
  TREES,
  UNITS,
  type ChoiceValue,
} from '../../training-settings.js';
import { choiceField, settingField, type FieldNotes } from '../fields.js';
import type { PipelineTask } from '../gates.js';
import { learningFields, modelOut, splitOrPicturesIn, type NodeKindSpec } from './common.js';

/** Settings only networks read (epochs, batches, the optimiser), only trees, and only the CNN. */
const NETWORKS: FieldNotes = {
  visibleWhen: { field: 'model', oneOf: ['mlp', 'logistic_regression', 'linear_regression', 'cnn'] },
};
const TREES_ONLY: FieldNotes = { visibleWhen: { field: 'model', oneOf: ['gbdt'] } };
const CNN_ONLY: FieldNotes = { visibleWhen: { field: 'model', oneOf: ['cnn'] } };
/** Settings every kind but the CNN reads (it reads pictures, not columns, and takes no weight penalty). */
const TABLES_ONLY: FieldNotes = {
  visibleWhen: { field: 'model', oneOf: ['mlp', 'logistic_regression', 'linear_regression', 'gbdt'] },
};

export const trainKind: NodeKindSpec = {
  label: 'Train',
  category: 'model',
  description:
    'Trains a model on the train part (validation part for early stopping and curves); the run appears in Runs and saves a model version. A picture dataset goes straight in: the convolutional network splits it by label.',
  inputs: [splitOrPicturesIn],
  outputs: [modelOut],
  params: [
    ...learningFields.map((f) => (f.name === 'features' ? { ...f, ...TABLES_ONLY } : f)),
    {
      name: 'hiddenLayers',
      label: 'Hidden layers',
      type: 'object-list',
      default: [],
      description: "The MLP's hidden layers, input side first; 64 then 32 units when empty.",
      visibleWhen: { field: 'model', oneOf: ['mlp'] },
      fields: [settingField('units', UNITS), settingField('dropout', DROPOUT)],
    },
    { ...choiceField('preset', CNN_PRESET), ...CNN_ONLY },
    { ...settingField('imageSize', IMAGE_SIZE), ...CNN_ONLY },
    { ...choiceField('augment', AUGMENT), ...CNN_ONLY },
    { ...settingField('epochs', EPOCHS), ...NETWORKS },
    { ...settingField('batchSize', BATCH_SIZE), ...NETWORKS },
    { ...settingField('trees', TREES), ...TREES_ONLY },
    { ...settingField('maxLeaves', MAX_LEAVES), ...TREES_ONLY },
    { ...settingField('maxDepth', MAX_DEPTH), ...TREES_ONLY },
    { ...settingField('minSamplesLeaf', MIN_SAMPLES_LEAF), ...TREES_ONLY },
    { ...settingField('subsample', SUBSAMPLE), ...TREES_ONLY },
    { ...settingField('colsample', COLSAMPLE), ...TREES_ONLY },
    {
      ...settingField('patience', PATIENCE),
      label: 'Stop after rounds without gain',
      description: 'Trees stop when the validation loss has not improved for this many rounds.',
      ...TREES_ONLY,
    },
    { ...choiceField('loss', TREE_LOSS), ...TREES_ONLY },
    settingField('learningRate', LEARNING_RATE),
    { ...settingField('l2', L2), ...TABLES_ONLY },
    { ...choiceField('optimizer', OPTIMIZER), ...NETWORKS },
    settingField('seed', SEED),
    {
      name: 'modelName',
      label: 'Model name',
      type: 'string',
      maxLength: 200,
      description: "The registry model the version is saved under; the pipeline's name when empty.",
    },
  ],
};

export interface TrainParams {
  target: string;
  task: 'auto' | PipelineTask;
  model: ChoiceValue<typeof MODEL_KIND>;
  features: string[];
  hiddenLayers: { units: number; dropout: number }[];
  preset: ChoiceValue<typeof CNN_PRESET>;
  imageSize: number | undefined;
  augment: ChoiceValue<typeof AUGMENT>;
  epochs: number;
  batchSize: number;
  trees: number;
  maxLeaves: number;
  maxDepth: number | undefined;
  minSamplesLeaf: number;
  subsample: number;
  colsample: number;
  patience: number;
  loss: ChoiceValue<typeof TREE_LOSS>;
  learningRate: number | undefined;
  l2: number | undefined;
  optimizer: ChoiceValue<typeof OPTIMIZER>;
  seed: number;
  modelName: string | undefined;
}
