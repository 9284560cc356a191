// The sweep runner: owns what the search engine (study.ts) leaves out, the database and the
// processes. It checks a sweep before anything runs, then asks the Study for trials one after
// another, starts each as an ordinary training run through the host's run queue (its own job
// process), reports each epoch's or round's validation loss to the pruner (cancelling the run
// when told), tells the Study the run's validation metric when it ends (never a test score), and
// stops at the budget. Every trial is saved as it goes, so a sweep interrupted by a restart is
// resumed from its saved trials with the budget left.
import { randomUUID } from 'node:crypto';
import {
  type ApiErrorShape,
  type ColumnProfile,
  type MethodArg,
  methods,
  type Run,
  type RunProgress,
  type Sweep,
  type SweepMetric,
  type SweepStatus,
  type SweepSummary,
  type TaskName,
} from '../../../shared/api.js';
import { lowerIsBetter } from '../../../shared/metrics.js';
import { DEFAULT_SPACES } from '../../../shared/sweep/default-spaces.js';
import { trialRunFields, type TrialParams } from '../../../shared/sweep/parameters.js';
import { budgetProblems, metricProblem } from '../../../shared/sweep/request-checks.js';
import { inferTask } from '../../../shared/target-task.js';
import { SEED } from '../../../shared/training-settings.js';
import type { StoredVersion } from '../db/datasets-repo.js';
import type { StoredSweep, SweepsRepo } from '../db/sweeps-repo.js';
import { CairnError, toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { QueuedRun } from '../jobs/run-queue.js';
import { distributionsOf } from './distributions.js';
import { GridSampler } from './grid-sampler.js';
import { createPruner, createSampler } from './strategies.js';
import { Study } from './study.js';
import type { Direction, Trial } from './trials.js';

/** Trials a sweep runs when it is given no budget (a grid runs its every point instead). */
export const DEFAULT_SWEEP_TRIALS = 20;

/** What the runner uses of the host. */
export interface SweepRunnerDeps {
  sweeps: SweepsRepo;
  events: EventBus;
  /** The stored version a dataset reference means (throws not_found). */
  resolveVersion(ref: string, version?: number): StoredVersion;
  profile(versionId: string): ColumnProfile[];
  /** Queues a training run (the host's run queue). */
  enqueue(req: MethodArg<'runs.start'>): QueuedRun;
  cancelRun(runId: string): boolean;
}

/** A sweep training in this host: how to stop it, and its session's end. */
interface ActiveSweep {
  cancelled: boolean;
  runId?: string;
  done: Promise<void>;
}

const FINISHED: ReadonlySet<Trial['state']> = new Set(['complete', 'pruned', 'failed']);

/** The validation score to choose by when a sweep names none. */
const DEFAULT_METRIC: Record<TaskName, SweepMetric> = { classification: 'accuracy', regression: 'rmse' };

export class SweepRunner {
  private readonly active = new Map<string, ActiveSweep>();
  private closing = false;

  constructor(private readonly deps: SweepRunnerDeps) {}

  /** Sweeps newest first. */
  list(): SweepSummary[] {
    return this.deps.sweeps.list();
  }

  get(sweepId: string): Sweep {
    const { secondsUsed: _s, ...sweep } = this.stored(sweepId);
    return sweep;
  }

  /** Checks the request (everything a user can fix is named before a trial runs), records the sweep and starts it. */
  async start(req: MethodArg<'sweeps.start'>): Promise<Sweep> {
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const bad = (message: string, field?: string) =>
      new CairnError('invalid_argument', message, field ? { field } : undefined);
    const [budget] = budgetProblems(req);
    if (budget) throw bad(budget.message, budget.field);
    const v = this.deps.resolveVersion(req.dataset, req.version);
    if (v.images) throw bad(`${req.dataset} holds pictures; the models a sweep trains read tables`);
    const target = this.deps.profile(v.id).find((c) => c.name === req.target);
    if (!target) throw bad(`The dataset has no column "${req.target}" to predict.`);
    const task = req.task ?? inferTask(target);
    const metric = req.metric ?? DEFAULT_METRIC[task];
    const wrongMetric = metricProblem(task, metric);
    if (wrongMetric) throw bad(wrongMetric.message, wrongMetric.field);
    if (req.split && !(req.split.validation > 0))
      throw bad('A sweep chooses on the validation split: give it a fraction above 0.');
    const space = req.space ?? DEFAULT_SPACES[req.model];
    const seed = req.seed ?? SEED.default;
    const distributions = distributionsOf(req.model, space);
    // A grid without steps, or one too large to finish, is refused here, before the sweep is recorded.
    const sampler = createSampler(req.strategy, distributions, seed, req.parallel);
    const gridSize = sampler instanceof GridSampler ? sampler.size : undefined;
    const maxTrials = req.trials ?? (req.seconds === undefined ? (gridSize ?? DEFAULT_SWEEP_TRIALS) : null);
    const id = randomUUID();
    const {
      space: _sp,
      strategy,
      stopping,
      metric: _m,
      trials: _t,
      seconds,
      parallel,
      seed: _seed,
      wait,
      ...run
    } = req;
    this.deps.sweeps.create(
      {
        id,
        datasetVersionId: v.id,
        target: req.target,
        task,
        model: req.model,
        // Trials train on this very version, also after a resume.
        request: { ...run, dataset: v.id, version: undefined, task },
        space,
        strategy,
        stopping,
        metric,
        direction: lowerIsBetter(metric) ? 'minimize' : 'maximize',
        maxTrials,
        maxSeconds: seconds ?? null,
        parallel,
        seed,
        hostPid: process.pid,
      },
      new Date().toISOString(),
    );
    return this.launch(id, wait);
  }

  /** Continues a sweep that is not running with the budget it has left, from its saved trials. */
  async resume(sweepId: string, wait: boolean): Promise<Sweep> {
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const sweep = this.stored(sweepId);
    if (sweep.status === 'running')
      throw new CairnError(
        'conflict',
        `sweep ${sweepId} is running${this.active.has(sweepId) ? '' : ' in another host'}`,
      );
    this.deps.sweeps.markRunning(sweepId, process.pid);
    return this.launch(sweepId, wait);
  }

  /** Stops a running sweep: its training trial is cancelled and no other starts. */
  cancel(sweepId: string): boolean {
    this.stored(sweepId);
    const a = this.active.get(sweepId);
    if (!a) return false;
    a.cancelled = true;
    if (a.runId) this.deps.cancelRun(a.runId);
    return true;
  }

  /** From now on no trial starts; a trial the closing run queue stops is recorded as interrupted. */
  beginClose(): void {
    this.closing = true;
  }

  /** Waits until every session has recorded how it ended (call after the run queue closed). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private stored(sweepId: string): StoredSweep {
    const sweep = this.deps.sweeps.get(sweepId);
    if (!sweep) throw new CairnError('not_found', `no sweep with id ${sweepId}`);
    return sweep;
  }

  private async launch(sweepId: string, wait: boolean): Promise<Sweep> {
    const a: ActiveSweep = { cancelled: false, done: Promise.resolve() };
    this.active.set(sweepId, a);
    a.done = this.session(sweepId, a).finally(() => this.active.delete(sweepId));
    this.progress(sweepId);
    if (wait) await a.done;
    return this.get(sweepId);
  }

  /** One session of a sweep, until its budget, its grid, a cancel or the host's close; never throws. */
  private async session(sweepId: string, a: ActiveSweep): Promise<void> {
    const started = Date.now();
    let status: Exclude<SweepStatus, 'running'> = 'succeeded';
    let error: ApiErrorShape | null = null;
    try {
      const sweep = this.stored(sweepId);
      const distributions = distributionsOf(sweep.model, sweep.space);
      const study = new Study({
        distributions,
        sampler: createSampler(sweep.strategy, distributions, sweep.seed, sweep.parallel),
        pruner: createPruner(sweep.stopping),
        direction: sweep.direction,
        trials: this.deps.sweeps.studyTrials(sweepId),
      });
      const runIds = new Map(sweep.trials.flatMap((t) => (t.runId ? [[t.number, t.runId] as const] : [])));
      let lastError: ApiErrorShape | null = null;
      for (;;) {
        if (a.cancelled || this.closing) {
          status = a.cancelled ? 'cancelled' : 'interrupted';
          break;
        }
        const done = study.trials.filter((t) => FINISHED.has(t.state)).length;
        if (sweep.budget.trials !== null && done >= sweep.budget.trials) break;
        const spent = sweep.secondsUsed + (Date.now() - started) / 1000;
        if (sweep.budget.seconds !== null && spent >= sweep.budget.seconds) break;
        const trial = study.ask();
        if (!trial) break; // a grid used up
        this.deps.sweeps.addTrial(sweepId, trial.number, trial.params);
        const ended = await this.runTrial(sweep, study, trial, a, runIds);
        if (ended.state === 'failed') lastError = ended.error;
        if (ended.state === 'interrupted') {
          status = a.cancelled ? 'cancelled' : 'interrupted';
          break;
        }
        const best = study.best();
        const bestRun = best && runIds.get(best.number);
        if (bestRun) this.deps.sweeps.setBest(sweepId, bestRun);
        this.progress(sweepId, trial.number);
      }
      if (status === 'succeeded' && !study.best()) {
        status = 'failed';
        error = {
          code: 'internal',
          message: `No trial completed${lastError ? `; the last failed: ${lastError.message}` : ''}.`,
        };
      }
    } catch (err) {
      status = 'failed';
      error = toApiError(err);
    }
    this.deps.sweeps.end(sweepId, status, error, (Date.now() - started) / 1000, new Date().toISOString());
    this.progress(sweepId);
  }

  /** Trains one trial as a run and records how it ended. */
  private async runTrial(
    sweep: StoredSweep,
    study: Study,
    trial: { number: number; params: TrialParams },
    a: ActiveSweep,
    runIds: Map<number, string>,
  ): Promise<{ state: Trial['state']; error: ApiErrorShape | null }> {
    const { sweeps } = this.deps;
    const end = (
      state: 'complete' | 'pruned' | 'failed' | 'interrupted',
      error: ApiErrorShape | null,
      value?: number,
    ) => {
      if (state !== 'interrupted')
        study.tell(trial.number, state === 'complete' ? { state, value: value! } : { state });
      sweeps.endTrial(sweep.id, trial.number, state, value ?? null, error);
      return { state, error };
    };
    let q: QueuedRun;
    try {
      const req = methods['runs.start'].input.parse({
        ...sweep.request,
        model: sweep.model,
        seed: sweep.seed,
        ...trialRunFields(trial.params),
      });
      q = this.deps.enqueue(req);
    } catch (err) {
      return end(this.closing ? 'interrupted' : 'failed', toApiError(err));
    }
    a.runId = q.runId;
    runIds.set(trial.number, q.runId);
    sweeps.setTrialRun(sweep.id, trial.number, q.runId);
    this.progress(sweep.id, trial.number);
    let pruned = false;
    const unsubscribe = this.deps.events.subscribe((event, payload) => {
      if (event !== 'run.progress' || pruned) return;
      const p = payload as RunProgress;
      const value = p.runId === q.runId ? curveValue(p.logs, sweep.direction) : undefined;
      const last = study.trials[trial.number]?.curve.at(-1);
      if (value === undefined || (last && p.epoch <= last.step)) return;
      pruned = study.report(trial.number, p.epoch, value);
      sweeps.setCurve(sweep.id, trial.number, study.trials[trial.number]!.curve);
      if (pruned) this.deps.cancelRun(q.runId);
    });
    let run: Run;
    try {
      run = await q.ended;
    } catch (err) {
      const error = toApiError(err);
      if (pruned) return end('pruned', null);
      // A run the host's close or the sweep's cancel stopped did not fail: its trial may run again.
      if (this.closing || a.cancelled) return end('interrupted', error);
      return end('failed', error);
    } finally {
      unsubscribe();
      a.runId = undefined;
    }
    // The pruner's word stands even when the run finished before its cancel landed.
    if (pruned) return end('pruned', null);
    const value = (run.metrics?.validation as Record<string, number | null> | undefined)?.[sweep.metric];
    if (typeof value !== 'number' || Number.isNaN(value))
      return end('failed', {
        code: 'internal',
        message: `The run recorded no validation ${sweep.metric}: its validation split may be empty.`,
      });
    return end('complete', null, value);
  }

  private progress(sweepId: string, trialNumber?: number): void {
    const sweep = this.get(sweepId);
    const trial = trialNumber === undefined ? undefined : sweep.trials[trialNumber];
    this.deps.events.emit('sweep.progress', {
      sweepId,
      status: sweep.status,
      metric: sweep.metric,
      trialsDone: sweep.trialsDone,
      budget: sweep.budget,
      bestValue: sweep.bestValue,
      ...(trial ? { trial } : {}),
    });
  }
}

/**
 * What a trial reports to the pruner at each epoch or boosting round: its validation loss (every
 * network and tree model logs it, where the sweep's own metric is computed only at the end),
 * negated when the sweep maximises so that every value a Study sees points the same way. All
 * trials of a sweep report the same quantity, which is what the pruners compare.
 */
function curveValue(logs: Record<string, number>, direction: Direction): number | undefined {
  const loss = logs.val_loss;
  if (loss === undefined) return undefined;
  return direction === 'maximize' ? -loss : loss;
}
