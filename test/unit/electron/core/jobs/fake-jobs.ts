// Job processes the test drives by hand, for the run queue and the sweep runner: a train job
// reports the epochs and ends the way the test says, when it says; an explain job answers at once;
// an import job is a real one (the datasets the runs read are real). Every train job is kept with
// its input, so a test can count those alive at once and read how each was asked to train.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { ApiErrorShape, Explanation } from '../../../../../shared/api.js';
import { forkSpawner } from '../../../../../electron/core/jobs/fork-spawner.js';
import { samplePath } from '../../../../../electron/core/samples.js';
import { CairnService, type ServiceOptions } from '../../../../../electron/core/service.js';
import type {
  HostToJob,
  JobInputs,
  JobProcess,
  JobToHost,
  SpawnJobProcess,
} from '../../../../../electron/core/jobs/protocol.js';

/** What every explain job answers: the host records it as it comes. */
export const FAKE_EXPLANATION = { method: 'linear', importance: [] } as unknown as Explanation;

/** A train job the test ends. */
export interface FakeTrainJob {
  input: JobInputs['train'];
  /** Alive until it answered or was killed. */
  alive: boolean;
  killed: boolean;
  /** Sends one epoch's progress with this validation loss. */
  epoch(epoch: number, valLoss: number): void;
  /** Ends with a saved model whose validation (and test) accuracy is `accuracy`. */
  succeed(accuracy: number): Promise<void>;
  fail(error: ApiErrorShape): void;
}

export class FakeJobs {
  readonly train: FakeTrainJob[] = [];
  /** The explain jobs' inputs, in order. */
  readonly explained: JobInputs['explain'][] = [];
  /** The most train jobs alive at one time. */
  maxAlive = 0;
  private readonly real = forkSpawner();
  private readonly waiters = new Set<() => void>();

  get alive(): FakeTrainJob[] {
    return this.train.filter((j) => j.alive);
  }

  /** Resolves once `holds` is true, checked now and after every change of a fake job. */
  until(holds: () => boolean): Promise<void> {
    if (holds()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!holds()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  readonly spawn: SpawnJobProcess = () => {
    let onMessage: (m: JobToHost) => void = () => undefined;
    let onExit: (code: number | null) => void = () => undefined;
    let job: FakeTrainJob | undefined;
    let real: JobProcess | undefined;
    const post = (m: JobToHost) => queueMicrotask(() => onMessage(m));
    const end = (m: JobToHost) => {
      if (!job?.alive) return;
      job.alive = false;
      post(m);
      this.changed();
    };
    return {
      send: (message: HostToJob) => {
        if (message.kind === 'import') {
          real = this.real();
          real.onMessage(onMessage);
          real.onExit(onExit);
          real.send(message);
          return;
        }
        if (message.kind === 'explain') {
          this.explained.push(message.input);
          post({ type: 'done', output: FAKE_EXPLANATION });
          return;
        }
        const input = message.input;
        job = {
          input,
          alive: true,
          killed: false,
          epoch: (epoch, valLoss) =>
            post({
              type: 'progress',
              progress: {
                epoch,
                epochs: 10,
                logs: { loss: valLoss, val_loss: valLoss },
                etaMs: 0,
                fraction: epoch / 10,
              },
            }),
          succeed: async (accuracy) => {
            const artifactDir = path.join(input.workDir, 'model');
            await mkdir(artifactDir, { recursive: true });
            // An empty but well-formed artifact manifest: what a take-in from the fleet checks.
            const manifest = JSON.stringify({ format: 'cairn-artifact/1', files: {} });
            await writeFile(path.join(artifactDir, 'artifact.json'), manifest);
            end({
              type: 'done',
              output: {
                task: 'classification',
                modelKind: input.model.kind === 'auto' ? 'mlp' : (input.model.kind ?? 'mlp'),
                backend: 'fake',
                tfjsVersion: 'fake',
                params: { train: input.train },
                preprocess: {} as never,
                history: [],
                metrics: { test: { accuracy }, validation: { accuracy } },
                artifactDir,
                artifactSha256: createHash('sha256').update(manifest).digest('hex'),
              },
            });
          },
          fail: (error) => end({ type: 'error', error }),
        };
        this.train.push(job);
        this.maxAlive = Math.max(this.maxAlive, this.alive.length);
        this.changed();
      },
      onMessage: (listener) => {
        onMessage = listener;
      },
      onExit: (listener) => {
        onExit = listener;
      },
      kill: () => {
        if (real) return real.kill();
        if (!job?.alive) return;
        job.alive = false;
        job.killed = true;
        queueMicrotask(() => onExit(null));
        this.changed();
      },
    };
  };

  private changed(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** A test file's service whose jobs are fakes (see serviceWithFakeJobs). */
export interface FakeJobsService {
  /** This test's fakes: new before each test. */
  readonly fake: FakeJobs;
  readonly service: CairnService;
  /** Opens the service again on the same home (after a test closed it). */
  open(): Promise<void>;
}

/**
 * One service per test file on `home()`, iris imported once (a real import job), whose train and
 * explain jobs are each test's own fakes; closed after the file's tests.
 */
export function serviceWithFakeJobs(home: () => string, options: Partial<ServiceOptions> = {}): FakeJobsService {
  let fake = new FakeJobs();
  let service: CairnService | undefined;
  const open = async () => {
    service = await CairnService.open({ host: 'cli', ...options, home: home(), spawn: () => fake.spawn() });
  };
  beforeAll(async () => {
    await open();
    await service!.invoke('datasets.importNow', { path: samplePath('iris'), name: 'iris' });
  });
  beforeEach(() => {
    fake = new FakeJobs();
  });
  afterAll(async () => {
    await service?.close();
  });
  return {
    get fake() {
      return fake;
    },
    get service() {
      if (!service) throw new Error('the service is open only while the tests run');
      return service;
    },
    open,
  };
}
