// The train kind: a training run on the split's train part that saves a model version
// (electron/core/pipelines/kinds/train.ts runs it). Its settings' bounds and defaults are the
// training settings' (shared/training-settings.ts), as the Train dialog's are.
import {
  BATCH_SIZE,
  DROPOUT,
  EPOCHS,
  L2,
  LEARNING_RATE,
  OPTIMIZER,
  SEED,
  UNITS,
  type ChoiceValue,
} from '../../training-settings.js';
import { choiceField, columnsField, enumField, settingField } from '../fields.js';
import type { PipelineTask } from '../gates.js';
import { modelOut, splitIn, type NodeKindSpec } from './common.js';

export const trainKind: NodeKindSpec = {
  label: 'Train',
  category: 'model',
  description:
    'Trains a model on the train part (validation part for early stopping and curves); the run appears in Runs and saves a model version.',
  inputs: [splitIn],
  outputs: [modelOut],
  params: [
    { name: 'target', label: 'Target', type: 'column', required: true },
    enumField(
      'task',
      'Task',
      { auto: 'From the target', classification: 'Classification', regression: 'Regression' },
      'auto',
    ),
    enumField(
      'model',
      'Model',
      {
        mlp: 'Neural network (MLP)',
        logistic_regression: 'Logistic regression',
        linear_regression: 'Linear regression',
      },
      'mlp',
    ),
    columnsField('features', 'Features', { description: 'Every other column when empty.' }),
    {
      name: 'hiddenLayers',
      label: 'Hidden layers',
      type: 'object-list',
      default: [],
      description: "The MLP's hidden layers, input side first; 64 then 32 units when empty.",
      visibleWhen: { field: 'model', oneOf: ['mlp'] },
      fields: [settingField('units', UNITS), settingField('dropout', DROPOUT)],
    },
    settingField('epochs', EPOCHS),
    settingField('batchSize', BATCH_SIZE),
    settingField('learningRate', LEARNING_RATE),
    settingField('l2', L2),
    choiceField('optimizer', OPTIMIZER),
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
  model: 'mlp' | 'logistic_regression' | 'linear_regression';
  features: string[];
  hiddenLayers: { units: number; dropout: number }[];
  epochs: number;
  batchSize: number;
  learningRate: number | undefined;
  l2: number | undefined;
  optimizer: ChoiceValue<typeof OPTIMIZER>;
  seed: number;
  modelName: string | undefined;
}
