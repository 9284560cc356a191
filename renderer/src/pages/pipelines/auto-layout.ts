// Auto-layout: dagre ranks the steps left to right along their edges, so data flows the way the
// ports face (inputs left, outputs right). Pure: sizes in, top-left positions out.
import dagre from '@dagrejs/dagre';
import type { XYPosition } from '@xyflow/react';

export interface LayoutBox {
  id: string;
  width: number;
  height: number;
}

/** Gaps between ranks (columns) and between steps of one rank. */
const RANK_GAP = 45;
const NODE_GAP = 30;

/** Top-left positions for boxes laid out left to right along the edges. */
export function layoutLeftToRight(
  boxes: readonly LayoutBox[],
  edges: readonly { source: string; target: string }[],
): Map<string, XYPosition> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', ranksep: RANK_GAP, nodesep: NODE_GAP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  const ids = new Set(boxes.map((b) => b.id));
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, XYPosition>();
  for (const b of boxes) {
    // dagre places centres; React Flow positions are top-left corners.
    const n = g.node(b.id) as { x: number; y: number };
    out.set(b.id, { x: Math.round(n.x - b.width / 2), y: Math.round(n.y - b.height / 2) });
  }
  return out;
}
