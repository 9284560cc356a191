import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../../shared/pipeline.js';
import {
  canRedo,
  canUndo,
  currentSpec,
  editorReducer,
  HISTORY_LIMIT,
  isDirty,
  newDoc,
  stableJson,
  type EditorAction,
  type EditorDoc,
} from '../../../../../renderer/src/pages/pipelines/editor-state.js';

const empty: PipelineSpec = { cairn: 1, name: 'p', nodes: [], edges: [] };
const run = (doc: EditorDoc, ...actions: EditorAction[]) => actions.reduce(editorReducer, doc);
const saved = () => newDoc(empty, { pipelineId: 'p1', version: 1 });

describe('editor state', () => {
  it('adds a step with its kind defaults, selected, as an undo step', () => {
    const doc = run(saved(), { type: 'add', kind: 'split', position: { x: 10, y: 20 } });
    expect(doc.nodes).toHaveLength(1);
    expect(doc.nodes[0]).toMatchObject({
      id: 'split',
      selected: true,
      data: { kind: 'split', params: { method: 'random', train: 0.7, validation: 0.15, test: 0.15, seed: 42 } },
    });
    expect(isDirty(doc)).toBe(true);
    expect(canUndo(doc)).toBe(true);
    expect(run(doc, { type: 'add', kind: 'nope', position: { x: 0, y: 0 } })).toBe(doc);
    // Required text starts empty, so the step says the field is required.
    const train = run(doc, { type: 'add', kind: 'train', position: { x: 0, y: 0 } }).nodes[1];
    expect(train?.data.params).toMatchObject({ target: '', epochs: 50 });
    expect(train?.data.params).not.toHaveProperty('modelName');
  });

  it('undoes and redoes whole edits, and saving clears "unsaved"', () => {
    let doc = run(
      saved(),
      { type: 'add', kind: 'dataset', position: { x: 0, y: 0 } },
      { type: 'add', kind: 'split', position: { x: 300, y: 0 } },
    );
    doc = run(doc, {
      type: 'connect',
      connection: { source: 'dataset', sourceHandle: 'data', target: 'split', targetHandle: 'data' },
    });
    expect(doc.edges.map((e) => e.id)).toEqual(['dataset.data->split.data']);
    doc = run(doc, { type: 'undo' });
    expect(doc.edges).toHaveLength(0);
    expect(doc.nodes).toHaveLength(2);
    doc = run(doc, { type: 'undo' }, { type: 'undo' });
    expect(doc.nodes).toHaveLength(0);
    expect(isDirty(doc)).toBe(false);
    expect(canUndo(doc)).toBe(false);
    doc = run(doc, { type: 'redo' }, { type: 'redo' }, { type: 'redo' });
    expect(doc.edges).toHaveLength(1);
    expect(canRedo(doc)).toBe(false);
    const spec = currentSpec(doc);
    doc = run(doc, { type: 'saved', pipelineId: 'p1', version: 2, spec });
    expect(isDirty(doc)).toBe(false);
    expect(doc.baseVersion).toBe(2);
  });

  it('a new edit after undo drops the redo steps', () => {
    let doc = run(saved(), { type: 'add', kind: 'dataset', position: { x: 0, y: 0 } }, { type: 'undo' });
    expect(canRedo(doc)).toBe(true);
    doc = run(doc, { type: 'add', kind: 'filter', position: { x: 0, y: 0 } });
    expect(canRedo(doc)).toBe(false);
  });

  it('refuses a connection the canvas would refuse', () => {
    const doc = run(
      saved(),
      { type: 'add', kind: 'dataset', position: { x: 0, y: 0 } },
      { type: 'add', kind: 'evaluate', position: { x: 300, y: 0 } },
    );
    // A table into evaluate's model input.
    const after = run(doc, {
      type: 'connect',
      connection: { source: 'dataset', sourceHandle: 'data', target: 'evaluate', targetHandle: 'model' },
    });
    expect(after).toBe(doc);
  });

  it('typing in one field is one undo step; another field starts a new one', () => {
    let doc = run(saved(), { type: 'add', kind: 'train', position: { x: 0, y: 0 } });
    for (const t of ['s', 'sp', 'spe', 'species'])
      doc = run(doc, {
        type: 'params',
        id: 'train',
        params: { ...doc.nodes[0]?.data.params, target: t },
        group: 'param:train:target',
      });
    doc = run(doc, {
      type: 'params',
      id: 'train',
      params: { ...doc.nodes[0]?.data.params, epochs: 3 },
      group: 'param:train:epochs',
    });
    doc = run(doc, { type: 'undo' });
    expect(doc.nodes[0]?.data.params).toMatchObject({ target: 'species', epochs: 50 });
    doc = run(doc, { type: 'undo' });
    expect(doc.nodes[0]?.data.params.target).toBe('');
    expect(doc.nodes).toHaveLength(1);
  });

  it('a drag is one undo step, taken when it ends', () => {
    let doc = run(saved(), { type: 'add', kind: 'dataset', position: { x: 0, y: 0 } });
    const pastBefore = doc.past.length;
    for (const x of [10, 20, 30])
      doc = run(doc, {
        type: 'nodesChanged',
        changes: [{ type: 'position', id: 'dataset', position: { x, y: 0 }, dragging: true }],
      });
    expect(doc.past.length).toBe(pastBefore);
    doc = run(doc, { type: 'nodesChanged', changes: [{ type: 'position', id: 'dataset', dragging: false }] });
    expect(doc.past.length).toBe(pastBefore + 1);
    doc = run(doc, { type: 'undo' });
    expect(doc.nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('deletes the selected steps with their edges, and selected edges; React Flow removals are ignored', () => {
    let doc = run(
      saved(),
      { type: 'add', kind: 'dataset', position: { x: 0, y: 0 } },
      { type: 'add', kind: 'split', position: { x: 300, y: 0 } },
      {
        type: 'connect',
        connection: { source: 'dataset', sourceHandle: 'data', target: 'split', targetHandle: 'data' },
      },
    );
    expect(run(doc, { type: 'nodesChanged', changes: [{ type: 'remove', id: 'split' }] }).nodes).toHaveLength(2);
    doc = run(doc, { type: 'deleteSelected' });
    expect(doc.nodes.map((n) => n.id)).toEqual(['dataset']);
    expect(doc.edges).toHaveLength(0);
    doc = run(doc, { type: 'undo' });
    expect(doc.edges).toHaveLength(1);
    doc = run(
      doc,
      { type: 'edgesChanged', changes: [{ type: 'select', id: 'dataset.data->split.data', selected: true }] },
      { type: 'select', ids: [] },
    );
    // select [] also clears edge selection: re-select the edge, then delete it.
    doc = run(
      doc,
      { type: 'edgesChanged', changes: [{ type: 'select', id: 'dataset.data->split.data', selected: true }] },
      { type: 'deleteSelected' },
    );
    expect(doc.nodes).toHaveLength(2);
    expect(doc.edges).toHaveLength(0);
  });

  it('pastes copies with new ids, selected instead of the originals', () => {
    let doc = run(saved(), { type: 'add', kind: 'filter', position: { x: 0, y: 0 } });
    doc = run(doc, {
      type: 'paste',
      clip: {
        nodes: [{ id: 'filter', kind: 'filter', params: { condition: 'x > 1' }, position: { x: 0, y: 0 } }],
        edges: [],
      },
      offset: { x: 40, y: 40 },
    });
    expect(doc.nodes.map((n) => [n.id, n.selected])).toEqual([
      ['filter', false],
      ['filter-2', true],
    ]);
    expect(doc.nodes[1]?.position).toEqual({ x: 40, y: 40 });
  });

  it('opening another version replaces the canvas, undoably, and compares "unsaved" with it', () => {
    let doc = run(saved(), { type: 'add', kind: 'filter', position: { x: 0, y: 0 } });
    const v3: PipelineSpec = { ...empty, nodes: [{ id: 'sql', kind: 'sql', params: {}, position: { x: 5, y: 5 } }] };
    doc = run(doc, { type: 'open', spec: v3, version: 3 });
    expect(doc.nodes.map((n) => n.id)).toEqual(['sql']);
    expect(doc.baseVersion).toBe(3);
    expect(isDirty(doc)).toBe(false);
    doc = run(doc, { type: 'undo' });
    expect(doc.nodes.map((n) => n.id)).toEqual(['filter']);
  });

  it('keeps a bounded history', () => {
    let doc = saved();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) doc = run(doc, { type: 'head', head: { name: `p${i}` } });
    expect(doc.past.length).toBe(HISTORY_LIMIT);
  });

  it('a file never saved is always unsaved', () => {
    expect(isDirty(newDoc(empty))).toBe(true);
  });

  it('compares files whatever order their params were written in', () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } })).toBe(
      stableJson({ a: { c: 2, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
    expect(stableJson([1, 2])).not.toBe(stableJson([2, 1]));
  });
});
