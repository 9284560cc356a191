// Big and wide files: the import shows progress and can be cancelled; the rows table of 200,000
// rows scrolls to its end and sorts in the engine; a 300-column table pages its columns.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HOLD_IMPORT_ENV } from '../../electron/core/jobs/test-hold.js';
import { canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

/** The file name whose import job holds its result until cancelled (see test-hold.ts). */
const HELD_FILE = 'held.csv';

/** 200,000 rows x 10 columns (about 12 MB) from a fixed-seed generator. */
function bigCsv(rows: number, extra = ''): string {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const out = ['id,x1,x2,x3,n1,n2,cat,flag,day,note'];
  for (let i = 0; i < rows; i++) {
    out.push(
      `${i},${(rand() * 2 - 1).toFixed(5)},${(rand() * 100).toFixed(3)},${(-Math.log(1 - rand())).toFixed(4)},${Math.floor(rand() * 1000)},` +
        `${Math.floor(rand() * 101) - 50},${cats[Math.floor(rand() * 5)]},${rand() < 0.3},2024-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-` +
        `${String(1 + Math.floor(rand() * 28)).padStart(2, '0')},n${i % 97}`,
    );
  }
  return `${out.join('\n')}\n${extra}`;
}

describe.skipIf(!canRun)('large and wide datasets in the browser UI', () => {
  let ui: CairnUi;
  let page: Page;
  useAppPerTest((app) => ({ ui, page } = app), { env: { [HOLD_IMPORT_ENV]: HELD_FILE } });

  it('shows import progress, cancels, then imports 200,000 rows that scroll and sort', async () => {
    const file = path.join(ui.home, 'big.csv');
    const csv = bigCsv(200_000);
    await writeFile(file, csv);
    // The cancel needs an import that is still running when the click lands: held.csv's import
    // job holds its result until it is cancelled (CAIRN_TEST_HOLD_IMPORT), however fast it reads.
    const held = path.join(ui.home, HELD_FILE);
    await writeFile(held, csv);

    // Cancel while the engine reports progress: nothing is created.
    await page.getByTestId('import-file-input').setInputFiles(held);
    const running = page.locator('[data-testid="import-task"][data-state="importing"]');
    await running.getByRole('progressbar').and(page.locator('[aria-valuenow]')).waitFor();
    await shot(page, '11-import-progress');
    await running.getByTestId('cancel-import').click();
    const cancelled = page.locator('[data-testid="import-task"][data-state="cancelled"]');
    await cancelled.waitFor();
    await cancelled.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('empty-state').waitFor();

    await page.getByTestId('empty-import-file-input').setInputFiles(file);
    await page.getByTestId('import-outcome').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('row-count').textContent()).toBe('200,000');
    const status = page.getByTestId('rows-status');
    await expect.poll(() => status.getAttribute('data-total')).toBe('200000');

    // Jump to the end: the last rows load, numbered in file order.
    const grid = page.getByTestId('rows-grid');
    const started = Date.now();
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await grid.getByRole('rowheader', { name: '200,000', exact: true }).waitFor();
    const endMs = Date.now() - started;
    // And to the middle.
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await grid
      .getByRole('rowheader', { name: /^100,0\d\d$/ })
      .first()
      .waitFor();
    console.log(`e2e: 200k rows: end of table shown ${endMs} ms after the jump`);
    await expect.poll(() => grid.locator('.loading-cell').count()).toBe(0);
    await shot(page, '12-large-table');

    // Sort by x1 descending in the engine; the view returns to the top, largest first.
    const header = grid.locator('[role="columnheader"][data-column="x1"]');
    await header.getByRole('button').click();
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    // The header changes a render before the rows do: wait until the rows shown are the sorted
    // query's (data-sort names the query the row cache holds), then until its first page arrived.
    await expect.poll(() => status.getAttribute('data-sort')).toBe('x1:desc');
    // The first five positions of the sorted order (aria-rowindex 3-7: two header rows come first).
    const x1 = () =>
      grid.getByTestId('data-row').evaluateAll((rows) =>
        rows
          .filter((r) => Number(r.getAttribute('aria-rowindex')) <= 7)
          .map((r) => Number(r.querySelectorAll('[role="gridcell"]')[1]?.textContent ?? 'NaN'))
          .filter((n) => !Number.isNaN(n)),
      );
    await expect.poll(async () => (await x1()).length).toBe(5);
    const top = await x1();
    expect(top).toHaveLength(5);
    expect([...top].sort((a, b) => b - a)).toEqual(top);
    expect(top[0]).toBeGreaterThan(0.99);
  });

  it("scrolls a million rows end to end (past the browser's element height limit)", async () => {
    const lines = ['i,v'];
    for (let i = 1; i <= 1_000_000; i++) lines.push(`${i},${i % 7}`);
    const file = path.join(ui.home, 'million.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    await page.getByTestId('empty-import-file-input').setInputFiles(file);
    await page.getByTestId('import-outcome').waitFor({ timeout: 90_000 });
    const grid = page.getByTestId('rows-grid');
    await expect.poll(() => page.getByTestId('rows-status').getAttribute('data-total')).toBe('1000000');

    // Row positions inside the visible part of the grid, by their number.
    const visibleNumbers = () =>
      grid.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return [...el.querySelectorAll('[data-testid="data-row"]')]
          .filter((r) => {
            const b = r.getBoundingClientRect();
            return b.top >= box.top + 60 - 1 && b.bottom <= box.bottom + 1;
          })
          .map((r) => Number((r.querySelector('[role="rowheader"]')?.textContent ?? '').replace(/,/g, '')))
          .filter((n) => n > 0);
      });
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await visibleNumbers()).at(-1)).toBe(1_000_000);
    const end = await visibleNumbers();
    // Consecutive rows, none overlapping or missing.
    expect(end).toEqual(end.map((_, i) => (end[0] ?? 0) + i));
    await grid.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    await expect.poll(async () => Math.abs(((await visibleNumbers())[0] ?? 0) - 500_000)).toBeLessThan(1000);
    await grid.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await visibleNumbers())[0]).toBe(1);
  });

  it('pages the columns of a wide table', async () => {
    const columns = 300;
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    const rows = Array.from({ length: 40 }, (_, r) =>
      Array.from({ length: columns }, (_, c) => (r * 7 + c) % 13).join(','),
    );
    const file = path.join(ui.home, 'wide.csv');
    await writeFile(file, [header, ...rows].join('\n'));
    await page.getByTestId('empty-import-file-input').setInputFiles(file);
    await page.getByTestId('import-outcome').waitFor({ timeout: 90_000 });

    const grid = page.getByTestId('rows-grid');
    expect(await grid.getAttribute('aria-colcount')).toBe('51');
    await expect.poll(() => page.getByTestId('rows-status').getAttribute('data-total')).toBe('40');
    await grid.locator('[role="columnheader"][data-column="c0"]').waitFor();
    await page.getByRole('button', { name: 'Next columns' }).click();
    await grid.locator('[role="columnheader"][data-column="c50"]').waitFor();
    expect(await grid.locator('[role="columnheader"][data-column="c0"]').count()).toBe(0);
    // The second page's first cell: row 1, column c50 = (0 * 7 + 50) % 13.
    await expect
      .poll(() => grid.getByTestId('data-row').first().locator('[role="gridcell"]').first().textContent())
      .toBe(String(50 % 13));

    // The schema list is virtualized: far fewer rows in the DOM than columns; search finds any.
    expect(await page.getByTestId('schema-row').count()).toBeLessThan(40);
    await page.getByLabel('Find column').fill('c299');
    await page.locator('[data-testid="schema-row"][data-column="c299"]').waitFor();
    await shot(page, '13-wide');
  });
});
