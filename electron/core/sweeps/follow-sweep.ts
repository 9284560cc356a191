// A sweep started by the engine itself (a pipeline's sweep step, a retrain whose policy sweeps) and
// followed to its end through its progress events, as sweeps.start does for a user: the runner
// stays the one place a sweep runs, and this only waits for it.
import type { MethodArg, Run, Sweep, SweepProgress } from '../../../shared/api.js';
import { CairnError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { SweepRunner } from './sweep-runner.js';

export interface FollowSweepDeps {
  runner: Pick<SweepRunner, 'start' | 'get'>;
  events: EventBus;
  /** A run by id (the best trial's). */
  run(runId: string): Run;
}

/** A sweep under way: as it started, and its end with the best trial's run. */
export interface FollowedSweep {
  started: Sweep;
  /** Rejects when the sweep did not succeed (failed, cancelled, interrupted) or kept no best trial. */
  ended: Promise<{ sweep: Sweep; best: Run }>;
}

/** Starts a sweep (checked as sweeps.start checks it; throws what it refuses) and follows it. */
export async function startAndFollow(
  deps: FollowSweepDeps,
  req: MethodArg<'sweeps.start'>,
  onProgress: (p: SweepProgress) => void = () => undefined,
): Promise<FollowedSweep> {
  // Events flow from the start on, before the sweep's id is known: ended ones are kept until it is.
  const ours: { id?: string; finish?: () => void } = {};
  const endedIds = new Set<string>();
  const unsubscribe = deps.events.subscribe((event, payload) => {
    if (event !== 'sweep.progress') return;
    const p = payload as SweepProgress;
    if (ours.id !== undefined && p.sweepId !== ours.id) return;
    if (ours.id !== undefined) onProgress(p);
    if (p.status === 'running') return;
    endedIds.add(p.sweepId);
    if (p.sweepId === ours.id) ours.finish?.();
  });
  let started: Sweep;
  try {
    started = await deps.runner.start({ ...req, wait: false });
  } catch (err) {
    unsubscribe();
    throw err;
  }
  const id = started.id;
  ours.id = id;
  const over = endedIds.has(id) ? Promise.resolve() : new Promise<void>((resolve) => (ours.finish = resolve));
  const ended = over.finally(unsubscribe).then(() => {
    const sweep = deps.runner.get(id);
    if (sweep.status !== 'succeeded' || !sweep.bestRunId)
      throw new CairnError(
        sweep.status === 'cancelled' ? 'cancelled' : (sweep.error?.code ?? 'internal'),
        `sweep ${id} ${sweep.status}${sweep.error ? `: ${sweep.error.message}` : ''}`,
        { sweepId: id },
      );
    return { sweep, best: deps.run(sweep.bestRunId) };
  });
  return { started, ended };
}
