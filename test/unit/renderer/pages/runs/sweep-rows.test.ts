import { describe, expect, it } from 'vitest';
import { withSweepRows, type TableRow } from '../../../../../renderer/src/pages/runs/sweep-rows.js';
import { summary as makeRun } from './run-fixtures.js';

const describeRows = (rows: TableRow[]) =>
  rows.map((r) =>
    r.kind === 'sweep'
      ? `sweep ${r.sweepId} (${r.runs.map((x) => x.id).join(',')})`
      : `${r.trial ? '  ' : ''}${r.run.id}`,
  );

describe('withSweepRows', () => {
  const runs = [
    makeRun({ id: 'a' }),
    makeRun({ id: 't1', sweepId: 's' }),
    makeRun({ id: 'b' }),
    makeRun({ id: 't2', sweepId: 's' }),
    makeRun({ id: 'u1', sweepId: 'u' }),
  ];

  it('gathers trials under one collapsed row per sweep, where its first trial stood', () => {
    expect(describeRows(withSweepRows(runs, new Set()))).toEqual(['a', 'sweep s (t1,t2)', 'b', 'sweep u (u1)']);
  });

  it('lists an open sweep’s trials under its row in the table’s order', () => {
    expect(describeRows(withSweepRows(runs, new Set(['s'])))).toEqual([
      'a',
      'sweep s (t1,t2)',
      '  t1',
      '  t2',
      'b',
      'sweep u (u1)',
    ]);
  });

  it('leaves a table without sweeps as it is', () => {
    const plain = [makeRun({ id: 'x' }), makeRun({ id: 'y' })];
    expect(withSweepRows(plain, new Set())).toEqual(plain.map((run) => ({ kind: 'run', run, trial: false })));
  });
});
