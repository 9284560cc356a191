// The pipeline templates a user picks from, as plain data (templates.ts builds the pipelines):
// apart from the builder, which validates with the contract's schemas, so `cairn pipelines new`
// names the templates in its help without loading zod.
import type { PipelineTemplateInfo } from '../../../shared/api.js';

export const TEMPLATES: readonly PipelineTemplateInfo[] = [
  {
    id: 'tabular-classification',
    label: 'Tabular classification',
    description:
      'Predict a class from a table: a stratified split, missing values filled from the train rows, an MLP, an accuracy gate, then production.',
    task: 'classification',
    defaultGate: 'accuracy >= 0.8',
  },
  {
    id: 'tabular-regression',
    label: 'Tabular regression',
    description:
      'Predict a number from a table: a random split, missing values filled from the train rows, an MLP, an R² gate, then production.',
    task: 'regression',
    defaultGate: 'r2 >= 0.5',
  },
];
