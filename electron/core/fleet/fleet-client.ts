// The app's side of the queue: sends jobs, relays their progress, and hands back each job's end
// once. A job's id is its run's id, so sending a run twice (a retry after a dropped connection)
// queues it once. Results stay in Redis until the host has taken them in (release()), so a host
// that closed takes them in when it connects again.
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { FleetJobCounts, FleetWorker } from '../../../shared/api.js';
import {
  FleetJob,
  FleetProgress,
  FleetTrainResult,
  type FleetJob as FleetJobData,
} from '../../../shared/fleet/job-format.js';
import { CairnError } from '../errors.js';
import { requestCancel } from './job-cancel.js';
import { redisOptions, type QueueAddress } from './queue-url.js';
import { KEY_PREFIX, listWorkers, QUEUE_NAME } from './worker-registry.js';

/** Tries a job gets before it is failed, each attempt's reason kept. */
export const FLEET_ATTEMPTS = 3;
/** How often jobs being waited on are looked up, beside the event stream (which a restart may cut). */
const RECONCILE_MS = 2000;

interface Waiting {
  /** False until the queue has the job: before that a look would find nothing and wrongly give up. */
  queued: boolean;
  onProgress(progress: FleetProgress): void;
  resolve(result: FleetTrainResult): void;
  reject(error: CairnError): void;
}

