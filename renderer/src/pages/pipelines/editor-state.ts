// One open pipeline in the editor: the canvas (React Flow nodes and edges), the file's head,
// the undo history (snapshots of the file, not of every drag frame) and what was last saved, so
// "unsaved" is a comparison rather than a flag someone forgets to set. A pure reducer: the page
// keeps one per open pipeline, so switching pipelines keeps each one's unsaved work and history.
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import {
  defaultParams,
  isNodeKind,
  nodeKinds,
  type NodeKindName,
  type PipelineSpec,
} from '../../../../shared/pipeline.js';
import {
  connectionProblem,
  edgeId,
  nextNodeId,
  pasteClipboard,
  toFlow,
  toFlowEdge,
  toSpec,
  type Clipboard,
  type ConnectionAttempt,
  type PipeEdge,
  type SpecHead,
  type StepNode,
} from './flow-graph.js';

/** Undo steps kept per pipeline. */
export const HISTORY_LIMIT = 100;

export interface EditorDoc {
  /** The saved pipeline this is a working copy of; absent for a file not saved yet (e.g. an invalid import). */
  pipelineId?: string;
  /** The saved version the working copy started from. */
  baseVersion?: number;
  /** The base version's file as stableJson, '' when there is none: the working copy differs from it = unsaved. */
  savedJson: string;
  head: SpecHead;
  nodes: StepNode[];
  edges: PipeEdge[];
  /** The file as of the last undo step; the canvas may be ahead of it mid-drag. */
  present: PipelineSpec;
  past: PipelineSpec[];
  future: PipelineSpec[];
  /** Consecutive edits of one group (typing in one field) make one undo step. */
  group?: string;
}

export type EditorAction =
  | { type: 'nodesChanged'; changes: NodeChange<StepNode>[] }
  | { type: 'edgesChanged'; changes: EdgeChange<PipeEdge>[] }
  /** Takes the canvas as it is now into the history (e.g. when a drag ends). */
  | { type: 'commit' }
  | { type: 'add'; kind: string; position: XYPosition }
  | { type: 'connect'; connection: ConnectionAttempt }
  | { type: 'deleteSelected' }
  | { type: 'params'; id: string; params: Record<string, unknown>; group?: string }
  | { type: 'label'; id: string; label: string | undefined }
  | { type: 'head'; head: SpecHead; group?: string }
  | { type: 'paste'; clip: Clipboard; offset: XYPosition }
  | { type: 'layout'; positions: ReadonlyMap<string, XYPosition> }
  | { type: 'select'; ids: readonly string[] }
  | { type: 'selectAll' }
  | { type: 'undo' }
  | { type: 'redo' }
  /** The working copy was saved as `version` of `pipelineId`. */
  | { type: 'saved'; pipelineId: string; version: number; spec: PipelineSpec }
  /** Replaces the working copy with another saved version (undoable). */
  | { type: 'open'; spec: PipelineSpec; version: number };

/** JSON with object keys sorted, so equal files compare equal whatever order their params were set in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * A new step's params: the kind's defaults, and "" for required text without one, so the step
 * reads "Target is required" rather than a type error until it is filled in.
 */
export function newStepParams(kind: NodeKindName): Record<string, unknown> {
  const params = defaultParams(kind);
  for (const f of nodeKinds[kind].params) {
    if (f.required && f.default === undefined && (f.type === 'string' || f.type === 'column' || f.type === 'dataset'))
      params[f.name] = '';
  }
  return params;
}

/** A working copy of a file; `saved` when it is a stored version. */
export function newDoc(spec: PipelineSpec, saved?: { pipelineId: string; version: number }): EditorDoc {
  const { nodes, edges } = toFlow(spec);
  const head = headOf(spec);
  const present = toSpec(head, nodes, edges);
  return {
    ...(saved ? { pipelineId: saved.pipelineId, baseVersion: saved.version } : {}),
    savedJson: saved ? stableJson(present) : '',
    head,
    nodes,
    edges,
    present,
    past: [],
    future: [],
  };
}

