// The datasets experience in the browser UI: import by drop and by the file chooser, the profile,
// the rows table with engine-side sort and filter, and type correction.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canRun, dropFile, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const IRIS_LIKE = [
  'id,species,petal_length,in_stock,measured_on',
  ...Array.from({ length: 120 }, (_, i) => {
    const species = ['setosa', 'versicolor', 'virginica'][i % 3];
    return `${i + 1},${species},${(1 + ((i * 37) % 60) / 10).toFixed(1)},${i % 4 === 0 ? 'false' : 'true'},2024-01-${String((i % 28) + 1).padStart(2, '0')}`;
  }),
].join('\n');

describe.skipIf(!canRun)('datasets in the browser UI', () => {
  let ui: CairnUi;
  let page: Page;
  useAppPerTest((app) => ({ ui, page } = app));

  it('imports a dropped CSV and shows its profile and rows', async () => {
    // The token leaves the address bar once the cookie holds it.
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await expect(page.getByTestId('data-folder').textContent()).resolves.toBe(ui.home);
    await page.getByTestId('empty-state').waitFor();
    await shot(page, '01-empty');

    await dropFile(page, 'flowers.csv', IRIS_LIKE);
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-created')).toBe('true');
    expect(await outcome.textContent()).toContain('version 1');

    const view = page.getByTestId('dataset-view');
    await view.waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toBe('flowers');
    expect(await page.getByTestId('row-count').textContent()).toBe('120');
    expect(await page.getByTestId('column-count').textContent()).toBe('5');

    // Types as inferred, one select per column in the schema list.
    const typeOf = (column: string) =>
      page.locator(`[data-testid="schema-row"][data-column="${column}"]`).getByTestId('type-select');
    expect(await typeOf('petal_length').inputValue()).toBe('numeric');
    expect(await typeOf('species').inputValue()).toBe('categorical');
    expect(await typeOf('in_stock').inputValue()).toBe('boolean');
    expect(await typeOf('measured_on').inputValue()).toBe('datetime');

    // A numeric column shows a histogram drawn by ECharts on a canvas.
    await page.locator('[data-testid="schema-row"][data-column="petal_length"]').click();
    await page.locator('[data-testid="column-detail"][data-column="petal_length"]').waitFor();
    await page.getByTestId('histogram').locator('canvas').waitFor();
    expect(await page.locator('[data-stat="missing"]').textContent()).toContain('0');
    await shot(page, '02-profile');
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(page, `02-profile-${width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });

    // A categorical column shows its top values.
    await page.locator('[data-testid="schema-row"][data-column="species"]').click();
    await page.getByTestId('top-values').locator('canvas').waitFor();

    // Rows: the first cell is the row number.
    const grid = page.getByTestId('rows-grid');
    const firstRow = grid.getByTestId('data-row').first();
    await expect.poll(() => firstRow.getByRole('rowheader').textContent()).toBe('1');
    expect(await page.getByTestId('rows-status').getAttribute('data-total')).toBe('120');
    await shot(page, '03-rows');

    // About: the training backend in use and the data folder, as `cairn doctor` reports them.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'About' }).click();
    const about = page.getByTestId('about');
    await about.waitFor();
    expect(await about.textContent()).toContain(ui.home);
    expect(await about.getByRole('row', { name: /duckdb/ }).count()).toBe(1);
    await shot(page, '15-about');
  });

  it('sorts and filters rows in the engine, and corrects a column type', async () => {
    const file = path.join(ui.home, 'scores.csv');
    await writeFile(
      file,
      ['name,score,code', 'ann,3.5,10', 'bob,9.25,20', 'cy,,30', 'dee,1.0,40', 'eve,7.75,50'].join('\n'),
    );
    // The file chooser: a real <input type=file>, so setInputFiles works as a user's choice does.
    await page.getByTestId('import-file-input').setInputFiles(file);
    await page.getByTestId('dataset-view').waitFor();
    const grid = page.getByTestId('rows-grid');
    const status = page.getByTestId('rows-status');
    await expect.poll(() => status.getAttribute('data-total')).toBe('5');

    const firstCells = () =>
      grid
        .getByTestId('data-row')
        .evaluateAll((rows) => rows.map((r) => r.querySelector('[role="gridcell"]')?.textContent ?? '').join(','));

    // Sort by score, descending after a second click; nulls stay last either way.
    const header = grid.locator('[role="columnheader"][data-column="score"]');
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(firstCells).toBe('dee,ann,eve,bob,cy');
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(firstCells).toBe('bob,eve,ann,dee,cy');

    // Filter: score > 3 leaves three rows; then "is empty" finds the missing one.
    await page.getByLabel('Filter operator for score').selectOption('gt');
    await page.getByLabel('Filter score').fill('3');
    await expect.poll(() => status.getAttribute('data-total')).toBe('3');
    await expect.poll(firstCells).toBe('bob,eve,ann');
    await shot(page, '04-sorted-filtered');
    await page.getByLabel('Filter operator for score').selectOption('is_null');
    await expect.poll(() => status.getAttribute('data-total')).toBe('1');
    await expect.poll(firstCells).toBe('cy');
    await page.getByRole('button', { name: 'Clear sort and filters' }).click();
    await expect.poll(() => status.getAttribute('data-total')).toBe('5');

    // Type correction: the integer column "code" becomes categorical; the profile follows.
    const codeType = page.locator('[data-testid="schema-row"][data-column="code"]').getByTestId('type-select');
    expect(await codeType.inputValue()).toBe('integer');
    await page.locator('[data-testid="schema-row"][data-column="code"]').click();
    await codeType.selectOption('categorical');
    const detail = page.locator('[data-testid="column-detail"][data-column="code"]');
    await expect.poll(() => detail.getAttribute('data-type')).toBe('categorical');
    await page.getByTestId('top-values').locator('canvas').waitFor();
    expect(await detail.textContent()).toContain('Corrected from integer');
    await shot(page, '05-type-corrected');

    // The correction is kept: a reload shows it again.
    await page.reload();
    await page.locator('[data-testid="schema-row"][data-column="code"]').waitFor();
    expect(
      await page.locator('[data-testid="schema-row"][data-column="code"]').getByTestId('type-select').inputValue(),
    ).toBe('categorical');

    // A change that would invalidate most values asks first, saying how many; Cancel keeps the type.
    const nameRow = page.locator('[data-testid="schema-row"][data-column="name"]');
    const nameType = nameRow.getByTestId('type-select');
    const before = await nameType.inputValue();
    await nameType.selectOption('numeric');
    const confirm = page.getByTestId('type-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('5 of 5 values (100%)');
    await shot(page, '05b-type-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await nameType.inputValue()).toBe(before);
    expect(await nameRow.getByTestId('invalid-badge').count()).toBe(0);

    // Confirmed, the invalid values show plainly in the schema list and the column detail.
    await nameType.selectOption('numeric');
    await confirm.getByTestId('type-confirm-submit').click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => nameRow.getByTestId('invalid-badge').textContent()).toBe('5 invalid');
    await nameRow.click();
    const note = page.locator('[data-testid="column-detail"][data-column="name"]').getByTestId('invalid-note');
    expect(await note.textContent()).toContain('5 of 5 values (100%) cannot be read as numeric');
    await shot(page, '05c-type-invalid');
  });
});
