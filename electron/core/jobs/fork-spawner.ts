import { moduleForker } from '../fork-module.js';
import type { HostToJob, JobProcess, JobToHost, SpawnJobProcess } from './protocol.js';

/** Launches job processes with child_process.fork (fork-module.ts): the CLI's and the web host's way. */
export function forkSpawner(): SpawnJobProcess {
  const start = moduleForker(import.meta.url, 'job-worker', 'job worker');
  return () => {
    const child = start();
    return {
      send: (message: HostToJob) => child.send(message),
      onMessage: (listener) => child.on('message', (m) => listener(m as JobToHost)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    } satisfies JobProcess;
  };
}
