// What the canvas draws over the file: each node's validation issues, its step in the run on
// show, and which of its table ports carry a split table. Passed by context, not through node data, so node data stays exactly the saved file.
import { createContext } from 'react';
import type { PipelineStep } from '../../../../shared/api.js';
import type { PipelineIssue } from '../../../../shared/pipeline.js';

export interface Decorations {
  issues: ReadonlyMap<string, readonly PipelineIssue[]>;
  steps: ReadonlyMap<string, PipelineStep>;
  /** Keys (flow-graph's portKey) of table ports that carry a split table on this canvas. */
  splitPorts: ReadonlySet<string>;
}

export const DecorationsContext = createContext<Decorations>({
  issues: new Map(),
  steps: new Map(),
  splitPorts: new Set(),
});

/** Issues grouped by the node they name (edge issues go to the edge's target node, which shows them). */
export function issuesByNode(issues: readonly PipelineIssue[]): Map<string, PipelineIssue[]> {
  const out = new Map<string, PipelineIssue[]>();
  for (const i of issues) {
    if (!i.nodeId) continue;
    const list = out.get(i.nodeId);
    if (list) list.push(i);
    else out.set(i.nodeId, [i]);
  }
  return out;
}
