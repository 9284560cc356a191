import { moduleForker } from '../fork-module.js';
import type { EndpointProcess, EndpointToHost, HostToEndpoint, SpawnEndpointProcess } from './protocol.js';

/**
 * Launches endpoint processes with child_process.fork (fork-module.ts), as jobs/fork-spawner does
 * for jobs. Electron passes its own spawner built on utilityProcess.
 */
export function forkEndpointSpawner(env: NodeJS.ProcessEnv = process.env): SpawnEndpointProcess {
  const start = moduleForker(import.meta.url, 'endpoint-process', 'endpoint entry');
  return () => {
    const child = start(env);
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
