// Validation of a whole pipeline file: shape, kinds and params, edges and port types, required
// inputs, cycles, and the rules that span nodes (gates and monitor metrics against the train task).
import { z } from 'zod';
import { ALIAS_PATTERN, ALIAS_RULE } from '../names.js';
import { PIPELINE_FORMAT, PipelineSpec, type PipelineEdge, type PipelineNode } from './file.js';
import { parseGate, type PipelineTask } from './gates.js';
import { findCycle, upstreamOfKind } from './graph.js';
import {
  isNodeKind,
  nodeKindNames,
  nodeKinds,
  nodeParamSchemas,
  type NodeKindName,
  type NodeParams,
} from './kinds/index.js';
import { monitorTaskIssues } from './kinds/monitor.js';
import { TASK_DEFAULT_METRIC } from './kinds/sweep.js';
import { budgetProblems, metricProblem } from '../sweep/request-checks.js';
import { spaceProblems } from '../sweep/space.js';
import { inputTakes, outputType, portTypeLabels, specPortGraph } from './ports.js';

/** One problem with a pipeline, pointing at what to fix: a node and its parameter, or an edge and port. */
export const PipelineIssue = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** A parameter path within the node's params, e.g. "rules.0.value"; or a top-level field such as "name". */
  field: z.string().optional(),
  /** An input port of the node, for missing or doubled inputs. */
  port: z.string().optional(),
  message: z.string(),
});
export type PipelineIssue = z.infer<typeof PipelineIssue>;

export type ValidationResult =
  { ok: true; spec: PipelineSpec; issues: [] } | { ok: false; spec?: PipelineSpec; issues: PipelineIssue[] };

