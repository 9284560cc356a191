// Runs saved pipeline versions: records the run and a step per node, executes the DAG with the
// node kinds bound to the host, writes each step's state as it changes and says so in
// pipeline.step / pipeline.run events. Live progress (epochs of a train step) is only emitted and
// kept in memory: it changes many times a second and means nothing once the step ends.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { PipelineRun, PipelineRunSummary, PipelineStep } from '../../../shared/api.js';
import { validatePipeline } from '../../../shared/pipeline.js';
import type { PipelinesRepo, StoredPipelineVersion } from '../db/pipelines-repo.js';
import { CairnError, toApiError } from '../errors.js';
import { execute, topologicalOrder, type KindRunner, type StepEvent } from './executor.js';
import { invalidPipeline } from './issues.js';
import type { PipelineHost, ResolvedDataset } from './host.js';
import { kindRunners, type RunEnv } from './kinds/index.js';
import { saveTrainingTable } from './kinds/trained-model.js';
import { expectPort } from './ports.js';
import type { StepCache } from './step-cache.js';

export interface PipelineRunnerOptions {
  repo: PipelinesRepo;
  cache: StepCache;
  host: PipelineHost;
  /** Where relative paths resolve for versions saved without a folder of their own (the data folder). */
  defaultBaseDir: string;
  /** Steps of one run running at once at most. */
  concurrency?: number;
  emitRun(run: PipelineRunSummary): void;
  emitStep(step: PipelineStep & { runId: string; pipelineId: string }): void;
  /** The runners of the node kinds; the catalogue's by default (tests pass their own). */
  kinds?: (env: RunEnv) => Readonly<Record<string, KindRunner>>;
}

interface ActiveRun {
  runId: string;
  pipelineId: string;
  abort: AbortController;
  steps: Map<string, PipelineStep>;
  done: Promise<PipelineRun>;
}

/** Independent branches run side by side up to this many steps: DuckDB steps use several threads each. */
/** The fields of `event` named in `keys` that it sets: an event carries only what changed. */
function given<K extends keyof StepEvent>(event: StepEvent, keys: readonly K[]): Pick<StepEvent, K> {
  const out: Partial<Pick<StepEvent, K>> = {};
  for (const k of keys) if (event[k] !== undefined) out[k] = event[k];
  return out as Pick<StepEvent, K>;
}

export function defaultConcurrency(): number {
  return Math.min(4, Math.max(2, os.availableParallelism()));
}

export class PipelineRunner {
  private readonly active = new Map<string, ActiveRun>();
  /** Retrains' preparations under way (trainingTable): cancelled with the runs when the host closes. */
  private readonly preparing = new Set<AbortController>();
  private closing = false;

  constructor(private readonly options: PipelineRunnerOptions) {}

  /** Records a run of a saved version and starts it; `done` settles with the finished run (never rejects). */
  start(version: StoredPipelineVersion, pipelineName: string): { runId: string; done: Promise<PipelineRun> } {
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const { repo } = this.options;
    // A draft saved with problems does not run; the message names the first of them.
    const checked = validatePipeline(JSON.parse(version.specJson));
    if (!checked.ok) throw invalidPipeline(checked.issues, `${pipelineName} v${version.version}`);
    const spec = checked.spec;
    const order = topologicalOrder(spec.nodes, spec.edges);
    const kindOf = new Map(spec.nodes.map((n) => [n.id, n.kind]));
    const runId = randomUUID();
    const now = new Date().toISOString();
    repo.createRun(
      { id: runId, pipelineId: version.pipelineId, version: version.version, hostPid: process.pid },
      order.map((id) => ({ nodeId: id, kind: kindOf.get(id) as string })),
      now,
    );
    const steps = new Map<string, PipelineStep>(
      order.map((id) => [
        id,
        {
          nodeId: id,
          kind: kindOf.get(id) as string,
          state: 'queued',
          cached: false,
          output: null,
          error: null,
          reason: null,
          progress: null,
          startedAt: null,
          finishedAt: null,
        },
      ]),
    );
    const abort = new AbortController();
    const summary = () => repo.runSummary(runId) as PipelineRunSummary;
    this.options.emitRun(summary());

    const onStep = (e: StepEvent) => {
      const prev = steps.get(e.nodeId) as PipelineStep;
      const next: PipelineStep = {
        ...prev,
        state: e.state,
        cached: e.state === 'cached',
        ...given(e, ['output', 'error', 'reason', 'progress', 'startedAt', 'finishedAt']),
      };
      steps.set(e.nodeId, next);
      const progressOnly =
        prev.state === e.state && e.progress !== undefined && e.output === undefined && e.error === undefined;
      if (!progressOnly) {
        repo.updateStep(runId, e.nodeId, {
          state: e.state,
          ...given(e, ['cacheKey', 'output', 'error', 'reason', 'startedAt', 'finishedAt']),
        });
      }
      this.options.emitStep({ ...next, runId, pipelineId: version.pipelineId });
    };

    const env: RunEnv = {
      host: this.options.host,
      pipelineId: version.pipelineId,
      pipelineName,
      baseDir: version.baseDir ?? this.options.defaultBaseDir,
    };
    const kinds = (this.options.kinds ?? kindRunners)(env);
    const done = (async (): Promise<PipelineRun> => {
      // Let the caller learn the run id (and subscribe) before the first step event.
      await Promise.resolve();
      repo.markRunning(runId, new Date().toISOString());
      this.options.emitRun(summary());
      try {
        const outcome = await execute({
          nodes: spec.nodes,
          edges: spec.edges,
          kinds,
          cache: this.options.cache,
          concurrency: this.options.concurrency ?? defaultConcurrency(),
          signal: abort.signal,
          onStep,
        });
        repo.finishRun(
          runId,
          this.closing && outcome.status === 'cancelled' ? 'interrupted' : outcome.status,
          outcome.error,
          new Date().toISOString(),
        );
      } catch (err) {
        repo.finishRun(runId, 'failed', toApiError(err), new Date().toISOString());
      } finally {
        this.active.delete(runId);
      }
      this.options.emitRun(summary());
      return repo.run(runId) as PipelineRun;
    })();
    this.active.set(runId, { runId, pipelineId: version.pipelineId, abort, steps, done });
    return { runId, done };
  }

