// `cairn worker` as a process of its own, as a machine of the fleet runs it: started (inside a
// network namespace when given its wrapper), ready once it says so, stopped by a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/cairn.js');

export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** What it printed to stderr so far (its log). */
  log(): string;
  /** Sends `signal` and resolves with its exit code once it has exited. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

export interface WorkerProcessOptions {
  name: string;
  queue: string;
  store: string;
  concurrency?: number;
  /** How long a job's lock lasts unrenewed: short, so a killed worker's job runs again soon. */
  lockMs?: number;
  /** Runs the command inside something (a network namespace's `ip netns exec`). */
  wrap?: (argv: string[]) => string[];
}

/** Starts a worker and resolves once it is ready; rejects with its output if it exits first. */
export function startWorkerProcess(o: WorkerProcessOptions): Promise<WorkerProcess> {
  const argv = [
    process.execPath,
    BIN,
    'worker',
    '--queue',
    o.queue,
    '--store',
    o.store,
    '--name',
    o.name,
    '--concurrency',
    String(o.concurrency ?? 1),
    ...(o.lockMs !== undefined ? ['--lock-ms', String(o.lockMs)] : []),
  ];
  const [command, ...args] = o.wrap ? o.wrap(argv) : argv;
  const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CAIRN_HOME: '' } });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const worker: WorkerProcess = {
    name: o.name,
    child,
    log: () => output,
    stop: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!output.includes(`worker ${o.name} ready`)) return;
      child.stderr?.off('data', onData);
      resolve(worker);
    };
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`cairn worker ${o.name} exited (${String(code)}): ${output}`)));
  });
}