function pathString(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The kinds that train the model a pipeline hands on: its task is theirs. */
const MODEL_MAKERS = ['train', 'sweep'] as const;

/** The task a train or sweep node declares, if any. */
function declaredTask(node: PipelineNode): PipelineTask | undefined {
  const task = node.params.task;
  return task === 'classification' || task === 'regression' ? task : undefined;
}

/**
 * Checks a pipeline file: its shape, each node's kind and params, each edge's ends, ports and
 * types, one edge per input, required inputs, and cycles. Every issue names the node (and
 * parameter or port) or edge to fix. `spec` is the file with params defaults filled in when it
 * is at least well-formed.
 */
export function validatePipeline(input: unknown): ValidationResult {
  const issues: PipelineIssue[] = [];
  const shape = PipelineSpec.safeParse(input);
  if (!shape.success) {
    const raw = (typeof input === 'object' && input !== null ? input : {}) as { nodes?: unknown; edges?: unknown };
    const idAt = (list: unknown, i: unknown): string | undefined => {
      if (!Array.isArray(list) || typeof i !== 'number') return undefined;
      const item = list[i] as { id?: unknown } | undefined;
      return typeof item?.id === 'string' ? item.id : undefined;
    };
    for (const issue of shape.error.issues) {
      const [head, index, ...rest] = issue.path;
      if (head === 'nodes' && typeof index === 'number') {
        const field = rest.length ? pathString(rest) : undefined;
        issues.push({
          nodeId: idAt(raw.nodes, index) ?? `#${index + 1}`,
          ...(field ? { field } : {}),
          message: issue.message,
        });
      } else if (head === 'edges' && typeof index === 'number') {
        const field = rest.length ? pathString(rest) : undefined;
        issues.push({
          edgeId: idAt(raw.edges, index) ?? `#${index + 1}`,
          ...(field ? { field } : {}),
          message: issue.message,
        });
      } else {
        const field = pathString(issue.path);
        const message =
          head === 'cairn' ? `"cairn" must be ${PIPELINE_FORMAT} (the pipeline file format version)` : issue.message;
        issues.push({ ...(field ? { field } : {}), message });
      }
    }
    return { ok: false, issues };
  }

  const spec = structuredClone(shape.data);
  const byId = new Map<string, PipelineNode>();
  for (const node of spec.nodes) {
    if (byId.has(node.id)) issues.push({ nodeId: node.id, field: 'id', message: `two nodes have the id "${node.id}"` });
    byId.set(node.id, node);
  }
  const edgeIds = new Set<string>();
  for (const edge of spec.edges) {
    if (edgeIds.has(edge.id)) issues.push({ edgeId: edge.id, message: `two edges have the id "${edge.id}"` });
    edgeIds.add(edge.id);
  }

  for (const node of spec.nodes) {
    if (!isNodeKind(node.kind)) {
      issues.push({
        nodeId: node.id,
        field: 'kind',
        message: `unknown node kind "${node.kind}": use one of ${nodeKindNames.join(', ')}`,
      });
      continue;
    }
    const parsed = nodeParamSchemas[node.kind].safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            const at = pathString([...issue.path, key]);
            issues.push({
              nodeId: node.id,
              field: at,
              message: `unknown parameter "${at}" for ${nodeKinds[node.kind].label}`,
            });
          }
        } else {
          issues.push({ nodeId: node.id, field: pathString(issue.path) || 'params', message: issue.message });
        }
      }
    } else {
      node.params = parsed.data;
      issues.push(...paramRules(node));
    }
  }

  // Edges: both ends exist, ports exist and the input takes what the output carries, one edge per input.
  const graph = specPortGraph(spec);
  const incoming = new Map<string, PipelineEdge>();
  /** Inputs some edge tried to fill: a wrong edge is reported once, not also as a missing input. */
  const attempted = new Set<string>();
  const goodEdges: PipelineEdge[] = [];
  for (const edge of spec.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) {
      issues.push(noSuchNode(edge, source ? 'target' : 'source'));
      continue;
    }
    if (!isNodeKind(source.kind) || !isNodeKind(target.kind)) continue;
    if (edge.source === edge.target) {
      issues.push({
        edgeId: edge.id,
        nodeId: edge.target,
        message: `edge "${edge.id}" joins node "${edge.source}" to itself`,
      });
      continue;
    }
    const out = nodeKinds[source.kind].outputs.find((p) => p.name === edge.sourcePort);
    const inp = nodeKinds[target.kind].inputs.find((p) => p.name === edge.targetPort);
    if (!out) {
      issues.push(noSuchPort(edge, source.id, source.kind, 'output', edge.sourcePort));
      continue;
    }
    if (!inp) {
      issues.push(noSuchPort(edge, target.id, target.kind, 'input', edge.targetPort));
      continue;
    }
    const key = `${target.id}\u0000${inp.name}`;
    attempted.add(key);
    const carries = outputType(graph, source.id, out.name) ?? out.type;
    if (!inputTakes(inp, carries, source.kind)) {
      issues.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: inp.name,
        message: `input "${inp.name}" of "${target.id}" takes a ${portTypeLabels[inp.type]}, but "${source.id}" gives a ${portTypeLabels[carries]}`,
      });
      continue;
    }
    const first = incoming.get(key);
    if (first) {
      issues.push({
        edgeId: edge.id,
        nodeId: target.id,
        port: inp.name,
        message: `input "${inp.name}" of "${target.id}" already comes from "${first.source}": an input takes one edge`,
      });
      continue;
    }
    incoming.set(key, edge);
    goodEdges.push(edge);
  }

  for (const node of spec.nodes) {
    if (!isNodeKind(node.kind)) continue;
    for (const port of nodeKinds[node.kind].inputs) {
      const key = `${node.id}\u0000${port.name}`;
      if (port.required && !incoming.has(key) && !attempted.has(key)) {
        issues.push({
          nodeId: node.id,
          port: port.name,
          message: `${nodeKinds[node.kind].label} "${node.id}" needs its "${port.name}" input (a ${portTypeLabels[port.type]}) connected`,
        });
      }
    }
  }

  const cycle = findCycle(
    spec.nodes.map((n) => n.id),
    goodEdges,
  );
  if (cycle) {
    for (const id of cycle)
      issues.push({
        nodeId: id,
        message: `a cycle runs through ${cycle.join(' -> ')} -> ${cycle[0] ?? ''}: a pipeline flows one way`,
      });
  }

  issues.push(...gateRules(spec, byId, goodEdges));
  issues.push(...monitorRules(spec, byId, goodEdges));
  issues.push(...sweepSplitRules(spec, byId, goodEdges));
  return issues.length ? { ok: false, spec, issues } : { ok: true, spec, issues: [] };
}

/** An edge from or to a node that is not in the file; the issue names the node at its other end. */
function noSuchNode(edge: PipelineEdge, end: 'source' | 'target'): PipelineIssue {
  const [other, way] = end === 'source' ? [edge.target, 'comes from'] : [edge.source, 'goes to'];
  return {
    edgeId: edge.id,
    nodeId: other,
    field: end,
    message: `edge "${edge.id}" ${way} a node "${edge[end]}" that does not exist`,
  };
}

/** An edge naming a port its node's kind does not have, with the ports it does have. */
function noSuchPort(
  edge: PipelineEdge,
  nodeId: string,
  kind: NodeKindName,
  side: 'input' | 'output',
  port: string,
): PipelineIssue {
  const spec = nodeKinds[kind];
  const names = (side === 'input' ? spec.inputs : spec.outputs).map((p) => p.name);
  const has = names.length ? ` (${side}s: ${names.join(', ')})` : ` (it has no ${side}s)`;
  return {
    edgeId: edge.id,
    nodeId,
    port,
    message: `${spec.label} "${nodeId}" has no ${side} "${port}"${has}`,
  };
}

/** Why a linear model kind cannot learn the task a node declares, if it cannot. */
function modelTaskProblem(task: 'auto' | PipelineTask, model: string): string | undefined {
  if (task === 'regression' && model === 'logistic_regression') return 'logistic regression is for classification';
  if (task === 'classification' && model === 'linear_regression') return 'linear regression is for regression';
  return undefined;
}

