// A Redis of the test's own: Debian's redis-server on a free loopback port, its data (append-only
// file, every write synced) in a temp folder, so a restart keeps the queue as a real deployment's
// would. Stop it after; restart() stops it and starts it again on the same port and data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, which saves) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A port nothing listens on now (the kernel's pick on 127.0.0.1). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once redis-server says it accepts connections; rejects with its output if it exits first. */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${String(code)}): ${output}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts redis-server on loopback, and on the addresses in `alsoBind` (a test's own network, such
 * as the host end of a network namespace's link); `url` names loopback, without `password` (which
 * the server then requires).
 */
export async function startRedis(options: { alsoBind?: string[]; password?: string } = {}): Promise<TestRedis> {
  const bind = ['127.0.0.1', ...(options.alsoBind ?? [])].join(' ');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        bind,
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'no',
        // BullMQ refuses a Redis that may evict its keys.
        '--maxmemory-policy',
        'noeviction',
        ...(options.password !== undefined ? ['--requirepass', options.password] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    await started(proc);
  };
  const halt = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
