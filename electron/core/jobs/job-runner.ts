// The host's side of long work (DESIGN.md, "Long work runs out of the host's process"): start a
// job in its own process, relay its progress, cancel it, and turn its exit into one outcome.
import { randomUUID } from 'node:crypto';
import { CairnError, fromApiError } from '../errors.js';
import type { HostToJob, JobInputs, JobOutputs, JobProcessKind, JobProgresses, SpawnJobProcess } from './protocol.js';

export interface JobHandle<K extends JobProcessKind> {
  id: string;
  /** Settles once: the job's output, or a CairnError (code 'cancelled' after cancel()). */
  done: Promise<JobOutputs[K]>;
  cancel(): void;
}

/** Starts and tracks job processes. */
export class JobRunner {
  private readonly running = new Map<string, { cancel(): void }>();

  constructor(private readonly spawn: SpawnJobProcess) {}

  start<K extends JobProcessKind>(
    kind: K,
    input: JobInputs[K],
    onProgress: (progress: JobProgresses[K]) => void,
    id: string = randomUUID(),
  ): JobHandle<K> {
    const child = this.spawn();
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
  }
}
