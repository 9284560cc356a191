// Runs on the fleet through a Redis of the test's own and an in-process worker whose train jobs
// the test drives (fake-jobs.ts): the route a run takes, its curves, where it ran, the take-in
// after the app was closed (once, however often it is looked for), refusals and retries.
import path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, ModelDetail, Run, RunProgress, Sweep } from '../../../../../shared/api.js';
import { FLEET_JOB_FORMAT } from '../../../../../shared/fleet/job-format.js';
import { FolderStore } from '../../../../../electron/core/fleet/blob-store.js';
import { startFleetWorker, type RunningFleetWorker } from '../../../../../electron/core/fleet/fleet-worker.js';
import { parseQueueUrl, redisOptions } from '../../../../../electron/core/fleet/queue-url.js';
import { KEY_PREFIX, QUEUE_NAME } from '../../../../../electron/core/fleet/worker-registry.js';
import { startRedis, type TestRedis } from '../../../../support/servers/redis.js';
import { serviceCaller, tempDirFor } from '../helpers.js';
import { FakeJobs, serviceWithFakeJobs } from '../jobs/fake-jobs.js';

const tmp = tempDirFor('file', 'cairn-fleet-');
const env = serviceWithFakeJobs(() => path.join(tmp.dir, 'home'));
const call = <T>(method: string, arg: unknown) => serviceCaller(env.service)<T>(method, arg);
const IRIS = { dataset: 'iris', target: 'species', model: 'logistic_regression' } as const;

let redis: TestRedis;
/** The worker's own train jobs, which the test ends. */
let workerJobs: FakeJobs;
let worker: RunningFleetWorker;
const store = () => path.join(tmp.dir, 'store');
const cacheDir = () => path.join(tmp.dir, 'worker-cache');
const connect = () => call('fleet.connect', { queue: redis.url, store: store(), remember: false });

/** Resolves with the first `event` whose payload `holds`. */
function next<E extends EventName>(event: E, holds: (p: EventPayload<E>) => boolean): Promise<EventPayload<E>> {
  return new Promise((resolve) => {
    const off = env.service.events.subscribe((name: EventName, payload: unknown) => {
      if (name !== event || !holds(payload as EventPayload<E>)) return;
      off();
      resolve(payload as EventPayload<E>);
    });
  });
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  workerJobs = new FakeJobs();
  worker = await startFleetWorker({
    address: parseQueueUrl(redis.url),
    store: new FolderStore(store()),
    name: 'w-test',
    concurrency: 2,
    cacheDir: cacheDir(),
    spawn: () => workerJobs.spawn(),
    backend: 'cpu',
    cairnVersion: 'test',
  });
});
afterEach(async () => {
  await call('fleet.disconnect', {});
  for (const job of workerJobs.alive) job.fail({ code: 'internal', message: 'the test ended' });
  await worker.close();
  const admin = new Redis(redisOptions(parseQueueUrl(redis.url)));
  await admin.flushdb();
  admin.disconnect();
});

