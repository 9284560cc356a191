// Implements the contract in shared/api.ts on top of the core modules. Every host (Electron main,
// the web host, the CLI) holds one CairnService and routes calls through `call`, which validates
// the argument, runs the handler and returns the reply envelope: errors as data, never stacks.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  Explanation,
  PICTURES_UNEXPLAINED,
  type ColumnProfile,
  type ColumnType,
  type ExportFormat,
  type RowExplanation,
  isMethodName,
  methods,
  type CallReply,
  type Endpoint,
  type MethodArg,
  type MethodInput,
  type MethodName,
  type MethodResult,
  type Run,
  type RunProgress,
  type Sweep,
  type SweepProgress,
} from '../../shared/api.js';
import { RunsRepo } from './db/runs-repo.js';
import { fieldArg, metricFieldsArg, parseQueryArg } from './db/run-query-sql.js';
import { DatasetsRepo, type StoredVersion } from './db/datasets-repo.js';
import { openDb, type Db } from './db/open.js';
import { literal, memoryLimitFor, openDuck } from './datasets/duck.js';
import { profileColumns } from './datasets/profile.js';
import { readRows } from './datasets/rows.js';
import { imagesPage, profileImages } from './datasets/images/image-queries.js';
import { thumbnailForUrl, thumbnailUrl } from './datasets/images/image-store.js';
import { StagedPictures } from './datasets/images/staged-pictures.js';
import { predictionsPage, readImagePredictions, type PredictionsCache } from './registry/image-predictions.js';
import { DatasetImports } from './datasets/dataset-imports.js';
import { cairnVersion, electronBinary, packageVersion } from './environment.js';
import { CairnError, toApiError } from './errors.js';
import { EventBus } from './events.js';
import { forkSpawner } from './jobs/fork-spawner.js';
import { JobRunner } from './jobs/job-runner.js';
import { RunQueue } from './jobs/run-queue.js';
import type { MachineFigures } from './sweeps/trial-memory.js';
import { SweepsRepo } from './db/sweeps-repo.js';
import { promoteBest } from './sweeps/promote-best.js';
import { sweepImportance } from './sweeps/sweep-importance.js';
import { startAndFollow, type FollowSweepDeps } from './sweeps/follow-sweep.js';
import { SweepRunner } from './sweeps/sweep-runner.js';
import type { SpawnJobProcess } from './jobs/protocol.js';
import { defaultFileAccess, type FileAccess, type WriteTarget } from './file-access.js';
import { claimWorkFolder, releaseWorkFolder } from './work-folders.js';
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
import { ModelMonitor } from './monitoring/model-monitor.js';
import { SourcesRepo } from './db/sources-repo.js';
import { FileSecretStore, type SecretStore } from './secrets/secret-store.js';
import { Sources } from './sources/sources.js';
import { SourceSchedules } from './sources/source-schedules.js';
import { FleetSettingsRepo } from './db/fleet-settings-repo.js';
import { Fleet } from './fleet/fleet.js';

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
  /** Cores and memory as a sweep's parallel check reads them: the os module's unless a test injects figures. */
  machine?: () => MachineFigures;
  /** Milliseconds now, as a sweep's time budget reads them: Date.now unless a test injects a clock. */
  clock?: () => number;
  /**
   * Where sources' passwords are kept: the desktop app passes one sealed with safeStorage; by
   * default a 0600 JSON file in the data folder (core/secrets/).
   */
  secrets?: SecretStore;
  /** Connect / first-byte deadline of a source's reads in ms (core/sources/sources.ts's default unless a test shortens it). */
  sourceTimeoutMs?: number;
}

type Handlers = { [M in MethodName]: (arg: MethodArg<M>) => Promise<MethodResult<M>> };

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
export { datasetNameFromPath } from './datasets/dataset-imports.js';

