// `cairn runs list --query EXPR [--group-by FIELD] [--json]` over runs seeded into the data folder:
// the runs the query keeps, groups with their spreads, and a refused query's column on stderr.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../../electron/core/db/open.js';
import type { RunGroups, RunSummary } from '../../../../shared/api.js';
import { sampleRuns, seedRuns } from '../core/db/seed-runs.js';
import { cliWorkspace } from './run-cairn.js';

const ws = cliWorkspace('cairn-cli-runs-query-');
// Finished runs only: a host opening app.db marks queued runs of no living host interrupted.
const RUNS = sampleRuns(30, 5).filter((r) => r.status !== 'queued');

beforeAll(() => {
  const db = openDb(path.join(ws.home, 'app.db'));
  try {
    seedRuns(db, RUNS);
  } finally {
    db.close();
  }
});

describe('cairn runs list --query', () => {
  it('prints the runs the query keeps as JSON, newest first', () => {
    const list = ws.json<RunSummary[]>('runs', 'list', '--query', 'model = "gbdt" OR test.accuracy > 0.5');
    const expected = RUNS.filter((r) => r.model === 'gbdt' || (r.test?.accuracy ?? 0) > 0.5);
    expect(expected.length).toBeGreaterThan(0);
    expect(list.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it('prints a table', () => {
    const r = ws.cairn('runs', 'list', '--query', 'status = failed');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^id\s+status\s+dataset/);
  });

  it('groups with each metric’s mean and spread', () => {
    const g = ws.json<RunGroups>(
      'runs',
      'list',
      '--query',
      'status = succeeded',
      '--group-by',
      'model',
      '--metric',
      'test.accuracy',
    );
    expect(g.groupBy).toBe('model');
    expect(g.metrics).toEqual(['test.accuracy']);
    const mlp = RUNS.filter((r) => r.status === 'succeeded' && r.model === 'mlp');
    expect(g.groups.find((x) => x.key === 'mlp')?.count).toBe(mlp.length);
    const text = ws.cairn('runs', 'list', '--group-by', 'model', '--metric', 'test.accuracy');
    expect(text.stdout.split('\n')[0]).toMatch(/^model\s+runs\s+test\.accuracy$/);
    expect(text.stdout).toMatch(/\d\.\d{4} ± \d\.\d{4} \(n=\d+\)/);
  });

  it('refuses a query it cannot read: the column on stderr, under the query, and a non-zero exit', () => {
    const r = ws.cairn('runs', 'list', '--query', 'model = "gbdt" AND params.foo > 1');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^cairn: unknown field params\.foo at column 20; known: params\.epochs, /);
    expect(lines[1]).toBe('  model = "gbdt" AND params.foo > 1');
    expect(lines[2]).toBe(`  ${' '.repeat(19)}^^^^^^^^^^`);
  });
});