describe('a run on the fleet', () => {
  it('trains on a worker from the store, streams its curves, and records where it ran', async () => {
    await connect();
    const progress = next('run.progress', () => true);
    const ended = call<Run>('runs.startNow', { ...IRIS, where: 'fleet' });
    await workerJobs.until(() => workerJobs.train.length === 1);
    const job = workerJobs.train[0]!;
    // The worker reads its own copy, fetched from the store by hash, never the app's path.
    expect('dataFile' in job.input && job.input.dataFile.startsWith(cacheDir())).toBe(true);
    job.epoch(1, 0.5);
    expect(await progress).toMatchObject({ epoch: 1, logs: { val_loss: 0.5 } } satisfies Partial<RunProgress>);
    await job.succeed(0.9);
    const run = await ended;
    expect(run).toMatchObject({ status: 'succeeded', ranOn: { place: 'fleet', worker: 'w-test' } });
    const workers = await call<{ name: string; state: string }[]>('fleet.workers', {});
    expect(workers.map((w) => w.name)).toEqual(['w-test']);
    // Taken in: the job has left the queue.
    expect((await call<{ jobs: { completed: number } }>('fleet.status', {})).jobs?.completed).toBe(0);
  });

  it('is refused while no fleet is connected, and trains here when it asks for the fleet only when connected', async () => {
    await expect(call('runs.start', { ...IRIS, where: 'fleet' })).rejects.toThrow(/no fleet is connected/);
    const local = call<Run>('runs.startNow', { ...IRIS, where: 'fleet-when-connected' });
    await env.fake.until(() => env.fake.train.length === 1);
    await env.fake.train[0]!.succeed(0.8);
    expect((await local).ranOn).toEqual({ place: 'local', worker: null });
  });

  it('loses nothing when the app closes while it trains, and is taken in once', async () => {
    await connect();
    const { runId } = await call<{ runId: string }>('runs.start', { ...IRIS, where: 'fleet', modelName: 'closed-app' });
    await workerJobs.until(() => workerJobs.train.length === 1);
    await env.service.close();
    // The fleet finishes while no app listens.
    const connection = redisOptions(parseQueueUrl(redis.url));
    const queue = new Queue(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    try {
      await events.waitUntilReady();
      const job = await Job.fromId(queue, runId);
      await workerJobs.train[0]!.succeed(0.7);
      await job!.waitUntilFinished(events);
    } finally {
      await events.close();
      await queue.close();
    }
    await env.open();
    expect((await call<Run>('runs.get', { runId })).status).toBe('running');
    const finished = next('run.finished', (p) => p.runId === runId);
    await connect();
    expect(await finished).toMatchObject({ status: 'succeeded' });
    // Connecting again looks for waiting runs again: the one taken in is not taken twice.
    await call('fleet.disconnect', {});
    await connect();
    const model = await call<ModelDetail>('models.get', { name: 'closed-app' });
    expect(model.versions.map((v) => v.version)).toEqual([1]);
    expect(await call<Run>('runs.get', { runId })).toMatchObject({ status: 'succeeded', ranOn: { place: 'fleet' } });
  });

  /** A one-trial sweep on the fleet whose trial's run is at a worker when the app closes. */
  async function sweepClosedMidTrial(): Promise<{ sweepId: string; runId: string }> {
    await connect();
    const { id: sweepId } = await call<Sweep>('sweeps.start', { ...IRIS, where: 'fleet', trials: 1 });
    await workerJobs.until(() => workerJobs.train.length === 1);
    const running = await call<Sweep>('sweeps.get', { sweepId });
    const runId = running.trials[0]!.runId!;
    await env.service.close();
    await env.open();
    expect((await call<Sweep>('sweeps.get', { sweepId })).trials[0]?.status).toBe('interrupted');
    return { sweepId, runId };
  }

  it('counts a sweep trial taken in after the app closed as the trial’s, once, and a resume does not run it again', async () => {
    const { sweepId } = await sweepClosedMidTrial();
    const relinked = next('sweep.progress', (p) => p.sweepId === sweepId && p.trial?.status === 'complete');
    await connect();
    await workerJobs.train[0]!.succeed(0.7);
    await relinked;
    expect(await call<Sweep>('sweeps.get', { sweepId })).toMatchObject({
      status: 'interrupted',
      trialsDone: 1,
      bestValue: 0.7,
      trials: [{ number: 0, status: 'complete', value: 0.7 }],
    });
    const resumed = await call<Sweep>('sweeps.resume', { sweepId, wait: true });
    expect(resumed).toMatchObject({ status: 'succeeded', trialsDone: 1, trials: [{ status: 'complete', value: 0.7 }] });
    expect(workerJobs.train).toHaveLength(1);
  });

  it('follows a sweep trial still on the fleet when the sweep is resumed, instead of running another', async () => {
    const { sweepId } = await sweepClosedMidTrial();
    await connect();
    const following = next(
      'sweep.progress',
      (p) => p.sweepId === sweepId && p.trial?.number === 0 && p.trial.status === 'running',
    );
    const ended = call<Sweep>('sweeps.resume', { sweepId, wait: true });
    await following;
    await workerJobs.train[0]!.succeed(0.6);
    expect(await ended).toMatchObject({
      status: 'succeeded',
      trialsDone: 1,
      bestValue: 0.6,
      trials: [{ number: 0, status: 'complete', value: 0.6 }],
    });
    expect(workerJobs.train).toHaveLength(1);
  });

  it('is stopped on the worker holding it when cancelled, and ends cancelled, not retried', async () => {
    await connect();
    const { runId } = await call<{ runId: string }>('runs.start', { ...IRIS, where: 'fleet' });
    await workerJobs.until(() => workerJobs.train.length === 1);
    const finished = next('run.finished', (p) => p.runId === runId);
    const connection = redisOptions(parseQueueUrl(redis.url));
    const queue = new Queue(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    try {
      await events.waitUntilReady();
      const failed = new Promise<string>((resolve) =>
        events.on('failed', ({ jobId, failedReason }) => jobId === runId && resolve(failedReason)),
      );
      const removed = new Promise<void>((resolve) => events.on('removed', ({ jobId }) => jobId === runId && resolve()));
      await call('runs.cancel', { runId });
      // The worker kills the job process it holds, and the job fails for good at its first attempt
      // (BullMQ says failed only when no attempt is left).
      await workerJobs.until(() => workerJobs.train[0]!.killed);
      expect(await failed).toBe('cancelled by the app');
      // Once it ended, the app takes it off the queue: nothing of it is left to take in.
      await removed;
      expect(await queue.getJobState(runId)).toBe('unknown');
    } finally {
      await events.close();
      await queue.close();
    }
    expect(await finished).toMatchObject({ status: 'cancelled' });
    expect(workerJobs.train).toHaveLength(1);
    expect((await call<Run>('runs.get', { runId })).status).toBe('cancelled');
  });

  it('is failed after three attempts, with each attempt’s reason', async () => {
    await connect();
    const ended = call<Run>('runs.startNow', { ...IRIS, where: 'fleet' });
    for (let i = 0; i < 3; i++) {
      await workerJobs.until(() => workerJobs.train.length === i + 1);
      workerJobs.train[i]!.fail({ code: 'internal', message: `boom ${i + 1}` });
    }
    await expect(ended).rejects.toThrow(/after 3 attempts: boom 3/);
    const [run] = await call<Run[]>('runs.list', {});
    expect(run?.status).toBe('failed');
    expect(run?.error?.details?.attempts).toEqual([
      'attempt 1 on w-test: boom 1',
      'attempt 2 on w-test: boom 2',
      'attempt 3 on w-test: boom 3',
    ]);
  });
});

describe('the connection', () => {
  it('tells fleet.status when Redis drops and when it is back', async () => {
    await connect();
    const told: string[] = [];
    let heard!: () => void;
    const back = new Promise<void>((resolve) => (heard = resolve));
    const off = env.service.events.subscribe((name: EventName, payload: unknown) => {
      if (name !== 'fleet.status') return;
      told.push((payload as { state: string }).state);
      if (told.includes('reconnecting') && told.at(-1) === 'connected') heard();
    });
    try {
      await redis.restart();
      await back;
    } finally {
      off();
    }
    expect(told).toEqual(['reconnecting', 'connected']);
  });
});

describe('a worker', () => {
  it('refuses a job of a format it does not know, at once and saying so', async () => {
    const connection = redisOptions(parseQueueUrl(redis.url));
    const queue = new Queue(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: KEY_PREFIX });
    try {
      await events.waitUntilReady();
      const newer = { format: FLEET_JOB_FORMAT + 1, kind: 'train', anything: 'a later build sends' };
      const job = await queue.add('train', newer, { attempts: 3 });
      await expect(job.waitUntilFinished(events)).rejects.toThrow(
        `job format ${FLEET_JOB_FORMAT + 1}, this worker knows up to ${FLEET_JOB_FORMAT}: upgrade it`,
      );
      const command = await queue.add('train', { format: FLEET_JOB_FORMAT, kind: 'command', command: 'rm -rf /' });
      await expect(command.waitUntilFinished(events)).rejects.toThrow(/not a job Cairn runs/);
      expect((await Job.fromId(queue, job.id!))?.attemptsMade).toBe(1);
      expect(workerJobs.train).toEqual([]);
    } finally {
      await events.close();
      await queue.close();
    }
  });
});
