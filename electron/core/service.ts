// Implements the contract in shared/api.ts on top of the core modules. Every host (Electron main,
// the web host, the CLI) holds one CairnService and routes calls through `call`, which validates
// the argument, runs the handler and returns the reply envelope: errors as data, never stacks.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  isMethodName,
  methods,
  type CallReply,
  type Endpoint,
  type EpochRecord,
  type ImportResult,
  type JobProgress,
  type MethodArg,
  type MethodName,
  type MethodResult,
  type Run,
  type RunProgress,
} from '../../shared/api.js';
import { RunsRepo } from './db/runs-repo.js';
import type { TrainOutcome } from './training/run-training.js';
import { DEFAULT_FRACTIONS } from './training/splits.js';
import { DatasetsRepo, type StoredVersion } from './db/datasets-repo.js';
import { openDb, type Db } from './db/open.js';
import { literal, memoryLimitFor, openDuck } from './datasets/duck.js';
import { profileColumns } from './datasets/profile.js';
import { readRows } from './datasets/rows.js';
import { cairnVersion, electronBinary, packageVersion } from './environment.js';
import { fsyncDir } from './durable-fs.js';
import { CairnError, toApiError } from './errors.js';
import { EventBus } from './events.js';
import { forkSpawner } from './jobs/fork-spawner.js';
import { JobRunner } from './jobs/job-runner.js';
import type { SpawnJobProcess } from './jobs/protocol.js';
import { defaultFileAccess, type FileAccess } from './file-access.js';
import { layout, type Layout } from './paths.js';
import { ModelRegistry } from './registry/registry.js';
import { SAMPLES, samplePath } from './samples.js';
import { forkEndpointSpawner } from './serving/fork-spawner.js';
import type { SpawnEndpointProcess } from './serving/protocol.js';
import { resolveServedModels } from './serving/resolve.js';
import { EndpointSupervisor } from './serving/supervisor.js';
import { endpointStats } from './serving/endpoint-stats.js';
import { testPredict } from './serving/test-predict.js';
import { PipelinesRepo } from './db/pipelines-repo.js';
import type { PipelineHost, ResolvedDataset } from './pipelines/host.js';
import { PipelineRunner } from './pipelines/pipeline-runner.js';
import { Pipelines } from './pipelines/pipelines.js';
import { StepCache } from './pipelines/step-cache.js';
import { Monitor } from './monitoring/monitor.js';

export interface ServiceOptions {
  home: string;
  host: 'desktop' | 'browser' | 'cli';
  /** How job processes start: Electron passes utilityProcess; elsewhere child_process.fork. */
  spawn?: SpawnJobProcess;
  /** How endpoint processes start: Electron passes utilityProcess; elsewhere child_process.fork. */
  spawnEndpoint?: SpawnEndpointProcess;
  /**
   * Judge alert rules (and retrain triggers) on a timer, after catching up on the time no host
   * ran: on by default in the desktop and browser hosts, off for the CLI's short-lived calls.
   */
  monitor?: boolean;
  /**
   * Which paths calls may name (file-access.ts): the host's policy. By default the CLI's shell
   * policy for 'cli', uploads only for 'browser', and no paths at all for 'desktop' (whose main
   * process passes its grant table).
   */
  files?: FileAccess;
}

type Handlers = { [M in MethodName]: (arg: MethodArg<M>) => Promise<MethodResult<M>> };

/** A run waiting in the host's FIFO (or the one running), with whoever awaits its end. */
interface QueuedRun {
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

/** The split seed when a request names none: TrainParams' default, so split and weights share it. */
const DEFAULT_SEED = 42;

/** Whether a process id belongs to a living process (EPERM: alive, but another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { modelFolderName } from './registry/folders.js';

/** Dataset names become folder-free labels; the file's base name is the default. */
export function datasetNameFromPath(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  return base.trim() || 'dataset';
}

export class CairnService {
  readonly events = new EventBus();
  private readonly repo: DatasetsRepo;
  private readonly jobs: JobRunner;
  private readonly runs: RunsRepo;
  /** Models, versions and aliases; hosts that serve endpoints set its isServed. */
  readonly registry: ModelRegistry;
  private readonly queue: QueuedRun[] = [];
  private active?: QueuedRun;
  private activeDone?: Promise<void>;
  private closing = false;
  private duck?: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }>;
  private readonly endpoints: EndpointSupervisor;
  private readonly pipelineRunner: PipelineRunner;
  private readonly pipelines: Pipelines;
  /** Monitoring: overviews, feedback, alert rules and retraining. */
  readonly monitor: Monitor;
  /** The host's policy for paths that arrive through calls; the service's own files skip it. */
  private readonly files: FileAccess;

