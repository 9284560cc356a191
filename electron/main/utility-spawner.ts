// Job processes in the desktop app: Electron's utilityProcess, which runs Node without a window
// and whose crash fails one job, never the app (DESIGN.md, "Long work runs out of the host's process").
import { utilityProcess } from 'electron';
import type { HostToJob, JobProcess, JobToHost, SpawnJobProcess } from '../core/jobs/protocol.js';

/** A SpawnJobProcess that forks the bundled job worker (out/main/job-worker.js) as a utilityProcess. */
export function utilitySpawner(workerPath: string): SpawnJobProcess {
  return () => {
    const child = utilityProcess.fork(workerPath, [], {
      serviceName: 'Cairn job',
      stdio: 'inherit',
    });
    // Messages wait for 'spawn' so none is posted to a process that is still starting.
    let spawned = false;
    const pending: HostToJob[] = [];
    child.once('spawn', () => {
      spawned = true;
      for (const message of pending.splice(0)) child.postMessage(message);
    });
    return {
      send: (message) => {
        if (spawned) child.postMessage(message);
        else pending.push(message);
      },
      onMessage: (listener) => child.on('message', (message: unknown) => listener(message as JobToHost)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => {
        child.kill();
      },
    } satisfies JobProcess;
  };
}
