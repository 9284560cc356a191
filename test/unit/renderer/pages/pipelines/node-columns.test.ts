import { describe, expect, it } from 'vitest';
import type { PipelineSpec, StepOutput } from '../../../../../shared/pipeline.js';
import { applyColumnsStep, inputColumns } from '../../../../../renderer/src/pages/pipelines/node-columns.js';
import { stepSummary } from '../../../../../renderer/src/pages/pipelines/step-summary.js';

const spec: Pick<PipelineSpec, 'nodes' | 'edges'> = {
  nodes: [
    { id: 'src', kind: 'dataset', params: { dataset: 'iris' }, position: { x: 0, y: 0 } },
    {
      id: 'cols',
      kind: 'columns',
      params: { mode: 'drop', columns: ['id'], rename: [{ from: 'species', to: 'label' }] },
      position: { x: 0, y: 0 },
    },
    { id: 'split', kind: 'split', params: {}, position: { x: 0, y: 0 } },
    { id: 'train', kind: 'train', params: {}, position: { x: 0, y: 0 } },
  ],
  edges: [
    { id: '1', source: 'src', sourcePort: 'data', target: 'cols', targetPort: 'data' },
    { id: '2', source: 'cols', sourcePort: 'data', target: 'split', targetPort: 'data' },
    { id: '3', source: 'split', sourcePort: 'data', target: 'train', targetPort: 'data' },
  ],
};
const iris = (name: string, version: number | undefined) =>
  name === 'iris' && version === undefined ? ['id', 'petal', 'species'] : undefined;

describe('columns of a node input', () => {
  it('carries the source dataset columns through select/drop/rename steps', () => {
    expect(inputColumns(spec, 'cols', new Map(), iris)).toEqual(['id', 'petal', 'species']);
    expect(inputColumns(spec, 'train', new Map(), iris)).toEqual(['petal', 'label']);
  });

  it('prefers the upstream step output from the last run, without the split column', () => {
    const out: StepOutput = {
      table: {
        columns: [
          { name: 'a', type: 'DOUBLE' },
          { name: '__split', type: 'VARCHAR' },
        ],
        rows: [],
        rowCount: 0,
      },
    };
    expect(inputColumns(spec, 'train', new Map([['split', out]]), iris)).toEqual(['a']);
  });

  it('knows nothing for an unconnected input, an unknown dataset, or a source step', () => {
    expect(inputColumns({ ...spec, edges: [] }, 'train', new Map(), iris)).toBeUndefined();
    expect(inputColumns(spec, 'train', new Map(), () => undefined)).toBeUndefined();
    expect(inputColumns(spec, 'src', new Map(), iris)).toBeUndefined();
  });

  it('select keeps the listed columns that exist, in the order listed', () => {
    expect(applyColumnsStep(['a', 'b', 'c'], { mode: 'select', columns: ['c', 'a', 'zz'], rename: [] })).toEqual([
      'c',
      'a',
    ]);
  });
});

describe('step summaries', () => {
  it('reads each step at a glance', () => {
    expect(stepSummary('dataset', { dataset: 'iris' })).toBe('iris (latest)');
    expect(stepSummary('dataset', { dataset: 'iris', version: 2 })).toBe('iris v2');
    expect(
      stepSummary('split', { method: 'stratified', stratify: 'species', train: 0.8, validation: 0.1, test: 0.1 }),
    ).toBe('80 / 10 / 10 · by species');
    expect(stepSummary('train', { target: 'species', epochs: 1 })).toBe('→ species · Neural network · 1 epoch');
    expect(stepSummary('evaluate', { gates: ['accuracy >= 0.9'] })).toBe('accuracy >= 0.9');
    expect(stepSummary('evaluate', {})).toBe('no gates');
    expect(stepSummary('columns', { mode: 'drop', columns: [], rename: [] })).toBe('');
    expect(stepSummary('mystery', {})).toBe('unknown kind "mystery"');
  });
});
