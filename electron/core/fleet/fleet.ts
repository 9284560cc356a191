// The engine's hold on the fleet: the connection (made, remembered, made again at the next open),
// where work runs, the workers, and the route a run takes when it trains on the fleet (the run
// queue decides which runs take it). The password never goes to app.db: it holds the URL without
// it and, at most, the name of the environment variable that holds it; a password typed for a
// remembered connection is kept in the host's SecretStore (the OS keychain through safeStorage in
// the desktop app, a 0600 file for the CLI and `cairn ui`).
import path from 'node:path';
import type {
  ApiErrorShape,
  ComputeTarget,
  FleetStatus,
  FleetWorker,
  MethodArg,
  RunPlace,
  RunProgress,
} from '../../../shared/api.js';
import { FLEET_JOB_FORMAT, type FleetTrainJob, type StoredBlob } from '../../../shared/fleet/job-format.js';
import type { FleetSettingsRepo } from '../db/fleet-settings-repo.js';
import type { RunSuccess } from '../db/runs-repo.js';
import { CairnError, toApiError } from '../errors.js';
import { splitUrlSecret } from '../secrets/secret-refs.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { EventBus } from '../events.js';
import { readStoredFiles } from '../registry/stored-files.js';
import { fetchArtifact } from './artifacts.js';
import { openStore, putFile, type BlobStore } from './blob-store.js';
import { FleetClient } from './fleet-client.js';
import { maskQueueUrl, parseQueueUrl, queueUrlWithoutPassword } from './queue-url.js';

/** How often the workers are looked at while connected, to tell the UI when they change. */
const WATCH_MS = 3000;

/** A run's training as it comes back from the fleet: what the run records, and its model folder here. */
export interface FleetTrained extends RunSuccess {
  artifactDir: string;
  artifactSha256: string;
  worker: string;
}

/** A table run to train on the fleet. */
export interface FleetTrainRequest {
  runId: string;
  versionId: string;
  dataFile: string;
  request: FleetTrainJob['request'];
  columns: FleetTrainJob['columns'];
  explain: boolean;
}

export type FleetRunProgress = Omit<RunProgress, 'runId'>;

/** What the run queue uses of the fleet. */
export interface FleetRoute {
  /** Where a run asking for `where` trains now; refused when it names the fleet and none is connected. */
  placeFor(where: ComputeTarget | undefined): RunPlace;
  /** Sends a run and waits for it; the model folder is downloaded into workDir and every file checked. */
  train(
    job: FleetTrainRequest,
    workDir: string,
    onProgress: (p: FleetRunProgress, worker: string) => void,
  ): Promise<FleetTrained>;
  /** Waits for a run sent before (by a host that closed since), without sending it again. */
  attach(
    runId: string,
    workDir: string,
    onProgress: (p: FleetRunProgress, worker: string) => void,
  ): Promise<FleetTrained>;
  /** The run's end is recorded: its job leaves the queue. */
  release(runId: string): Promise<void>;
  cancel(runId: string): Promise<void>;
}

interface Connection {
  client: FleetClient;
  store: BlobStore;
  /** The URL with the password masked. */
  queue: string;
  storeUrl: string;
}

/** The SecretStore's key for a remembered connection's queue password. */
export const QUEUE_SECRET = 'fleet:queue';
/** The SecretStore's key for a remembered S3 store's secret key. */
export const STORE_SECRET = 'fleet:store';

export interface FleetDeps {
  settings: FleetSettingsRepo;
  secrets: SecretStore;
  events: EventBus;
  /** After each connect: the run queue takes in what the fleet trained while no host listened. */
  connected(): void;
}

export class Fleet implements FleetRoute {
  private conn?: Connection;
  private state: FleetStatus['state'] = 'disconnected';
  private error: ApiErrorShape | null = null;
  /** Dataset versions' files are immutable: each is hashed (and put) once per connection. */
  private blobs = new Map<string, Promise<StoredBlob>>();
  private watcher?: NodeJS.Timeout;
  private lastWorkers = '';
  /** Whether the queue's connection was up when last told, so a drop or a return is told once. */
  private linkUp = false;
  /** Where work runs for this host only: a connection not remembered (the CLI's --queue) sets it. */
  private sessionWhere?: ComputeTarget;

