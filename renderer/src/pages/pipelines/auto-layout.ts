// Auto-layout: dagre ranks the steps left to right along their edges, so data flows the way the
// ports face (inputs left, outputs right); a flow longer than the canvas is wide wraps into rows,
// read like lines of text, so steps stay at a readable size. Pure: sizes in, top-left positions out.
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
/** The gap between wrapped rows: more than between steps, so the rows read apart. */
const ROW_GAP = 70;

/**
 * Top-left positions for boxes laid out left to right along the edges, wrapped into rows no wider
 * than `maxWidth` (a rank wider than that alone still gets a row).
 */
export function layoutLeftToRight(
  boxes: readonly LayoutBox[],
  edges: readonly { source: string; target: string }[],
  maxWidth = Number.POSITIVE_INFINITY,
): Map<string, XYPosition> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', ranksep: RANK_GAP, nodesep: NODE_GAP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  const ids = new Set(boxes.map((b) => b.id));
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  // dagre places centres; React Flow positions are top-left corners.
  const placed = boxes.map((b) => {
    const n = g.node(b.id) as { x: number; y: number };
    return { ...b, left: n.x - b.width / 2, top: n.y - b.height / 2 };
  });
  const out = new Map<string, XYPosition>();
  for (const row of wrapRanks(placed, maxWidth)) {
    for (const p of row.boxes)
      out.set(p.id, { x: Math.round(p.left - row.left), y: Math.round(row.y + p.top - row.top) });
  }
  return out;
}

interface Placed extends LayoutBox {
  left: number;
  top: number;
}

/** The ranks (boxes sharing a column) cut into rows no wider than `maxWidth`, each row with where it goes. */
function wrapRanks(
  placed: readonly Placed[],
  maxWidth: number,
): { boxes: Placed[]; left: number; top: number; y: number }[] {
  const ranks = new Map<number, Placed[]>();
  for (const p of placed) {
    const centre = Math.round(p.left + p.width / 2);
    ranks.set(centre, [...(ranks.get(centre) ?? []), p]);
  }
  const columns = [...ranks.entries()].sort(([a], [b]) => a - b).map(([, ps]) => ps);
  const rows: Placed[][] = [];
  let current: Placed[] = [];
  let rowLeft = 0;
  for (const column of columns) {
    const left = Math.min(...column.map((p) => p.left));
    const right = Math.max(...column.map((p) => p.left + p.width));
    if (current.length > 0 && right - rowLeft > maxWidth) {
      rows.push(current);
      current = [];
    }
    if (current.length === 0) rowLeft = left;
    current.push(...column);
  }
  if (current.length > 0) rows.push(current);
  let y = 0;
  return rows.map((boxes) => {
    const top = Math.min(...boxes.map((p) => p.top));
    const bottom = Math.max(...boxes.map((p) => p.top + p.height));
    const row = { boxes, left: Math.min(...boxes.map((p) => p.left)), top, y };
    y += bottom - top + ROW_GAP;
    return row;
  });
}
