import { describe, expect, it } from 'vitest';
import type { RowsPage } from '../../../../shared/api.js';
import { RowPageCache } from '../../../../renderer/src/lib/row-cache.js';

const TOTAL = 1000;

/** A fetcher whose replies the test releases by hand, recording what was asked. */
function controlledFetcher() {
  const asked: Array<{ offset: number; limit: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  const fetch = (offset: number, limit: number) =>
    new Promise<RowsPage>((resolve, reject) => {
      const rows = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => [
        offset + i + 1,
        `r${offset + i}`,
      ]);
      asked.push({ offset, limit, resolve: () => resolve({ columns: ['v'], rows, total: TOTAL, offset }), reject });
    });
  return { asked, fetch };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RowPageCache', () => {
  it('loads the pages covering the wanted rows and serves rows from them', async () => {
    const { asked, fetch } = controlledFetcher();
    const cache = new RowPageCache(fetch, { pageSize: 100, concurrency: 4 });
    let changes = 0;
    cache.subscribe(() => changes++);
    cache.want(150, 260);
    expect(asked.map((a) => a.offset)).toEqual([100, 200]);
    expect(cache.row(150)).toBeUndefined();
    for (const a of asked) a.resolve();
    await tick();
    expect(cache.total).toBe(TOTAL);
    expect(cache.row(150)).toEqual([151, 'r150']);
    expect(cache.row(299)).toEqual([300, 'r299']);
    expect(changes).toBe(2);
    // Loaded pages are not fetched again.
    cache.want(120, 280);
    expect(asked).toHaveLength(2);
  });

  it('runs at most `concurrency` fetches and skips pages no longer wanted', async () => {
    const { asked, fetch } = controlledFetcher();
    const cache = new RowPageCache(fetch, { pageSize: 10, concurrency: 2 });
    cache.want(0, 59); // pages 0..5
    expect(asked.map((a) => a.offset)).toEqual([0, 10]);
    cache.want(500, 519); // the user scrolled far away
    asked[0]?.resolve();
    asked[1]?.resolve();
    await tick();
    // Pages 2..5 were passed over; only the new window is fetched.
    expect(asked.map((a) => a.offset)).toEqual([0, 10, 500, 510]);
  });

  it('evicts the oldest pages off screen beyond maxPages', async () => {
    const { asked, fetch } = controlledFetcher();
    const cache = new RowPageCache(fetch, { pageSize: 10, maxPages: 3, concurrency: 1 });
    for (const start of [0, 10, 20, 30, 40]) {
      cache.want(start, start + 9);
      asked[asked.length - 1]?.resolve();
      await tick();
    }
    expect(cache.has(40)).toBe(true);
    expect(cache.has(0)).toBe(false);
    expect([0, 10, 20, 30, 40].filter((r) => cache.has(r))).toHaveLength(3);
  });

  it('keeps the error of a failed page and asks again on the next want', async () => {
    const { asked, fetch } = controlledFetcher();
    const cache = new RowPageCache(fetch, { pageSize: 10 });
    cache.want(0, 5);
    asked[0]?.reject({ code: 'invalid_argument', message: 'filter on "x" needs a value' });
    await tick();
    expect(cache.error).toMatchObject({ code: 'invalid_argument' });
    expect(asked).toHaveLength(1);
    cache.want(0, 5);
    expect(asked).toHaveLength(2);
    asked[1]?.resolve();
    await tick();
    expect(cache.error).toBeUndefined();
  });

  it('drops replies after dispose', async () => {
    const { asked, fetch } = controlledFetcher();
    const cache = new RowPageCache(fetch, { pageSize: 10 });
    let changes = 0;
    cache.subscribe(() => changes++);
    cache.want(0, 5);
    cache.dispose();
    asked[0]?.resolve();
    await tick();
    expect(changes).toBe(0);
    expect(cache.row(0)).toBeUndefined();
  });
});