  constructor(private readonly deps: FleetDeps) {}

  async connect(req: MethodArg<'fleet.connect'>): Promise<FleetStatus> {
    const address = parseQueueUrl(req.queue, req);
    const store = await openStore(req.store, req.storeSecret !== undefined ? { s3Secret: req.storeSecret } : {});
    await this.disconnect(false);
    this.setState('connecting', null);
    let client: FleetClient;
    try {
      client = await FleetClient.connect(address);
    } catch (err) {
      this.setState('disconnected', toApiError(err));
      throw err;
    }
    this.conn = { client, store, queue: maskQueueUrl(req.queue), storeUrl: req.store };
    this.linkUp = true;
    client.onLinkChange(() => {
      if (this.conn?.client !== client || client.connected === this.linkUp) return;
      this.linkUp = client.connected;
      void this.status().then((s) => this.deps.events.emit('fleet.status', s));
    });
    if (req.remember) {
      // A typed password (in the URL or beside it) wins over the variable, as parseQueueUrl takes it.
      const typed = splitUrlSecret(req.queue).password ?? req.password;
      if (typed !== undefined) await this.deps.secrets.set(QUEUE_SECRET, typed);
      else await this.deps.secrets.delete(QUEUE_SECRET);
      if (req.storeSecret !== undefined) await this.deps.secrets.set(STORE_SECRET, req.storeSecret);
      else await this.deps.secrets.delete(STORE_SECRET);
      this.deps.settings.saveConnection(
        queueUrlWithoutPassword(req.queue),
        typed === undefined ? (req.passwordEnv ?? null) : null,
        req.store,
      );
    }
    if (req.where && req.remember) this.deps.settings.setWhere(req.where);
    else if (req.where) this.sessionWhere = req.where;
    this.watch();
    this.setState('connected', null);
    this.deps.connected();
    return this.status();
  }

  /** Connects with the remembered settings, if any; a failure is kept for fleet.status to tell. */
  async reopen(): Promise<void> {
    const saved = this.deps.settings.get();
    if (!saved.queueUrl || !saved.store) return;
    // A store another host sealed cannot be opened here: the connection is then tried without it,
    // and Redis's refusal is what fleet.status tells.
    const stored = await this.deps.secrets.get(QUEUE_SECRET).catch(() => undefined);
    const storeSecret = await this.deps.secrets.get(STORE_SECRET).catch(() => undefined);
    await this.connect({
      queue: saved.queueUrl,
      ...(stored !== undefined ? { password: stored } : {}),
      ...(storeSecret !== undefined ? { storeSecret } : {}),
      ...(saved.passwordEnv ? { passwordEnv: saved.passwordEnv } : {}),
      store: saved.store,
      remember: false,
    }).catch(() => undefined);
  }

  async disconnect(forget: boolean): Promise<FleetStatus> {
    const conn = this.conn;
    this.conn = undefined;
    this.blobs = new Map();
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
    if (conn) await conn.client.close();
    if (forget) {
      this.deps.settings.saveConnection(null, null, null);
      await this.deps.secrets.delete(QUEUE_SECRET);
      await this.deps.secrets.delete(STORE_SECRET);
    }
    if (this.state !== 'disconnected' || conn) this.setState('disconnected', this.error);
    return this.status();
  }

  async status(): Promise<FleetStatus> {
    const saved = this.deps.settings.get();
    const conn = this.conn;
    const state = conn && !conn.client.connected ? 'reconnecting' : this.state;
    return {
      state,
      queue: conn?.queue ?? (saved.queueUrl ? maskQueueUrl(saved.queueUrl) : null),
      store: conn?.storeUrl ?? saved.store,
      where: this.sessionWhere ?? saved.where,
      error: this.error,
      jobs: conn && state === 'connected' ? await conn.client.counts().catch(() => null) : null,
      jobFormat: FLEET_JOB_FORMAT,
    };
  }

