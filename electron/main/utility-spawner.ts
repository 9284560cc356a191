// Job and endpoint processes in the desktop app: Electron's utilityProcess, which runs Node
// without a window and whose crash fails one job or restarts one endpoint, never the app
// (DESIGN.md, "Long work runs out of the host's process").
import { utilityProcess } from 'electron';
import type { HostToJob, JobProcess, JobToHost, SpawnJobProcess } from '../core/jobs/protocol.js';
import type {
  EndpointProcess,
  EndpointToHost,
  HostToEndpoint,
  SpawnEndpointProcess,
} from '../core/serving/protocol.js';

/** One utilityProcess as core's process handles want it, whatever it speaks. */
export interface UtilityChild<In, Out> {
  /** Known once the process has started; undefined before and after. */
  readonly pid: number | undefined;
  send(message: In): void;
  onMessage(listener: (message: Out) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** SIGTERM on POSIX: the process may finish what it does, then exit. */
  terminate(): void;
  /** SIGKILL where the pid is known, else the same as terminate. */
  kill(): void;
}

/** Forks a bundled entry (out/main/<name>.js) as a utilityProcess. */
export function forkUtility<In, Out>(modulePath: string, serviceName: string): UtilityChild<In, Out> {
  const child = utilityProcess.fork(modulePath, [], { serviceName, stdio: 'inherit' });
  // Messages wait for 'spawn' so none is posted to a process that is still starting, and are
  // dropped once it has exited (postMessage to a dead process throws).
  let spawned = false;
  let exited = false;
  const pending: In[] = [];
  child.once('spawn', () => {
    spawned = true;
    for (const message of pending.splice(0)) child.postMessage(message);
  });
  child.once('exit', () => {
    exited = true;
    pending.length = 0;
  });
  return {
    get pid() {
      return exited ? undefined : child.pid;
    },
    send: (message) => {
      if (exited) return;
      if (spawned) child.postMessage(message);
      else pending.push(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as Out)),
    // utilityProcess reports an exit code only, also for a process ended by a signal.
    onExit: (listener) => child.once('exit', (code: number) => listener(code, null)),
    terminate: () => {
      if (!exited) child.kill();
    },
    kill: () => {
      if (exited) return;
      const pid = child.pid;
      if (pid === undefined) child.kill();
      else process.kill(pid, 'SIGKILL');
    },
  };
}

/** A SpawnJobProcess that forks the bundled job worker (out/main/job-worker.js). */
export function utilitySpawner(workerPath: string): SpawnJobProcess {
  return () => {
    const child = forkUtility<HostToJob, JobToHost>(workerPath, 'Cairn job');
    return {
      send: (message) => child.send(message),
      onMessage: (listener) => child.onMessage(listener),
      onExit: (listener) => child.onExit((code) => listener(code)),
      // A cancelled job has nothing worth finishing: SIGTERM ends it (job-worker sets no handler).
      kill: () => child.terminate(),
    } satisfies JobProcess;
  };
}

/** A SpawnEndpointProcess that forks the bundled endpoint process (out/main/endpoint-process.js). */
export function utilityEndpointSpawner(entryPath: string): SpawnEndpointProcess {
  return () => {
    const child = forkUtility<HostToEndpoint, EndpointToHost>(entryPath, 'Cairn endpoint');
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.send(message),
      onMessage: (listener) => child.onMessage(listener),
      onExit: (listener) => child.onExit(listener),
      terminate: () => child.terminate(),
      kill: () => child.kill(),
    } satisfies EndpointProcess;
  };
}
