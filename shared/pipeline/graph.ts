// Graph utilities over a pipeline's nodes and edges: the nearest node of a kind upstream, and cycles.
import type { PipelineEdge, PipelineNode } from './file.js';
import type { NodeKindName } from './kinds/index.js';

/** The nearest node of a kind (or of one of several) upstream of a node (following model inputs first), if any. */
export function upstreamOfKind(
  nodeId: string,
  kind: NodeKindName | readonly NodeKindName[],
  byId: ReadonlyMap<string, PipelineNode>,
  edges: readonly PipelineEdge[],
): PipelineNode | undefined {
  const kinds: readonly string[] = typeof kind === 'string' ? [kind] : kind;
  const seen = new Set<string>();
  const queue = [nodeId];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of edges
      .filter((x) => x.target === id)
      .sort((a, b) => Number(b.targetPort === 'model') - Number(a.targetPort === 'model'))) {
      if (seen.has(e.source)) continue;
      seen.add(e.source);
      const n = byId.get(e.source);
      if (n && kinds.includes(n.kind)) return n;
      queue.push(e.source);
    }
  }
  return undefined;
}

/** A cycle's node ids in order, or null when the graph flows one way. */
export function findCycle(
  nodeIds: readonly string[],
  edges: readonly Pick<PipelineEdge, 'source' | 'target'>[],
): string[] | null {
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) next.get(e.source)?.push(e.target);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    stack.push(id);
    for (const t of next.get(id) ?? []) {
      const s = state.get(t);
      if (s === 1) return stack.slice(stack.indexOf(t));
      if (s === undefined) {
        const found = visit(t);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const id of nodeIds) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return null;
}

/** Whether adding an edge source -> target would close a cycle (for an editor refusing the connection). */
export function wouldCycle(
  edges: readonly Pick<PipelineEdge, 'source' | 'target'>[],
  source: string,
  target: string,
): boolean {
  if (source === target) return true;
  const seen = new Set<string>([target]);
  const queue = [target];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of edges) {
      if (e.source !== id || seen.has(e.target)) continue;
      if (e.target === source) return true;
      seen.add(e.target);
      queue.push(e.target);
    }
  }
  return false;
}
