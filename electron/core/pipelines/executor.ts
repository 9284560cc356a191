// The DAG executor: runs a validated pipeline's steps in topological order, independent branches
// side by side up to a limit. Each step's result is cached under a key hashed from its kind, its
// params, the keys of the steps feeding it and any outside facts it depends on (a dataset's
// content hash), so rerunning an unchanged pipeline finds every step cached and a changed param
// reruns only that step and what is downstream of it. A failed step skips its downstream steps
// with the reason, and leaves independent branches running. Cancelling stops the running steps
// (through their AbortSignal) and skips the rest.
import type { ApiErrorShape, PipelineRunStatus, StepProgress } from '../../../shared/api.js';
import type { StepOutput, StepState } from '../../../shared/pipeline.js';
import { CairnError, toApiError } from '../errors.js';
import { hashOf } from './canonical.js';
import { sharedSource, type PortValue } from './ports.js';
import type { StepCache, StepResult } from './step-cache.js';

export interface ExecNode {
  id: string;
  kind: string;
  params: Record<string, unknown>;
}

export interface ExecEdge {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** What a running step is given. */
export interface StepContext {
  node: ExecNode;
  /** Its inputs by port name. */
  inputs: Record<string, PortValue>;
  /** What its identity() returned, if it has one. */
  identity: unknown;
  /** An empty folder for its files; it becomes the cache entry when the step succeeds. */
  outDir: string;
  signal: AbortSignal;
  progress(p: StepProgress): void;
}

/** A step ran to its end but failed, with output to show (an evaluation whose gate was not met). */
export class StepFailure extends CairnError {
  constructor(
    error: ApiErrorShape,
    readonly output: StepOutput,
  ) {
    super(error.code, error.message, error.details);
  }
}

/** How one node kind runs. */
export interface KindRunner {
  /** Bump when the kind's output for the same inputs changes, so older cache entries are not reused. */
  version: number;
  /**
   * Facts outside the params that decide the output (a dataset version's content hash), found
   * before the cache is looked at. Whatever it returns is hashed into the key and given to run().
   */
  identity?(node: ExecNode, signal: AbortSignal): Promise<{ key: unknown; value: unknown }>;
  run(ctx: StepContext): Promise<StepResult>;
  /** Whether a cached result still holds (its model version still exists, its endpoint still runs). */
  stillValid?(result: StepResult): Promise<boolean>;
}

/** A change to one step, for the run record and the live view. */
export interface StepEvent {
  nodeId: string;
  state: StepState;
  output?: StepOutput | null;
  error?: ApiErrorShape | null;
  reason?: string | null;
  progress?: StepProgress | null;
  cacheKey?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
}

export interface ExecuteOptions {
  nodes: readonly ExecNode[];
  edges: readonly ExecEdge[];
  kinds: Readonly<Record<string, KindRunner>>;
  cache: StepCache;
  /** Steps running at once at most. */
  concurrency: number;
  signal: AbortSignal;
  onStep(event: StepEvent): void;
  now?: () => string;
}

export interface ExecuteOutcome {
  status: Exclude<PipelineRunStatus, 'queued' | 'running' | 'interrupted'>;
  error: ApiErrorShape | null;
  /** Final state of every step. */
  states: Record<string, StepState>;
  /** The outputs of the steps that succeeded (or were cached), by node id and port. */
  ports: Record<string, StepResult['ports']>;
}

/** Node ids in an order where every edge points forward; ties keep the nodes' order in the file. */
export function topologicalOrder(
  nodes: readonly { id: string }[],
  edges: readonly Pick<ExecEdge, 'source' | 'target'>[],
): string[] {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const ready = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => (index.get(a) as number) - (index.get(b) as number));
    const id = ready.shift() as string;
    order.push(id);
    for (const e of edges) {
      if (e.source !== id) continue;
      const left = (indegree.get(e.target) as number) - 1;
      indegree.set(e.target, left);
      if (left === 0) ready.push(e.target);
    }
  }
  if (order.length !== nodes.length) throw new CairnError('invalid_argument', 'the pipeline has a cycle');
  return order;
}

const isDone = (s: StepState) => s === 'succeeded' || s === 'cached';

/**
 * The result with the source its inputs share set on each table it made without one: a step that
 * transforms tables keeps them traced to the dataset version they came from, without every kind
 * having to pass it on (a result cached before sources were carried gets it here too).
 */
function carrySource(result: StepResult, inputs: Readonly<Record<string, PortValue>>): StepResult {
  const source = sharedSource(inputs);
  if (source === undefined) return result;
  const ports = Object.fromEntries(
    Object.entries(result.ports).map(([k, v]) => [
      k,
      v.type === 'table' && v.source === undefined ? { ...v, source } : v,
    ]),
  );
  return { ...result, ports };
}

