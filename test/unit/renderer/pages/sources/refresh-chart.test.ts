// The source page's chart and progress line: rows per refresh oldest first, split by whether the
// refresh made a version, failures marked on the axis; a refresh's progress said in words.
import { describe, expect, it } from 'vitest';
import type { SourceRefresh } from '../../../../../shared/api.js';
import { refreshChartOption } from '../../../../../renderer/src/pages/sources/refresh-chart.js';
import { describeRefresh } from '../../../../../renderer/src/pages/sources/refresh-progress.js';

const refresh = (status: SourceRefresh['status'], rows: number | null, at: string): SourceRefresh => ({
  id: at,
  source: 'orders',
  trigger: 'manual',
  status,
  startedAt: at,
  endedAt: status === 'running' ? null : at,
  seconds: status === 'running' ? null : 1,
  rows,
  changed: status === 'changed',
  version: rows === null ? null : 1,
  versionId: null,
  error: null,
  notes: [],
});

describe('the rows-per-refresh chart', () => {
  it('plots ended refreshes oldest first: new versions, unchanged ones, and failures at 0', () => {
    const option = refreshChartOption([
      refresh('running', null, '2026-12-08T10:00:04Z'),
      refresh('failed', null, '2026-12-08T10:00:03Z'),
      refresh('unchanged', 41, '2026-12-08T10:00:02Z'),
      refresh('changed', 40, '2026-12-08T10:00:01Z'),
    ]) as { xAxis: { data: string[] }; series: { name: string; data: (number | null)[] }[] };
    expect(option.xAxis.data).toHaveLength(3);
    expect(option.xAxis.data[0]).toMatch(/:01$/);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['new version', [40, null, null]],
      ['unchanged', [null, 41, null]],
      ['failed or cancelled', [null, null, 0]],
    ]);
  });
});

describe('a refresh in words', () => {
  it('says what it is doing', () => {
    expect(describeRefresh(undefined)).toBe('Connecting…');
    expect(describeRefresh({ source: 's', refreshId: 'r', phase: 'reading', rows: 20_000 })).toBe(
      'Reading · 20,000 rows',
    );
    expect(describeRefresh({ source: 's', refreshId: 'r', phase: 'reading', bytes: 1024, totalBytes: 4096 })).toBe(
      'Reading · 1.0 KB of 4.0 KB',
    );
    expect(describeRefresh({ source: 's', refreshId: 'r', phase: 'importing', rows: 5 })).toBe(
      'Importing 5 rows (profile and content hash)…',
    );
  });
});
