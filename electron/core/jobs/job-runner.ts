// The host's side of long work (DESIGN.md, "Long work runs out of the host's process"): start a
// job in its own process, relay its progress, cancel it, and turn its exit into one outcome.
import { randomUUID } from 'node:crypto';
import { CairnError, fromApiError } from '../errors.js';
import type {
  HostToJob,
  JobInputs,
  JobOutputs,
  JobProcess,
  JobProcessKind,
  JobProgresses,
  SpawnJobProcess,
} from './protocol.js';

export interface JobHandle<K extends JobProcessKind> {
  id: string;
  /** Settles once: the job's output, or a CairnError (code 'cancelled' after cancel()). */
  done: Promise<JobOutputs[K]>;
  cancel(): void;
}

/** Starts and tracks job processes. */
export class JobRunner {
  private readonly running = new Map<string, { cancel(): void }>();
  /** Processes started ahead of a job of their kind (prepare), alive and not yet given one. */
  private readonly prepared = new Map<JobProcessKind, JobProcess>();

  constructor(private readonly spawn: SpawnJobProcess) {}

  /**
   * Starts the process of a job of `kind` that is about to be asked for, so it loads what that kind
   * needs (TensorFlow.js and its backend, for training: about a second) while the host does
   * something else, such as importing the file the CLI trains on. The next start() of that kind
   * takes it; cancelAll() ends it if none comes.
   */
  prepare(kind: JobProcessKind): void {
    if (this.prepared.has(kind)) return;
    const child = this.spawn();
    child.onExit(() => {
      if (this.prepared.get(kind) === child) this.prepared.delete(kind);
    });
    this.prepared.set(kind, child);
    child.send({ type: 'prepare', kind });
  }

  /** The prepared process of `kind`, handed over once, or a new one. */
  private processFor(kind: JobProcessKind): JobProcess {
    const ready = this.prepared.get(kind);
    this.prepared.delete(kind);
    return ready ?? this.spawn();
  }

  start<K extends JobProcessKind>(
    kind: K,
    input: JobInputs[K],
    onProgress: (progress: JobProgresses[K]) => void,
    id: string = randomUUID(),
  ): JobHandle<K> {
    const child = this.processFor(kind);
    let cancelled = false;
    let settled = false;
    const done = new Promise<JobOutputs[K]>((resolve, reject) => {
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.running.delete(id);
        fn();
        // The result is in: a worker that lingers (Electron's port cannot tell it the message left)
        // has nothing more to do.
        child.kill();
      };
      child.onMessage((message) => {
        if (message.type === 'progress') onProgress(message.progress as JobProgresses[K]);
        else if (message.type === 'done') settle(() => resolve(message.output as JobOutputs[K]));
        else settle(() => reject(fromApiError(message.error)));
      });
      child.onExit((code) =>
        settle(() =>
          reject(
            cancelled
              ? new CairnError('cancelled', 'cancelled')
              : new CairnError('internal', `the ${kind} process stopped unexpectedly (exit code ${String(code)})`),
          ),
        ),
      );
    });
    const cancel = () => {
      if (settled) return;
      cancelled = true;
      child.kill();
    };
    this.running.set(id, { cancel });
    child.send({ type: 'start', kind, input } as HostToJob);
    return { id, done, cancel };
  }

  cancel(id: string): boolean {
    const job = this.running.get(id);
    job?.cancel();
    return job !== undefined;
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.cancel();
    for (const child of this.prepared.values()) child.kill();
    this.prepared.clear();
  }
}