  private constructor(
    private readonly options: ServiceOptions,
    private readonly paths: Layout,
    private readonly db: Db,
  ) {
    this.repo = new DatasetsRepo(db);
    this.files = options.files ?? defaultFileAccess(options.host, paths.uploads);
    this.jobs = new JobRunner(options.spawn ?? forkSpawner());
    this.runs = new RunsRepo(db);
    this.registry = new ModelRegistry({
      db,
      datasets: this.repo,
      paths,
      changed: (name) => this.modelChanged(name),
      // A version an endpoint serves cannot be deleted from under it.
      isServed: (name, version) =>
        this.endpoints
          .list()
          .some((e) => e.models.some((m) => m.name.toLowerCase() === name.toLowerCase() && m.version === version)),
    });
    this.endpoints = new EndpointSupervisor({
      spawn: options.spawnEndpoint ?? forkEndpointSpawner(),
      resolve: (refs) => resolveServedModels(this.registry, refs),
      logFile: paths.requestLog,
      emit: (endpoint) => this.events.emit('endpoint.status', endpoint),
    });
    const pipelinesRepo = new PipelinesRepo(db);
    const host = this.pipelineHost();
    this.pipelineRunner = new PipelineRunner({
      repo: pipelinesRepo,
      cache: new StepCache(paths.pipelineCache),
      host,
      defaultBaseDir: paths.home,
      emitRun: (run) => this.events.emit('pipeline.run', run),
      emitStep: (step) => this.events.emit('pipeline.step', step),
    });
    this.pipelines = new Pipelines({
      repo: pipelinesRepo,
      runner: this.pipelineRunner,
      host,
      changed: (id) => this.events.emit('pipeline.changed', { id }),
      newId: () => randomUUID(),
    });
    this.monitor = new Monitor({
      db,
      registry: this.registry,
      datasets: this.repo,
      paths,
      events: this.events,
      connect: () => this.ownConnection(),
      startRun: (req) => {
        const q = this.enqueueRun(methods['runs.start'].input.parse(req));
        return { runId: q.runId, ended: q.ended };
      },
      // Retraining imports a file it wrote in the work folder: internal, so the host's file policy does not apply.
      importNow: (req) =>
        this.runImport(methods['datasets.importNow'].input.parse(req), randomUUID(), (p) =>
          this.events.emit('job.progress', p),
        ),
    });
  }

  /** Opens (creating if needed) the data folder and app.db. */
  static async open(options: ServiceOptions): Promise<CairnService> {
    const paths = layout(options.home);
    await mkdir(paths.datasets, { recursive: true });
    await mkdir(paths.work, { recursive: true });
    // Work folders left by a crash hold only half-made files that no record points at.
    await rm(paths.work, { recursive: true, force: true });
    await mkdir(paths.work, { recursive: true });
    const db = openDb(paths.db);
    // Runs whose host died (a crash, a killed CLI) can never finish: say so, once, at the next open.
    new RunsRepo(db).interruptOrphans((pid) => pid !== process.pid && processAlive(pid), new Date().toISOString());
    new PipelinesRepo(db).interruptOrphans((pid) => pid !== process.pid && processAlive(pid), new Date().toISOString());
    await new StepCache(paths.pipelineCache).sweep();
    const service = new CairnService(options, paths, db);
    // The catch-up runs in the background: the app opens at once and alerts arrive as events.
    if (options.monitor ?? options.host !== 'cli') service.monitor.start().catch(() => undefined);
    return service;
  }

  get home(): string {
    return this.paths.home;
  }