export class CairnService {
  readonly events = new EventBus();
  private readonly repo: DatasetsRepo;
  private readonly jobs: JobRunner;
  private readonly runs: RunsRepo;
  /** Models, versions and aliases; hosts that serve endpoints set its isServed. */
  readonly registry: ModelRegistry;
  private readonly runQueue: RunQueue;
  private readonly sweeps: SweepRunner;
  private readonly imports: DatasetImports;
  private duck?: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }>;
  private readonly endpoints: EndpointSupervisor;
  private readonly pipelineRunner: PipelineRunner;
  private readonly pipelines: Pipelines;
  /** Monitoring: overviews, feedback, alert rules and retraining. */
  readonly monitor: ModelMonitor;
  /** The worker fleet: its connection, where work runs, and the route runs take to it. */
  private readonly fleet: Fleet;
  /** The host's policy for paths that arrive through calls; the service's own files skip it. */
  private readonly files: FileAccess;
  /** Camera pictures waiting for datasets.addPictures. */
  private readonly staged: StagedPictures;
  private readonly predictionsCache: PredictionsCache = {};
  /** Data sources: saved connections that refresh into datasets. */
  private readonly sources: Sources;
  private readonly schedules: SourceSchedules;
  /** Alert rules and source schedules run on timers (the app, `cairn ui`), not in the CLI's short calls. */
  private readonly background: boolean;

  private constructor(
    private readonly options: ServiceOptions,
    private readonly paths: Layout,
    private readonly db: Db,
  ) {
    this.repo = new DatasetsRepo(db);
    this.files = options.files ?? defaultFileAccess(options.host, paths.uploads);
    this.staged = new StagedPictures(path.join(paths.work, 'camera'));
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
    this.imports = new DatasetImports({
      datasets: this.repo,
      jobs: this.jobs,
      events: this.events,
      paths,
      version: (id) => this.version(id),
    });
    // One store for every owner of secrets: its writes are serialised within the instance.
    const secrets = options.secrets ?? new FileSecretStore(paths.secrets);
    this.fleet = new Fleet({
      settings: new FleetSettingsRepo(db),
      secrets,
      events: this.events,
      connected: () => this.runQueue.adoptFleetRuns(),
    });
    this.runQueue = new RunQueue({
      runs: this.runs,
      datasets: this.repo,
      jobs: this.jobs,
      registry: this.registry,
      events: this.events,
      paths,
      resolveVersion: (ref, version) => this.resolveVersion(ref, version),
      version: (id) => this.version(id),
      dataFile: (v) => this.dataFile(v),
      modelChanged: (name) => this.modelChanged(name),
      fleet: this.fleet,
    });
    this.sweeps = new SweepRunner({
      sweeps: new SweepsRepo(db),
      events: this.events,
      resolveVersion: (ref, version) => this.resolveVersion(ref, version),
      profile: (versionId) => this.repo.profile(versionId),
      datasetName: (datasetId) => this.repo.find(datasetId)?.name ?? datasetId,
      enqueue: (req, options) => this.runQueue.enqueue(req, options),
      cancelRun: (runId) => this.runQueue.cancel(runId),
      getRun: (runId) => this.runQueue.get(runId),
      followRun: (runId) => this.runQueue.followed(runId),
      widen: (extra) => this.runQueue.widen(extra),
      explainRun: (runId, req) => this.runQueue.explain(runId, req),
      onFleet: (where) => this.fleet.placeFor(where) === 'fleet',
      ...(options.machine ? { machine: options.machine } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
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
    this.background = options.monitor ?? options.host !== 'cli';
    const sourcesRepo = new SourcesRepo(db);
    this.sources = new Sources({
      repo: sourcesRepo,
      datasets: this.repo,
      secrets,
      events: this.events,
      workDir: paths.work,
      importFile: (file, name, originalName, signal) => this.importForSource(file, name, originalName, signal),
      // The retrain trigger "new version of the training dataset" looks at once rather than at its next round.
      versionAdded: () => void (this.background ? this.monitor.tick() : undefined),
      scheduleChanged: () => this.schedules.reload(),
      readablePath: (given) => this.files.readable(given),
      ...(options.sourceTimeoutMs ? { timeoutMs: options.sourceTimeoutMs } : {}),
    });
    this.schedules = new SourceSchedules({
      scheduled: () => this.sources.scheduled(),
      isRefreshing: (id) => this.sources.isRefreshing(id),
      lastRefreshAt: (id) => sourcesRepo.refreshes(id, 1)[0]?.startedAt,
      refresh: (name, trigger) => this.sources.refresh(name, trigger),
    });
    this.monitor = new ModelMonitor({
      db,
      registry: this.registry,
      datasets: this.repo,
      paths,
      events: this.events,
      connect: () => this.ownConnection(),
      startRun: (req) => {
        const q = this.runQueue.enqueue(methods['runs.start'].input.parse(req));
        return { runId: q.runId, ended: q.ended };
      },
      startSweep: async (req) => {
        const { started, ended } = await startAndFollow(
          this.followSweepDeps(),
          methods['sweeps.start'].input.parse(req),
        );
        return { sweepId: started.id, ended: ended.then((r) => r.best) };
      },
      // Retraining imports a file it wrote in the work folder: internal, so the host's file policy does not apply.
      importNow: (req) =>
        this.imports.run(methods['datasets.importNow'].input.parse(req), randomUUID(), (p) =>
          this.events.emit('job.progress', p),
        ),
      pipelineTable: (runId, dataset) => this.pipelineRunner.trainingTable(runId, dataset),
    });
  }

  /** Opens (creating if needed) the data folder and app.db. */
  static async open(options: ServiceOptions): Promise<CairnService> {
    const shared = layout(options.home);
    await mkdir(shared.datasets, { recursive: true });
    // This process's own work folder: other processes on this data folder keep theirs.
    const paths = { ...shared, work: await claimWorkFolder(shared.work, processAlive) };
    const db = openDb(paths.db);
    // Runs whose host died (a crash, a killed CLI) can never finish: say so, once, at the next open.
    new RunsRepo(db).interruptOrphans((pid) => pid !== process.pid && processAlive(pid), new Date().toISOString());
    new SweepsRepo(db).interruptOrphans((pid) => pid !== process.pid && processAlive(pid), new Date().toISOString());
    new PipelinesRepo(db).interruptOrphans((pid) => pid !== process.pid && processAlive(pid), new Date().toISOString());
    new SourcesRepo(db).interruptOrphans((pid) => pid !== process.pid && processAlive(pid), new Date().toISOString());
    await new StepCache(paths.pipelineCache).sweep();
    const service = new CairnService(options, paths, db);
    // The catch-up runs in the background: the app opens at once and alerts arrive as events.
    if (service.background) {
      service.monitor.start().catch(() => undefined);
      service.schedules.start();
    }
    // A remembered fleet connects in the background too; the CLI connects only when told (--queue).
    if (options.host !== 'cli') void service.fleet.reopen();
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

  /**
   * Starts the process of a training job the caller is about to ask for, so TensorFlow.js loads
   * while the caller does something else first (the CLI's import of the file it trains on). Ended
   * at close() if no run comes.
   */
  prepareTraining(): void {
    this.jobs.prepare('train');
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
    // Source refreshes are cancelled (recorded as such) before the import jobs they wait on stop.
    await this.schedules.close();
    await this.sources.close();
    // Sweeps first too: no trial starts, and the one training is recorded as interrupted.
    this.sweeps.beginClose();
    this.runQueue.beginClose();
    // Runs on the fleet stop being waited for (they go on there and are taken in at the next connect).
    await this.fleet.close();
    // Stops judging rules at once; settles after retrains under way record their decisions.
    const monitorClosed = this.monitor.close();
    await this.endpoints.closeAll();
    await this.runQueue.close();
    await this.sweeps.close();
    this.jobs.cancelAll();
    await monitorClosed;
    if (this.duck) {
      const { instance, conn } = await this.duck;
      conn.closeSync();
      instance.closeSync();
    }
    this.db.close();
    await releaseWorkFolder(this.paths.work);
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

  /** A column's profile read as `type` (what a type correction would store), not stored. */
  private async profileAs(versionId: string, column: string, type: ColumnType): Promise<ColumnProfile> {
    const v = this.version(versionId);
    const current = this.repo.profile(v.id).find((c) => c.name === column);
    if (!current) throw new CairnError('invalid_argument', `dataset version has no column "${column}"`);
    const [profile] = await profileColumns(await this.connection(), `read_parquet(${literal(this.dataFile(v))})`, [
      { name: column, storageType: current.storageType, type },
    ]);
    if (!profile) throw new Error('profile missing');
    return { ...profile, inferredType: current.inferredType };
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

    'datasets.previewColumnType': async ({ versionId, column, type }) => this.profileAs(versionId, column, type),

    'datasets.setColumnType': async ({ versionId, column, type }) => {
      const corrected = await this.profileAs(versionId, column, type);
      this.repo.setColumnOverride(versionId, corrected, new Date().toISOString());
      return corrected;
    },

    'datasets.import': async (req) => this.imports.start(await this.readableImport(req)),

    'datasets.imageProfile': async ({ versionId }) =>
      profileImages(await this.connection(), this.dataFile(this.imageVersion(versionId)), versionId),

    'datasets.images': async (q) => {
      const v = this.imageVersion(q.versionId);
      return imagesPage(await this.connection(), this.dataFile(v), v.datasetId, {
        label: q.label,
        offset: q.offset,
        limit: q.limit,
      });
    },

    'datasets.stagePicture': async ({ data, name }) => this.staged.stage(Buffer.from(data, 'base64'), name),

    'datasets.discardPictures': async ({ staged }) => {
      await this.staged.remove(staged);
      return { discarded: staged.length };
    },

    'datasets.addPictures': async ({ versionId, pictures }) => {
      const base = this.imageVersion(versionId);
      const files = this.staged.files(pictures.map((p) => p.staged));
      const added = pictures.map((p, i) => {
        const f = files[i] as (typeof files)[number];
        return { path: f.file, file: `camera/${f.name}`, label: p.label.normalize('NFC') };
      });
      const result = await this.imports.append(base, added, (p) => this.events.emit('job.progress', p));
      await this.staged.remove(pictures.map((p) => p.staged));
      return result;
    },

    'samples.list': async () => SAMPLES.map(({ file: _file, ...info }) => info),

    'samples.import': async ({ id }) =>
      this.imports.start({ path: samplePath(id), name: id, badRows: 'fail', removeSourceAfter: false }),

    'datasets.importNow': async (req) =>
      this.imports.run(await this.readableImport(req), randomUUID(), (p) => this.events.emit('job.progress', p)),

    'models.predictFile': async (req) => this.predictFile(req),
    'models.list': async () => this.registry.list(),
    'models.get': async ({ name }) => this.registry.get(name),
    'models.card': async (ref) => this.registry.card(ref),
    'models.explain': async (req) => this.explain(req),
    'models.setAlias': async ({ name, alias, version, reason }) => this.registry.setAlias(name, alias, version, reason),
    'models.removeAlias': async ({ name, alias, reason }) => this.registry.removeAlias(name, alias, reason),
    'models.rollbackAlias': async ({ name, alias, reason }) => this.registry.rollbackAlias(name, alias, reason),
    'models.updateVersion': async ({ name, version, ...patch }) => this.registry.updateVersion(name, version, patch),
    'models.deleteVersion': async ({ name, version }) => this.registry.deleteVersion(name, version),
    'models.export': async ({ out, overwrite, format, ...ref }) =>
      this.exportVersion(ref, format, await this.files.writable(out, { overwrite })),
    'models.import': async (req) => {
      const file = await this.files.readable(req.path);
      try {
        return await this.registry.importBundle(file, req.name);
      } finally {
        if (req.removeSourceAfter) await this.imports.removeUpload(file);
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
    'monitoring.deliveries': async (q) => this.monitor.webhookDeliveries(q),
    'monitoring.webhooks.test': async (req) => this.monitor.testWebhook(req),
    'monitoring.retrainPolicy.get': async ({ model }) => this.monitor.policy(model),
    'monitoring.retrainPolicy.set': async (policy) => this.monitor.setPolicy(policy),
    'monitoring.retrainPlan': async ({ model }) => this.monitor.retrainPlan(model),
    'monitoring.retrain': async ({ model, force }) => {
      const handle = await this.monitor.retrain(model, 'manual', 'asked for in the app', force);
      if (!handle.runId && !handle.sweepId) throw new CairnError('invalid_argument', (await handle.decided).reason);
      return {
        model: this.monitor.policy(model).model,
        runId: handle.runId,
        sweepId: handle.sweepId,
        trigger: 'manual' as const,
        championVersion: handle.championVersion,
      };
    },
    'monitoring.retrainNow': async ({ model, force }) => this.monitor.retrainNow(model, force),
    'monitoring.decisions': async (q) => this.monitor.repo.decisions(q),

    'sources.list': async () => this.sources.list(),
    'sources.get': async ({ name }) => this.sources.get(name),
    'sources.add': async (req) => this.sources.add(req),
    'sources.update': async (req) => this.sources.update(req),
    'sources.remove': async ({ name }) => this.sources.remove(name),
    'sources.test': async (req) => this.sources.test(req),
    'sources.preview': async (req) => this.sources.preview(req),
    'sources.refresh': async ({ name }) => this.sources.refresh(name, 'manual'),
    'sources.history': async ({ name, limit }) => this.sources.history(name, limit),
    'sources.cancelRefresh': async ({ name }) => this.sources.cancel(name),
    'sources.checkSchedule': async ({ schedule, count }) => this.sources.checkSchedule(schedule, count),

    'runs.start': async (req) => {
      const q = this.runQueue.enqueue(req);
      // startNow's caller awaits `ended`; here nobody does, and a failure is already recorded.
      q.ended.catch(() => undefined);
      return { runId: q.runId, jobId: q.jobId };
    },

    'runs.startNow': async (req) => this.runQueue.enqueue(req).ended,

    'runs.list': async ({ query }) => this.runs.list(parseQueryArg(query)),

    'runs.groups': async ({ query, groupBy, metrics }) =>
      this.runs.groups(parseQueryArg(query), fieldArg(groupBy), metricFieldsArg(metrics)),

    'runs.get': async ({ runId }) => this.runQueue.get(runId),

    'runs.imagePredictions': async ({ runId, ...query }) => {
      const run = this.runQueue.get(runId);
      const v = run.model ? this.registry.resolve({ name: run.model.name, version: run.model.version }) : undefined;
      // Only the folder the run itself registered: a later version of the same name is another run's.
      if (!v || v.runId !== run.id)
        throw new CairnError('not_found', 'this run saved no model, so it kept no predictions per picture');
      const doc = await readImagePredictions(this.paths.models, this.registry.dirOf(v), this.predictionsCache);
      return predictionsPage(doc, query, (sha256) => thumbnailUrl(run.datasetId, sha256));
    },

    'runs.cancel': async ({ runId }) => ({ cancelled: this.runQueue.cancel(runId) }),

    'sweeps.start': async (req) => this.sweeps.start(req),
    'fleet.connect': async (req) => this.fleet.connect(req),
    'fleet.disconnect': async ({ forget }) => this.fleet.disconnect(forget),
    'fleet.status': async () => this.fleet.status(),
    'fleet.setWhere': async ({ where }) => this.fleet.setWhere(where),
    'fleet.workers': async () => this.fleet.workers(),
    'sweeps.list': async () => this.sweeps.list(),
    'sweeps.get': async ({ sweepId }) => {
      const sweep = this.sweeps.get(sweepId);
      return { ...sweep, importance: await sweepImportance(sweep) };
    },
    'sweeps.resume': async ({ sweepId, wait }) => this.sweeps.resume(sweepId, wait),
    'sweeps.cancel': async ({ sweepId }) => ({ cancelled: this.sweeps.cancel(sweepId) }),
    'sweeps.pause': async ({ sweepId }) => ({ pausing: this.sweeps.pause(sweepId) }),
    'sweeps.promote': async ({ sweepId, alias }) =>
      promoteBest(this.sweeps.get(sweepId), alias, {
        run: (runId) => this.runQueue.get(runId),
        setAlias: (name, a, version, reason) => this.registry.setAlias(name, a, version, reason),
      }),
  };

  /** A source's fetched file imported into its dataset as any file is; an abort cancels the import job. */
  private async importForSource(
    file: string,
    name: string,
    originalName: string,
    signal: AbortSignal,
  ): Promise<MethodResult<'datasets.importNow'>> {
    signal.throwIfAborted();
    const jobId = randomUUID();
    const cancel = () => void this.jobs.cancel(jobId);
    signal.addEventListener('abort', cancel);
    try {
      return await this.imports.run(
        { path: file, name, originalName, badRows: 'fail', removeSourceAfter: false },
        jobId,
        (p) => this.events.emit('job.progress', p),
      );
    } finally {
      signal.removeEventListener('abort', cancel);
    }
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

  /** What pipeline steps use of the engine: data, the run queue, the registry and endpoints. */
  private pipelineHost(): PipelineHost {
    const resolved = (v: StoredVersion): ResolvedDataset => ({
      name: this.repo.find(v.datasetId)?.name ?? v.datasetId,
      version: v.version,
      versionId: v.id,
      contentHash: v.contentHash,
      file: this.dataFile(v),
      pictures: v.images !== undefined,
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
      sourceDataset: (name) => quietly(() => this.sources.find(name).dataset),
      refreshSource: async (name, signal) => {
        signal.throwIfAborted();
        const cancel = () => void this.sources.cancel(name);
        signal.addEventListener('abort', cancel);
        try {
          await this.sources.refreshOrJoin(name, 'pipeline');
        } finally {
          signal.removeEventListener('abort', cancel);
        }
      },
      importFile: async (file, name, pipeline) => {
        const r = await this.imports.run(
          { path: file, name, badRows: 'fail', removeSourceAfter: false },
          randomUUID(),
          () => undefined,
          pipeline,
        );
        return resolved(this.version(r.versionId));
      },
      train: async (req, hooks, signal) => {
        signal.throwIfAborted();
        const q = this.runQueue.enqueue(methods['runs.start'].input.parse(req));
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
      sweep: (req, hooks, signal) => this.sweepToEnd(req, hooks, signal),
      run: (runId) => quietly(() => this.runQueue.get(runId)),
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

  /** A pipeline step's sweep (see PipelineHost.sweep): started as sweeps.start does and followed to its end; an abort cancels it. */
  private async sweepToEnd(
    req: MethodInput<'sweeps.start'>,
    hooks: { progress(p: SweepProgress): void },
    signal: AbortSignal,
  ): Promise<{ sweep: Sweep; best: Run }> {
    signal.throwIfAborted();
    const { started, ended } = await startAndFollow(
      this.followSweepDeps(),
      methods['sweeps.start'].input.parse(req),
      (p) => hooks.progress(p),
    );
    const cancel = () => void this.sweeps.cancel(started.id);
    signal.addEventListener('abort', cancel);
    try {
      const result = await ended;
      signal.throwIfAborted();
      return result;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private followSweepDeps(): FollowSweepDeps {
    return { runner: this.sweeps, events: this.events, run: (runId) => this.runQueue.get(runId) };
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
    if (artifacts.preprocess.image) {
      // A picture model reads a picture or a folder of them, not a data file.
      const { predictImages } = await import('./training/predict-images.js');
      try {
        const r = await predictImages({ path: file, artifacts, ...(out ? { out } : {}) });
        return { model: { name: mv.name, version: mv.version }, ...r };
      } finally {
        artifacts.dispose();
      }
    }
    // A connection of its own: the read streams while other calls use the shared one.
    const conn = await this.ownConnection();
    try {
      const r = await predictFile({ conn, file, artifacts, out });
      return { model: { name: mv.name, version: mv.version }, ...r };
    } finally {
      conn.closeSync();
      artifacts.dispose();
    }
  }

  /** The explanation a version's run computed on its test rows, its first `rows` test rows only. */
  private explain(req: MethodArg<'models.explain'>): MethodResult<'models.explain'> {
    const v = this.registry.resolve({ name: req.name, version: req.version, alias: req.alias });
    const run = v.runId ? this.runs.get(v.runId) : undefined;
    if (run?.modelKind === 'cnn')
      throw new CairnError(
        'not_found',
        `version ${v.version} of "${v.name}" is a picture model: ${PICTURES_UNEXPLAINED}`,
      );
    const stored = (run?.metrics as { explanation?: unknown } | null | undefined)?.explanation;
    const parsed = Explanation.safeParse(stored);
    if (!parsed.success)
      throw new CairnError(
        'not_found',
        v.runId
          ? `version ${v.version} of "${v.name}" has no explanation: its run predates explanations (train it again)`
          : `version ${v.version} of "${v.name}" was imported: explanations come from the run that trained a model`,
      );
    // Kept rows are the first test rows, then the worst errors: the first N are those numbered below N.
    const all = parsed.data.rows;
    const keep = all.map((r, i) => i).filter((i) => (all[i] as RowExplanation).row < req.rows);
    const position = new Map(keep.map((i, j) => [i, j]));
    const worst = parsed.data.worst.flatMap((i) => (position.has(i) ? [position.get(i) as number] : []));
    const rows = keep.map((i) => all[i] as RowExplanation);
    return { model: { name: v.name, version: v.version }, explanation: { ...parsed.data, rows, worst } };
  }

  /** A version of an image dataset; a table's is refused with a message that says so. */
  private imageVersion(versionId: string): StoredVersion {
    const v = this.version(versionId);
    if (!v.images) throw new CairnError('invalid_argument', 'this dataset version is a table, not pictures');
    return v;
  }

  /** An import request with its path checked by the host's policy and resolved (a desktop handle becomes its file). */
  private async readableImport(req: MethodArg<'datasets.import'>): Promise<MethodArg<'datasets.import'>> {
    return { ...req, path: await this.files.readable(req.path) };
  }

  /** A version written as a bundle or an ONNX model at a checked output. */
  private async exportVersion(
    ref: Omit<MethodArg<'models.export'>, 'out' | 'overwrite' | 'format'>,
    format: ExportFormat,
    out: WriteTarget,
  ): Promise<MethodResult<'models.export'>> {
    if (format === 'bundle') return this.registry.exportVersion(ref, out);
    const v = this.registry.resolve(ref);
    const { writeOnnx } = await import('./onnx/write-onnx.js');
    return writeOnnx({ name: v.name, version: v.version, dir: this.registry.dirOf(v), sha256: v.sha256 }, out);
  }

  /**
   * The thumbnail file a host serves at `urlPath` (datasets.images gives each picture's), or
   * undefined when the path names none: only a dataset id and a content hash pass, so no path a
   * request makes up can reach outside the datasets' thumbnails. Not a call of the contract.
   */
  thumbnailFile(urlPath: string): string | undefined {
    return thumbnailForUrl(this.paths.datasets, urlPath);
  }

  /**
   * Writes a version's bundle into the work folder for a host that hands outputs out as downloads
   * (the browser host); the host streams `file` and then calls `remove`. Not a call of the
   * contract: no path crosses it.
   */
  async exportForDownload(
    ref: Omit<MethodArg<'models.export'>, 'out' | 'overwrite' | 'format'>,
    format: ExportFormat = 'bundle',
  ): Promise<{
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
      const fileName = `${v.name}-v${v.version}.${format === 'onnx' ? 'onnx' : 'zip'}`;
      const written = await this.exportVersion(ref, format, { path: path.join(folder, fileName), overwrite: false });
      return { file: written.path, fileName, bytes: written.bytes, remove };
    } catch (err) {
      await remove();
      throw err;
    }
  }
}

function publicVersion(v: StoredVersion) {
  const { dataFile: _dataFile, ...rest } = v;
  return rest;
}
