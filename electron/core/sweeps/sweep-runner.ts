// The sweep runner: owns what the search engine (study.ts) leaves out, the database and the
// processes. It checks a sweep before anything runs (and how many trials the machine's memory
// holds at once), then keeps up to `parallel` trials in flight: asks the Study for one, starts it
// as an ordinary training run through the host's run queue (its own job process; the queue is
// widened by the sweep for its session), reports each epoch's or round's validation loss to the
// pruner (cancelling the run when told), tells the Study the run's validation metric when it ends
// (never a test score), and stops starting trials at the budget. Trials train without their
// explanation (seconds each); the best one is explained when the sweep ends. Every trial is saved
// as it goes, so a sweep interrupted by a restart is resumed from its saved trials with the budget left.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  type ApiErrorShape,
  type ColumnProfile,
  type ComputeTarget,
  DEFAULT_SWEEP_METRIC,
  type MethodArg,
  methods,
  type Run,
  type RunProgress,
  type Sweep,
  type SweepStatus,
  type SweepSummary,
} from '../../../shared/api.js';
import { lowerIsBetter } from '../../../shared/metrics.js';
import { DEFAULT_SPACES } from '../../../shared/sweep/default-spaces.js';
import { trialRunFields, type TrialParams } from '../../../shared/sweep/parameters.js';
import { budgetProblems, metricProblem } from '../../../shared/sweep/request-checks.js';
import { dataKindProblem } from '../../../shared/data-kind.js';
import { inferTask } from '../../../shared/target-task.js';
import { SEED } from '../../../shared/training-settings.js';
import type { StoredVersion } from '../db/datasets-repo.js';
import type { StoredSweep, SweepsRepo } from '../db/sweeps-repo.js';
import { CairnError, toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { EnqueueOptions, QueuedRun } from '../jobs/run-queue.js';
import { distributionsOf } from './distributions.js';
import { GridSampler } from './grid-sampler.js';
import { createPruner, createSampler } from './strategies.js';
import { Study } from './study.js';
import { parallelThatFits, trialPeakBytes, type MachineFigures } from './trial-memory.js';
import { bestTrial, type Direction, type Trial } from './trials.js';

/**
 * Trials in flight at once on the fleet when a sweep names none: the queue holds what no worker has
 * taken yet, so this only bounds how far the sampler runs ahead of the results.
 */
export const FLEET_PARALLEL = 8;

/** Trials a sweep runs when it is given no budget (a grid runs its every point instead). */
export const DEFAULT_SWEEP_TRIALS = 20;

/** What the runner uses of the host. */
export interface SweepRunnerDeps {
  sweeps: SweepsRepo;
  events: EventBus;
  /** The stored version a dataset reference means (throws not_found). */
  resolveVersion(ref: string, version?: number): StoredVersion;
  profile(versionId: string): ColumnProfile[];
  /** A dataset's name, for messages. */
  datasetName(datasetId: string): string;
  /** Queues a training run (the host's run queue). */
  enqueue(req: MethodArg<'runs.start'>, options?: EnqueueOptions): QueuedRun;
  cancelRun(runId: string): boolean;
  /** A run's record (throws not_found). */
  getRun(runId: string): Run;
  /** The end of a run this host follows (one taken in from the fleet), or undefined when it follows none. */
  followRun?: (runId: string) => Promise<Run> | undefined;
  /** Lets `extra` more runs train at once until the release is called (RunQueue.widen). */
  widen(extra: number): () => void;
  /** Computes and records the explanation of a succeeded run trained without one (RunQueue.explain). */
  explainRun(runId: string, req: MethodArg<'runs.start'>): Promise<void>;
  /** Whether runs asking for `where` train on the fleet now (throws when it names one and none is connected). */
  onFleet?: (where: ComputeTarget | undefined) => boolean;
  /** Cores and memory as the parallel check reads them; the os module's figures when absent. */
  machine?: () => MachineFigures;
  /** Milliseconds now, as the time budget reads them; Date.now when absent. */
  clock?: () => number;
}

/** A sweep training in this host: how to stop it, and its session's end. */
interface ActiveSweep {
  cancelled: boolean;
  /** Asked to pause: no trial starts after those training. */
  paused: boolean;
  /** The runs of its trials in flight. */
  runIds: Set<string>;
  done: Promise<void>;
}

/** How a trial ended, by its number. */
interface EndedTrial {
  number: number;
  state: Trial['state'];
  error: ApiErrorShape | null;
}

function osFigures(): MachineFigures {
  return { cores: os.availableParallelism(), freeBytes: os.freemem(), totalBytes: os.totalmem() };
}

const FINISHED: ReadonlySet<Trial['state']> = new Set(['complete', 'pruned', 'failed']);

export class SweepRunner {
  private readonly active = new Map<string, ActiveSweep>();
  private closing = false;

  constructor(private readonly deps: SweepRunnerDeps) {
    // A fleet run outlives the host that sent it: taken in at a later connect, it still ends its trial.
    deps.events.subscribe((event, payload) => {
      if (event === 'run.finished') this.relinkTrial((payload as { runId: string }).runId);
    });
  }

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
    // The runs' own rule: the CNN on pictures (their label its target), the other kinds on tables.
    const wrongKind = dataKindProblem(req, this.deps.datasetName(v.datasetId), v.images !== undefined);
    if (wrongKind) throw new CairnError('invalid_argument', wrongKind.message, wrongKind.details);
    const target = v.images ? undefined : this.deps.profile(v.id).find((c) => c.name === req.target);
    if (!v.images && !target) throw bad(`The dataset has no column "${req.target}" to predict.`);
    const task = req.task ?? (target ? inferTask(target) : 'classification');
    const metric = req.metric ?? DEFAULT_SWEEP_METRIC[task];
    const wrongMetric = metricProblem(task, metric);
    if (wrongMetric) throw bad(wrongMetric.message, wrongMetric.field);
    if (req.split && !(req.split.validation > 0))
      throw bad('A sweep chooses on the validation split: give it a fraction above 0.');
    const space = req.space ?? DEFAULT_SPACES[req.model];
    const seed = req.seed ?? SEED.default;
    const distributions = distributionsOf(req.model, space);
    const fitted = this.deps.onFleet?.(req.where)
      ? { parallel: req.parallel ?? FLEET_PARALLEL }
      : this.parallelFor(req.model, v, req, req.parallel);
    // A grid without steps, or one too large to finish, is refused here, before the sweep is recorded.
    const sampler = createSampler(req.strategy, distributions, seed, fitted.parallel);
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
      parallel: _p,
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
        parallel: fitted.parallel,
        seed,
        hostPid: process.pid,
        notes: fitted.note ? [fitted.note] : [],
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
    // The machine may hold fewer trials now than when the sweep started (the fleet's workers bound their own).
    const onFleet = this.deps.onFleet?.(sweep.request.where as ComputeTarget | undefined) ?? false;
    const fitted = onFleet
      ? { parallel: sweep.parallel }
      : this.parallelFor(sweep.model, this.deps.resolveVersion(sweep.datasetVersionId), sweep.request, sweep.parallel);
    if (fitted.note) {
      this.deps.sweeps.setParallel(sweepId, fitted.parallel);
      this.deps.sweeps.addNote(sweepId, fitted.note);
    }
    this.deps.sweeps.markRunning(sweepId, process.pid);
    return this.launch(sweepId, wait);
  }

  /** Stops a running sweep: its training trials are cancelled and no other starts. A paused one is ended as cancelled. */
  cancel(sweepId: string): boolean {
    const sweep = this.stored(sweepId);
    // Read before the session's entry: a session records its end before it leaves `active`.
    if (sweep.status === 'paused') {
      this.deps.sweeps.end(sweepId, 'cancelled', null, 0, new Date().toISOString());
      this.progress(sweepId);
      return true;
    }
    const a = this.active.get(sweepId);
    if (!a) return false;
    a.cancelled = true;
    for (const runId of a.runIds) this.deps.cancelRun(runId);
    return true;
  }

  /** Starts no trial of a running sweep after the one training, which finishes; the sweep then reads paused. */
  pause(sweepId: string): boolean {
    const a = this.stored(sweepId).status === 'running' ? this.active.get(sweepId) : undefined;
    if (!a || a.cancelled) return false;
    a.paused = true;
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

  /** The trials at once a sweep over `v` can have: `requested` (else per core) lowered to what memory holds. */
  private parallelFor(
    model: Sweep['model'],
    v: StoredVersion,
    request: { target?: unknown; features?: unknown; timeColumn?: unknown; splitColumn?: unknown },
    requested: number | undefined,
  ): { parallel: number; note?: string } {
    const listed = Array.isArray(request.features) ? new Set(request.features as string[]) : undefined;
    const left = new Set([request.target, request.timeColumn, request.splitColumn]);
    const features = this.deps
      .profile(v.id)
      .filter((c) => (listed ? listed.has(c.name) : !left.has(c.name)) && c.name !== request.target);
    return parallelThatFits(requested, trialPeakBytes(model, v.rows, features), (this.deps.machine ?? osFigures)());
  }

  private async launch(sweepId: string, wait: boolean): Promise<Sweep> {
    const a: ActiveSweep = { cancelled: false, paused: false, runIds: new Set(), done: Promise.resolve() };
    this.active.set(sweepId, a);
    // A resume may have replaced this entry once the session recorded its end.
    a.done = this.session(sweepId, a).finally(() => {
      if (this.active.get(sweepId) === a) this.active.delete(sweepId);
    });
    this.progress(sweepId);
    if (wait) await a.done;
    return this.get(sweepId);
  }

  /**
   * One session of a sweep, until its budget, its grid, a cancel or the host's close; never throws.
   * Up to `parallel` trials are in flight; a trial starts only while the finished ones and those in
   * flight stay under the trial budget and the time budget is not spent, so a budget of 10 trials
   * never runs 11, and trials in flight when the time runs out finish.
   */
  private async session(sweepId: string, a: ActiveSweep): Promise<void> {
    const now = this.deps.clock ?? Date.now;
    const started = now();
    let status: Exclude<SweepStatus, 'running'> = 'succeeded';
    let error: ApiErrorShape | null = null;
    let release: () => void = () => undefined;
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
      release = this.deps.widen(sweep.parallel - 1);
      const inFlight = new Map<number, Promise<EndedTrial>>();
      // A trial the host's close interrupted while its run went on on the fleet is followed, not run again.
      for (const t of study.trials) {
        const runId = runIds.get(t.number);
        const ended = t.state === 'interrupted' && runId ? this.deps.followRun?.(runId) : undefined;
        if (!ended || !runId) continue;
        study.reopen(t.number);
        this.deps.sweeps.reopenTrial(sweepId, t.number);
        this.progress(sweepId, t.number);
        a.runIds.add(runId);
        inFlight.set(
          t.number,
          this.followTrial(sweep, study, t.number, a, runId, ended).then((e) => ({ number: t.number, ...e })),
        );
      }
      let gridUsedUp = false;
      let lastError: ApiErrorShape | null = null;
      const mayStart = (): boolean => {
        if (a.cancelled || a.paused || this.closing || gridUsedUp || inFlight.size >= sweep.parallel) return false;
        const done = study.trials.filter((t) => FINISHED.has(t.state)).length;
        if (sweep.budget.trials !== null && done + inFlight.size >= sweep.budget.trials) return false;
        const spent = sweep.secondsUsed + (now() - started) / 1000;
        return sweep.budget.seconds === null || spent < sweep.budget.seconds;
      };
      for (;;) {
        while (mayStart()) {
          const trial = study.ask();
          if (!trial) {
            gridUsedUp = true;
            break;
          }
          this.deps.sweeps.addTrial(sweepId, trial.number, trial.params);
          inFlight.set(
            trial.number,
            this.runTrial(sweep, study, trial, a, runIds).then((ended) => ({ number: trial.number, ...ended })),
          );
        }
        if (inFlight.size === 0) break;
        const ended = await Promise.race(inFlight.values());
        inFlight.delete(ended.number);
        if (ended.state === 'failed') lastError = ended.error;
        const best = study.best();
        const bestRun = best && runIds.get(best.number);
        if (bestRun) this.deps.sweeps.setBest(sweepId, bestRun);
        this.progress(sweepId, ended.number);
      }
      // No trial of this session trains any more: the queue's width goes back before the explanation.
      release();
      if (a.cancelled || this.closing) status = a.cancelled ? 'cancelled' : 'interrupted';
      else if (a.paused) status = 'paused';
      const best = study.best();
      if (status === 'succeeded' && !best) {
        status = 'failed';
        error = {
          code: 'internal',
          message: `No trial completed${lastError ? `; the last failed: ${lastError.message}` : ''}.`,
        };
      }
      // A paused sweep's best is explained when the sweep ends, after its resume.
      if (best && !this.closing && status !== 'paused') await this.explainBest(sweep, best, runIds.get(best.number));
    } catch (err) {
      status = 'failed';
      error = toApiError(err);
    } finally {
      release();
    }
    this.deps.sweeps.end(sweepId, status, error, (now() - started) / 1000, new Date().toISOString());
    this.progress(sweepId);
  }

  /** The run request of a trial: the sweep's shared fields, its model and seed, and the trial's values. */
  private trialRequest(sweep: StoredSweep, params: TrialParams): MethodArg<'runs.start'> {
    return methods['runs.start'].input.parse({
      ...sweep.request,
      model: sweep.model,
      seed: sweep.seed,
      ...trialRunFields(params),
    });
  }

  /**
   * Gives the best trial's run the explanation its training skipped (its run page and
   * models.explain read it); a failure is a note on the sweep, not its end.
   */
  private async explainBest(sweep: StoredSweep, best: Trial, runId: string | undefined): Promise<void> {
    if (!runId) return;
    try {
      await this.deps.explainRun(runId, this.trialRequest(sweep, best.params));
    } catch (err) {
      this.deps.sweeps.addNote(
        sweep.id,
        `The best trial (${best.number}) has no explanation: computing it failed (${toApiError(err).message}).`,
      );
    }
  }

  /** Trains one trial as a run and records how it ended. */
  private async runTrial(
    sweep: StoredSweep,
    study: Study,
    trial: { number: number; params: TrialParams },
    a: ActiveSweep,
    runIds: Map<number, string>,
  ): Promise<{ state: Trial['state']; error: ApiErrorShape | null }> {
    let q: QueuedRun;
    try {
      // A trial trains without its explanation: the sweep explains only its best, at the end.
      q = this.deps.enqueue(this.trialRequest(sweep, trial.params), { explain: false });
    } catch (err) {
      const error = toApiError(err);
      const state = this.closing ? 'interrupted' : 'failed';
      if (state !== 'interrupted') study.tell(trial.number, { state });
      this.deps.sweeps.endTrial(sweep.id, trial.number, state, null, error);
      return { state, error };
    }
    a.runIds.add(q.runId);
    runIds.set(trial.number, q.runId);
    this.deps.sweeps.setTrialRun(sweep.id, trial.number, q.runId);
    this.progress(sweep.id, trial.number);
    return this.followTrial(sweep, study, trial.number, a, q.runId, q.ended);
  }

  /** Follows a trial's run to its end (reporting its curve to the pruner) and records how the trial ended. */
  private async followTrial(
    sweep: StoredSweep,
    study: Study,
    number: number,
    a: ActiveSweep,
    runId: string,
    ended: Promise<Run>,
  ): Promise<{ state: Trial['state']; error: ApiErrorShape | null }> {
    const { sweeps } = this.deps;
    const end = (
      state: 'complete' | 'pruned' | 'failed' | 'interrupted',
      error: ApiErrorShape | null,
      value?: number,
    ) => {
      if (state !== 'interrupted') study.tell(number, state === 'complete' ? { state, value: value! } : { state });
      sweeps.endTrial(sweep.id, number, state, value ?? null, error);
      return { state, error };
    };
    let pruned = false;
    const unsubscribe = this.deps.events.subscribe((event, payload) => {
      if (event !== 'run.progress' || pruned) return;
      const p = payload as RunProgress;
      const value = p.runId === runId ? curveValue(p.logs, sweep.direction) : undefined;
      const last = study.trials[number]?.curve.at(-1);
      if (value === undefined || (last && p.epoch <= last.step)) return;
      pruned = study.report(number, p.epoch, value);
      sweeps.setCurve(sweep.id, number, study.trials[number]!.curve);
      if (pruned) this.deps.cancelRun(runId);
    });
    let run: Run;
    try {
      run = await ended;
    } catch (err) {
      const error = toApiError(err);
      if (pruned) return end('pruned', null);
      // A run the host's close or the sweep's cancel stopped did not fail: its trial may run again.
      if (this.closing || a.cancelled) return end('interrupted', error);
      return end('failed', error);
    } finally {
      unsubscribe();
      a.runIds.delete(runId);
    }
    // The pruner's word stands even when the run finished before its cancel landed.
    if (pruned) return end('pruned', null);
    const value = trialValue(run, sweep.metric);
    return value === undefined ? end('failed', noValue(sweep.metric)) : end('complete', null, value);
  }

  /**
   * Ends an interrupted trial whose run was taken in after its session ended (the fleet trained it
   * while no host listened): the trial counts with the run's value, once, and the best follows.
   */
  private relinkTrial(runId: string): void {
    const trial = this.deps.sweeps.trialOfRun(runId);
    if (trial?.state !== 'interrupted') return;
    const run = this.deps.getRun(runId);
    const sweep = this.stored(trial.sweepId);
    if (run.status === 'succeeded') {
      const value = trialValue(run, sweep.metric);
      if (value === undefined) this.deps.sweeps.endTrial(sweep.id, trial.number, 'failed', null, noValue(sweep.metric));
      else this.deps.sweeps.endTrial(sweep.id, trial.number, 'complete', value, null);
    } else if (run.status === 'failed') {
      this.deps.sweeps.endTrial(sweep.id, trial.number, 'failed', null, run.error ?? null);
    } else return;
    const best = bestTrial(this.deps.sweeps.studyTrials(sweep.id), sweep.direction);
    const bestRun = best && this.stored(sweep.id).trials[best.number]?.runId;
    if (bestRun) this.deps.sweeps.setBest(sweep.id, bestRun);
    this.progress(sweep.id, trial.number);
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

/** A finished run's validation value of the sweep's metric, if it recorded one. */
function trialValue(run: Run, metric: string): number | undefined {
  const value = (run.metrics?.validation as Record<string, number | null> | undefined)?.[metric];
  return typeof value === 'number' && !Number.isNaN(value) ? value : undefined;
}

function noValue(metric: string): ApiErrorShape {
  return { code: 'internal', message: `The run recorded no validation ${metric}: its validation split may be empty.` };
}
