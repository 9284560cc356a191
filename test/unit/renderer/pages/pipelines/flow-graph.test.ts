import { describe, expect, it } from 'vitest';
import { validatePipeline, type PipelineSpec } from '../../../../../shared/pipeline.js';
import {
  connectionProblem,
  copySelection,
  nextNodeId,
  pasteClipboard,
  portKey,
  splitPorts,
  toFlow,
  toSpec,
  type StepNode,
} from '../../../../../renderer/src/pages/pipelines/flow-graph.js';

const spec: PipelineSpec = {
  cairn: 1,
  name: 'iris',
  description: 'predict species',
  nodes: [
    { id: 'source', kind: 'dataset', params: { dataset: 'iris' }, position: { x: 0, y: 0 } },
    { id: 'split', kind: 'split', label: 'Hold out', params: { method: 'random' }, position: { x: 260, y: 0 } },
    { id: 'train', kind: 'train', params: { target: 'species', epochs: 3 }, position: { x: 520, y: 0 } },
    { id: 'evaluate', kind: 'evaluate', params: { gates: ['accuracy >= 0.8'] }, position: { x: 780, y: 40 } },
  ],
  edges: [
    { id: 'source.data->split.data', source: 'source', sourcePort: 'data', target: 'split', targetPort: 'data' },
    { id: 'split.data->train.data', source: 'split', sourcePort: 'data', target: 'train', targetPort: 'data' },
    {
      id: 'train.model->evaluate.model',
      source: 'train',
      sourcePort: 'model',
      target: 'evaluate',
      targetPort: 'model',
    },
  ],
};

describe('pipeline file <-> canvas', () => {
  it('round-trips a file through the canvas unchanged', () => {
    const { nodes, edges } = toFlow(spec);
    expect(toSpec({ name: spec.name, description: 'predict species' }, nodes, edges)).toEqual(spec);
  });

  it('keeps node data to the file node (kind, label, params) and names handles by port', () => {
    const { nodes, edges } = toFlow(spec);
    expect(nodes[1]).toMatchObject({
      id: 'split',
      type: 'step',
      data: { kind: 'split', label: 'Hold out', params: { method: 'random' } },
    });
    expect(Object.keys(nodes[0]?.data ?? {}).sort()).toEqual(['kind', 'params']);
    expect(edges[2]).toMatchObject({
      source: 'train',
      sourceHandle: 'model',
      target: 'evaluate',
      targetHandle: 'model',
      className: 'edge-model',
    });
    expect(edges[0]?.className).toBe('edge-dataset');
    expect(edges[1]?.className).toBe('edge-split');
  });

  it('does not share params objects with the file it came from', () => {
    const { nodes } = toFlow(spec);
    (nodes[0]?.data.params as Record<string, unknown>).dataset = 'wine';
    expect(spec.nodes[0]?.params.dataset).toBe('iris');
  });

  it('rounds positions so a file diffs cleanly', () => {
    const { nodes, edges } = toFlow(spec);
    const moved = nodes.map((n) => ({ ...n, position: { x: n.position.x + 0.4, y: n.position.y + 10.6 } }));
    expect(toSpec({ name: 'iris' }, moved, edges).nodes[0]?.position).toEqual({ x: 0, y: 11 });
  });
});

