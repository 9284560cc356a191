// The pipeline file and the canvas are one thing: React Flow nodes carry exactly a node's kind,
// label and params as their `data` (serializable), handles are named by port, and edges by their
// ends. This module converts between the two and holds the canvas rules a file cannot break:
// which connections are allowed, fresh ids, and what copy/paste carries. Pure: no React.
import type { Edge, Node, XYPosition } from '@xyflow/react';
import {
  inputTakes,
  isNodeKind,
  nodeKinds,
  outputType,
  PIPELINE_FORMAT,
  portTypeLabels,
  specPortGraph,
  wouldCycle,
  type PipelineEdge,
  type PipelineNode,
  type PipelineSpec,
  type PortSpec,
  type PortType,
} from '../../../../shared/pipeline.js';

/** What a canvas node carries: the file's node minus its id and position (React Flow holds those). */
export type StepData = { kind: string; label?: string; params: Record<string, unknown> };
export type StepNode = Node<StepData, 'step'>;
export type PipeEdge = Edge;

/** The file's top-level fields other than the graph. */
export interface SpecHead {
  name: string;
  description?: string;
}

/** The port an output handle stands for (handles are named by port: an input and an output may share a name). */
export function outputPort(kind: string, port: string | null | undefined): PortSpec | undefined {
  return isNodeKind(kind) ? nodeKinds[kind].outputs.find((p) => p.name === port) : undefined;
}

/** The port an input handle stands for. */
export function inputPort(kind: string, port: string | null | undefined): PortSpec | undefined {
  return isNodeKind(kind) ? nodeKinds[kind].inputs.find((p) => p.name === port) : undefined;
}

/** A port's key in the set splitPorts returns. */
export function portKey(nodeId: string, side: 'in' | 'out', port: string): string {
  return `${nodeId}\u0000${side}\u0000${port}`;
}

/**
 * The table ports that carry a split table on this canvas (a transform placed after the split),
 * so the step draws them as split ports: its output, and the input it keeps the split of.
 */
export function splitPorts(spec: Pick<PipelineSpec, 'nodes' | 'edges'>): Set<string> {
  const graph = specPortGraph(spec);
  const out = new Set<string>();
  for (const n of spec.nodes) {
    if (!isNodeKind(n.kind)) continue;
    for (const port of nodeKinds[n.kind].outputs) {
      if (!port.keepsSplitOf || port.type === 'split' || outputType(graph, n.id, port.name) !== 'split') continue;
      out.add(portKey(n.id, 'out', port.name));
      out.add(portKey(n.id, 'in', port.keepsSplitOf));
    }
  }
  return out;
}

/** The id a new edge gets (the templates' convention): readable in the file and unique per input. */
export function edgeId(source: string, sourcePort: string, target: string, targetPort: string): string {
  return `${source}.${sourcePort}->${target}.${targetPort}`;
}

/** The canvas edge for a file edge; its class colours it by what flows along it. */
export function toFlowEdge(e: PipelineEdge, sourceKind: string | undefined): PipeEdge {
  const type: PortType | undefined = sourceKind ? outputPort(sourceKind, e.sourcePort)?.type : undefined;
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    sourceHandle: e.sourcePort,
    targetHandle: e.targetPort,
    ...(type ? { className: `edge-${type}` } : {}),
  };
}

/** The canvas nodes and edges of a pipeline file. */
export function toFlow(spec: PipelineSpec): { nodes: StepNode[]; edges: PipeEdge[] } {
  const kindOf = new Map(spec.nodes.map((n) => [n.id, n.kind]));
  return {
    nodes: spec.nodes.map((n) => ({
      id: n.id,
      type: 'step',
      position: { x: n.position.x, y: n.position.y },
      data: { kind: n.kind, params: structuredClone(n.params), ...(n.label !== undefined ? { label: n.label } : {}) },
    })),
    edges: spec.edges.map((e) => toFlowEdge(e, kindOf.get(e.source))),
  };
}

