// `cairn worker`'s engine: takes jobs from the fleet's queue and runs each in its own job process,
// exactly as the app runs its own (jobs/job-runner.ts, the same job-worker.ts). The job names its
// data by hash: the worker fetches what it lacks from the store, checks it, trains, puts the model
// folder back by hash and returns the outcome. It registers itself and beats while it lives.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BackendName, FleetWorkerJob } from '../../../shared/api.js';
import {
  FLEET_JOB_FORMAT,
  FleetJob,
  jobFormatProblem,
  type FleetProgress,
  type FleetTrainJob,
  type FleetTrainResult,
} from '../../../shared/fleet/job-format.js';
import { toApiError } from '../errors.js';
import { JobRunner } from '../jobs/job-runner.js';
import type { SpawnJobProcess } from '../jobs/protocol.js';
import { tableTrainInput } from '../jobs/train-input.js';
import { putArtifact } from './artifacts.js';
import { CANCEL_CHANNEL, cancelRequested } from './job-cancel.js';
import { fetchBlob, type BlobStore } from './blob-store.js';
import { redisOptions, type QueueAddress } from './queue-url.js';
import { beat, deregister, HEARTBEAT_MS, KEY_PREFIX, QUEUE_NAME, type WorkerFacts } from './worker-registry.js';

export interface FleetWorkerOptions {
  address: QueueAddress;
  store: BlobStore;
  name: string;
  concurrency: number;
  /** Where fetched data and job folders live; wiped at start (everything in it was checked by this process). */
  cacheDir: string;
  spawn: SpawnJobProcess;
  backend: BackendName;
  cairnVersion: string;
  /** The newest job format it runs (FLEET_JOB_FORMAT; lower only to test a refusal). */
  jobFormat?: number;
  /**
   * How long a job's lock lasts without renewal: a killed worker's jobs run again elsewhere once it
   * lapses (BullMQ's stalled-job check, run every half of it). 30 s unless told.
   */
  lockMs?: number;
  log?: (line: string) => void;
}

export interface RunningFleetWorker {
  readonly name: string;
  /** Takes no new job, finishes those it holds, leaves the fleet. */
  close(): Promise<void>;
}

