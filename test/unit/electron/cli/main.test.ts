// Runs the real `cairn` command as a child process, as scripts and CI do.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCairn } from './run-cairn.js';

let dir: string;
let home: string;

const cairn = (...args: string[]) => runCairn(home, args);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
  home = path.join(dir, 'home');
  writeFileSync(path.join(dir, 'flowers.csv'), 'petal,kind\n1.5,a\n2.5,b\n3.5,a\n');
  writeFileSync(path.join(dir, 'ragged.csv'), 'a,b\n1,2\n3\n4,5\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn CLI', () => {
  it('prints help', () => {
    const r = cairn('--help');
    expect(r.code).toBe(0);
    for (const verb of ['import', 'datasets', 'ui', 'doctor']) expect(r.stdout).toContain(verb);
  });

  it('imports with --json in the documented shape', () => {
    const r = cairn('import', path.join(dir, 'flowers.csv'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['columns', 'id', 'name', 'rows', 'version', 'warnings']);
    expect(out).toMatchObject({ name: 'flowers', version: 1, rows: 3 });
    const columns = out.columns as { name: string; type: string; missing: number; distinct: number }[];
    expect(columns.map((c) => [c.name, c.type, c.missing, c.distinct])).toEqual([
      ['petal', 'numeric', 0, 3],
      ['kind', 'categorical', 0, 2],
    ]);
  });

  it('lists and shows datasets by name and id', () => {
    const list = JSON.parse(cairn('datasets', 'list', '--json').stdout) as { id: string; name: string }[];
    expect(list.map((d) => d.name)).toEqual(['flowers']);
    const byName = cairn('datasets', 'show', 'flowers');
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('petal');
    const byId = JSON.parse(cairn('datasets', 'show', list[0]?.id ?? '', '--json').stdout) as {
      dataset: { name: string };
    };
    expect(byId.dataset.name).toBe('flowers');
  });

  it('fails with one paragraph on stderr and no stack', () => {
    const r = cairn('datasets', 'show', 'missing');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no dataset named');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = cairn('--debug', 'datasets', 'show', 'missing');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('reports malformed rows with their lines and imports them with --skip-bad-rows', () => {
    const fail = cairn('import', path.join(dir, 'ragged.csv'));
    expect(fail.code).not.toBe(0);
    expect(fail.stderr).toContain('line 3');
    const skip = cairn('import', path.join(dir, 'ragged.csv'), '--skip-bad-rows', '--json');
    expect(skip.code, skip.stderr).toBe(0);
    expect(JSON.parse(skip.stdout)).toMatchObject({ rows: 2 });
  });

  it('doctor names the data folder, backend and Electron state', () => {
    const r = cairn('doctor');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(home);
    expect(r.stdout).toMatch(/training backend: (tensorflow|wasm|cpu)/);
    expect(r.stdout).toMatch(/electron binary: +(present|not installed)/);
  });
});