/** The file a canvas is: nodes in canvas order, positions rounded so a file diffs cleanly. */
export function toSpec(head: SpecHead, nodes: readonly StepNode[], edges: readonly PipeEdge[]): PipelineSpec {
  return {
    cairn: PIPELINE_FORMAT,
    name: head.name,
    ...(head.description ? { description: head.description } : {}),
    nodes: nodes.map((n): PipelineNode => ({
      id: n.id,
      kind: n.data.kind,
      ...(n.data.label !== undefined ? { label: n.data.label } : {}),
      params: n.data.params,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map(toSpecEdge),
  };
}

/** The file's edge for a canvas edge (handles are named by port). */
function toSpecEdge(e: PipeEdge): PipelineEdge {
  return {
    id: e.id,
    source: e.source,
    sourcePort: e.sourceHandle ?? '',
    target: e.target,
    targetPort: e.targetHandle ?? '',
  };
}

/** A fresh node id for a kind: the kind's name, then kind-2, kind-3, ... */
export function nextNodeId(kind: string, taken: ReadonlySet<string>): string {
  if (!taken.has(kind)) return kind;
  for (let i = 2; ; i++) if (!taken.has(`${kind}-${i}`)) return `${kind}-${i}`;
}

export interface ConnectionAttempt {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

/**
 * Why a connection may not be made, or null when it may: the input must take what the output carries, an input
 * takes one edge, and a pipeline flows one way (no cycles, no step feeding itself).
 */
export function connectionProblem(
  nodes: readonly Pick<StepNode, 'id' | 'data'>[],
  edges: readonly PipeEdge[],
  c: ConnectionAttempt,
): string | null {
  if (c.source === c.target) return 'a step cannot feed itself';
  const source = nodes.find((n) => n.id === c.source);
  const target = nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'one end of the connection is not on the canvas';
  const out = outputPort(source.data.kind, c.sourceHandle);
  const inp = inputPort(target.data.kind, c.targetHandle);
  if (!out || !inp) return 'connect an output (right side) to an input (left side)';
  const targetName = stepName(target);
  // What the source carries on this canvas: a table step after the split gives a split.
  const graph = specPortGraph({
    nodes: nodes.map((n) => ({ id: n.id, kind: n.data.kind })),
    edges: edges.map(toSpecEdge),
  });
  const carries = outputType(graph, source.id, out.name) ?? out.type;
  if (!inputTakes(inp, carries, source.data.kind)) {
    return `${targetName}'s ${inp.label} input takes a ${portTypeLabels[inp.type]}; ${stepName(source)} gives a ${portTypeLabels[carries]}`;
  }
  const occupied = edges.find((e) => e.target === c.target && e.targetHandle === c.targetHandle);
  if (occupied)
    return `${targetName}'s ${inp.label} input is already connected (from "${occupied.source}"); delete that edge first`;
  if (wouldCycle(edges, c.source, c.target)) return 'that edge would close a loop: a pipeline flows one way';
  return null;
}

/** What a step is called on the canvas: its label, else its kind's label, with its id. */
export function stepName(n: Pick<StepNode, 'id' | 'data'>): string {
  const kind = isNodeKind(n.data.kind) ? nodeKinds[n.data.kind].label : n.data.kind;
  return `${n.data.label ?? kind} ("${n.id}")`;
}

/** Copied steps: file nodes and the edges among them, as the clipboard holds them. */
export interface Clipboard {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

/** The selected nodes and the edges between two of them. */
export function copySelection(nodes: readonly StepNode[], edges: readonly PipeEdge[]): Clipboard | null {
  const chosen = nodes.filter((n) => n.selected);
  if (chosen.length === 0) return null;
  const spec = toSpec({ name: 'clipboard' }, chosen, edges);
  const ids = new Set(chosen.map((n) => n.id));
  return {
    nodes: structuredClone(spec.nodes),
    edges: spec.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/** The clipboard's steps with fresh ids (and edges re-pointed at them), moved by an offset. */
export function pasteClipboard(clip: Clipboard, taken: ReadonlySet<string>, offset: XYPosition): Clipboard {
  const used = new Set(taken);
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = nextNodeId(n.kind, used);
    used.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edges = clip.edges.flatMap((e) => {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    return source && target ? [{ ...e, id: edgeId(source, e.sourcePort, target, e.targetPort), source, target }] : [];
  });
  return { nodes, edges };
}
