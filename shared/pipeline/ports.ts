// Port typing: what flows along an edge, the ports a node kind declares, and what an output carries
// in a given graph (a table step fed a split table hands on a split table).
import { z } from 'zod';
import type { PipelineEdge, PipelineNode } from './file.js';
import { isNodeKind, nodeKinds } from './kinds/index.js';

/** What flows along an edge. An edge joins an output to an input of the same type only. */
export const portTypes = ['dataset', 'split', 'model', 'metrics', 'endpoint'] as const;
export const PortType = z.enum(portTypes);
export type PortType = z.infer<typeof PortType>;

/** Human names of the port types, for tooltips and error messages. */
export const portTypeLabels: Record<PortType, string> = {
  dataset: 'table',
  split: 'split table',
  model: 'model version',
  metrics: 'metrics',
  endpoint: 'endpoint',
};

export interface PortSpec {
  /** Stable within its kind: edges name it as sourcePort / targetPort. */
  name: string;
  label: string;
  type: PortType;
  /** Inputs only: the node cannot run without an edge into it. */
  required?: boolean;
  /** Table inputs only: a split table is taken too (the step leaves the split column alone). */
  takesSplit?: boolean;
  /**
   * Split inputs only: a dataset step's table is taken too, as it may be a picture dataset, which a
   * training run splits by label itself. The host's validation, which knows the datasets, refuses a
   * table of rows there (it needs a split first).
   */
  takesSource?: boolean;
  /**
   * Table outputs only: the output is a split table when this input is fed one. This is what lets
   * a transform come after the split and learn its statistics from the train rows alone.
   */
  keepsSplitOf?: string;
}

/** Enough of a pipeline's graph to work out what its ports carry (the spec, or the editor's canvas). */
export interface PortGraph {
  kindOf(nodeId: string): string | undefined;
  /** The output feeding an input, if an edge joins them. */
  sourceOf(nodeId: string, input: string): { node: string; port: string } | undefined;
}

/** A spec's graph (or a canvas's, as far as ports go); where several edges go into one input, the first counts. */
export function specPortGraph(spec: {
  nodes: readonly Pick<PipelineNode, 'id' | 'kind'>[];
  edges: readonly Pick<PipelineEdge, 'source' | 'sourcePort' | 'target' | 'targetPort'>[];
}): PortGraph {
  const kinds = new Map(spec.nodes.map((n) => [n.id, n.kind]));
  const into = new Map<string, { node: string; port: string }>();
  for (const e of spec.edges) {
    const key = `${e.target}\u0000${e.targetPort}`;
    if (!into.has(key)) into.set(key, { node: e.source, port: e.sourcePort });
  }
  return {
    kindOf: (id) => kinds.get(id),
    sourceOf: (id, input) => into.get(`${id}\u0000${input}`),
  };
}

/**
 * What an output port carries in a graph: its kind's type, except that a table step fed a split
 * table gives one (see PortSpec.keepsSplitOf). Undefined for an unknown node, kind or port; a loop
 * ends at the declared type (validation reports the loop).
 */
export function outputType(
  g: PortGraph,
  nodeId: string,
  port: string,
  seen: Set<string> = new Set(),
): PortType | undefined {
  const kind = g.kindOf(nodeId);
  if (kind === undefined || !isNodeKind(kind)) return undefined;
  const out = nodeKinds[kind].outputs.find((p) => p.name === port);
  if (!out?.keepsSplitOf || seen.has(nodeId)) return out?.type;
  seen.add(nodeId);
  const from = g.sourceOf(nodeId, out.keepsSplitOf);
  return from && outputType(g, from.node, from.port, seen) === 'split' ? 'split' : out.type;
}

/** Whether an input port takes what an output of this type, of a node of `sourceKind`, carries. */
export function inputTakes(inp: PortSpec, type: PortType, sourceKind?: string): boolean {
  return (
    type === inp.type ||
    (type === 'split' && inp.takesSplit === true) ||
    (type === 'dataset' && inp.takesSource === true && sourceKind === 'dataset')
  );
}
