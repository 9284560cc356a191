// Synthetic runs for the runs page's tests: scripts/seed-runs.ts into a `cairn ui`'s data folder.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './cairn-ui.js';

/** Adds `runs` finished synthetic runs (none left queued or running) to the data folder `home`. */
export function seedRuns(home: string, runs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'seed-runs.ts'), home, '--runs', String(runs), '--live', '0'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed-runs exited ${code}: ${err}`))));
  });
}