/** A stored file as the canvas would write it back (positions rounded), for the unsaved comparison. */
function savedJsonOf(spec: PipelineSpec): string {
  const { nodes, edges } = toFlow(spec);
  return stableJson(toSpec(headOf(spec), nodes, edges));
}

function headOf(spec: PipelineSpec): SpecHead {
  return { name: spec.name, ...(spec.description ? { description: spec.description } : {}) };
}

/** The file the canvas shows now. */
export function currentSpec(doc: EditorDoc): PipelineSpec {
  return toSpec(doc.head, doc.nodes, doc.edges);
}

/** Whether the working copy differs from the version it started from (a never-saved file always does). */
export function isDirty(doc: EditorDoc): boolean {
  return doc.savedJson === '' || stableJson(currentSpec(doc)) !== doc.savedJson;
}

export function canUndo(doc: EditorDoc): boolean {
  return doc.past.length > 0 || stableJson(currentSpec(doc)) !== stableJson(doc.present);
}

export function canRedo(doc: EditorDoc): boolean {
  return doc.future.length > 0;
}

/** Records the canvas as an undo step (coalescing a run of edits of one group); no step when nothing changed. */
function commit(doc: EditorDoc, group?: string): EditorDoc {
  const spec = currentSpec(doc);
  if (stableJson(spec) === stableJson(doc.present)) return group === undefined ? doc : { ...doc, group };
  if (group !== undefined && group === doc.group) return { ...doc, present: spec };
  const past = [...doc.past, doc.present].slice(-HISTORY_LIMIT);
  return { ...doc, present: spec, past, future: [], ...(group !== undefined ? { group } : { group: undefined }) };
}

/** The canvas for a file from the history, keeping what is selected and measured where the node still exists. */
function restore(doc: EditorDoc, spec: PipelineSpec): Pick<EditorDoc, 'head' | 'nodes' | 'edges'> {
  const { nodes, edges } = toFlow(spec);
  const old = new Map(doc.nodes.map((n) => [n.id, n]));
  return {
    head: headOf(spec),
    nodes: nodes.map((n) => {
      const was = old.get(n.id);
      return was ? { ...n, selected: was.selected ?? false, ...(was.measured ? { measured: was.measured } : {}) } : n;
    }),
    edges,
  };
}

function withNodes(doc: EditorDoc, update: (n: StepNode) => StepNode, id: string): EditorDoc {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? update(n) : n)) };
}