  /**
   * The table the pipeline step that made training run `trainingRunId` would train on if its
   * dataset steps read version `dataset.version` of `dataset.name` (a retrain of that model on new
   * data): only the steps feeding it run (cached where unchanged), recorded as no run, refreshing
   * no source; the table is saved as that step saves it, so the retrain learns from the same
   * preparation the pipeline applied.
   */
  async trainingTable(trainingRunId: string, dataset: { name: string; version: number }): Promise<ResolvedDataset> {
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const made = this.options.repo.trainedBy(trainingRunId);
    if (!made) throw new CairnError('not_found', `no saved pipeline's step made training run ${trainingRunId}`);
    const { version: saved, pipelineName, nodeId } = made;
    const checked = validatePipeline(JSON.parse(saved.specJson));
    if (!checked.ok) throw invalidPipeline(checked.issues, `${pipelineName} v${saved.version}`);
    const { nodes, edges } = checked.spec;
    const feed = edges.find((e) => e.target === nodeId && e.targetPort === 'data');
    if (!feed) throw new CairnError('not_found', `pipeline "${pipelineName}" has no step "${nodeId}" fed a table`);
    const upstream = new Set<string>();
    for (const next = [feed.source]; next.length;) {
      const id = next.pop() as string;
      if (upstream.has(id)) continue;
      upstream.add(id);
      for (const e of edges) if (e.target === id) next.push(e.source);
    }
    const named = (n: { params: Record<string, unknown> }) =>
      String(n.params.dataset).toLowerCase() === dataset.name.toLowerCase();
    const steps = nodes
      .filter((n) => upstream.has(n.id))
      .map((n) =>
        n.kind === 'dataset' && named(n) ? { ...n, params: { dataset: dataset.name, version: dataset.version } } : n,
      );
    if (!steps.some((n) => n.kind === 'dataset' && named(n)))
      throw new CairnError(
        'invalid_argument',
        `no dataset step of pipeline "${pipelineName}" before "${nodeId}" reads dataset "${dataset.name}"`,
      );
    const env: RunEnv = {
      host: this.options.host,
      pipelineId: saved.pipelineId,
      pipelineName,
      baseDir: saved.baseDir ?? this.options.defaultBaseDir,
    };
    const abort = new AbortController();
    this.preparing.add(abort);
    let outcome;
    try {
      outcome = await execute({
        nodes: steps,
        edges: edges.filter((e) => upstream.has(e.target)),
        kinds: (this.options.kinds ?? kindRunners)(env),
        cache: this.options.cache,
        concurrency: this.options.concurrency ?? defaultConcurrency(),
        signal: abort.signal,
        onStep: () => undefined,
      });
    } finally {
      this.preparing.delete(abort);
    }
    if (outcome.error) throw new CairnError(outcome.error.code, outcome.error.message, outcome.error.details);
    const table = expectPort(outcome.ports[feed.source]?.[feed.sourcePort], 'table', 'data');
    return saveTrainingTable(env, nodeId, table);
  }

  /** Cancels a running run; false when it is not running here. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run || run.abort.signal.aborted) return false;
    run.abort.abort();
    return true;
  }

  /** Whether a pipeline has a run in progress in this host. */
  isRunning(pipelineId: string): boolean {
    return [...this.active.values()].some((r) => r.pipelineId === pipelineId);
  }

  /** The live progress of a run's running steps, by node id (empty when it is not running here). */
  progress(runId: string): Map<string, PipelineStep['progress']> {
    const run = this.active.get(runId);
    return new Map(
      [...(run?.steps.values() ?? [])].filter((s) => s.state === 'running').map((s) => [s.nodeId, s.progress]),
    );
  }

  /** Cancels every run (the host is closing) and waits for them to record how they ended. */
  async closeAll(): Promise<void> {
    this.closing = true;
    const runs = [...this.active.values()];
    for (const r of runs) r.abort.abort();
    for (const p of this.preparing) p.abort();
    await Promise.all(runs.map((r) => r.done));
  }
}