/** Rules between fields of one node that a per-field schema cannot say. */
function paramRules(node: PipelineNode): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  const at = (field: string, message: string) => out.push({ nodeId: node.id, field, message });
  const p = node.params;
  switch (node.kind) {
    case 'split': {
      const s = p as unknown as NodeParams['split'];
      const sum = s.train + s.validation + s.test;
      if (!(s.train > 0)) at('train', 'the train part must be larger than 0');
      if (!(s.test > 0)) at('test', 'the test part must be larger than 0 (evaluation scores it)');
      if (Math.abs(sum - 1) > 1e-6)
        at('train', `train, validation and test must add up to 1 (they add up to ${Number(sum.toFixed(6))})`);
      if (s.method === 'stratified' && !s.stratify?.trim())
        at('stratify', 'a stratified split needs the column to stratify by');
      break;
    }
    case 'impute': {
      (p as unknown as NodeParams['impute']).rules.forEach((r, i) => {
        if (r.strategy === 'constant' && (r.value === undefined || r.value === ''))
          at(`rules.${i}.value`, `a constant to fill "${r.column}" with`);
      });
      break;
    }
    case 'columns': {
      const c = p as unknown as NodeParams['columns'];
      if (c.mode === 'select' && c.columns.length === 0) at('columns', 'name the columns to keep');
      const targets = new Set<string>();
      c.rename.forEach((r, i) => {
        if (targets.has(r.to)) at(`rename.${i}.to`, `two columns are renamed to "${r.to}"`);
        targets.add(r.to);
      });
      break;
    }
    case 'train': {
      const t = p as unknown as NodeParams['train'];
      const wrongModel = modelTaskProblem(t.task, t.model);
      if (wrongModel) at('model', wrongModel);
      break;
    }
    case 'sweep': {
      // What sweeps.start would refuse, named before anything runs; the metric against a task left
      // to the target is checked when the table is known.
      const w = p as unknown as NodeParams['sweep'];
      const wrongModel = modelTaskProblem(w.task, w.model);
      if (wrongModel) at('model', wrongModel);
      // The field names the parameter, so its message does not again.
      for (const sp of w.space ? spaceProblems(w.model, w.space) : [])
        at(sp.param ? `space.${sp.param}` : 'space', sp.param ? sp.message.replace(`${sp.param}: `, '') : sp.message);
      for (const b of budgetProblems(w)) at(b.field, b.message);
      const wrongMetric = w.task !== 'auto' && w.metric !== TASK_DEFAULT_METRIC && metricProblem(w.task, w.metric);
      if (wrongMetric) at(wrongMetric.field, wrongMetric.message);
      break;
    }
    case 'register': {
      const alias = (p as unknown as NodeParams['register']).alias;
      if (!ALIAS_PATTERN.test(alias)) at('alias', ALIAS_RULE);
      break;
    }
  }
  return out;
}

/** Each evaluate's gates, checked against the task of the train step upstream where it declares one. */
function gateRules(spec: PipelineSpec, byId: Map<string, PipelineNode>, edges: PipelineEdge[]): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  for (const node of spec.nodes) {
    const gates = node.params.gates;
    if (node.kind !== 'evaluate' || !Array.isArray(gates)) continue;
    const train = upstreamOfKind(node.id, MODEL_MAKERS, byId, edges);
    const task = train ? declaredTask(train) : undefined;
    gates.forEach((g, i) => {
      if (typeof g !== 'string') return;
      const r = parseGate(g, task);
      if (!r.ok) out.push({ nodeId: node.id, field: `gates.${i}`, message: r.message });
    });
  }
  return out;
}

/** Each monitor's rule and compare metrics, checked against the task of the train step upstream where it declares one. */
function monitorRules(spec: PipelineSpec, byId: Map<string, PipelineNode>, edges: PipelineEdge[]): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  for (const node of spec.nodes) {
    if (node.kind !== 'monitor') continue;
    const train = upstreamOfKind(node.id, MODEL_MAKERS, byId, edges);
    const task = train ? declaredTask(train) : undefined;
    // A node whose params fail their own schema has had those issues reported already.
    const parsed = nodeParamSchemas.monitor.safeParse(node.params);
    if (!train || !task || !parsed.success) continue;
    const p = parsed.data as unknown as NodeParams['monitor'];
    for (const i of monitorTaskIssues(p, task, `the model "${train.id}" trains`)) out.push({ nodeId: node.id, ...i });
  }
  return out;
}

/** A sweep chooses its best trial on the validation part: the split upstream must give it rows. */
function sweepSplitRules(spec: PipelineSpec, byId: Map<string, PipelineNode>, edges: PipelineEdge[]): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  for (const node of spec.nodes) {
    if (node.kind !== 'sweep') continue;
    const split = upstreamOfKind(node.id, 'split', byId, edges);
    if (split && split.params.validation === 0)
      out.push({
        nodeId: split.id,
        field: 'validation',
        message: `the sweep "${node.id}" chooses its best trial on the validation part: give it a share above 0`,
      });
  }
  return out;
}
