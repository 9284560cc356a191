// `cairn` (bin/cairn.js) runs the build only while it is at least as new as every source it is built
// from, and the TypeScript sources through tsx otherwise: a stale build must never run.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEntry } from '../../../scripts/build-freshness.mjs';

let root: string;

/**
 * Writes `file` under the temp root, it and its folders modified `secs` seconds into 2026 (a
 * folder's own time counts too: deleting a source changes it).
 */
function put(file: string, secs: number): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, '');
  const at = Date.UTC(2026, 0, 1) / 1000 + secs;
  for (let p = full; p !== root; p = path.dirname(p)) utimesSync(p, at, at);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cairn-freshness-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('cliEntry', () => {
  const sources = ['electron/cli/main.ts', 'electron/core/jobs/job-worker.ts', 'shared/api.ts', 'package.json'];

  it('runs the build when it is newer than every source', () => {
    for (const file of sources) put(file, 100);
    put('out/main/cli.js', 200);
    expect(cliEntry(root)).toEqual({ file: path.join(root, 'out/main/cli.js'), built: true });
  });

  it('runs the sources through tsx when any source, however deep, changed after the build', () => {
    for (const file of sources) put(file, 100);
    put('out/main/cli.js', 200);
    put('electron/core/jobs/job-worker.ts', 300);
    expect(cliEntry(root)).toEqual({ file: path.join(root, 'electron/cli/main.ts'), built: false });
  });

  it('runs the sources when there is no build (a fresh clone)', () => {
    for (const file of sources) put(file, 100);
    expect(cliEntry(root).built).toBe(false);
  });

  it('runs the build in a layout that holds only the build', () => {
    put('out/main/cli.js', 200);
    expect(cliEntry(root).built).toBe(true);
  });
});
