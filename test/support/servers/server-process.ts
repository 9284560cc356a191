// What the database server starters share: a free loopback port, a server process whose readiness
// is a line it logs (never a sleep), and a stop that waits for the process to be gone.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

/** A port free on 127.0.0.1 now (the OS picks it; the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A database server a test started: where it listens, a password-protected user, and its end. */
export interface DatabaseServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `scheme://user@127.0.0.1:PORT/database`, without the password (as a source keeps it). */
  url: string;
  /** Runs SQL as an administrator through the server's own client (setup only: tables, rows). */
  sql: (statements: string) => Promise<string>;
  /** Stops the server and removes its folder. */
  stop: () => Promise<void>;
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the server logged, for a failure's message. */
  log: () => string;
  /** Asks the server to shut down (`signal`) and resolves once it has exited. */
  stop: (signal: NodeJS.Signals) => Promise<void>;
}

/**
 * Starts `command` and resolves once it logs a line matching `ready` (on stdout or stderr); rejects
 * with the log if it exits first or is not ready within `timeoutMs`.
 */
export function startServer(
  command: string,
  args: string[],
  ready: RegExp,
  options: SpawnOptions & { timeoutMs: number },
): Promise<ServerProcess> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${why}:\n${log}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${options.timeoutMs} ms`), options.timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve({ child, log: () => log, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  });
}
