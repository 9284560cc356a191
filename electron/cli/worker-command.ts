// `cairn worker --queue redis://... --store FOLDER`: a machine of the fleet. It registers itself,
// takes jobs from the queue and runs each in its own job process, as the app would. SIGTERM (or
// Ctrl-C) takes no new job, finishes those in hand, and exits 0.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { QUEUE_PASSWORD_ENV, parseNumber } from './common.js';
import { warn } from './output.js';

interface WorkerOptions {
  queue: string;
  store: string;
  concurrency: number;
  name?: string;
  lockMs?: number;
}

export function addWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('take training jobs from a fleet queue and run them here, each in its own job process')
    .requiredOption(
      '--queue <url>',
      `redis://[user:pass@]host:port[/db] or rediss:// (password also from $${QUEUE_PASSWORD_ENV})`,
    )
    .requiredOption('--store <folder>', "the store's folder, the one the app and every worker reach")
    .option('--concurrency <n>', 'jobs at once (each a job process)', parseNumber('int'), 1)
    .option('--name <name>', 'how the fleet shows this worker (default: host name and process id)')
    .addOption(
      new Option('--lock-ms <n>', "how long a job's lock lasts unrenewed (tests shorten it)")
        .argParser(parseNumber('int'))
        .hideHelp(),
    )
    .action(async (o: WorkerOptions) => {
      if (o.concurrency < 1) throw new Error('--concurrency must be at least 1');
      // Loaded here: the queue client and TensorFlow.js are of no use to `cairn --help`.
      const [{ startFleetWorker }, { openStore }, { parseQueueUrl, maskQueueUrl }, { forkSpawner }, env, backend] =
        await Promise.all([
          import('../core/fleet/fleet-worker.js'),
          import('../core/fleet/blob-store.js'),
          import('../core/fleet/queue-url.js'),
          import('../core/jobs/fork-spawner.js'),
          import('../core/environment.js'),
          import('../core/training/backend.js'),
        ]);
      const address = parseQueueUrl(o.queue, {
        passwordEnv: process.env[QUEUE_PASSWORD_ENV] ? QUEUE_PASSWORD_ENV : undefined,
      });
      const name = o.name ?? `${os.hostname()}-${process.pid}`;
      const worker = await startFleetWorker({
        address,
        store: await openStore(o.store),
        name,
        concurrency: o.concurrency,
        cacheDir: await mkdtemp(path.join(os.tmpdir(), 'cairn-worker-')),
        spawn: forkSpawner(),
        backend: (await backend.selectBackend()).name,
        cairnVersion: env.cairnVersion(),
        ...(o.lockMs !== undefined ? { lockMs: o.lockMs } : {}),
        log: (line) => warn(`${new Date().toISOString()} ${line}\n`),
      });
      warn(`worker ${name} ready: queue ${maskQueueUrl(o.queue)}, store ${o.store}, ${o.concurrency} at once\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          warn(`${signal}: taking no new job, finishing those in hand\n`);
          void worker.close().then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      warn(`worker ${name} stopped\n`);
    });
}