  async setWhere(where: ComputeTarget): Promise<FleetStatus> {
    this.sessionWhere = undefined;
    this.deps.settings.setWhere(where);
    const status = await this.status();
    this.deps.events.emit('fleet.status', status);
    return status;
  }

  async workers(): Promise<FleetWorker[]> {
    return this.conn ? this.conn.client.workers() : [];
  }

  placeFor(where: ComputeTarget | undefined): RunPlace {
    const wanted = where ?? this.sessionWhere ?? this.deps.settings.get().where;
    if (wanted === 'local') return 'local';
    if (this.conn) return 'fleet';
    if (wanted === 'fleet-when-connected') return 'local';
    throw new CairnError(
      'invalid_argument',
      'This run is set to train on the fleet, but no fleet is connected: connect one (fleet.connect, or --queue) or train on this machine.',
    );
  }

  async train(
    job: FleetTrainRequest,
    workDir: string,
    onProgress: (p: FleetRunProgress, worker: string) => void,
  ): Promise<FleetTrained> {
    const conn = this.live();
    const data = await this.dataBlob(conn, job.versionId, job.dataFile);
    const result = await conn.client.send(
      {
        format: FLEET_JOB_FORMAT,
        kind: 'train',
        runId: job.runId,
        request: job.request,
        columns: job.columns,
        data,
        explain: job.explain,
      },
      (p) => onProgress(p.progress, p.worker),
    );
    return this.takeIn(conn, result, workDir);
  }

  async attach(
    runId: string,
    workDir: string,
    onProgress: (p: FleetRunProgress, worker: string) => void,
  ): Promise<FleetTrained> {
    const conn = this.live();
    const result = await conn.client.attach(runId, (p) => onProgress(p.progress, p.worker));
    return this.takeIn(conn, result, workDir);
  }

  async release(runId: string): Promise<void> {
    await this.conn?.client.release(runId);
  }

  async cancel(runId: string): Promise<void> {
    await this.conn?.client.cancel(runId);
  }

  async close(): Promise<void> {
    await this.disconnect(false);
  }

  private live(): Connection {
    if (!this.conn)
      throw new CairnError('cancelled', 'The fleet was disconnected; the run is taken in when it connects again.');
    return this.conn;
  }

  private dataBlob(conn: Connection, versionId: string, file: string): Promise<StoredBlob> {
    let blob = this.blobs.get(versionId);
    if (!blob) {
      blob = putFile(conn.store, file);
      blob.catch(() => this.blobs.delete(versionId));
      this.blobs.set(versionId, blob);
    }
    return blob;
  }

  private async takeIn(
    conn: Connection,
    result: Awaited<ReturnType<FleetClient['send']>>,
    workDir: string,
  ): Promise<FleetTrained> {
    const artifactDir = path.join(workDir, 'model');
    await fetchArtifact(conn.store, result.artifact, artifactDir);
    // Each file came checked against the hash the worker sent; the folder is also checked against
    // the training's own manifest, as a saved version is whenever it is read.
    await readStoredFiles(artifactDir, result.artifact.sha256);
    return { ...result.outcome, artifactDir, artifactSha256: result.artifact.sha256, worker: result.worker };
  }

  private setState(state: FleetStatus['state'], error: ApiErrorShape | null): void {
    this.state = state;
    this.error = error;
    void this.status().then((s) => this.deps.events.emit('fleet.status', s));
  }

  /** Tells the UI when the workers change (one registers, takes a job, is lost). */
  private watch(): void {
    this.lastWorkers = '';
    this.watcher = setInterval(() => {
      void this.workers()
        .then((workers) => {
          const seen = JSON.stringify(workers.map((w) => ({ ...w, lastSeen: undefined })));
          if (seen === this.lastWorkers) return;
          this.lastWorkers = seen;
          this.deps.events.emit('fleet.workers', workers);
        })
        .catch(() => undefined);
    }, WATCH_MS);
    this.watcher.unref();
  }
}
