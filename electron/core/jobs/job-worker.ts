// Entry point of a job process. It takes one job, reports progress, sends its result and ends.
// A crash here fails this job only: the host sees the exit and records the failure.
import { importFile } from '../datasets/import-file.js';
import { toApiError } from '../errors.js';
import { crashInOneLine, exitWithParent } from '../exit-with-parent.js';
import type { HostToJob, JobProgresses, JobToHost, StartJob } from './protocol.js';
import { holdForever, holdsImport } from './test-hold.js';

interface Port {
  post(message: JobToHost): void;
  /** Sends the last message and ends the process once it has left (a big result takes a while). */
  finish(message: JobToHost): void;
  listen(listener: (message: HostToJob) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (ev: { data: unknown }) => void): void;
}

/** Electron's utilityProcess gives process.parentPort; child_process.fork gives process.send. */
function parentPort(): Port {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      // postMessage has no completion callback: the host ends this process when the result arrives.
      finish: (m) => electronPort.postMessage(m),
      listen: (l) => electronPort.on('message', (ev) => l(ev.data as HostToJob)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('job-worker must be started as a job process');
  return {
    post: (m) => send(m),
    // Exiting before the IPC write completes would drop the result; disconnecting lets the
    // process end by itself once the channel has flushed.
    finish: (m) => send(m, undefined, {}, () => process.disconnect()),
    listen: (l) => process.on('message', (m) => l(m as HostToJob)),
  };
}

async function run(message: StartJob, port: Port): Promise<void> {
  try {
    switch (message.kind) {
      case 'import': {
        const input = message.input;
        const report = (progress: JobProgresses['import']) => port.post({ type: 'progress', progress });
        // Loaded only by image imports: sharp's native library is of no use to a table's.
        const output =
          'kind' in input
            ? await (await import('../datasets/images/import-images.js')).importImages(input, report)
            : await importFile(input, report);
        if (holdsImport(message.input.path)) await holdForever();
        port.finish({ type: 'done', output });
        break;
      }
      case 'train': {
        // Loaded only by training jobs: TensorFlow.js costs an import job a second at start.
        const { runTraining } = await import('../training/run-training.js');
        const output = await runTraining(message.input, (progress) => port.post({ type: 'progress', progress }));
        port.finish({ type: 'done', output });
        break;
      }
      case 'explain': {
        const { explainSavedRun } = await import('../explain/explain-saved-run.js');
        port.finish({ type: 'done', output: await explainSavedRun(message.input) });
        break;
      }
    }
  } catch (err) {
    port.finish({ type: 'error', error: toApiError(err) });
  }
}

/**
 * Loads what a job of `kind` needs before it is asked for, while the host does something else. A
 * failure here is left to the job itself, which meets it again and reports it.
 */
async function prepare(kind: HostToJob['kind']): Promise<void> {
  if (kind !== 'train') return;
  await import('../training/run-training.js');
  const { selectBackend } = await import('../training/backend.js');
  await selectBackend();
}

// A job whose host has gone has nobody to report to: it ends at once, printing nothing.
exitWithParent();
crashInOneLine('cairn job');
const port = parentPort();
port.listen((message) => {
  if (message.type === 'prepare') prepare(message.kind).catch(() => undefined);
  if (message.type === 'start') void run(message, port);
});