export class FleetClient {
  private readonly waiting = new Map<string, Waiting>();
  /** Cancelled jobs a worker still held: taken off the queue once they end (a held job cannot be). */
  private readonly dropping = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
  ) {
    events.on('progress', ({ jobId, data }) => {
      const parsed = FleetProgress.safeParse(data);
      if (parsed.success) this.waiting.get(jobId)?.onProgress(parsed.data);
    });
    events.on('completed', ({ jobId }) => void this.settle(jobId));
    events.on('failed', ({ jobId }) => {
      void this.settle(jobId);
      void this.drop(jobId);
    });
    // Events published while the app's connection was down are not lost to the stream, but a
    // lookup is cheap and needs no trust in that: the jobs waited on are checked every so often.
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.timer.unref();
  }

  /** Connects and checks the queue answers (throws with why it does not). */
  static async connect(address: QueueAddress, timeoutMs = 5000): Promise<FleetClient> {
    const options = redisOptions(address);
    const probe = new Redis({ ...options, maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
    // Its refusal (a wrong password, no server) is what the error below tells: with no listener,
    // ioredis would also print it on stderr, and the connect itself rejects only with "closed".
    let refused: Error | undefined;
    probe.on('error', (err: Error) => (refused ??= err));
    try {
      await Promise.race([
        probe.connect().then(() => probe.ping()),
        new Promise((_r, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref(),
        ),
      ]);
    } catch (err) {
      throw new CairnError(
        'invalid_argument',
        `the queue at ${address.host}:${address.port} does not answer: ${(refused ?? (err as Error)).message}`,
      );
    } finally {
      probe.disconnect();
    }
    const queue = new Queue(QUEUE_NAME, { connection: options, prefix: KEY_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection: options, prefix: KEY_PREFIX });
    const redis = new Redis(options);
    // A drop is told by fleet.status (onLinkChange) and ioredis reconnects by itself: with no
    // listener it would also print each failed attempt on stderr.
    redis.on('error', () => undefined);
    // Ready before it is handed over: `connected` reads this connection, and a status taken just
    // after connecting must say connected, not reconnecting.
    const ready = new Promise<void>((resolve) =>
      redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
    );
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), ready]);
    return new FleetClient(queue, events, redis);
  }

  /**
   * Sends a job (parsed first: only Cairn's job kinds, in this build's format) and waits for its
   * end: its result, or why its last attempt failed with every attempt's reason in details.
   */
  async send(job: FleetJobData, onProgress: (p: FleetProgress) => void): Promise<FleetTrainResult> {
    const data = FleetJob.parse(job);
    const ended = this.wait(data.runId, onProgress, false);
    try {
      await this.queue.add(data.kind, data, {
        jobId: data.runId,
        attempts: FLEET_ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
        // Kept until the host takes the result in (release), however long it is away.
        removeOnComplete: false,
        removeOnFail: false,
      });
    } catch (err) {
      this.waiting.delete(data.runId);
      throw err;
    }
    const waiting = this.waiting.get(data.runId);
    if (waiting) waiting.queued = true;
    void this.settle(data.runId);
    return ended;
  }

  /** Waits for a job sent before (by this host or one that closed), without sending it again. */
  attach(runId: string, onProgress: (p: FleetProgress) => void): Promise<FleetTrainResult> {
    const ended = this.wait(runId, onProgress, true);
    void this.settle(runId);
    return ended;
  }

  /** Forgets a job whose end the host recorded: the result is in app.db and the store now. */
  async release(runId: string): Promise<void> {
    await this.queue.remove(runId).catch(() => undefined);
  }

  /**
   * Stops waiting for a job and stops the job: taken off the queue if no worker has it yet, else
   * the worker holding it is told and kills its job process (the job then fails, not retried).
   */
  async cancel(runId: string): Promise<void> {
    const waiting = this.waiting.get(runId);
    this.waiting.delete(runId);
    waiting?.reject(new CairnError('cancelled', 'cancelled'));
    await requestCancel(this.redis, runId);
    this.dropping.add(runId);
    await this.drop(runId);
  }

  /** Takes a cancelled job off the queue if no worker holds it any more. */
  private async drop(jobId: string): Promise<void> {
    if (!this.dropping.has(jobId)) return;
    const removed = await this.queue.remove(jobId).catch(() => 0);
    if (removed === 1 || (await this.queue.getJobState(jobId).catch(() => '')) === 'unknown')
      this.dropping.delete(jobId);
  }

  async counts(): Promise<FleetJobCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    return {
      waiting: c.waiting ?? 0,
      active: c.active ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
      delayed: c.delayed ?? 0,
    };
  }

  workers(): Promise<FleetWorker[]> {
    return listWorkers(this.redis);
  }

  /** Calls `changed` whenever the queue's connection drops or comes back (read `connected` then). */
  onLinkChange(changed: () => void): void {
    this.redis.on('close', changed);
    this.redis.on('ready', changed);
  }

  /** Whether the queue's connection is up now (ioredis reconnects by itself). */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Stops waiting (the jobs go on in the fleet and are taken in at the next connect). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const gone = new CairnError(
      'cancelled',
      'The app left the fleet; the job goes on and its result is taken in at the next connect.',
    );
    for (const w of this.waiting.values()) w.reject(gone);
    this.waiting.clear();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }

  private wait(runId: string, onProgress: (p: FleetProgress) => void, queued: boolean): Promise<FleetTrainResult> {
    if (this.waiting.has(runId)) throw new CairnError('conflict', `run ${runId} is already waited on`);
    return new Promise<FleetTrainResult>((resolve, reject) => {
      this.waiting.set(runId, { queued, onProgress, resolve, reject });
    });
  }

  private async reconcile(): Promise<void> {
    await Promise.all([...this.waiting.keys()].map((id) => this.settle(id)));
    await Promise.all([...this.dropping].map((id) => this.drop(id)));
  }

  /** Settles a waited-on job if it has ended: completed, or failed with no attempt left. */
  private async settle(jobId: string): Promise<void> {
    if (!this.waiting.get(jobId)?.queued) return;
    let job: Job | undefined;
    let state: string;
    try {
      // The state first, then the job: read the other way round, a job that ends in between reads
      // as completed with the return value it did not have yet.
      state = await this.queue.getJobState(jobId);
      job = state === 'completed' || state === 'failed' ? await Job.fromId(this.queue, jobId) : undefined;
      if ((state === 'completed' || state === 'failed') && !job) state = 'unknown';
    } catch {
      return; // The connection is down: the next look will tell.
    }
    const waiting = this.waiting.get(jobId);
    if (!waiting) return;
    if (state === 'completed' && job) {
      this.waiting.delete(jobId);
      const parsed = FleetTrainResult.safeParse(job.returnvalue);
      if (parsed.success) waiting.resolve(parsed.data);
      else
        waiting.reject(
          new CairnError('internal', `the worker's result is not one this build reads: ${parsed.error.message}`),
        );
    } else if (state === 'failed' && job) {
      this.waiting.delete(jobId);
      const { logs } = await this.queue.getJobLogs(jobId).catch(() => ({ logs: [] as string[] }));
      const attempts = logs.filter((l) => l.startsWith('attempt '));
      waiting.reject(
        new CairnError(
          'internal',
          `failed on the fleet after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${job.failedReason}`,
          { attempts: attempts.length > 0 ? attempts : [job.failedReason] },
        ),
      );
    } else if (state === 'missing' || state === 'unknown') {
      this.waiting.delete(jobId);
      waiting.reject(new CairnError('not_found', `the fleet's queue has no job ${jobId} (was the queue emptied?)`));
    }
  }
}
