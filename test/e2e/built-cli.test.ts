// The built `cairn` (out/main/cli.js), as bin/cairn.js runs it once electron-vite has built:
// plain JavaScript, and the job processes it forks are the built out/main/job-worker.js (no tsx).
// Here because the e2e suite runs after the build (npm test, npm run test:e2e).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEntry } from '../../scripts/build-freshness.mjs';
import { HEAVY_PACKAGES, tracePackages } from '../support/loaded-packages.js';
import { cliWorkspace } from '../unit/electron/cli/run-cairn.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const ws = cliWorkspace('cairn-built-cli-', { 'flowers.csv': 'petal,kind\n1.5,a\n2.5,b\n3.5,a\n' });

describe('the built cairn command', () => {
  it('is what bin/cairn.js runs after a build', () => {
    expect(cliEntry(root)).toEqual({ file: path.join(root, 'out', 'main', 'cli.js'), built: true });
  });

  it('prints help', () => {
    const r = ws.cairn('--help');
    expect(r.code).toBe(0);
    for (const verb of ['import', 'train', 'serve']) expect(r.stdout).toContain(verb);
  });

  it('prints help without loading the contract, the databases, tfjs, sharp or the web server', () => {
    for (const args of [['--help'], ['import', '--help'], ['models', 'export', '--help'], ['monitor', '--help']]) {
      const r = tracePackages([path.join(root, 'bin', 'cairn.js'), ...args]);
      expect(r.code, r.stderr).toBe(0);
      // The build runs as plain JavaScript: no tsx either.
      expect(r.packages).toContain('commander');
      expect(r.packages.filter((p) => p === 'tsx' || (HEAVY_PACKAGES as readonly string[]).includes(p))).toEqual([]);
    }
  });

  it('imports a file through a built job process', () => {
    const r = ws.json<{ rows: number; columns: { name: string }[] }>('import', ws.file('flowers.csv'));
    expect(r.rows).toBe(3);
    expect(r.columns.map((c) => c.name)).toEqual(['petal', 'kind']);
  });
});
