// `npm run bench -- fleet [--jobs N] [--mb M] [--trials T] [--samples S]`: what the worker fleet
// costs against training here, on a Redis of the bench's own (Debian's redis-server, loopback):
// 1. per job: N tiny jobs (default 1,000) through the real client, queue and store (a data blob
//    fetched and checked by the worker, a model file put back and fetched and checked by the app,
//    the result parsed on both ends), with no training, against S local job processes
//    (default 20) started and ended with no work (the cost a local run pays per job);
// 2. moving a dataset version of M MiB (default 1,024) through the folder store: put (hash, copy)
//    and the worker's fetch (copy, check);
// 3. a T-trial sweep (default 12, small gradient-boosted trees on iris) on one `cairn worker`
//    against two (parallel 2);
// and Redis's own throughput (redis-benchmark), for the scaling estimate in the report.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import type { MethodInput, Sweep } from '../shared/api.js';
import { FLEET_JOB_FORMAT, FleetTrainJob, type FleetTrainResult } from '../shared/fleet/job-format.js';
import { putArtifact } from '../electron/core/fleet/artifacts.js';
import { fetchBlob, FolderStore, putFile } from '../electron/core/fleet/blob-store.js';
import { FleetClient } from '../electron/core/fleet/fleet-client.js';
import { parseQueueUrl, redisOptions } from '../electron/core/fleet/queue-url.js';
import { KEY_PREFIX, QUEUE_NAME } from '../electron/core/fleet/worker-registry.js';
import { forkSpawner } from '../electron/core/jobs/fork-spawner.js';
import { JobRunner } from '../electron/core/jobs/job-runner.js';
import { samplePath } from '../electron/core/samples.js';
import { CairnService } from '../electron/core/service.js';
import { startWorkerProcess } from '../test/support/cairn-worker.js';
import { startRedis } from '../test/support/servers/redis.js';
import { SMALL_GBDT_SWEEP } from '../test/support/small-sweep.js';
import { intArg } from './args.js';

const JOBS = intArg('jobs', 1000, 1);
const MIB = intArg('mb', 1024, 1);
const TRIALS = intArg('trials', 12, 2);
const SAMPLES = intArg('samples', 20, 1);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const now = () => performance.now();

/** Local: a job process started, given a job it refuses at once (an explain of nothing), and ended. */
async function localJobProcess(samples: number): Promise<number> {
  const jobs = new JobRunner(forkSpawner());
  const started = now();
  for (let i = 0; i < samples; i++) {
    await jobs
      .start('explain', { train: {} as never, modelDir: '/nonexistent', sha256: '0'.repeat(64) }, () => undefined)
      .done.catch(() => undefined);
  }
  return (now() - started) / samples;
}

/** The fleet's path with no training: send, take, fetch data, put a model file, result, take in. */
async function fleetJobs(url: string, dir: string, count: number): Promise<{ latencyMs: number; perSecond: number }> {
  const store = new FolderStore(path.join(dir, 'store'));
  const dataFile = path.join(dir, 'tiny.parquet');
  await writeFile(dataFile, 'a tiny dataset version');
  const data = await putFile(store, dataFile);
  const address = parseQueueUrl(url);
  const worker = new Worker(
    QUEUE_NAME,
    async (job): Promise<FleetTrainResult> => {
      const spec = FleetTrainJob.parse(job.data);
      const work = path.join(dir, 'work', spec.runId);
      await fetchBlob(store, spec.data, path.join(work, 'data.parquet'));
      await writeFile(path.join(work, 'artifact.json'), spec.runId);
      const artifact = await putArtifact(store, work, createHash('sha256').update(spec.runId).digest('hex'));
      await rm(work, { recursive: true, force: true });
      return {
        format: FLEET_JOB_FORMAT,
        worker: 'bench',
        outcome: {
          task: 'classification',
          modelKind: 'gbdt',
          backend: 'cpu',
          tfjsVersion: '-',
          params: {},
          preprocess: {},
          history: [],
          metrics: {},
        },
        artifact,
      };
    },
    { connection: redisOptions(address), prefix: KEY_PREFIX, concurrency: 8 },
  );
  const client = await FleetClient.connect(address);
  const one = async () => {
    const runId = crypto.randomUUID();
    const request = { dataset: 'd', target: 't', model: 'gbdt' as const, split: undefined };
    const result = await client.send(
      {
        format: FLEET_JOB_FORMAT,
        kind: 'train',
        runId,
        request: FleetTrainJob.shape.request.parse(request),
        columns: [{ name: 't', storageType: 'VARCHAR', type: 'categorical' }],
        data,
        explain: false,
      },
      () => undefined,
    );
    const back = path.join(dir, 'back', runId);
    for (const file of result.artifact.files) await fetchBlob(store, file, path.join(back, file.path));
    await client.release(runId);
    await rm(back, { recursive: true, force: true });
  };
  try {
    // One at a time: what one job waits for the fleet's machinery.
    const sequential = Math.min(100, count);
    let started = now();
    for (let i = 0; i < sequential; i++) await one();
    const latencyMs = (now() - started) / sequential;
    // Many at once: how many jobs a second the queue and store carry here.
    started = now();
    await Promise.all(Array.from({ length: count }, one));
    return { latencyMs, perSecond: count / ((now() - started) / 1000) };
  } finally {
    await client.close();
    await worker.close();
  }
}

