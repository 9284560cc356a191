// Issue 17, item 5: a job process whose host dies (the CLI SIGKILLed mid-training) ends within a
// second and prints nothing; an uncaught error in a job process is one line, never source.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCairn, startCairn } from '../unit/electron/cli/run-cairn.js';
import { seededRandom } from '../../electron/core/training/seeded-random.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-sec-orphan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 150,000 rows of five numbers, a colour and a label: an epoch holds a job's event loop for seconds. */
function wideEnoughCsv(rows = 150_000): string {
  const random = seededRandom(5);
  const lines = ['x1,x2,x3,x4,x5,color,label'];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 5 }, () => random() * 4 - 2);
    lines.push(
      `${x.map((v) => v.toFixed(3)).join(',')},${['red', 'green', 'blue'][i % 3]},${x[0]! + x[1]! > 0 ? 'yes' : 'no'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The pids of a process's children (Linux: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

/** Still running: a zombie has ended (its reaper may be slow in a container), so it does not count. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('a job process whose host is SIGKILLed', () => {
  it('ends within a second mid-training and writes nothing to the terminal', async () => {
    const csv = path.join(dir, 'rows.csv');
    writeFileSync(csv, wideEnoughCsv());
    const home = path.join(dir, 'home');
    // Imported first: `cairn train <file>`'s one progress bar would print its next plain line
    // (25 % steps) only when training ends.
    expect(runCairn(home, ['import', csv]).code).toBe(0);
    const cli = startCairn(home, ['train', 'rows', '--target', 'label', '--epochs', '8']);
    let job: number | undefined;
    try {
      // Non-TTY progress prints every 25 %: training is under way with epochs to go.
      await cli.waitFor(/% epoch \d+\/8/, 120_000, 'stderr');
      const jobs = childrenOf(cli.child.pid!);
      expect(jobs).toHaveLength(1);
      job = jobs[0]!;
      const printedBefore = cli.stderr().length;
      const stderrClosed = once(cli.child.stderr!, 'close');

      const killedAt = Date.now();
      process.kill(cli.child.pid!, 'SIGKILL');
      // Bounded wait for the state, then the bound itself is the assertion.
      while (running(job) && Date.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 10));
      const endedAfter = Date.now() - killedAt;
      expect(running(job), 'the job process still runs 10 s after its host died').toBe(false);
      expect(endedAfter).toBeLessThan(1000);

      // The job held the CLI's stderr: once it is gone the pipe closes, and all it wrote is in.
      await stderrClosed;
      expect(cli.stderr().slice(printedBefore)).toBe('');
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      if (job !== undefined && running(job)) process.kill(job, 'SIGKILL');
    }
  }, 180_000);
});

describe('an uncaught error in a job process', () => {
  it('prints one line, not the 20 KB source line that threw', () => {
    const module = pathToFileURL(path.resolve(import.meta.dirname, '../../electron/core/exit-with-parent.ts')).href;
    const script = path.join(dir, 'crash.mts');
    // The throw sits on a 20 KB line, as in tfjs's minified wasm glue; Node's default report quotes it.
    const padding = 'x'.repeat(20_000);
    writeFileSync(
      script,
      `import { crashInOneLine } from ${JSON.stringify(module)};\ncrashInOneLine('cairn job');\n` +
        `setTimeout(() => { const pad = '${padding}'; throw new Error('wasm went\\nwrong ' + pad.length); }, 0);\n`,
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = spawnSync(process.execPath, ['--import', tsx, script], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('cairn job: Error: wasm went wrong 20000\n');
    expect(r.stdout).toBe('');
  });
});
