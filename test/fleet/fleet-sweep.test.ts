// The fleet as a user runs it: a Redis of the test's own, two `cairn worker` processes, each in a
// network namespace of its own when this machine lets the test make them (root and iproute2), so
// they reach Redis only over their own link as separate hosts would; else plain processes (the test
// says so on stderr). The store is a folder all reach: on real machines a shared mount, here the
// same disk. A 20-trial sweep runs on the fleet while one worker is SIGKILLed mid-job; another
// sweep runs while Redis restarts. Trials are small gradient-boosted trees on iris (no TensorFlow).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetWorker, MethodInput, Run, Sweep, SweepProgress } from '../../shared/api.js';
import { readStoredFiles } from '../../electron/core/registry/stored-files.js';
import { samplePath } from '../../electron/core/samples.js';
import { CairnService } from '../../electron/core/service.js';
import { startWorkerProcess, type WorkerProcess } from '../support/cairn-worker.js';
import { makeNamespaces, type Namespace } from '../support/netns.js';
import { startRedis, type TestRedis } from '../support/servers/redis.js';
import { SMALL_GBDT_SWEEP } from '../support/small-sweep.js';
import { serviceCaller, tempDirFor } from '../unit/electron/core/helpers.js';

const tmp = tempDirFor('file', 'cairn-fleet-sweep-');
let redis: TestRedis;
let service: CairnService;
let call: <T>(method: string, arg: unknown) => Promise<T>;
let namespaces: Namespace[] = [];
let removeNamespaces = () => undefined as void;
const workers: WorkerProcess[] = [];

const SWEEP = { ...SMALL_GBDT_SWEEP, seed: 11, parallel: 2 } satisfies MethodInput<'sweeps.start'>;

/** A worker named `name` on the k-th host (a namespace, or this machine). */
async function startWorker(name: string, k: number): Promise<WorkerProcess> {
  const ns = namespaces[k];
  const worker = await startWorkerProcess({
    name,
    queue: `redis://${ns ? ns.hostAddress : '127.0.0.1'}:${redis.port}/0`,
    store: path.join(tmp.dir, 'store'),
    // A killed worker's job is seen as stalled after 3 s, not BullMQ's default 30.
    lockMs: 3000,
    ...(ns ? { wrap: ns.wrap } : {}),
  });
  workers.push(worker);
  return worker;
}

/** Resolves with the first sweep.progress of `sweepId`... that `holds`, checked on every event. */
function progressUntil(holds: (p: SweepProgress) => boolean): Promise<SweepProgress> {
  return new Promise((resolve) => {
    const off = service.events.subscribe((name, payload) => {
      if (name !== 'sweep.progress' || !holds(payload as SweepProgress)) return;
      off();
      resolve(payload as SweepProgress);
    });
  });
}

/** The sweep's runs as app.db holds them, with their model versions (one each, by hash). */
function recordedRuns(sweepId: string): { runId: string; versions: { dir: string; sha256: string }[] }[] {
  const db = new Database(path.join(tmp.dir, 'home', 'app.db'), { readonly: true });
  try {
    const runs = db.prepare('SELECT run_id FROM sweep_trials WHERE sweep_id = ?').all(sweepId) as { run_id: string }[];
    const versions = db.prepare('SELECT dir, sha256 FROM model_versions WHERE run_id = ?');
    return runs.map((r) => ({
      runId: r.run_id,
      versions: versions.all(r.run_id) as { dir: string; sha256: string }[],
    }));
  } finally {
    db.close();
  }
}

/** Checks a finished fleet sweep: every trial recorded once, trained on the fleet, its files matching their hashes. */
async function checkRecordedOnce(sweep: Sweep, trials: number): Promise<void> {
  expect(sweep.status).toBe('succeeded');
  expect(sweep.trials.map((t) => t.status)).toEqual(Array<string>(trials).fill('complete'));
  expect(sweep.trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([...Array(trials).keys()]);
  const runs = recordedRuns(sweep.id);
  expect(new Set(runs.map((r) => r.runId)).size).toBe(trials);
  for (const run of runs) {
    expect(run.versions).toHaveLength(1);
    const [version] = run.versions;
    await readStoredFiles(path.join(tmp.dir, 'home', version!.dir), version!.sha256);
    expect((await call<Run>('runs.get', { runId: run.runId })).ranOn.place).toBe('fleet');
  }
}

beforeAll(async () => {
  const made = makeNamespaces(2);
  if ('error' in made) {
    process.stderr.write(`fleet-sweep: no network namespaces here (${made.error}); the workers are plain processes\n`);
  } else {
    namespaces = made.made;
    removeNamespaces = made.remove;
  }
  redis = await startRedis({ alsoBind: namespaces.map((n) => n.hostAddress) });
  service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli' });
  call = serviceCaller(service);
  await call('datasets.importNow', { path: samplePath('iris'), name: 'iris' });
  await call('fleet.connect', { queue: redis.url, store: path.join(tmp.dir, 'store'), remember: false });
});

afterAll(async () => {
  await service?.close();
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await redis?.stop();
  removeNamespaces();
});

describe('a sweep on the fleet', () => {
  it('records all 20 trials once when a worker is killed mid-sweep, and finds the best a local sweep finds', async () => {
    const doomed = await startWorker('worker-a', 0);
    const survivor = await startWorker('worker-b', 1);
    expect((await call<FleetWorker[]>('fleet.workers', {})).map((w) => w.name)).toEqual(['worker-a', 'worker-b']);
    const ended = call<Sweep>('sweeps.start', { ...SWEEP, trials: 20, where: 'fleet' });
    // Mid-sweep, with a trial in its hands: the one BullMQ's stalled check must run again elsewhere.
    let held: string | null = null;
    await progressUntil((p) => p.trialsDone >= 6);
    while (held === null) {
      const a = (await call<FleetWorker[]>('fleet.workers', {})).find((w) => w.name === 'worker-a');
      held = a?.jobs[0]?.runId ?? null;
      if (held === null) await progressUntil(() => true);
    }
    await doomed.stop('SIGKILL');
    const sweep = await ended;
    await checkRecordedOnce(sweep, 20);
    expect((await call<Run>('runs.get', { runId: held })).ranOn).toEqual({ place: 'fleet', worker: 'worker-b' });
    expect((await call<FleetWorker[]>('fleet.workers', {})).find((w) => w.name === 'worker-a')?.state).toBe('lost');

    const local = await call<Sweep>('sweeps.start', { ...SWEEP, trials: 20, where: 'local' });
    const bestOf = (s: Sweep) => s.trials.find((t) => t.runId === s.bestRunId);
    expect(bestOf(sweep)?.number).toBe(bestOf(local)?.number);
    expect(sweep.bestValue).toBe(local.bestValue);
    expect(bestOf(sweep)?.params).toEqual(bestOf(local)?.params);
    // SIGTERM: the survivor finishes what it holds (nothing now) and exits cleanly.
    expect(await survivor.stop('SIGTERM')).toBe(0);
  }, 600_000);

  it('loses nothing when Redis restarts mid-sweep', async () => {
    await startWorker('worker-c', 0);
    await startWorker('worker-d', 1);
    const ended = call<Sweep>('sweeps.start', { ...SWEEP, trials: 8, seed: 5, where: 'fleet' });
    await progressUntil((p) => p.trialsDone >= 2);
    await redis.restart();
    await checkRecordedOnce(await ended, 8);
  }, 600_000);
});
