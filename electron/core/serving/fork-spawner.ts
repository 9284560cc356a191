import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EndpointProcess, EndpointToHost, HostToEndpoint, SpawnEndpointProcess } from './protocol.js';

/**
 * Launches endpoint processes with child_process.fork, as jobs/fork-spawner does for jobs: from
 * TypeScript sources (npm start, tests) through tsx, from a build as .js. Electron passes its own
 * spawner built on utilityProcess.
 */
export function forkEndpointSpawner(env: NodeJS.ProcessEnv = process.env): SpawnEndpointProcess {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const entry = path.join(path.dirname(here), fromSource ? 'endpoint-process.ts' : 'endpoint-process.js');
  if (!existsSync(entry)) throw new Error(`endpoint entry missing at ${entry}`);
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return () => {
    // The endpoint's stdout goes to the host's stderr: the host's stdout is the CLI's output.
    const child = fork(entry, [], { execArgv, env, stdio: ['ignore', 2, 'inherit', 'ipc'], serialization: 'advanced' });
    return {
      pid: child.pid,
      send: (message: HostToEndpoint) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as EndpointToHost)),
      onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
      terminate: () => child.kill('SIGTERM'),
      kill: () => child.kill('SIGKILL'),
    } satisfies EndpointProcess;
  };
}
