// A pipeline run as the editor shows it: the stored run (pipelines.runGet) merged with the
// pipeline.step and pipeline.run events that arrive while it runs. A step only moves forward
// (queued -> running -> an end state), so whichever of the two is further along wins, and an
// event that races the first load is neither lost nor overwritten by an older snapshot.
import type { PipelineRun, PipelineRunStatus, PipelineRunSummary, PipelineStep } from '../../../../shared/api.js';
import type { StepState } from '../../../../shared/pipeline.js';

const STEP_RANK: Record<StepState, number> = { queued: 0, running: 1, cached: 2, succeeded: 2, failed: 2, skipped: 2 };
const RUN_RANK: Record<PipelineRunStatus, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  gate_failed: 2,
  cancelled: 2,
  interrupted: 2,
};

/** The further along of two reports of one step; the newer (second) on a tie, so progress advances. */
export function laterStep(a: PipelineStep | undefined, b: PipelineStep): PipelineStep {
  return a && STEP_RANK[a.state] > STEP_RANK[b.state] ? a : b;
}

/** `a` with the status fields of `b` unless `a` is further along (a tie takes `b`, the newer report). */
export function laterRun<T extends PipelineRunSummary>(a: T, b: PipelineRunSummary): T {
  if (RUN_RANK[a.status] > RUN_RANK[b.status]) return a;
  return { ...a, status: b.status, error: b.error, startedAt: b.startedAt, finishedAt: b.finishedAt, counts: b.counts };
}

/** A run's steps by node id: the stored ones, each replaced by a live report that is as far along or further. */
export function mergeSteps(
  run: PipelineRun | undefined,
  live: ReadonlyMap<string, PipelineStep>,
): Map<string, PipelineStep> {
  const out = new Map<string, PipelineStep>();
  for (const s of run?.steps ?? []) out.set(s.nodeId, s);
  for (const [id, s] of live) out.set(id, laterStep(out.get(id), s));
  return out;
}

/** The step part of a pipeline.step event (it also names its run and pipeline). */
export function stepOf(event: PipelineStep & { runId: string; pipelineId: string }): PipelineStep {
  const { runId: _r, pipelineId: _p, ...step } = event;
  return step;
}

/** Whether a run may still change. */
export function isOpen(status: PipelineRunStatus): boolean {
  return status === 'queued' || status === 'running';
}

export const STEP_LABELS: Record<StepState, string> = {
  queued: 'Queued',
  running: 'Running',
  cached: 'Cached',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const RUN_LABELS: Record<PipelineRunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  gate_failed: 'Gate not met',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

const COUNT_ORDER: readonly StepState[] = ['succeeded', 'cached', 'running', 'queued', 'failed', 'skipped'];

/** "4 succeeded · 2 cached": a run's steps per state, in a fixed order, zeros left out. */
export function countsText(counts: Partial<Record<StepState, number>>): string {
  return COUNT_ORDER.flatMap((s) => (counts[s] ? [`${counts[s]} ${s}`] : [])).join(' · ');
}

/** Steps per state of a merged step map (live counts while the stored summary lags). */
export function countSteps(steps: Iterable<PipelineStep>): Partial<Record<StepState, number>> {
  const out: Partial<Record<StepState, number>> = {};
  for (const s of steps) out[s.state] = (out[s.state] ?? 0) + 1;
  return out;
}
