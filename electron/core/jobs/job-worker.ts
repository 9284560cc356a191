// Entry point of a job process. It takes one job, reports progress, sends its result and exits.
// A crash here fails this job only: the host sees the exit and records the failure.
import { importFile } from '../datasets/import-file.js';
import { toApiError } from '../errors.js';
import type { HostToJob, JobToHost } from './protocol.js';

interface Port {
  post(message: JobToHost): void;
  listen(listener: (message: HostToJob) => void): void;
}

/** Electron's utilityProcess gives process.parentPort; child_process.fork gives process.send. */
function parentPort(): Port {
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (ev: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      listen: (l) => electronPort.on('message', (ev) => l(ev.data as HostToJob)),
    };
  }
  if (!process.send) throw new Error('job-worker must be started as a job process');
  return {
    post: (m) => process.send?.(m),
    listen: (l) => process.on('message', (m) => l(m as HostToJob)),
  };
}

async function run(message: HostToJob, port: Port): Promise<void> {
  try {
    switch (message.kind) {
      case 'import': {
        const output = await importFile(message.input, (progress) => port.post({ type: 'progress', progress }));
        port.post({ type: 'done', output });
        break;
      }
    }
  } catch (err) {
    port.post({ type: 'error', error: toApiError(err) });
  }
}

const port = parentPort();
port.listen((message) => {
  if (message.type === 'start') {
    void run(message, port).finally(() => setImmediate(() => process.exit(0)));
  }
});
