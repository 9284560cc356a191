// The host's run queue: training runs wait in a FIFO and train one at a time, each in its own job
// process, unless a sweep widens the queue for its trials while it runs (widen()): then as many
// train at once as the widths add up to. A run is recorded when queued; its job's progress becomes
// run.progress events (and the curves runs.get shows while it trains); its end is recorded with the
// saved model version, or with why it failed, was cancelled or was interrupted by the host closing.
// A run placed on the fleet (fleet/fleet.ts decides by its `where` and the setting) does not wait
// in the FIFO: it is sent at once, the fleet's workers queue it, and its result is taken in here
// through the same save as a local run's, once however often it ran.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { settingsAutoChooses, type EpochRecord, type MethodArg, type Run, type RunPlace } from '../../../shared/api.js';
import { dataKindProblem } from '../../../shared/data-kind.js';
import { SEED } from '../../../shared/training-settings.js';
import type { DatasetsRepo, StoredVersion } from '../db/datasets-repo.js';
import type { RunsRepo } from '../db/runs-repo.js';
import { fsyncDir } from '../durable-fs.js';
import { CairnError, toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { FleetRoute, FleetRunProgress } from '../fleet/fleet.js';
import type { Layout } from '../paths.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { TrainInput, TrainOutcome } from '../training/run-training.js';
import { DEFAULT_FRACTIONS } from '../training/splits.js';
import type { JobRunner } from './job-runner.js';
import type { JobInputs } from './protocol.js';
import { tableTrainInput, trainSettings } from './train-input.js';
import type { ColumnRead } from '../training/columns.js';

/** What the queue uses of the host. */
export interface RunQueueDeps {
  runs: RunsRepo;
  datasets: DatasetsRepo;
  jobs: JobRunner;
  registry: ModelRegistry;
  events: EventBus;
  paths: Layout;
  /** The stored version a dataset reference (name, id or version id) and optional number mean. */
  resolveVersion(ref: string, version?: number): StoredVersion;
  version(versionId: string): StoredVersion;
  dataFile(v: StoredVersion): string;
  /** Called when a run saved a model version under `name`. */
  modelChanged(name: string): void;
  /** The fleet, when this host may send runs to one. */
  fleet?: FleetRoute;
}

/** A run waiting in the host's FIFO (or the one running), with whoever awaits its end. */
export interface QueuedRun {
  runId: string;
  jobId: string;
  req: MethodArg<'runs.start'>;
  versionId: string;
  modelName: string;
  ended: Promise<Run>;
  /** Epochs finished so far: runs.get shows a running run's curves from here, without a write per epoch. */
  history: EpochRecord[];
  /** False: the job skips the explanation (a sweep's trials; explain() adds it later). */
  explain: boolean;
  place: RunPlace;
  /** Sent to the fleet by a host before this one: waited for, never sent again. */
  adopted?: boolean;
  settle: (outcome: { run: Run } | { error: CairnError }) => void;
  /** Set once its job started; before that a cancel is remembered and applied when it starts. */
  cancel?: () => void;
  cancelRequested?: boolean;
}

/** How a run is queued besides its request. */
export interface EnqueueOptions {
  /** Whether the run explains itself when it ends (on by default). */
  explain?: boolean;
}

/** The FIFO of training runs and those that train. */
export class RunQueue {
  private readonly queue: QueuedRun[] = [];
  private readonly active = new Map<string, { q: QueuedRun; done: Promise<void> }>();
  /** Runs on the fleet: they take no local slot. */
  private readonly remote = new Map<string, { q: QueuedRun; done: Promise<void> }>();
  /** Runs that may train at once beyond the first: what the sweeps running now have added. */
  private extraWidth = 0;
  private closing = false;

  constructor(private readonly deps: RunQueueDeps) {}

  /** A run as stored, with its curves so far while it trains here. */
  get(runId: string): Run {
    const run = this.deps.runs.get(runId);
    if (!run) throw new CairnError('not_found', `no run with id ${runId}`);
    const active = (this.active.get(runId) ?? this.remote.get(runId))?.q;
    if (run.status === 'running' && active) return { ...run, history: [...active.history] };
    return run;
  }

  /** Runs that may train at once now: 1, plus what widen() added. */
  get width(): number {
    return 1 + this.extraWidth;
  }

  /**
   * Lets `extra` more runs train at once until the returned release is called: a sweep with N
   * parallel trials adds N − 1 for its session. Runs still start in FIFO order; with no sweep
   * running the queue trains one at a time as ever, so a user's own runs wait their turn.
   */
  widen(extra: number): () => void {
    const by = Math.max(0, Math.floor(extra));
    this.extraWidth += by;
    this.pump();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.extraWidth -= by;
    };
  }

  /** Records a queued run and puts it at the back of the host's FIFO. */
  enqueue(request: MethodArg<'runs.start'>, options: EnqueueOptions = {}): QueuedRun {
    let req = request;
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const v = this.deps.resolveVersion(req.dataset, req.version);
    const dataset = this.deps.datasets.find(v.datasetId);
    // 'auto' on pictures means the one kind that reads them.
    if (v.images && req.model === 'auto') req = { ...req, model: 'cnn' };
    checkDataKind(req, dataset?.name ?? req.dataset, v.images !== undefined);
    const place = this.placeFor(req, v.images !== undefined);
    const chosenByAuto = req.model === 'auto' ? settingsAutoChooses(req) : [];
    if (chosenByAuto.length > 0)
      throw new CairnError(
        'invalid_argument',
        `Automatic model choice sets each candidate's ${chosenByAuto.join(', ')} itself: leave them out, or pick a model kind to set them.`,
        { settings: chosenByAuto },
      );
    const runId = randomUUID();
    const { dataset: _d, version: _v, ...params } = req;
    this.deps.runs.create(
      {
        id: runId,
        datasetVersionId: v.id,
        target: req.target,
        task: req.task ?? null,
        modelKind: req.model,
        params: { ...params, seed: req.seed ?? SEED.default, split: req.split ?? DEFAULT_FRACTIONS },
        datasetHash: v.contentHash,
        hostPid: process.pid,
      },
      new Date().toISOString(),
    );
    if (place === 'fleet') this.deps.runs.placeOnFleet(runId);
    let settle!: QueuedRun['settle'];
    const ended = new Promise<Run>((resolve, reject) => {
      settle = (outcome) => ('run' in outcome ? resolve(outcome.run) : reject(outcome.error));
    });
    const q: QueuedRun = {
      runId,
      jobId: randomUUID(),
      req,
      versionId: v.id,
      modelName: req.modelName ?? dataset?.name ?? 'model',
      ended,
      history: [],
      explain: options.explain ?? true,
      place,
      settle,
    };
    this.deps.events.emit('run.queued', { runId });
    if (place === 'fleet') this.startRemote(q);
    else {
      this.queue.push(q);
      this.pump();
    }
    return q;
  }

  /** Where a run trains: pictures on this machine (the fleet takes tables), the rest as the fleet says. */
  private placeFor(req: MethodArg<'runs.start'>, pictures: boolean): RunPlace {
    if (!pictures) return this.deps.fleet?.placeFor(req.where) ?? (req.where === 'fleet' ? noFleet() : 'local');
    if (req.where === 'fleet')
      throw new CairnError(
        'invalid_argument',
        'Runs on pictures train on this machine: the fleet takes table runs for now.',
      );
    return 'local';
  }

  private startRemote(q: QueuedRun): void {
    const entry = { q, done: Promise.resolve() };
    this.remote.set(q.runId, entry);
    entry.done = this.executeRun(q).finally(() => this.remote.delete(q.runId));
  }

  /**
   * Takes in the runs a host sent to the fleet and could not wait for (it closed): each is waited
   * for here and recorded as if this host had sent it. Called on every fleet connect.
   */
  adoptFleetRuns(): void {
    if (this.closing || !this.deps.fleet) return;
    for (const runId of this.deps.runs.waitingOnFleet()) {
      if (this.remote.has(runId)) continue;
      const run = this.deps.runs.get(runId);
      if (!run) continue;
      const { modelName, ...params } = run.params as { modelName?: string };
      let settle!: QueuedRun['settle'];
      const ended = new Promise<Run>((resolve, reject) => {
        settle = (outcome) => ('run' in outcome ? resolve(outcome.run) : reject(outcome.error));
      });
      // Nobody awaits an adopted run's end but its record and events.
      ended.catch(() => undefined);
      this.startRemote({
        runId,
        jobId: randomUUID(),
        req: { ...(params as MethodArg<'runs.start'>), dataset: run.datasetVersionId, target: run.target },
        versionId: run.datasetVersionId,
        modelName: modelName ?? run.datasetName,
        ended,
        history: [],
        explain: true,
        place: 'fleet',
        adopted: true,
        settle,
      });
    }
  }

  /** The end of a fleet run this host follows (sent or taken in), or undefined when it follows none. */
  followed(runId: string): Promise<Run> | undefined {
    return this.remote.get(runId)?.q.ended;
  }

  private pump(): void {
    while (!this.closing && this.active.size < this.width) {
      const next = this.queue.shift();
      if (!next) return;
      const entry = { q: next, done: Promise.resolve() };
      this.active.set(next.runId, entry);
      entry.done = this.executeRun(next).finally(() => {
        this.active.delete(next.runId);
        this.pump();
      });
    }
  }

  /** What a train job is given for a run request on a dataset version (also what explain() re-reads). */
  private trainInput(versionId: string, req: MethodArg<'runs.start'>, workDir: string): JobInputs['train'] {
    const v = this.deps.version(versionId);
    if (!v.images) return this.tableTrainInput(versionId, req, workDir);
    return {
      kind: 'images',
      indexFile: this.deps.dataFile(v),
      datasetDir: path.join(this.deps.paths.datasets, v.datasetId),
      model: { kind: 'cnn', preset: req.preset, imageSize: req.imageSize, augment: req.augment },
      train: trainSettings(req),
      fractions: req.split,
      workDir,
    };
  }

  /** A table run's job input over the version's Parquet file and its columns as profiled. */
  private tableTrainInput(versionId: string, req: MethodArg<'runs.start'>, workDir: string): TrainInput {
    const v = this.deps.version(versionId);
    return tableTrainInput(req, this.versionColumns(v.id), this.deps.dataFile(v), workDir);
  }

  private versionColumns(versionId: string): ColumnRead[] {
    return this.deps.datasets
      .profile(versionId)
      .map((c) => ({ name: c.name, storageType: c.storageType, type: c.type }));
  }

  /** Runs one queued run's job and records how it ended; never throws. */
  private async executeRun(q: QueuedRun): Promise<void> {
    const { runId, jobId } = q;
    const workDir = path.join(this.deps.paths.work, jobId);
    let dest: string | undefined;
    try {
      this.deps.runs.markRunning(runId, new Date().toISOString());
      this.deps.events.emit('run.started', { runId });
      await mkdir(workDir, { recursive: true });
      let candidate: string | undefined;
      const onProgress = (p: FleetRunProgress) => {
        // An automatic run's candidates train in turn: its curves so far are the current one's.
        if (p.candidate?.model !== candidate) q.history.length = 0;
        candidate = p.candidate?.model;
        q.history.push({ epoch: p.epoch, logs: p.logs });
        this.deps.events.emit('run.progress', { runId, ...p });
      };
      const out =
        q.place === 'fleet'
          ? await this.trainOnFleet(q, workDir, onProgress)
          : await this.trainHere(q, workDir, onProgress);
      const name = this.deps.runs.modelName(q.modelName) ?? q.modelName;
      // One save at a time picks a version number and moves its folder in (imports too).
      await this.deps.registry.serialize(async () => {
        // Taken in already (a job that ran twice, or another host connected to the same fleet): one run, one version.
        if (this.deps.runs.get(runId)?.status !== 'running') return;
        const version = this.deps.registry.nextVersion(name);
        const relative = this.deps.registry.folderFor(name, version);
        dest = path.join(this.deps.paths.home, relative);
        await mkdir(path.dirname(dest), { recursive: true });
        // A folder left by a save whose record was never written holds nothing anyone points at.
        await rm(dest, { recursive: true, force: true });
        await rename(out.artifactDir, dest);
        await fsyncDir(path.dirname(dest));
        this.deps.runs.succeed(
          runId,
          {
            task: out.task,
            modelKind: out.modelKind,
            params: out.params,
            preprocess: out.preprocess,
            history: out.history,
            metrics: out.metrics,
            backend: out.backend,
            tfjsVersion: out.tfjsVersion,
          },
          { id: randomUUID(), name, version, dir: relative, sha256: out.artifactSha256 },
          new Date().toISOString(),
        );
      });
      if (q.place === 'fleet') await this.deps.fleet?.release(runId);
      if (dest) {
        this.deps.modelChanged(name);
        this.deps.events.emit('run.finished', { runId, status: 'succeeded' });
      }
      q.settle({ run: this.get(runId) });
    } catch (err) {
      if (dest) await rm(dest, { recursive: true, force: true });
      const error = toApiError(err);
      // The fleet goes on without this host: its result waits in the queue for the next connect.
      if (q.place === 'fleet' && error.code === 'cancelled' && !q.cancelRequested) {
        q.settle({ error: new CairnError('cancelled', error.message) });
        return;
      }
      const status = this.closing ? 'interrupted' : error.code === 'cancelled' ? 'cancelled' : 'failed';
      // The curves up to the failure stay with the run: they often show why it failed.
      this.deps.runs.markEnded(runId, status, error, new Date().toISOString(), q.history);
      this.deps.events.emit('run.finished', { runId, status, error });
      q.settle({ error: new CairnError(error.code, error.message, error.details) });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** Trains a queued run in a job process of this host's. */
  private async trainHere(
    q: QueuedRun,
    workDir: string,
    onProgress: (p: FleetRunProgress) => void,
  ): Promise<TrainOutcome> {
    const handle = this.deps.jobs.start(
      'train',
      { ...this.trainInput(q.versionId, q.req, workDir), explain: q.explain },
      onProgress,
      q.jobId,
    );
    q.cancel = () => handle.cancel();
    if (q.cancelRequested) handle.cancel();
    return handle.done;
  }

  /** Trains a run on the fleet (or waits for one sent before); the worker that took it is recorded. */
  private trainOnFleet(q: QueuedRun, workDir: string, onProgress: (p: FleetRunProgress) => void) {
    const fleet = this.deps.fleet;
    if (!fleet) return Promise.reject(noFleetError());
    let worker: string | undefined;
    const relay = (p: FleetRunProgress, from: string) => {
      if (from !== worker) this.deps.runs.placeOnFleet(q.runId, (worker = from));
      onProgress(p);
    };
    q.cancel = () => void fleet.cancel(q.runId);
    const trained = q.adopted
      ? fleet.attach(q.runId, workDir, relay)
      : fleet.train(
          {
            runId: q.runId,
            versionId: q.versionId,
            dataFile: this.deps.dataFile(this.deps.version(q.versionId)),
            request: q.req,
            columns: this.versionColumns(q.versionId),
            explain: q.explain,
          },
          workDir,
          relay,
        );
    if (q.cancelRequested) q.cancel();
    return trained.then((out) => {
      this.deps.runs.placeOnFleet(q.runId, out.worker);
      return out;
    });
  }

  /**
   * Computes the explanation of a succeeded run that trained without one (`req` is the request it
   * trained with) in a job process of its own, beside the queue, and records it on the run. A run
   * that has one already is left as it is.
   */
  async explain(runId: string, req: MethodArg<'runs.start'>): Promise<void> {
    const run = this.get(runId);
    if (run.status !== 'succeeded' || !run.model)
      throw new CairnError('invalid_argument', `run ${runId} has no model to explain (it is ${run.status})`);
    // Explanations read table rows: a picture model (a CNN) has none to give.
    if ((run.metrics && 'explanation' in run.metrics) || run.modelKind === 'cnn') return;
    const version = this.deps.registry.resolve({ name: run.model.name, version: run.model.version });
    const workDir = path.join(this.deps.paths.work, randomUUID());
    try {
      await mkdir(workDir, { recursive: true });
      const explanation = await this.deps.jobs.start(
        'explain',
        {
          train: this.tableTrainInput(run.datasetVersionId, req, workDir),
          modelDir: this.deps.registry.dirOf(version),
          sha256: version.sha256,
        },
        () => undefined,
      ).done;
      this.deps.runs.setExplanation(runId, explanation);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** Cancels a queued run (recorded at once) or the one training; false when it is neither. */
  cancel(runId: string): boolean {
    this.get(runId);
    const at = this.queue.findIndex((q) => q.runId === runId);
    if (at >= 0) {
      const [q] = this.queue.splice(at, 1) as [QueuedRun];
      const error = { code: 'cancelled' as const, message: 'The run was cancelled before it started.' };
      this.deps.runs.markEnded(runId, 'cancelled', error, new Date().toISOString());
      this.deps.events.emit('run.finished', { runId, status: 'cancelled', error });
      q.settle({ error: new CairnError(error.code, error.message) });
      return true;
    }
    const active = (this.active.get(runId) ?? this.remote.get(runId))?.q;
    if (!active) return false;
    // Between its start and its job's start a run has nothing to kill yet: its job is killed as it starts.
    active.cancelRequested = true;
    active.cancel?.();
    return true;
  }

  /** From now on no run is taken, and those training end as interrupted rather than cancelled. */
  beginClose(): void {
    this.closing = true;
  }

  /** Marks the waiting runs interrupted, stops those training and waits until each has recorded its end. */
  async close(): Promise<void> {
    this.closing = true;
    const now = new Date().toISOString();
    for (const q of this.queue.splice(0)) {
      this.deps.runs.markEnded(
        q.runId,
        'interrupted',
        { code: 'cancelled', message: 'The app closed before this run started.' },
        now,
      );
      q.settle({ error: new CairnError('cancelled', 'The app closed before this run started.') });
    }
    // Runs on the fleet are not stopped: they settle as the fleet's connection closes, and their
    // results wait for the next connect.
    const training = [...this.active.values(), ...this.remote.values()];
    for (const { q } of training) {
      if (q.place === 'fleet') continue;
      q.cancelRequested = true;
      q.cancel?.();
    }
    await Promise.all(training.map((t) => t.done));
  }
}

function noFleetError(): CairnError {
  return new CairnError('invalid_argument', 'This host cannot send runs to a fleet.');
}

function noFleet(): never {
  throw noFleetError();
}

/** Refuses a model kind on data it cannot read (shared/data-kind.ts), before the run is recorded. */
function checkDataKind(req: MethodArg<'runs.start'>, dataset: string, pictures: boolean): void {
  const problem = dataKindProblem(req, dataset, pictures);
  if (problem) throw new CairnError('invalid_argument', problem.message, problem.details);
}
