// The host's run queue: training runs wait in a FIFO and train one at a time, each in its own job
// process. A run is recorded when queued; its job's progress becomes run.progress events (and the
// curves runs.get shows while it trains); its end is recorded with the saved model version, or
// with why it failed, was cancelled or was interrupted by the host closing.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  IMAGE_LABEL_COLUMN,
  settingsAutoChooses,
  type EpochRecord,
  type MethodArg,
  type Run,
} from '../../../shared/api.js';
import { MODEL_KIND, SEED } from '../../../shared/training-settings.js';
import type { DatasetsRepo, StoredVersion } from '../db/datasets-repo.js';
import type { RunsRepo } from '../db/runs-repo.js';
import { fsyncDir } from '../durable-fs.js';
import { CairnError, toApiError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Layout } from '../paths.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { TrainOutcome } from '../training/run-training.js';
import { boostingOf } from '../training/gbdt/boosting-params.js';
import { DEFAULT_FRACTIONS } from '../training/splits.js';
import type { JobRunner } from './job-runner.js';
import type { JobInputs } from './protocol.js';

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
  settle: (outcome: { run: Run } | { error: CairnError }) => void;
  cancel?: () => void;
}

/** The FIFO of training runs and the one that trains. */
export class RunQueue {
  private readonly queue: QueuedRun[] = [];
  private active?: QueuedRun;
  private activeDone?: Promise<void>;
  private closing = false;

  constructor(private readonly deps: RunQueueDeps) {}

  /** A run as stored, with its curves so far while it trains here. */
  get(runId: string): Run {
    const run = this.deps.runs.get(runId);
    if (!run) throw new CairnError('not_found', `no run with id ${runId}`);
    if (run.status === 'running' && this.active?.runId === runId) return { ...run, history: [...this.active.history] };
    return run;
  }