/** A dataset version of `mib` MiB through the store: put, then a worker's checked fetch. */
async function moveDataset(dir: string, mib: number): Promise<{ putMs: number; fetchMs: number }> {
  const file = path.join(dir, 'big.parquet');
  const out = createWriteStream(file);
  const chunk = randomBytes(1 << 20);
  for (let i = 0; i < mib; i++) {
    chunk[0] = i & 255;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const store = new FolderStore(path.join(dir, 'big-store'));
  let started = now();
  const blob = await putFile(store, file);
  const putMs = now() - started;
  await rm(file);
  started = now();
  await fetchBlob(store, blob, path.join(dir, 'worker-copy.parquet'));
  const fetchMs = now() - started;
  await rm(path.join(dir, 'big-store'), { recursive: true, force: true });
  await rm(path.join(dir, 'worker-copy.parquet'), { force: true });
  return { putMs, fetchMs };
}

/** Wall time of a T-trial sweep on `workers` cairn worker processes. */
async function sweepOn(service: CairnService, url: string, dir: string, workers: number): Promise<number> {
  const started = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      startWorkerProcess({ name: `bench-${workers}-${i}`, queue: url, store: path.join(dir, 'sweep-store') }),
    ),
  );
  try {
    const t0 = now();
    const sweep: Sweep = await service.invoke('sweeps.start', {
      ...SMALL_GBDT_SWEEP,
      seed: 3,
      trials: TRIALS,
      parallel: workers,
      where: 'fleet',
    } satisfies MethodInput<'sweeps.start'>);
    if (sweep.status !== 'succeeded') throw new Error(`the sweep ${sweep.status}`);
    return now() - t0;
  } finally {
    await Promise.all(started.map((w) => w.stop('SIGTERM')));
  }
}

function redisThroughput(port: number): string {
  return execFileSync('redis-benchmark', ['-p', String(port), '-q', '-n', '100000', '-t', 'set,get,lpush,rpop,xadd'], {
    encoding: 'utf8',
  })
    .split(/[\r\n]/)
    .filter((l) => l.includes('requests per second'))
    .map((l) => `  ${l.trim()}`)
    .join('\n');
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-fleet-'));
const redis = await startRedis();
try {
  console.log(`fleet bench: ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
  const localMs = await localJobProcess(SAMPLES);
  console.log(`local job process, started and ended with no work: ${localMs.toFixed(0)} ms a job (${SAMPLES} samples)`);
  const fleet = await fleetJobs(redis.url, dir, JOBS);
  console.log(
    `fleet, ${JOBS} tiny jobs (queue, store round trip, result): ${fleet.latencyMs.toFixed(1)} ms a job one at a time, ` +
      `${fleet.perSecond.toFixed(0)} jobs/s with all sent at once (worker concurrency 8)`,
  );
  const moved = await moveDataset(dir, MIB);
  const rate = (ms: number) => `${(MIB / (ms / 1000)).toFixed(0)} MiB/s`;
  console.log(
    `dataset version of ${MIB} MiB through the store: put ${seconds(moved.putMs)} (${rate(moved.putMs)}), ` +
      `worker fetch and check ${seconds(moved.fetchMs)} (${rate(moved.fetchMs)})`,
  );
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    await service.invoke('datasets.importNow', { path: samplePath('iris'), name: 'iris' });
    await service.invoke('fleet.connect', { queue: redis.url, store: path.join(dir, 'sweep-store'), remember: false });
    const one = await sweepOn(service, redis.url, dir, 1);
    const two = await sweepOn(service, redis.url, dir, 2);
    console.log(
      `${TRIALS}-trial sweep: one worker ${seconds(one)}, two workers ${seconds(two)} (speedup ${(one / two).toFixed(2)}×)`,
    );
  } finally {
    await service.close();
  }
  console.log(
    `redis-benchmark (loopback, 50 clients; this Redis syncs its append-only file on every write, as the tests' does):\n${redisThroughput(redis.port)}`,
  );
} finally {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