export async function startFleetWorker(options: FleetWorkerOptions): Promise<RunningFleetWorker> {
  const log = options.log ?? (() => undefined);
  const knows = options.jobFormat ?? FLEET_JOB_FORMAT;
  await rm(options.cacheDir, { recursive: true, force: true });
  await mkdir(options.cacheDir, { recursive: true });
  const jobs = new JobRunner(options.spawn);
  const holding = new Map<string, FleetWorkerJob>();
  const fetched = new Map<string, Promise<string>>();
  const redis = new Redis(redisOptions(options.address));
  /** The job processes this worker runs, by job id: what a cancel from the app kills. */
  const cancels = new Map<string, () => void>();
  const listener = new Redis(redisOptions(options.address));
  listener.on('message', (_channel: string, jobId: string) => cancels.get(jobId)?.());
  await listener.subscribe(CANCEL_CHANNEL);
  const facts = (): WorkerFacts => ({
    name: options.name,
    hostname: os.hostname(),
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    backend: options.backend,
    cairnVersion: options.cairnVersion,
    jobFormat: knows,
    concurrency: options.concurrency,
    jobs: [...holding.values()],
    startedAt,
  });
  const startedAt = new Date().toISOString();
  const heartbeat = () => beat(redis, facts()).catch((err: unknown) => log(`heartbeat: ${toApiError(err).message}`));
  await beat(redis, facts());
  const timer = setInterval(() => void heartbeat(), HEARTBEAT_MS);

  /** The dataset version's Parquet file here, fetched once per worker and checked against its hash. */
  const dataFile = (blob: FleetTrainJob['data']): Promise<string> => {
    let file = fetched.get(blob.sha256);
    if (!file) {
      const dest = path.join(options.cacheDir, 'data', `${blob.sha256}.parquet`);
      file = fetchBlob(options.store, blob, dest).then(() => dest);
      // A failed download is tried again by the next job rather than remembered.
      file.catch(() => fetched.delete(blob.sha256));
      fetched.set(blob.sha256, file);
    }
    return file;
  };

  const train = async (job: Job, spec: FleetTrainJob): Promise<FleetTrainResult> => {
    const workDir = path.join(options.cacheDir, 'work', randomUUID());
    await mkdir(workDir, { recursive: true });
    try {
      const input = tableTrainInput(spec.request, spec.columns, await dataFile(spec.data), workDir);
      const handle = jobs.start('train', { ...input, explain: spec.explain }, (progress) => {
        const relayed: FleetProgress = { worker: options.name, progress: { ...progress } };
        job.updateProgress(relayed).catch(() => undefined);
      });
      const jobId = job.id ?? spec.runId;
      cancels.set(jobId, () => handle.cancel());
      // A cancel published before this job's process started was missed by the listener: its key tells.
      void cancelRequested(redis, jobId).then(
        (asked) => asked && handle.cancel(),
        () => undefined,
      );
      const out = await handle.done.finally(() => cancels.delete(jobId));
      await stat(out.artifactDir);
      const artifact = await putArtifact(options.store, out.artifactDir, out.artifactSha256);
      return {
        format: FLEET_JOB_FORMAT,
        worker: options.name,
        outcome: {
          task: out.task,
          modelKind: out.modelKind,
          backend: out.backend,
          tfjsVersion: out.tfjsVersion,
          params: out.params,
          preprocess: { ...out.preprocess },
          history: out.history,
          metrics: out.metrics,
        },
        artifact,
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };

  const processor = async (job: Job): Promise<FleetTrainResult> => {
    const attempt = job.attemptsStarted;
    const refuse = async (reason: string): Promise<never> => {
      await job.log(`attempt ${attempt} on ${options.name}: refused: ${reason}`);
      log(`refused job ${job.id ?? '?'}: ${reason}`);
      // Running it again anywhere with this build would refuse it again.
      throw new UnrecoverableError(reason);
    };
    const formatProblem = jobFormatProblem(job.data, knows);
    if (formatProblem) return refuse(formatProblem);
    const parsed = FleetJob.safeParse(job.data);
    if (!parsed.success)
      return refuse(
        `not a job Cairn runs: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const spec = parsed.data;
    holding.set(job.id ?? spec.runId, {
      jobId: job.id ?? spec.runId,
      kind: spec.kind,
      runId: spec.runId,
      startedAt: new Date().toISOString(),
    });
    void heartbeat();
    log(`job ${job.id ?? '?'} (${spec.kind}, run ${spec.runId}) attempt ${attempt}: started`);
    try {
      const result = await train(job, spec);
      log(`job ${job.id ?? '?'}: done`);
      return result;
    } catch (err) {
      const error = toApiError(err);
      if (error.code === 'cancelled' && (await cancelRequested(redis, job.id ?? spec.runId).catch(() => false))) {
        await job.log(`attempt ${attempt} on ${options.name}: cancelled by the app`).catch(() => undefined);
        log(`job ${job.id ?? '?'}: cancelled`);
        // The app asked for it: no other attempt runs.
        throw new UnrecoverableError('cancelled by the app');
      }
      const message = error.message;
      await job.log(`attempt ${attempt} on ${options.name}: ${message}`).catch(() => undefined);
      log(`job ${job.id ?? '?'}: failed: ${message}`);
      throw new Error(message);
    } finally {
      holding.delete(job.id ?? spec.runId);
      void heartbeat();
    }
  };

  const lockDuration = options.lockMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: redisOptions(options.address),
    prefix: KEY_PREFIX,
    concurrency: options.concurrency,
    lockDuration,
    stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
    // A job whose worker died twice is more likely to kill workers than to be unlucky.
    maxStalledCount: 2,
    name: options.name,
  });
  worker.on('error', (err) => log(`queue: ${err.message}`));
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    name: options.name,
    close: () =>
      (closing ??= (async () => {
        // BullMQ's close waits for the jobs in hand to finish: nothing is dropped on a SIGTERM.
        await worker.close();
        clearInterval(timer);
        await deregister(redis, options.name).catch(() => undefined);
        redis.disconnect();
        listener.disconnect();
        await rm(options.cacheDir, { recursive: true, force: true });
      })()),
  };
}
