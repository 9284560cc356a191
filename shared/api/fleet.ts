// The worker fleet (issue 15): a BullMQ queue on Redis that `cairn worker` processes take jobs
// from, and a store every worker and the app reach, where data and artifacts move by content hash.
// Where work runs is a setting (and may be named per request); each run records where it ran.
import { z } from 'zod';
import { BackendName } from './app.js';
import { ApiErrorShape } from './errors.js';

/**
 * Where a run (or a sweep's trials) trains: this machine (the default, as before the fleet), the
 * fleet (refused while no queue is connected), or the fleet while one is connected and this machine
 * otherwise.
 */
export const ComputeTarget = z.enum(['local', 'fleet', 'fleet-when-connected']);
export type ComputeTarget = z.infer<typeof ComputeTarget>;

/** Where a run did train: recorded on the run. */
export const RunPlace = z.enum(['local', 'fleet']);
export type RunPlace = z.infer<typeof RunPlace>;

/** `redis://[user:pass@]host:port[/db]`, or `rediss://` for TLS. */
export const QueueUrl = z
  .string()
  .trim()
  .regex(/^rediss?:\/\/[^\s]+$/, 'a queue is redis://[user:pass@]host:port[/db] (rediss:// for TLS)');

export const FleetConnectRequest = z.object({
  queue: QueueUrl,
  /**
   * The queue's password when the URL carries none. Never written to app.db or a log; a remembered
   * connection keeps it (or the URL's own) in the host's secret store (the OS keychain in the desktop app).
   */
  password: z.string().min(1).optional(),
  /** The name of an environment variable holding the password: what a remembered connection keeps. */
  passwordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  /**
   * Where data and artifacts move by content hash: a folder every worker and this machine reach,
   * or S3-compatible storage (`s3://[keyId@]bucket/prefix?endpoint=...`).
   */
  store: z.string().trim().min(1),
  /**
   * The S3 store's secret access key, for the key id its URL names (else AWS_ACCESS_KEY_ID and
   * AWS_SECRET_ACCESS_KEY are used). Kept as the password is: never in app.db or a log.
   */
  storeSecret: z.string().min(1).optional(),
  /** Where work runs from now on (saved with `remember`, else for this host only); the saved setting is kept when absent. */
  where: ComputeTarget.optional(),
  /** Saved (without its password) and connected again when the app next opens; the CLI's --queue is not. */
  remember: z.boolean().default(true),
});
export type FleetConnectRequest = z.input<typeof FleetConnectRequest>;

/** How many of the fleet's jobs are in each state, as the queue counts them. */
export const FleetJobCounts = z.object({
  waiting: z.number(),
  active: z.number(),
  completed: z.number(),
  failed: z.number(),
  delayed: z.number(),
});
export type FleetJobCounts = z.infer<typeof FleetJobCounts>;

export const FleetStatus = z.object({
  /** Connected: the queue answers. */
  state: z.enum(['disconnected', 'connecting', 'connected', 'reconnecting']),
  /** The queue's URL with its password masked (`redis://:***@host:6379/0`); null when none is set. */
  queue: z.string().nullable(),
  store: z.string().nullable(),
  where: ComputeTarget,
  /** Why the last connection attempt failed or the connection dropped. */
  error: ApiErrorShape.nullable(),
  /** Null while disconnected. */
  jobs: FleetJobCounts.nullable(),
  /** The job format this app sends (a worker that knows less refuses its jobs, saying so). */
  jobFormat: z.number(),
});
export type FleetStatus = z.infer<typeof FleetStatus>;

/** Live: heartbeating with nothing to do; busy: running jobs; lost: its heartbeat stopped. */
export const WorkerState = z.enum(['live', 'busy', 'lost']);
export type WorkerState = z.infer<typeof WorkerState>;

export const FleetWorkerJob = z.object({
  jobId: z.string(),
  kind: z.string(),
  /** The run it trains, when the job is a run's. */
  runId: z.string().nullable(),
  startedAt: z.string(),
});
export type FleetWorkerJob = z.infer<typeof FleetWorkerJob>;

export const FleetWorker = z.object({
  name: z.string(),
  hostname: z.string(),
  cores: z.number(),
  memoryBytes: z.number(),
  backend: BackendName,
  cairnVersion: z.string(),
  /** The newest job format it runs. */
  jobFormat: z.number(),
  /** Jobs it takes at once. */
  concurrency: z.number(),
  state: WorkerState,
  jobs: z.array(FleetWorkerJob),
  startedAt: z.string(),
  lastSeen: z.string(),
});
export type FleetWorker = z.infer<typeof FleetWorker>;

/** Where a run trained: this machine, or the fleet (with the worker that finished it). */
export const RunPlacement = z.object({ place: RunPlace, worker: z.string().nullable() });
export type RunPlacement = z.infer<typeof RunPlacement>;