  /** Validates and dispatches one call; never throws. */
  async call(method: string, arg: unknown): Promise<CallReply<MethodName>> {
    try {
      if (!isMethodName(method)) throw new CairnError('invalid_argument', `unknown method "${method}"`);
      const parsed = methods[method].input.safeParse(arg ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`);
        throw new CairnError('invalid_argument', `invalid argument to ${method}: ${issues.join('; ')}`, { issues });
      }
      const handler = this.handlers[method] as (a: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      return { ok: true, result: result as MethodResult<MethodName> };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  /** Direct typed access for in-process callers (CLI); throws CairnError. */
  async invoke<M extends MethodName>(method: M, arg: unknown): Promise<MethodResult<M>> {
    const reply = await this.call(method, arg);
    if (!reply.ok) throw new CairnError(reply.error.code, reply.error.message, reply.error.details);
    return reply.result as MethodResult<M>;
  }

  /**
   * Re-resolves every endpoint's model references and hot-swaps what changed: call after an
   * alias moves or a version is added.
   */
  async refreshEndpoints(): Promise<void> {
    await this.endpoints.refresh();
  }

  /** A running (or restarting) endpoint by id. */
  private endpoint(id: string): Endpoint {
    const found = this.endpoints.list().find((e) => e.id === id);
    if (!found) throw new CairnError('not_found', `no endpoint ${id} (it may have stopped)`);
    return found;
  }

  /** Says a model changed, and hot-swaps endpoints whose versions an alias move or a new version changed. */
  private modelChanged(name: string): void {
    this.events.emit('model.changed', { name });
    // A failed swap keeps the previous versions serving and says so in an endpoint.status event.
    this.endpoints.refresh().catch(() => undefined);
  }

  async close(): Promise<void> {
    // Pipeline runs first: cancelling them cancels the training runs they wait on.
    await this.pipelineRunner.closeAll();
    this.closing = true;
    // Stops judging rules at once; settles after retrains under way record their decisions.
    const monitorClosed = this.monitor.close();
    await this.endpoints.closeAll();
    const now = new Date().toISOString();
    for (const q of this.queue.splice(0)) {
      this.runs.markEnded(
        q.runId,
        'interrupted',
        { code: 'cancelled', message: 'The app closed before this run started.' },
        now,
      );
      q.settle({ error: new CairnError('cancelled', 'The app closed before this run started.') });
    }
    this.active?.cancel?.();
    await this.activeDone;
    this.jobs.cancelAll();
    await monitorClosed;
    if (this.duck) {
      const { instance, conn } = await this.duck;
      conn.closeSync();
      instance.closeSync();
    }
    this.db.close();
  }

  private connection(): Promise<DuckDBConnection> {
    this.duck ??= openDuck({ tempDir: path.join(this.paths.work, 'duck-spill') });
    return this.duck.then((d) => d.conn);
  }

  /** A DuckDB connection of the caller's own to the shared instance (for work that streams or runs beside other calls); the caller closes it. */
  private async ownConnection(): Promise<DuckDBConnection> {
    await this.connection();
    const duck = await (this.duck as NonNullable<typeof this.duck>);
    return duck.instance.connect();
  }

  private version(versionId: string): StoredVersion {
    const v = this.repo.version(versionId);
    if (!v) throw new CairnError('not_found', `no dataset version with id ${versionId}`);
    return v;
  }

  private dataFile(v: StoredVersion): string {
    return path.join(this.paths.home, v.dataFile);
  }

  private readonly handlers: Handlers = {
    'app.info': async () => {
      // TensorFlow.js is loaded only when asked about: it costs the CLI a second at start.
      const { selectBackend, tfjsVersion } = await import('./training/backend.js');
      const backend = await selectBackend();
      const electron = electronBinary();
      const conn = await this.connection();
      const duckdb = (await conn.runAndReadAll('SELECT version()::VARCHAR')).getRowsJson()[0]?.[0];
      const sqlite = (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      const versions: Record<string, string> = {
        cairn: cairnVersion(),
        node: process.versions.node,
        tfjs: tfjsVersion(),
        duckdb: typeof duckdb === 'string' ? duckdb : 'unknown',
        sqlite,
      };
      if (process.versions.electron) versions.electron = process.versions.electron;
      const betterSqlite = packageVersion('better-sqlite3');
      if (betterSqlite) versions['better-sqlite3'] = betterSqlite;
      return {
        version: cairnVersion(),
        home: this.paths.home,
        backend,
        electron: electron.version ? { present: electron.present, version: electron.version } : { present: false },
        versions,
        host: this.options.host,
      };
    },

    'datasets.list': async () => this.repo.list(),

    'datasets.get': async ({ ref, version }) => {
      const wanted = this.resolveVersion(ref, version);
      const found = this.repo.find(wanted.datasetId);
      if (!found) throw new CairnError('not_found', `no dataset named or with id "${ref}"`);
      return {
        dataset: found,
        versions: this.repo.versions(found.id).map(publicVersion),
        version: publicVersion(wanted),
        columns: this.repo.profile(wanted.id),
      };
    },

    'datasets.rows': async (q) => {
      const v = this.version(q.versionId);
      const conn = await this.connection();
      // Reading many columns at once needs buffers per column; wide tables get room for them.
      await conn.run(`SET memory_limit = '${memoryLimitFor(q.columns?.length ?? v.columns)}'`);
      return readRows(conn, {
        dataFile: this.dataFile(v),
        columns: this.repo.profile(v.id),
        offset: q.offset,
        limit: q.limit,
        sort: q.sort,
        filters: q.filters,
        select: q.columns,
      });
    },

    'datasets.setColumnType': async ({ versionId, column, type }) => {
      const v = this.version(versionId);
      const current = this.repo.profile(v.id).find((c) => c.name === column);
      if (!current) throw new CairnError('invalid_argument', `dataset version has no column "${column}"`);
      const [profile] = await profileColumns(await this.connection(), `read_parquet(${literal(this.dataFile(v))})`, [
        { name: column, storageType: current.storageType, type },
      ]);
      if (!profile) throw new Error('profile missing');
      const corrected = { ...profile, inferredType: current.inferredType };
      this.repo.setColumnOverride(v.id, corrected, new Date().toISOString());
      return corrected;
    },

    'datasets.import': async (req) => this.startImport(await this.readableImport(req)),

    'samples.list': async () => SAMPLES.map(({ file: _file, ...info }) => info),

    'samples.import': async ({ id }) =>
      this.startImport({ path: samplePath(id), name: id, badRows: 'fail', removeSourceAfter: false }),

    'datasets.importNow': async (req) =>
      this.runImport(await this.readableImport(req), randomUUID(), (p) => this.events.emit('job.progress', p)),

    'models.predictFile': async (req) => this.predictFile(req),
    'models.list': async () => this.registry.list(),
    'models.get': async ({ name }) => this.registry.get(name),
    'models.card': async (ref) => this.registry.card(ref),
    'models.setAlias': async ({ name, alias, version, reason }) => this.registry.setAlias(name, alias, version, reason),
    'models.removeAlias': async ({ name, alias, reason }) => this.registry.removeAlias(name, alias, reason),
    'models.rollbackAlias': async ({ name, alias, reason }) => this.registry.rollbackAlias(name, alias, reason),
    'models.updateVersion': async ({ name, version, ...patch }) => this.registry.updateVersion(name, version, patch),
    'models.deleteVersion': async ({ name, version }) => this.registry.deleteVersion(name, version),
    'models.export': async ({ out, overwrite, ...ref }) =>
      this.registry.exportVersion(ref, await this.files.writable(out, { overwrite })),
    'models.import': async (req) => {
      const file = await this.files.readable(req.path);
      try {
        return await this.registry.importBundle(file, req.name);
      } finally {
        if (req.removeSourceAfter) await this.removeUpload(file);
      }
    },

    'jobs.cancel': async ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),

    'endpoints.list': async () => this.endpoints.list(),

    'endpoints.start': async (req) => this.endpoints.start(req),

    'endpoints.stop': async ({ endpointId }) => ({ stopped: await this.endpoints.stop(endpointId) }),

    'endpoints.stats': async ({ endpointId, windowSeconds, bucketSeconds }) =>
      endpointStats(
        (from, to, bucketMs) => this.endpoints.traffic(endpointId, from, to, bucketMs),
        this.endpoint(endpointId),
        { windowSeconds, ...(bucketSeconds ? { bucketSeconds } : {}) },
      ),

    'endpoints.testPredict': async (req) => testPredict(this.endpoint(req.endpointId), req),

    'pipelines.list': async () => this.pipelines.list(),
    'pipelines.get': async (arg) => this.pipelines.get(arg),
    'pipelines.save': async (arg) => this.pipelines.save(arg),
    'pipelines.validate': async ({ spec }) => ({ issues: this.pipelines.validate(spec) }),
    'pipelines.delete': async ({ id }) => ({ deleted: this.pipelines.delete(id) }),
    'pipelines.templates': async () => this.pipelines.templates(),
    'pipelines.fromTemplate': async (req) => this.pipelines.fromTemplate(req),
    'pipelines.run': async (arg) => this.pipelines.run(arg),
    'pipelines.runFile': async ({ path: file }) => this.pipelines.runFile(await this.files.readable(file)),
    'pipelines.cancel': async ({ runId }) => ({ cancelled: this.pipelines.cancel(runId) }),
    'pipelines.runs': async ({ pipelineId }) => this.pipelines.runs(pipelineId),
    'pipelines.runGet': async ({ runId }) => this.pipelines.runGet(runId),
    'monitoring.models': () => this.monitor.models(),
    'monitoring.overview': async (req) => this.monitor.overview(req),
    'monitoring.feedback': async ({ model, items }) => this.monitor.feedback(model, items),
    'monitoring.feedbackCsv': async (req) =>
      this.monitor.feedbackCsv(req.path === undefined ? req : { ...req, path: await this.files.readable(req.path) }),
    'monitoring.rules.list': async ({ model }) => this.monitor.rules(model),
    'monitoring.rules.save': async (rule) => this.monitor.saveRule(rule),
    'monitoring.rules.delete': async ({ id }) => ({ deleted: this.monitor.deleteRule(id) }),
    'monitoring.alerts': async (q) => this.monitor.repo.alerts(q),
    'monitoring.retrainPolicy.get': async ({ model }) => this.monitor.policy(model),
    'monitoring.retrainPolicy.set': async (policy) => this.monitor.setPolicy(policy),
    'monitoring.retrain': async ({ model }) => {
      const handle = await this.monitor.retrain(model, 'manual', 'asked for in the app');
      if (!handle.runId) throw new CairnError('invalid_argument', (await handle.decided).reason);
      return {
        model: this.monitor.policy(model).model,
        runId: handle.runId,
        trigger: 'manual' as const,
        championVersion: handle.championVersion,
      };
    },
    'monitoring.retrainNow': async ({ model }) => this.monitor.retrainNow(model),
    'monitoring.decisions': async (q) => this.monitor.repo.decisions(q),

    'runs.start': async (req) => {
      const q = this.enqueueRun(req);
      // startNow's caller awaits `ended`; here nobody does, and a failure is already recorded.
      q.ended.catch(() => undefined);
      return { runId: q.runId, jobId: q.jobId };
    },

    'runs.startNow': async (req) => this.enqueueRun(req).ended,

    'runs.list': async () => this.runs.list(),

    'runs.get': async ({ runId }) => this.run(runId),

    'runs.cancel': async ({ runId }) => {
      this.run(runId);
      const at = this.queue.findIndex((q) => q.runId === runId);
      if (at >= 0) {
        const [q] = this.queue.splice(at, 1) as [QueuedRun];
        const error = { code: 'cancelled' as const, message: 'The run was cancelled before it started.' };
        this.runs.markEnded(runId, 'cancelled', error, new Date().toISOString());
        this.events.emit('run.finished', { runId, status: 'cancelled', error });
        q.settle({ error: new CairnError(error.code, error.message) });
        return { cancelled: true };
      }
      if (this.active?.runId === runId && this.active.cancel) {
        this.active.cancel();
        return { cancelled: true };
      }
      return { cancelled: false };
    },
  };

  private run(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new CairnError('not_found', `no run with id ${runId}`);
    if (run.status === 'running' && this.active?.runId === runId) return { ...run, history: [...this.active.history] };
    return run;
  }

  /** The stored version a dataset reference (name, id or version id) and optional version number mean. */
  private resolveVersion(ref: string, version?: number): StoredVersion {
    const dataset = this.repo.find(ref);
    const byVersionId = dataset ? undefined : this.repo.version(ref);
    const found = dataset ?? (byVersionId ? this.repo.find(byVersionId.datasetId) : undefined);
    if (!found) throw new CairnError('not_found', `no dataset named or with id "${ref}"`);
    if (byVersionId) return byVersionId;
    const versions = this.repo.versions(found.id);
    const wanted = version === undefined ? versions[0] : versions.find((v) => v.version === version);
    if (!wanted) throw new CairnError('not_found', `dataset "${found.name}" has no version ${String(version)}`);
    return wanted;
  }

  /** Records a queued run and puts it at the back of the host's FIFO: one run trains at a time. */
  private enqueueRun(req: MethodArg<'runs.start'>): QueuedRun {
    if (this.closing) throw new CairnError('cancelled', 'Cairn is closing');
    const v = this.resolveVersion(req.dataset, req.version);
    const dataset = this.repo.find(v.datasetId);
    const runId = randomUUID();
    const { dataset: _d, version: _v, ...params } = req;
    this.runs.create(
      {
        id: runId,
        datasetVersionId: v.id,
        target: req.target,
        task: req.task ?? null,
        modelKind: req.model,
        params: { ...params, seed: req.seed ?? DEFAULT_SEED, split: req.split ?? DEFAULT_FRACTIONS },
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
    this.events.emit('run.queued', { runId });
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
    const workDir = path.join(this.paths.work, jobId);
    let dest: string | undefined;
    try {
      this.runs.markRunning(runId, new Date().toISOString());
      this.events.emit('run.started', { runId });
      await mkdir(workDir, { recursive: true });
      const v = this.version(q.versionId);
      const handle = this.jobs.start(
        'train',
        {
          dataFile: this.dataFile(v),
          columns: this.repo.profile(v.id).map((c) => ({ name: c.name, storageType: c.storageType, type: c.type })),
          target: req.target,
          features: req.features,
          task: req.task,
          model: {
            kind: req.model,
            ...(req.hiddenLayers ? { hiddenLayers: req.hiddenLayers } : {}),
            ...(req.l2 !== undefined ? { l2: req.l2 } : {}),
          },
          train: {
            epochs: req.epochs,
            batchSize: req.batchSize,
            learningRate: req.learningRate,
            optimizer: req.optimizer,
            classWeight: req.classWeight,
            seed: req.seed ?? DEFAULT_SEED,
            ...(req.earlyStopping ? { earlyStopping: req.earlyStopping } : {}),
          },
          fractions: req.split,
          timeColumn: req.timeColumn,
          splitColumn: req.splitColumn,
          workDir,
        },
        (p) => {
          q.history.push({ epoch: p.epoch, logs: p.logs });
          this.events.emit('run.progress', { runId, ...p });
        },
        jobId,
      );
      q.cancel = () => handle.cancel();
      const out: TrainOutcome = await handle.done;
      const name = this.runs.modelName(q.modelName) ?? q.modelName;
      // One save at a time picks a version number and moves its folder in (imports too).
      await this.registry.serialize(async () => {
        const version = this.registry.nextVersion(name);
        const relative = this.registry.folderFor(name, version);
        dest = path.join(this.paths.home, relative);
        await mkdir(path.dirname(dest), { recursive: true });
        // A folder left by a save whose record was never written holds nothing anyone points at.
        await rm(dest, { recursive: true, force: true });
        await rename(out.artifactDir, dest);
        await fsyncDir(path.dirname(dest));
        this.runs.succeed(
          runId,
          {
            task: out.task,
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
      this.modelChanged(name);
      this.events.emit('run.finished', { runId, status: 'succeeded' });
      q.settle({ run: this.run(runId) });
    } catch (err) {
      if (dest) await rm(dest, { recursive: true, force: true });
      const error = toApiError(err);
      const status = this.closing ? 'interrupted' : error.code === 'cancelled' ? 'cancelled' : 'failed';
      // The curves up to the failure stay with the run: they often show why it failed.
      this.runs.markEnded(runId, status, error, new Date().toISOString(), q.history);
      this.events.emit('run.finished', { runId, status, error });
      q.settle({ error: new CairnError(error.code, error.message, error.details) });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** What pipeline steps use of the engine: data, the run queue, the registry and endpoints. */
  private pipelineHost(): PipelineHost {
    const resolved = (v: StoredVersion): ResolvedDataset => ({
      name: this.repo.find(v.datasetId)?.name ?? v.datasetId,
      version: v.version,
      versionId: v.id,
      contentHash: v.contentHash,
      file: this.dataFile(v),
    });
    const quietly = <T>(fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (err) {
        if (err instanceof CairnError && err.code === 'not_found') return undefined;
        throw err;
      }
    };
    return {
      connect: () => this.ownConnection(),
      findDataset: (ref, version) => quietly(() => resolved(this.resolveVersion(ref, version))),
      sourceFile: (ref, baseDir) => this.files.pipelineFile(ref, baseDir),
      importFile: async (file, name) => {
        const r = await this.runImport(
          { path: file, name, badRows: 'fail', removeSourceAfter: false },
          randomUUID(),
          () => undefined,
        );
        return resolved(this.version(r.versionId));
      },
      train: async (req, hooks, signal) => {
        signal.throwIfAborted();
        const q = this.enqueueRun(methods['runs.start'].input.parse(req));
        const unsubscribe = this.events.subscribe((event, payload) => {
          if (event === 'run.started' && (payload as { runId: string }).runId === q.runId) hooks.started(q.runId);
          if (event === 'run.progress' && (payload as RunProgress).runId === q.runId)
            hooks.progress(payload as RunProgress);
        });
        const cancel = () => void this.handlers['runs.cancel']({ runId: q.runId });
        signal.addEventListener('abort', cancel);
        try {
          return await q.ended;
        } finally {
          signal.removeEventListener('abort', cancel);
          unsubscribe();
        }
      },
      modelFiles: (name, version) =>
        quietly(() => {
          const v = this.registry.resolve({ name, version });
          return { dir: this.registry.dirOf(v), sha256: v.sha256 };
        }),
      aliasVersion: (name, alias) => quietly(() => this.registry.resolve({ name, alias }).version),
      setAlias: (name, alias, version, reason) => void this.registry.setAlias(name, alias, version, reason),
      endpoints: () => this.endpoints.list(),
      startEndpoint: (req) => this.endpoints.start(methods['endpoints.start'].input.parse(req)),
      stopEndpoint: async (id) => void (await this.endpoints.stop(id)),
      refreshEndpoints: () => this.endpoints.refresh(),
      // The same Monitor calls as the monitoring.* handlers, on inputs parsed as those handlers' are.
      alertRules: () => this.monitor.rules(),
      saveAlertRule: (rule, opts) =>
        this.monitor.saveRule(methods['monitoring.rules.save'].input.parse(rule), Date.now(), opts),
      deleteAlertRule: (id) => this.monitor.deleteRule(id),
      retrainPolicy: (model) => this.monitor.policy(model),
      setRetrainPolicy: (policy) => this.monitor.setPolicy(methods['monitoring.retrainPolicy.set'].input.parse(policy)),
      monitoringOverview: (req) => this.monitor.overview(methods['monitoring.overview'].input.parse(req)),
    };
  }

  /**
   * Scores a file with a saved model version. This runs in the host's process for now: scoring is
   * a forward pass over batches (seconds for a million rows on the CPU backend) with no training
   * state to crash, and a job kind would have to ship every prediction back over IPC for callers
   * that want them returned. Moving it into a job later needs only predictFile's options, which
   * are plain data apart from the connection and loaded model the job would make itself.
   */
  private async predictFile(req: MethodArg<'models.predictFile'>): Promise<MethodResult<'models.predictFile'>> {
    const file = await this.files.readable(req.path);
    const out = req.out === undefined ? undefined : await this.files.writable(req.out, { overwrite: req.overwrite });
    const mv = this.registry.resolve({ name: req.model, version: req.version, alias: req.alias });
    // TensorFlow.js loads only when a model is used, as for app.info.
    const { selectBackend } = await import('./training/backend.js');
    await selectBackend();
    const { loadArtifacts } = await import('./training/artifacts.js');
    const { predictFile } = await import('./training/predict-file.js');
    const artifacts = await loadArtifacts(path.join(this.paths.home, mv.dir), mv.sha256);
    // A connection of its own: the read streams while other calls use the shared one.
    const conn = await this.ownConnection();
    try {
      const r = await predictFile({ conn, file, artifacts, out });
      return { model: { name: mv.name, version: mv.version }, ...r };
    } finally {
      conn.closeSync();
      artifacts.model.dispose();
    }
  }

  /** An import request with its path checked by the host's policy and resolved (a desktop handle becomes its file). */
  private async readableImport(req: MethodArg<'datasets.import'>): Promise<MethodArg<'datasets.import'>> {
    return { ...req, path: await this.files.readable(req.path) };
  }

  /**
   * Writes a version's bundle into the work folder for a host that hands outputs out as downloads
   * (the browser host); the host streams `file` and then calls `remove`. Not a call of the
   * contract: no path crosses it.
   */
  async exportForDownload(ref: Omit<MethodArg<'models.export'>, 'out' | 'overwrite'>): Promise<{
    file: string;
    fileName: string;
    bytes: number;
    remove: () => Promise<void>;
  }> {
    const v = this.registry.resolve(ref);
    const folder = path.join(this.paths.work, `download-${randomUUID()}`);
    await mkdir(folder, { recursive: true });
    const remove = () => rm(folder, { recursive: true, force: true });
    try {
      const fileName = `${v.name}-v${v.version}.zip`;
      const written = await this.registry.exportVersion(ref, {
        path: path.join(folder, 'bundle.zip'),
        overwrite: false,
      });
      return { file: written.path, fileName, bytes: written.bytes, remove };
    } catch (err) {
      await remove();
      throw err;
    }
  }

  /** Deletes an uploaded temporary file and its per-upload folder; never a file outside uploads/. */
  private async removeUpload(file: string): Promise<void> {
    const resolved = path.resolve(file);
    const uploads = path.resolve(this.paths.uploads);
    if (!resolved.startsWith(uploads + path.sep)) return;
    await rm(resolved, { force: true });
    const folder = path.dirname(resolved);
    if (folder !== uploads) await rm(folder, { recursive: true, force: true });
  }

  /** Starts an import job and answers at once; progress and the outcome arrive as job.* events. */
  private startImport(req: MethodArg<'datasets.import'>): MethodResult<'datasets.import'> {
    const jobId = randomUUID();
    const label = `Import ${path.basename(req.originalName ?? req.path)}`;
    this.events.emit('job.started', { jobId, kind: 'import', label });
    this.runImport(req, jobId, (p) => this.events.emit('job.progress', p)).then(
      (result) => this.events.emit('job.finished', { jobId, kind: 'import', status: 'succeeded', result }),
      (err: unknown) => {
        const error = toApiError(err);
        const status = error.code === 'cancelled' ? 'cancelled' : 'failed';
        this.events.emit('job.finished', { jobId, kind: 'import', status, error });
      },
    );
    return { jobId, kind: 'import', label };
  }

  /** Runs an import job and, on success, moves its Parquet file into place and records the version. */
  private async runImport(
    req: MethodArg<'datasets.import'>,
    jobId: string,
    onProgress: (p: JobProgress) => void,
  ): Promise<ImportResult> {
    const name = req.name?.trim() || datasetNameFromPath(req.originalName ?? req.path);
    const workDir = path.join(this.paths.work, jobId);
    try {
      await mkdir(workDir, { recursive: true });
      const handle = this.jobs.start(
        'import',
        {
          path: path.resolve(req.path),
          badRows: req.badRows,
          knownHashes: Object.fromEntries(this.repo.hashesByName(name)),
          workDir,
        },
        (p) => onProgress({ ...p, jobId, kind: 'import' }),
        jobId,
      );
      const out = await handle.done;
      if (out.kind === 'unchanged') {
        const v = this.version(out.versionId);
        return {
          datasetId: v.datasetId,
          versionId: v.id,
          name,
          version: v.version,
          rows: v.rows,
          created: false,
          skippedRows: v.skippedRows,
          columns: this.repo.profile(v.id),
          warnings: v.warnings,
        };
      }
      const datasetId = this.repo.find(name)?.id ?? randomUUID();
      const versionId = randomUUID();
      const relative = path.join('datasets', datasetId, `${versionId}.parquet`);
      const dest = path.join(this.paths.home, relative);
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(out.dataFile, dest);
      await fsyncDir(path.dirname(dest));
      let stored: StoredVersion;
      try {
        stored = this.repo.addVersion(
          name,
          {
            id: versionId,
            datasetId,
            contentHash: out.sha256,
            sourcePath: req.originalName ?? path.resolve(req.path),
            sourceFormat: out.format,
            sizeBytes: out.sizeBytes,
            rows: out.rows,
            skippedRows: out.skippedRows,
            dataFile: relative,
            profile: out.columns,
            warnings: out.warnings,
          },
          new Date().toISOString(),
        );
      } catch (err) {
        await rm(dest, { force: true });
        throw err;
      }
      return {
        datasetId: stored.datasetId,
        versionId: stored.id,
        name,
        version: stored.version,
        rows: stored.rows,
        created: true,
        skippedRows: stored.skippedRows,
        columns: out.columns,
        warnings: out.warnings,
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
      if (req.removeSourceAfter) await this.removeUpload(req.path);
    }
  }
}

function publicVersion(v: StoredVersion) {
  const { dataFile: _dataFile, ...rest } = v;
  return rest;
}
