import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../../../../shared/pipeline.js';
import {
  fieldIssues,
  fieldValue,
  fieldVisible,
  newListItem,
  numberValue,
  otherIssues,
  textValue,
  withParam,
} from '../../../../../renderer/src/pages/pipelines/param-form.js';
import { uniqueName } from '../../../../../renderer/src/pages/pipelines/pipeline-names.js';

const field = (kind: keyof typeof nodeKinds, name: string) => {
  const f = nodeKinds[kind].params.find((p) => p.name === name);
  if (!f) throw new Error(`${kind} has no field ${name}`);
  return f;
};

describe('parameter form rules', () => {
  it('shows a param as written, else its default', () => {
    expect(fieldValue(field('train', 'epochs'), {})).toBe(50);
    expect(fieldValue(field('train', 'epochs'), { epochs: 3 })).toBe(3);
    expect(fieldValue(field('train', 'target'), {})).toBeUndefined();
  });

  it('shows a field only where its visibleWhen holds, reading defaults of the sibling', () => {
    const fields = nodeKinds.split.params;
    expect(fieldVisible(field('split', 'stratify'), fields, {})).toBe(false);
    expect(fieldVisible(field('split', 'stratify'), fields, { method: 'stratified' })).toBe(true);
    // hiddenLayers shows for the default model (mlp) without it being written.
    expect(fieldVisible(field('train', 'hiddenLayers'), nodeKinds.train.params, {})).toBe(true);
    expect(fieldVisible(field('train', 'hiddenLayers'), nodeKinds.train.params, { model: 'logistic_regression' })).toBe(
      false,
    );
  });

  it('an emptied optional field leaves the file; a required one keeps "" so it reads as required', () => {
    expect(withParam({ version: 2, dataset: 'iris' }, 'version', numberValue(''))).toEqual({ dataset: 'iris' });
    expect(textValue(field('train', 'target'), '')).toBe('');
    expect(textValue(field('train', 'modelName'), '')).toBeUndefined();
    expect(textValue(field('register', 'reason'), '')).toBe('');
    expect(numberValue(' 12 ')).toBe(12);
    expect(numberValue('abc')).toBeNaN();
  });

  it('matches issues to the field they name, including list items', () => {
    const issues = [
      { nodeId: 'e', field: 'gates.1', message: 'bad gate' },
      { nodeId: 'e', field: 'gatesX', message: 'other' },
      { nodeId: 'e', port: 'model', message: 'needs its model input' },
    ];
    expect(fieldIssues(issues, 'gates').map((i) => i.message)).toEqual(['bad gate']);
    expect(otherIssues(issues, ['gates']).map((i) => i.message)).toEqual(['other', 'needs its model input']);
  });

  it('a new record of an object-list has its sub-fields defaults', () => {
    const hidden = field('train', 'hiddenLayers');
    if (hidden.type !== 'object-list') throw new Error('hiddenLayers is a list of records');
    expect(newListItem(hidden.fields)).toEqual({ units: 64, dropout: 0 });
  });

  it('finds a free pipeline name, case-insensitively', () => {
    expect(uniqueName('iris', [])).toBe('iris');
    expect(uniqueName('Iris', ['iris', 'IRIS (2)'])).toBe('Iris (3)');
  });
});