  /** Records a queued run and puts it at the back of the host's FIFO: one run trains at a time. */
  enqueue(request: MethodArg<'runs.start'>): QueuedRun {
    let req = request;
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const v = this.deps.resolveVersion(req.dataset, req.version);
    const dataset = this.deps.datasets.find(v.datasetId);
    // 'auto' on pictures means the one kind that reads them.
    if (v.images && req.model === 'auto') req = { ...req, model: 'cnn' };
    checkDataKind(req, dataset?.name ?? req.dataset, v.images !== undefined);
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
      settle,
    };
    this.queue.push(q);
    this.deps.events.emit('run.queued', { runId });
    this.pump();
    return q;
  }

  private pump(): void {
    if (this.active || this.closing) return;
    const next = this.queue.shift();
    if (!next) return;
    this.active = next;
    this.activeDone = this.executeRun(next).finally(() => {
      this.active = undefined;
      this.activeDone = undefined;
      this.pump();
    });
  }

  /** Runs one queued run's job and records how it ended; never throws. */
  private async executeRun(q: QueuedRun): Promise<void> {
    const { runId, jobId, req } = q;
    const workDir = path.join(this.deps.paths.work, jobId);
    let dest: string | undefined;
    try {
      this.deps.runs.markRunning(runId, new Date().toISOString());
      this.deps.events.emit('run.started', { runId });
      await mkdir(workDir, { recursive: true });
      const v = this.deps.version(q.versionId);
      let candidate: string | undefined;
      const train = {
        epochs: req.epochs,
        batchSize: req.batchSize,
        learningRate: req.learningRate,
        optimizer: req.optimizer,
        classWeight: req.classWeight,
        seed: req.seed ?? SEED.default,
        ...(req.earlyStopping ? { earlyStopping: req.earlyStopping } : {}),
      };
      const input: JobInputs['train'] = v.images
        ? {
            kind: 'images',
            indexFile: this.deps.dataFile(v),
            datasetDir: path.join(this.deps.paths.datasets, v.datasetId),
            model: { kind: 'cnn', preset: req.preset, imageSize: req.imageSize, augment: req.augment },
            train,
            fractions: req.split,
            workDir,
          }
        : {
            dataFile: this.deps.dataFile(v),
            columns: this.deps.datasets
              .profile(v.id)
              .map((c) => ({ name: c.name, storageType: c.storageType, type: c.type })),
            target: req.target,
            features: req.features,
            task: req.task,
            model: {
              kind: req.model,
              ...(req.hiddenLayers ? { hiddenLayers: req.hiddenLayers } : {}),
              ...(req.l2 !== undefined ? { l2: req.l2 } : {}),
              ...(req.model === 'gbdt' ? { boosting: boostingOf(req) } : {}),
            },
            train,
            fractions: req.split,
            timeColumn: req.timeColumn,
            splitColumn: req.splitColumn,
            workDir,
          };
      const handle = this.deps.jobs.start(
        'train',
        input,
        (p) => {
          // An automatic run's candidates train in turn: its curves so far are the current one's.
          if (p.candidate?.model !== candidate) q.history.length = 0;
          candidate = p.candidate?.model;
          q.history.push({ epoch: p.epoch, logs: p.logs });
          this.deps.events.emit('run.progress', { runId, ...p });
        },
        jobId,
      );
      q.cancel = () => handle.cancel();
      const out: TrainOutcome = await handle.done;
      const name = this.deps.runs.modelName(q.modelName) ?? q.modelName;
      // One save at a time picks a version number and moves its folder in (imports too).
      await this.deps.registry.serialize(async () => {
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
      this.deps.modelChanged(name);
      this.deps.events.emit('run.finished', { runId, status: 'succeeded' });
      q.settle({ run: this.get(runId) });
    } catch (err) {
      if (dest) await rm(dest, { recursive: true, force: true });
      const error = toApiError(err);
      const status = this.closing ? 'interrupted' : error.code === 'cancelled' ? 'cancelled' : 'failed';
      // The curves up to the failure stay with the run: they often show why it failed.
      this.deps.runs.markEnded(runId, status, error, new Date().toISOString(), q.history);
      this.deps.events.emit('run.finished', { runId, status, error });
      q.settle({ error: new CairnError(error.code, error.message, error.details) });
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
    if (this.active?.runId === runId && this.active.cancel) {
      this.active.cancel();
      return true;
    }
    return false;
  }

  /** From now on no run is taken, and the one training ends as interrupted rather than cancelled. */
  beginClose(): void {
    this.closing = true;
  }

  /** Marks the waiting runs interrupted, stops the one training and waits until it has recorded its end. */
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
    this.active?.cancel?.();
    await this.activeDone;
  }
}

/**
 * Refuses a model kind on data it cannot read, before the run is recorded: the CNN reads pictures
 * and only it does; a picture dataset's target is its label, split by label, with no columns.
 */
function checkDataKind(req: MethodArg<'runs.start'>, dataset: string, pictures: boolean): void {
  const bad = (message: string, details?: Record<string, unknown>) =>
    new CairnError('invalid_argument', message, details);
  const label = MODEL_KIND.options.find((o) => o.value === req.model)?.label ?? req.model;
  if (!pictures) {
    if (req.model === 'cnn')
      throw bad(`A convolutional network trains on pictures, and ${dataset} is a table: pick another model for it.`);
    const pictureSettings = (['preset', 'imageSize', 'augment'] as const).filter((k) => req[k] !== undefined);
    if (pictureSettings.length > 0)
      throw bad(`${pictureSettings.join(', ')} apply to pictures only, and ${dataset} is a table.`, {
        settings: pictureSettings,
      });
    return;
  }
  if (req.model !== 'cnn')
    throw bad(`${dataset} holds pictures: train a convolutional network on it (model cnn); ${label} reads tables.`, {
      model: req.model,
    });
  if (req.target !== IMAGE_LABEL_COLUMN)
    throw bad(`A picture dataset's target is each picture's ${IMAGE_LABEL_COLUMN}, not "${req.target}".`, {
      target: req.target,
    });
  const tableSettings = (
    ['features', 'timeColumn', 'splitColumn', 'hiddenLayers', 'l2', 'trees', 'maxLeaves', 'maxDepth'] as const
  ).filter((k) => req[k] !== undefined);
  if (tableSettings.length > 0)
    throw bad(`${tableSettings.join(', ')} apply to tables only, and ${dataset} holds pictures.`, {
      settings: tableSettings,
    });
  if (req.task === 'regression') throw bad(`A picture model predicts its label: a regression task does not apply.`);
}