/** Runs the pipeline; never throws for a step's failure (it is in the outcome and the events). */
export async function execute(options: ExecuteOptions): Promise<ExecuteOutcome> {
  const { nodes, edges, kinds, cache, signal } = options;
  const onStep = (e: StepEvent) => options.onStep(e);
  const now = options.now ?? (() => new Date().toISOString());
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = topologicalOrder(nodes, edges);
  const incoming = new Map<string, ExecEdge[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) incoming.get(e.target)?.push(e);
  const state = new Map<string, StepState>(nodes.map((n) => [n.id, 'queued']));
  const results = new Map<string, { key: string; result: StepResult }>();
  const failures: { nodeId: string; error: ApiErrorShape }[] = [];
  const running = new Map<string, Promise<void>>();
  const limit = Math.max(1, Math.floor(options.concurrency));

  const set = (event: StepEvent) => {
    state.set(event.nodeId, event.state);
    onStep(event);
  };

  const runStep = async (node: ExecNode): Promise<void> => {
    const kind = kinds[node.kind];
    const startedAt = now();
    set({ nodeId: node.id, state: 'running', startedAt, progress: null });
    let tmp: string | undefined;
    try {
      if (!kind) throw new CairnError('invalid_argument', `unknown node kind "${node.kind}"`);
      const inputs: Record<string, PortValue> = {};
      const inputKeys: Record<string, string> = {};
      for (const e of incoming.get(node.id) ?? []) {
        const upstream = results.get(e.source) as { key: string; result: StepResult };
        const value = upstream.result.ports[e.sourcePort];
        if (!value) throw new CairnError('internal', `step "${e.source}" gave no "${e.sourcePort}" output`);
        inputs[e.targetPort] = value;
        inputKeys[e.targetPort] = `${upstream.key}:${e.sourcePort}`;
      }
      const identity = kind.identity ? await kind.identity(node, signal) : undefined;
      signal.throwIfAborted();
      const key = hashOf({
        kind: node.kind,
        version: kind.version,
        params: node.params,
        inputs: inputKeys,
        identity: identity?.key ?? null,
      });
      const hit = await cache.get(key);
      if (hit && (!kind.stillValid || (await kind.stillValid(hit)))) {
        results.set(node.id, { key, result: carrySource(hit, inputs) });
        set({
          nodeId: node.id,
          state: 'cached',
          cacheKey: key,
          output: hit.output,
          error: null,
          progress: null,
          finishedAt: now(),
        });
        return;
      }
      if (hit) await cache.drop(key);
      tmp = await cache.begin();
      const ctx: StepContext = {
        node,
        inputs,
        identity: identity?.value,
        outDir: tmp,
        signal,
        progress: (p) => onStep({ nodeId: node.id, state: 'running', progress: p }),
      };
      const fresh = carrySource(await kind.run(ctx), inputs);
      signal.throwIfAborted();
      const stored = await cache.commit(key, tmp, fresh);
      tmp = undefined;
      results.set(node.id, { key, result: stored });
      set({
        nodeId: node.id,
        state: 'succeeded',
        cacheKey: key,
        output: stored.output,
        error: null,
        progress: null,
        finishedAt: now(),
      });
    } catch (err) {
      if (tmp) await cache.discard(tmp);
      const error = signal.aborted
        ? { code: 'cancelled' as const, message: 'cancelled while running' }
        : toApiError(err);
      failures.push({ nodeId: node.id, error });
      set({
        nodeId: node.id,
        state: 'failed',
        error,
        output: err instanceof StepFailure ? err.output : null,
        progress: null,
        finishedAt: now(),
      });
    }
  };

  /** Marks every queued step that can no longer run as skipped, with why; returns whether any changed. */
  const skipBlocked = (): boolean => {
    let changed = false;
    for (const id of order) {
      if (state.get(id) !== 'queued') continue;
      let reason: string | null = null;
      if (signal.aborted) reason = 'the run was cancelled';
      else {
        for (const e of incoming.get(id) ?? []) {
          const s = state.get(e.source) as StepState;
          if (s === 'failed') reason = `upstream step "${e.source}" failed`;
          else if (s === 'skipped') reason = `upstream step "${e.source}" was skipped`;
          if (reason) break;
        }
      }
      if (reason) {
        set({ nodeId: id, state: 'skipped', reason, finishedAt: now() });
        changed = true;
      }
    }
    return changed;
  };

  for (;;) {
    while (skipBlocked());
    if (!signal.aborted) {
      for (const id of order) {
        if (running.size >= limit) break;
        if (state.get(id) !== 'queued' || running.has(id)) continue;
        if (!(incoming.get(id) ?? []).every((e) => isDone(state.get(e.source) as StepState))) continue;
        const p = runStep(byId.get(id) as ExecNode).finally(() => running.delete(id));
        running.set(id, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  while (skipBlocked());

  const states = Object.fromEntries(state);
  const ports = Object.fromEntries([...results].map(([id, r]) => [id, r.result.ports]));
  if (signal.aborted)
    return {
      status: 'cancelled',
      error: { code: 'cancelled', message: 'The pipeline run was cancelled.' },
      states,
      ports,
    };
  const hard = failures.find((f) => f.error.code !== 'gate_failed');
  const first = hard ?? failures[0];
  if (!first) return { status: 'succeeded', error: null, states, ports };
  const error = {
    ...first.error,
    message: `step "${first.nodeId}" failed: ${first.error.message}`,
    details: { ...first.error.details, nodeId: first.nodeId },
  };
  return { status: hard ? 'failed' : 'gate_failed', error, states, ports };
}
