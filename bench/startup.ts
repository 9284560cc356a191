// `npm run bench -- startup [--runs N]`: how long the built `cairn` takes to print its help, against
// a bare `node -e 0` in the same run, and how long a job process takes to be ready (forked, its
// modules loaded, answering its first message). Targets (issue 16): help under 0.15 s, a job
// process ready in under 0.2 s. Medians of N runs, the two commands interleaved.
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostToJob, JobToHost } from '../electron/core/jobs/protocol.js';
import { intArg } from './args.js';
import { builtCairn } from './built-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = intArg('runs', 20, 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Wall time of one run of `node args` to its exit, in ms. */
function timed(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return performance.now() - start;
}

/**
 * From fork to a job process's first message about a job it was sent (an import of a file that
 * does not exist): the process's start and module loading, and no work.
 */
function jobReady(workDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = fork(path.join(root, 'out', 'main', 'job-worker.js'), [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // Its first word (the import's first progress report) says it has loaded and taken the job.
    child.once('message', (_m: JobToHost) => {
      resolve(performance.now() - start);
      child.kill();
    });
    child.once('error', reject);
    const message: HostToJob = {
      type: 'start',
      kind: 'import',
      input: { path: path.join(workDir, 'absent.csv'), badRows: 'fail', knownHashes: {}, workDir },
    };
    child.send(message);
  });
}

async function main(): Promise<void> {
  const cairn = builtCairn();
  const help: number[] = [];
  const bare: number[] = [];
  timed([cairn, '--help']); // warm the OS file cache for both
  timed(['-e', '0']);
  for (let i = 0; i < RUNS; i++) {
    help.push(timed([cairn, '--help']));
    bare.push(timed(['-e', '0']));
  }
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-startup-'));
  const ready: number[] = [];
  try {
    await jobReady(workDir);
    for (let i = 0; i < RUNS; i++) ready.push(await jobReady(workDir));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const ms = (v: number) => `${v.toFixed(0).padStart(5)} ms`;
  console.log(`\nstart-up, median of ${RUNS} runs (built CLI: ${path.relative(root, cairn)} -> out/main/cli.js)`);
  console.log(`  cairn --help                 ${ms(median(help))}   (target < 150 ms)`);
  console.log(`  node -e 0                    ${ms(median(bare))}`);
  console.log(`  ratio help / bare node       ${(median(help) / median(bare)).toFixed(2)}x`);
  console.log(`  job process ready            ${ms(median(ready))}   (target < 200 ms)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
