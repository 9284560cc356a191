// Schedules: a time missed while no host ran is caught up once on start (not once per missed
// time), a source refreshing already is not started again, and a source without a missed time waits.
import { describe, expect, it } from 'vitest';
import type { StoredSource } from '../../../../../electron/core/db/sources-repo.js';
import { SourceSchedules } from '../../../../../electron/core/sources/source-schedules.js';

function source(id: string, schedule: string, updatedAt: string): StoredSource {
  return {
    id,
    name: id,
    kind: 'url',
    url: 'https://example.invalid/x.csv',
    query: null,
    schedule,
    secretRef: null,
    allowRedirects: false,
    maxBytes: 1,
    dataset: id,
    createdAt: updatedAt,
    updatedAt,
  };
}

describe('source schedules', () => {
  it('catches up once on what was missed, skipping a source that is refreshing', async () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const sources = [
      // Daily at 06:00, last refreshed two days ago: two runs missed, one catch-up.
      source('missed', '0 6 * * *', '2026-12-05T07:00:00Z'),
      // Daily at 06:00, refreshed after today's run: nothing missed.
      source('fresh', '0 6 * * *', '2026-12-07T06:30:00Z'),
      // Missed, but a refresh of it runs now.
      source('busy', '*/5 * * * *', '2026-12-07T11:00:00Z'),
    ];
    const fired: [string, string][] = [];
    const schedules = new SourceSchedules({
      scheduled: () => sources,
      isRefreshing: (id) => id === 'busy',
      lastRefreshAt: (id) => (id === 'fresh' ? '2026-12-07T06:30:00Z' : undefined),
      refresh: async (name, trigger) => void fired.push([name, trigger]),
    });
    schedules.start(now);
    await schedules.close();
    expect(fired).toEqual([['missed', 'catch_up']]);
  });

  it('refreshes a source on its schedule while the host runs, and stops on close', async () => {
    const every = source('every', '* * * * * *', new Date().toISOString());
    let resolveFired: (trigger: string) => void = () => undefined;
    const fired = new Promise<string>((r) => (resolveFired = r));
    const schedules = new SourceSchedules({
      scheduled: () => [every],
      isRefreshing: () => false,
      lastRefreshAt: () => undefined,
      refresh: async (_name, trigger) => resolveFired(trigger),
    });
    schedules.start();
    expect(await fired).toBe('schedule');
    await schedules.close();
  });
});
