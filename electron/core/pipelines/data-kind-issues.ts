// What a pipeline's datasets allow downstream, checked before anything runs: a picture dataset goes
// straight into a train step that trains the CNN (a run splits pictures by label itself) or an
// evaluate step (which scores the run's test pictures), and no other step reads it; a table reaches
// train and evaluate through a split, and never trains the CNN. The model
// rule is the run queue's own (shared/data-kind.ts), so a pipeline and runs.start refuse alike.
import { dataKindProblem, type DataKindRequest } from '../../../shared/data-kind.js';
import {
  nodeKinds,
  outputType,
  specPortGraph,
  type NodeParams,
  type PipelineIssue,
  type PipelineSpec,
} from '../../../shared/pipeline.js';
import type { PipelineHost } from './host.js';
import { looksLikePath } from './kinds/source-ref.js';

/** The steps that take a dataset step's output as it is when it holds pictures (shared/pipeline takesSource). */
const PICTURE_READERS: readonly string[] = ['train', 'evaluate'];

/** What a dataset node reads: its name and whether it holds pictures; undefined when it names nothing there is. */
function sourceOf(
  host: PipelineHost,
  params: Record<string, unknown>,
): { name: string; pictures: boolean } | undefined {
  const ref = typeof params.dataset === 'string' ? params.dataset.trim() : '';
  // A file imports as a table.
  if (looksLikePath(ref)) return { name: ref, pictures: false };
  const found = host.findDataset(ref, params.version as number | undefined);
  return found && { name: found.name, pictures: found.pictures };
}

/** What of a train node's params the data rule reads (the others are the kind's own defaults). */
function trainRequest(params: Record<string, unknown>): DataKindRequest {
  const p = params as unknown as NodeParams['train'];
  return {
    model: p.model,
    target: p.target,
    ...(p.task !== 'auto' ? { task: p.task } : {}),
    ...(p.features.length ? { features: p.features } : {}),
    ...(p.model === 'cnn' && p.l2 !== undefined ? { l2: p.l2 } : {}),
  };
}

/** The issues of a validated spec (params filled in) whose datasets do not fit the steps they feed. */
export function dataKindIssues(spec: PipelineSpec, host: PipelineHost): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const graph = specPortGraph(spec);
  const flagged = new Set<string>();
  const flag = (issue: PipelineIssue & { nodeId: string }) => {
    if (flagged.has(issue.nodeId)) return;
    flagged.add(issue.nodeId);
    issues.push(issue);
  };
  for (const source of spec.nodes) {
    if (source.kind !== 'dataset') continue;
    const data = sourceOf(host, source.params);
    if (!data) continue;
    // Every step the dataset's rows reach, each once (validation has refused cycles).
    const seen = new Set<string>();
    const queue = [source.id];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const e of spec.edges) {
        if (e.source !== id || seen.has(e.target)) continue;
        const node = byId.get(e.target);
        if (!node) continue;
        seen.add(node.id);
        if (data.pictures) {
          if (!PICTURE_READERS.includes(node.kind)) {
            const label = nodeKinds[node.kind as keyof typeof nodeKinds]?.label ?? node.kind;
            flag({
              nodeId: node.id,
              message: `${data.name} holds pictures, which a ${label} step cannot read: connect the dataset to a train step (model cnn), which splits them by label itself, or to evaluate.`,
            });
            continue;
          }
        } else if (PICTURE_READERS.includes(node.kind) && outputType(graph, e.source, e.sourcePort) === 'dataset') {
          flag({
            nodeId: node.id,
            message: `${data.name} is a table: put a split step between it and ${node.kind} (only pictures go straight in).`,
          });
          continue;
        }
        if (node.kind === 'evaluate') continue;
        if (node.kind === 'train') {
          const problem = dataKindProblem(trainRequest(node.params), data.name, data.pictures);
          if (problem) flag({ nodeId: node.id, field: problem.field, message: problem.message });
          continue;
        }
        queue.push(node.id);
      }
    }
  }
  return issues;
}