/** The editor's reducer: every change to an open pipeline goes through here. */
export function editorReducer(doc: EditorDoc, action: EditorAction): EditorDoc {
  switch (action.type) {
    case 'nodesChanged': {
      // Deletions go through deleteSelected, so the canvas cannot lose a node without an undo step.
      const changes = action.changes.filter((c) => c.type !== 'remove');
      if (changes.length === 0) return doc;
      const next = { ...doc, nodes: applyNodeChanges(changes, doc.nodes) };
      // A move that is not a drag frame (a drag's end, an arrow key) is an undo step.
      const moved = changes.some((c) => c.type === 'position' && c.dragging === false);
      return moved ? commit(next) : next;
    }
    case 'edgesChanged': {
      const changes = action.changes.filter((c) => c.type !== 'remove');
      return changes.length === 0 ? doc : { ...doc, edges: applyEdgeChanges(changes, doc.edges) };
    }
    case 'commit':
      return commit(doc);
    case 'add': {
      if (!isNodeKind(action.kind)) return doc;
      const id = nextNodeId(action.kind, new Set(doc.nodes.map((n) => n.id)));
      const node: StepNode = {
        id,
        type: 'step',
        position: action.position,
        data: { kind: action.kind, params: newStepParams(action.kind) },
        selected: true,
      };
      return commit({
        ...doc,
        nodes: [...doc.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
        edges: unselectEdges(doc.edges),
      });
    }
    case 'connect': {
      const c = action.connection;
      if (connectionProblem(doc.nodes, doc.edges, c) !== null) return doc;
      const source = doc.nodes.find((n) => n.id === c.source);
      const edge = toFlowEdge(
        {
          id: edgeId(c.source, c.sourceHandle ?? '', c.target, c.targetHandle ?? ''),
          source: c.source,
          sourcePort: c.sourceHandle ?? '',
          target: c.target,
          targetPort: c.targetHandle ?? '',
        },
        source?.data.kind,
      );
      return commit({ ...doc, edges: [...doc.edges, edge] });
    }
    case 'deleteSelected': {
      const gone = new Set(doc.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = doc.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (gone.size === 0 && edges.length === doc.edges.length) return doc;
      return commit({ ...doc, nodes: doc.nodes.filter((n) => !gone.has(n.id)), edges });
    }
    case 'params':
      return commit(
        withNodes(doc, (n) => ({ ...n, data: { ...n.data, params: action.params } }), action.id),
        action.group,
      );
    case 'label':
      return commit(
        withNodes(
          doc,
          (n) => {
            const { label: _old, ...rest } = n.data;
            return { ...n, data: action.label ? { ...rest, label: action.label } : rest };
          },
          action.id,
        ),
        `label:${action.id}`,
      );
    case 'head':
      return commit({ ...doc, head: action.head }, action.group);
    case 'paste': {
      const pasted = pasteClipboard(action.clip, new Set(doc.nodes.map((n) => n.id)), action.offset);
      if (pasted.nodes.length === 0) return doc;
      const flow = toFlow({ cairn: 1, name: doc.head.name, nodes: pasted.nodes, edges: pasted.edges });
      return commit({
        ...doc,
        nodes: [
          ...doc.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
          ...flow.nodes.map((n) => ({ ...n, selected: true })),
        ],
        edges: [...unselectEdges(doc.edges), ...flow.edges],
      });
    }
    case 'layout':
      return commit({
        ...doc,
        nodes: doc.nodes.map((n) => ({ ...n, position: action.positions.get(n.id) ?? n.position })),
      });
    case 'select': {
      const ids = new Set(action.ids);
      return {
        ...doc,
        nodes: doc.nodes.map((n) => ({ ...n, selected: ids.has(n.id) })),
        edges: unselectEdges(doc.edges),
      };
    }
    case 'selectAll':
      return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, selected: true })) };
    case 'undo': {
      const settled = commit(doc);
      const previous = settled.past.at(-1);
      if (!previous) return settled;
      return {
        ...settled,
        ...restore(settled, previous),
        present: previous,
        past: settled.past.slice(0, -1),
        future: [settled.present, ...settled.future],
        group: undefined,
      };
    }
    case 'redo': {
      const [next, ...rest] = doc.future;
      if (!next) return doc;
      return {
        ...doc,
        ...restore(doc, next),
        present: next,
        past: [...doc.past, doc.present].slice(-HISTORY_LIMIT),
        future: rest,
        group: undefined,
      };
    }
    case 'saved': {
      // Compared with what was sent, not the canvas: an edit made while the save was on its way stays unsaved.
      return {
        ...doc,
        pipelineId: action.pipelineId,
        baseVersion: action.version,
        savedJson: savedJsonOf(action.spec),
        group: undefined,
      };
    }
    case 'open': {
      const settled = commit(doc);
      return commit({
        ...settled,
        ...restore(settled, action.spec),
        baseVersion: action.version,
        savedJson: savedJsonOf(action.spec),
      });
    }
  }
}

function unselectEdges(edges: PipeEdge[]): PipeEdge[] {
  return edges.some((e) => e.selected) ? edges.map((e) => (e.selected ? { ...e, selected: false } : e)) : edges;
}