describe('connections', () => {
  const { nodes, edges } = toFlow(spec);
  const conn = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({
    source,
    sourceHandle,
    target,
    targetHandle,
  });

  it('allows an output into a free input of the same type', () => {
    expect(connectionProblem(nodes, edges, conn('split', 'data', 'evaluate', 'data'))).toBeNull();
  });

  it('refuses a type mismatch and names both types', () => {
    // A dataset step may feed evaluate's split input as it is (pictures do; a table there is named
    // by validation, shared/data-kind.ts), a model may not.
    expect(connectionProblem(nodes, edges, conn('source', 'data', 'evaluate', 'data'))).toBeNull();
    expect(connectionProblem(nodes, edges, conn('source', 'data', 'evaluate', 'model'))).toMatch(
      /takes a model version; Dataset \("source"\) gives a table/,
    );
    expect(connectionProblem(nodes, edges, conn('train', 'model', 'split', 'data'))).toMatch(
      /takes a table; .* gives a model version/,
    );
  });

  it('takes a transform after the split, whose output then carries the split on', () => {
    const withImpute: StepNode[] = [
      ...nodes,
      { id: 'impute', type: 'step', position: { x: 0, y: 200 }, data: { kind: 'impute', params: {} } },
    ];
    expect(connectionProblem(withImpute, edges, conn('split', 'data', 'impute', 'data'))).toBeNull();
    const fed = [
      ...edges,
      { id: 'split.data->impute.data', source: 'split', target: 'impute', sourceHandle: 'data', targetHandle: 'data' },
    ];
    expect(connectionProblem(withImpute, fed, conn('impute', 'data', 'evaluate', 'data'))).toBeNull();
    expect([...splitPorts(toSpec({ name: 'x' }, withImpute, fed))].sort()).toEqual(
      [portKey('impute', 'in', 'data'), portKey('impute', 'out', 'data')].sort(),
    );
    // Fed a plain table, the same step gives a plain table, which evaluate does not take.
    const plain = [
      ...edges,
      {
        id: 'source.data->impute.data',
        source: 'source',
        target: 'impute',
        sourceHandle: 'data',
        targetHandle: 'data',
      },
    ];
    expect(connectionProblem(withImpute, plain, conn('impute', 'data', 'evaluate', 'data'))).toMatch(
      /takes a split table; .* gives a table/,
    );
    expect(splitPorts(toSpec({ name: 'x' }, withImpute, plain)).size).toBe(0);
    // SQL could drop the split column: it takes no split table.
    const withSql: StepNode[] = [
      ...nodes,
      { id: 'sql', type: 'step', position: { x: 0, y: 200 }, data: { kind: 'sql', params: {} } },
    ];
    expect(connectionProblem(withSql, edges, conn('split', 'data', 'sql', 'data'))).toMatch(
      /takes a table; .* gives a split table/,
    );
  });

  it('refuses a second edge into an occupied input', () => {
    const extra = [
      ...nodes,
      { id: 'source-2', type: 'step', position: { x: 0, y: 200 }, data: { kind: 'dataset', params: {} } } as StepNode,
    ];
    expect(connectionProblem(extra, edges, conn('source-2', 'data', 'split', 'data'))).toMatch(
      /already connected \(from "source"\)/,
    );
  });

  it('refuses cycles and self-loops', () => {
    const loop: StepNode[] = [
      { id: 'a', type: 'step', position: { x: 0, y: 0 }, data: { kind: 'filter', params: {} } },
      { id: 'b', type: 'step', position: { x: 0, y: 0 }, data: { kind: 'filter', params: {} } },
    ];
    const ab = [{ id: 'a.data->b.data', source: 'a', target: 'b', sourceHandle: 'data', targetHandle: 'data' }];
    expect(connectionProblem(loop, ab, conn('b', 'data', 'a', 'data'))).toMatch(/loop/);
    expect(connectionProblem(loop, [], conn('a', 'data', 'a', 'data'))).toMatch(/itself/);
  });

  it('refuses ports that do not exist (output to output)', () => {
    expect(connectionProblem(nodes, edges, conn('source', 'data', 'split', 'nope'))).toMatch(/output .* to an input/);
  });
});

describe('ids and the clipboard', () => {
  it('gives a new node the kind as its id, then kind-2, kind-3', () => {
    expect(nextNodeId('train', new Set())).toBe('train');
    expect(nextNodeId('train', new Set(['train', 'train-2']))).toBe('train-3');
  });

  it('copies the selected steps with the edges between them only', () => {
    const { nodes, edges } = toFlow(spec);
    const picked = nodes.map((n) => ({ ...n, selected: n.id === 'split' || n.id === 'train' }));
    const clip = copySelection(picked, edges);
    expect(clip?.nodes.map((n) => n.id)).toEqual(['split', 'train']);
    expect(clip?.edges.map((e) => e.id)).toEqual(['split.data->train.data']);
    expect(copySelection(nodes, edges)).toBeNull();
  });

  it('pastes with fresh ids, edges re-pointed, moved by the offset; the result validates', () => {
    const { nodes, edges } = toFlow(spec);
    const clip = copySelection(
      nodes.map((n) => ({ ...n, selected: true })),
      edges,
    );
    if (!clip) throw new Error('nothing copied');
    const pasted = pasteClipboard(clip, new Set(spec.nodes.map((n) => n.id)), { x: 40, y: 40 });
    expect(pasted.nodes.map((n) => n.id)).toEqual(['dataset', 'split-2', 'train-2', 'evaluate-2']);
    expect(pasted.nodes[1]?.position).toEqual({ x: 300, y: 40 });
    expect(pasted.edges.map((e) => `${e.source}->${e.target}`)).toEqual([
      'dataset->split-2',
      'split-2->train-2',
      'train-2->evaluate-2',
    ]);
    const both = { ...spec, nodes: [...spec.nodes, ...pasted.nodes], edges: [...spec.edges, ...pasted.edges] };
    // Only the evaluate steps' missing split inputs are wrong: no duplicate ids, no dangling edges.
    const issues = validatePipeline(both).issues;
    expect(issues.every((i) => /needs its "data" input/.test(i.message))).toBe(true);
    expect(new Set(issues.map((i) => i.nodeId))).toEqual(new Set(['evaluate', 'evaluate-2']));
  });
});
