// Failures read clearly (file and line named; malformed rows listed with a way to skip them), and
// versions behave: identical content creates nothing, changed content makes the next version.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const BAD = path.join(ROOT, 'test', 'fixtures', 'bad-input');

describe.skipIf(!canRun)('import errors and versions in the browser UI', () => {
  let ui: CairnUi;
  let page: Page;
  useAppPerTest((app) => ({ ui, page } = app));

  const choose = (file: string) => page.getByTestId('import-file-input').setInputFiles(file);
  const task = (state: string) => page.locator(`[data-testid="import-task"][data-state="${state}"]`);

  it('names the file when it is not a data table (a PNG renamed .csv)', async () => {
    await choose(path.join(BAD, 'image-renamed.csv'));
    const panel = task('failed').getByTestId('error-panel');
    await panel.waitFor();
    expect(await panel.getAttribute('data-code')).toBe('import_failed');
    const message = await panel.getByTestId('error-message').textContent();
    expect(message).toContain('image-renamed.csv');
    expect(message).toMatch(/PNG/i);
    expect(await panel.getByRole('button', { name: 'Skip these rows and import' }).count()).toBe(0);
    await shot(page, '06-error-png');
    await panel.getByRole('button', { name: 'Dismiss' }).click();
    await task('failed').waitFor({ state: 'detached' });
    await page.getByTestId('empty-state').waitFor();
  });

  it('names the line of an unclosed quote', async () => {
    await choose(path.join(BAD, 'unclosed-quote.csv'));
    const panel = task('failed').getByTestId('error-panel');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('unclosed-quote.csv');
    expect(text).toMatch(/line 3/);
  });

  it('lists ragged rows and imports without them when asked', async () => {
    await choose(path.join(BAD, 'ragged.csv'));
    const panel = task('failed').getByTestId('error-panel');
    await panel.waitFor();
    expect(await panel.getAttribute('data-code')).toBe('bad_rows');
    expect(await panel.getByTestId('error-message').textContent()).toContain('ragged.csv');
    const lines = await panel.getByTestId('bad-lines').locator('li').allTextContents();
    expect(lines.map((l) => /line (\d+)/.exec(l)?.[1])).toEqual(['3', '5']);
    await shot(page, '07-error-ragged');

    await panel.getByRole('button', { name: 'Skip these rows and import' }).click();
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-created')).toBe('true');
    expect(await outcome.textContent()).toContain('2 malformed rows skipped');
    expect(await page.getByTestId('row-count').textContent()).toBe('3');
    expect(await page.getByTestId('skipped-rows').textContent()).toBe('2');
    expect(await page.getByTestId('warnings').textContent()).toContain('skipped');
    await expect.poll(() => page.getByTestId('rows-status').getAttribute('data-total')).toBe('3');
    await shot(page, '08-skipped-rows');
  });

  it('creates nothing for identical content and a new version for changed content', async () => {
    const file = path.join(ui.home, 'sales.csv');
    await writeFile(file, 'region,amount\nnorth,10\nsouth,20\n');
    await choose(file);
    await expect.poll(() => page.getByTestId('import-outcome').getAttribute('data-created')).toBe('true');
    const firstHash = await page.getByTestId('content-hash').textContent();
    await page.getByRole('button', { name: 'Dismiss' }).click();

    // The same bytes again, even from another path: recognised by hash, nothing new.
    const copy = path.join(ui.home, 'copy', 'sales.csv');
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(file, copy);
    await choose(copy);
    const outcome = page.getByTestId('import-outcome');
    await expect.poll(() => outcome.getAttribute('data-created')).toBe('false');
    expect(await outcome.textContent()).toContain('nothing new was created');
    expect(await page.getByTestId('version-select').locator('option').count()).toBe(1);
    await shot(page, '09-unchanged');
    await page.getByRole('button', { name: 'Dismiss' }).click();

    // Changed content under the same name: version 2, with its own hash.
    await writeFile(file, 'region,amount\nnorth,10\nsouth,20\neast,30\n');
    await choose(file);
    await expect.poll(() => page.getByTestId('import-outcome').textContent()).toContain('version 2');
    await expect.poll(() => page.getByTestId('dataset-view').getAttribute('data-version')).toBe('2');
    expect(await page.getByTestId('row-count').textContent()).toBe('3');
    expect(await page.getByTestId('content-hash').textContent()).not.toBe(firstHash);
    const item = page.locator('[data-testid="dataset-item"][data-name="sales"]');
    // The list reloads separately from the view.
    await expect.poll(() => item.textContent()).toContain('2 versions');

    // Older versions stay readable, unchanged.
    await page.getByTestId('version-select').selectOption('1');
    await expect.poll(() => page.getByTestId('dataset-view').getAttribute('data-version')).toBe('1');
    expect(await page.getByTestId('row-count').textContent()).toBe('2');
    expect(await page.getByTestId('content-hash').textContent()).toBe(firstHash);
    await expect.poll(() => page.getByTestId('rows-status').getAttribute('data-total')).toBe('2');
    await shot(page, '10-versions');

    // The CLI shares the data folder: its import shows up as version 3.
    await writeFile(file, 'region,amount\nnorth,11\n');
    const cli = await ui.cli('import', file);
    expect(cli.code, cli.stderr).toBe(0);
    await page.reload();
    await item.waitFor();
    expect(await item.textContent()).toContain('3 versions');
  });
});
