// What the catalogue's kinds share: the categories of the palette, the shape of a kind's entry, and
// the table and model ports most kinds have.
import { MODEL_KIND } from '../../training-settings.js';
import { choiceField, columnsField, enumField, type ParamField } from '../fields.js';
import type { PortSpec } from '../ports.js';

export const nodeCategories = ['data', 'prepare', 'model', 'deliver'] as const;
export type NodeCategory = (typeof nodeCategories)[number];
export const nodeCategoryLabels: Record<NodeCategory, string> = {
  data: 'Data',
  prepare: 'Prepare',
  model: 'Model',
  deliver: 'Deliver',
};

export interface NodeKindSpec {
  label: string;
  category: NodeCategory;
  description: string;
  inputs: readonly PortSpec[];
  outputs: readonly PortSpec[];
  params: readonly ParamField[];
}

export const tableIn: PortSpec = { name: 'data', label: 'Table', type: 'dataset', required: true };
export const tableOut: PortSpec = { name: 'data', label: 'Table', type: 'dataset' };
/** Ports of the row-wise and fitted table steps, which work before or after a split. */
export const tableOrSplitIn: PortSpec = { ...tableIn, takesSplit: true };
export const tableOrSplitOut: PortSpec = { ...tableOut, keepsSplitOf: 'data' };
/** A split's table, and the input of the steps after it (train, evaluate). */
export const splitOut: PortSpec = { name: 'data', label: 'Split', type: 'split' };
export const splitIn: PortSpec = { ...splitOut, required: true };
/** The train step's input: a split table, or a picture dataset's step as it is (the run splits it by label). */
export const splitOrPicturesIn: PortSpec = { ...splitIn, label: 'Split or pictures', takesSource: true };
export const modelIn: PortSpec = { name: 'model', label: 'Model', type: 'model', required: true };
export const modelOut: PortSpec = { name: 'model', label: 'Model', type: 'model' };

/** The columns a scale or encode step leaves as they are (the target, usually). */
export const leaveTargetAlone: ParamField = columnsField('exclude', 'Leave alone', { description: 'E.g. the target.' });

/** What a step that trains (train, sweep) learns from: the target, its task, the model kind and the features. */
export const learningFields: readonly ParamField[] = [
  { name: 'target', label: 'Target', type: 'column', required: true },
  enumField(
    'task',
    'Task',
    { auto: 'From the target', classification: 'Classification', regression: 'Regression' },
    'auto',
  ),
  choiceField('model', MODEL_KIND),
  columnsField('features', 'Features', { description: 'Every other column when empty.' }),
];
