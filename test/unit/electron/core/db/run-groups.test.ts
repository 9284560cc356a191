import { describe, expect, it } from 'vitest';
import { groupRuns } from '../../../../../electron/core/db/run-groups.js';

describe('groupRuns', () => {
  it('keeps the spread of large values that differ little (no cancellation of squares)', () => {
    // Durations near 1e9 s that differ by 1: sum-of-squares formulas lose these to rounding.
    const rows = [1e9 + 1, 1e9 + 2, 1e9 + 3].map((x, i) => ({ id: `r${i}`, key: 'a', values: [x] }));
    const { groups } = groupRuns(rows, ['duration'], { keepEmpty: true });
    expect(groups[0]?.stats.duration).toEqual({ n: 3, mean: 1e9 + 2, std: 1 });
  });

  it('skips runs without the value, and has no spread below two runs', () => {
    const rows = [
      { id: 'a', key: 1, values: [0.5, null] },
      { id: 'b', key: 1, values: [null, null] },
      { id: 'c', key: 'x', values: [0.25, null] },
      { id: 'd', key: null, values: [0.75, null] },
    ];
    const { metrics, groups } = groupRuns(rows, ['test.accuracy', 'test.r2'], { keepEmpty: false });
    expect(metrics).toEqual(['test.accuracy']);
    expect(groups).toEqual([
      { key: 1, count: 2, runIds: ['a', 'b'], stats: { 'test.accuracy': { n: 1, mean: 0.5, std: null } } },
      { key: 'x', count: 1, runIds: ['c'], stats: { 'test.accuracy': { n: 1, mean: 0.25, std: null } } },
      { key: null, count: 1, runIds: ['d'], stats: { 'test.accuracy': { n: 1, mean: 0.75, std: null } } },
    ]);
  });

  it('orders text keys naturally and case-blind', () => {
    const rows = ['b10', 'B2', 'a'].map((key) => ({ id: key, key, values: [] }));
    expect(groupRuns(rows, [], { keepEmpty: true }).groups.map((g) => g.key)).toEqual(['a', 'B2', 'b10']);
  });
});
