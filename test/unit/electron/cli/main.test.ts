// Runs the real `cairn` command as a child process, as scripts and CI do.
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-', {
  'flowers.csv': 'petal,kind\n1.5,a\n2.5,b\n3.5,a\n',
  'ragged.csv': 'a,b\n1,2\n3\n4,5\n',
});

const { cairn } = ws;

describe('cairn CLI', () => {
  it('prints help', () => {
    const r = cairn('--help');
    expect(r.code).toBe(0);
    for (const verb of ['import', 'datasets', 'ui', 'doctor']) expect(r.stdout).toContain(verb);
  });

  it('imports with --json in the documented shape', () => {
    const r = cairn('import', ws.file('flowers.csv'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['columns', 'id', 'kind', 'name', 'rows', 'version', 'warnings']);
    expect(out.kind).toBe('table');
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
    const fail = cairn('import', ws.file('ragged.csv'));
    expect(fail.code).not.toBe(0);
    expect(fail.stderr).toContain('line 3');
    const skip = cairn('import', ws.file('ragged.csv'), '--skip-bad-rows', '--json');
    expect(skip.code, skip.stderr).toBe(0);
    expect(JSON.parse(skip.stdout)).toMatchObject({ rows: 2 });
  });

  it('doctor names the data folder, backend and Electron state', () => {
    const r = cairn('doctor');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(ws.home);
    expect(r.stdout).toMatch(/training backend: (tensorflow|wasm|cpu)/);
    expect(r.stdout).toMatch(/electron binary: +(present|not installed)/);
  });
});
