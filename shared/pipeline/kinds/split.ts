// The split kind: assigns each row to train, validation or test (electron/core/pipelines/kinds/split.ts runs it).
import { SEED } from '../../training-settings.js';
import { enumField, fractionField, settingField } from '../fields.js';
import { splitOut, tableIn, type NodeKindSpec } from './common.js';

/** The column a split adds: 'train', 'validation' or 'test' per row. */
export const SPLIT_COLUMN = '__split';
export const splitParts = ['train', 'validation', 'test'] as const;

export const splitKind: NodeKindSpec = {
  label: 'Split',
  category: 'prepare',
  description: 'Assigns each row to train, validation or test; training learns on train, evaluation scores test.',
  inputs: [tableIn],
  outputs: [splitOut],
  params: [
    enumField('method', 'Method', { random: 'Random', stratified: 'Stratified by a column' }, 'random'),
    {
      name: 'stratify',
      label: 'Stratify by',
      type: 'column',
      description: 'Each class keeps its share in every part (usually the target).',
      visibleWhen: { field: 'method', oneOf: ['stratified'] },
    },
    fractionField('train', 'Train', 0.7),
    fractionField('validation', 'Validation', 0.15),
    fractionField('test', 'Test', 0.15),
    settingField('seed', SEED),
  ],
};

export interface SplitParams {
  method: 'random' | 'stratified';
  stratify: string | undefined;
  train: number;
  validation: number;
  test: number;
  seed: number;
}
