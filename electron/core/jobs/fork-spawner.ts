import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostToJob, JobProcess, JobToHost, SpawnJobProcess } from './protocol.js';

/**
 * Launches job processes with child_process.fork: the CLI's and the web host's way. Running from
 * TypeScript sources (npm start, tests), the worker is loaded through tsx; from a build, as .js.
 */
export function forkSpawner(): SpawnJobProcess {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const worker = path.join(path.dirname(here), fromSource ? 'job-worker.ts' : 'job-worker.js');
  if (!existsSync(worker)) throw new Error(`job worker missing at ${worker}`);
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return () => {
    // A job's stdout goes to the host's stderr: the host's stdout is the CLI's --json output, and
    // libraries (TensorFlow.js's banner) print to stdout.
    const child = fork(worker, [], { execArgv, stdio: ['ignore', 2, 'inherit', 'ipc'], serialization: 'advanced' });
    return {
      send: (message: HostToJob) => child.send(message),
      onMessage: (listener) => child.on('message', (m) => listener(m as JobToHost)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    } satisfies JobProcess;
  };
}
