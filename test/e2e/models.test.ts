// The Models page in the browser UI: versions with lineage and aliases as badges, a version's
// card, notes and tags; setting and moving an alias with a reason, rolling it back; a refused
// and a confirmed delete; exporting a bundle and importing it again.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { classificationCsv } from '../unit/electron/core/training/data.js';
import { canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

async function setAlias(version: number, alias: string, reason: string): Promise<void> {
  await page.locator(`[data-testid="version-row"][data-version="${version}"]`).click();
  await page.locator(`[data-testid="version-panel"][data-version="${version}"]`).waitFor();
  await page.getByTestId('set-alias').click();
  await page.getByTestId('alias-dialog').waitFor();
  await page.getByTestId('alias-name').fill(alias);
  await page.getByTestId('alias-reason').fill(reason);
  await page.getByTestId('alias-dialog-submit').click();
  await page.getByTestId('alias-dialog').waitFor({ state: 'detached' });
}

const aliasesOf = (version: number) =>
  page.locator(`[data-testid="version-row"][data-version="${version}"] [data-testid="alias-badge"]`);

describe.skipIf(!canRun)('models page', () => {
  it('shows versions, moves and rolls back an alias, guards deletes and exports', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-models-'));
    writeFileSync(path.join(dir, 'flowers.csv'), classificationCsv());
    for (const seed of ['1', '2']) {
      const r = await ui.cli(
        'train',
        path.join(dir, 'flowers.csv'),
        '--target',
        'label',
        '--epochs',
        '5',
        '--seed',
        seed,
      );
      expect(r.code, r.stderr).toBe(0);
    }
    await page.getByRole('button', { name: 'Models' }).click();
    await page.getByTestId('models-page').waitFor();
    expect(await page.getByTestId('model-item').textContent()).toMatch(
      /flowers2 versions · latest v2 · classification/,
    );
    // The latest version is open (its rows come with the model's own load), with its card.
    await page.locator('[data-testid="version-panel"][data-version="2"]').waitFor();
    expect(await page.getByTestId('version-row').count()).toBe(2);
    await page.getByTestId('card-inputs').waitFor();
    expect(await page.getByTestId('card-inputs').locator('tr').count()).toBe(3);
    expect(await page.getByTestId('card-training-data').locator('tr').count()).toBe(4);
    await shot(page, 'models-page');

    await setAlias(1, 'production', 'first release');
    await expect.poll(() => aliasesOf(1).allTextContents()).toEqual(['production']);
    await setAlias(2, 'production', 'better F1');
    await expect.poll(() => aliasesOf(2).allTextContents()).toEqual(['production']);
    expect(await aliasesOf(1).count()).toBe(0);
    expect(await page.getByTestId('alias-event').count()).toBe(2);
    await shot(page, 'models-alias-moved');
    await page.getByTestId('rollback-production').click();
    await expect.poll(() => aliasesOf(1).allTextContents()).toEqual(['production']);
    expect(await page.getByTestId('alias-event').first().textContent()).toMatch(/v2 → v1.*rollback/);

    // Notes and tags, kept across a reload.
    await page.locator('[data-testid="version-row"][data-version="2"]').click();
    await page.getByTestId('version-notes').fill('seed 2, kept for comparison');
    await page.getByTestId('version-tags').fill('candidate, seed-2');
    await page.getByTestId('save-notes').click();
    await expect
      .poll(() => page.locator('[data-testid="version-row"][data-version="2"] .tag').allTextContents())
      .toEqual(['candidate', 'seed-2']);

    // Deleting the production version is refused, naming the alias.
    await page.locator('[data-testid="version-row"][data-version="1"]').click();
    await page.getByTestId('delete-version').click();
    await page.getByTestId('delete-dialog-submit').click();
    await page.getByTestId('delete-dialog').getByTestId('error-panel').waitFor();
    expect(await page.getByTestId('delete-dialog').getByTestId('error-message').textContent()).toMatch(
      /the alias production points at it/,
    );
    await shot(page, 'models-delete-refused');
    await page.getByTestId('delete-dialog').getByRole('button', { name: 'Cancel' }).click();

    // Export the production version: in the browser it is a download (the server writes no file
    // of the user's), saved here where the test puts it.
    await page.getByTestId('export-version').click();
    await page.getByTestId('export-dialog').waitFor();
    await shot(page, 'models-export-dialog');
    const out = path.join(dir, 'flowers-v1.zip');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-dialog-submit').click();
    const started = await download;
    expect(started.suggestedFilename()).toBe('flowers-v1.zip');
    await started.saveAs(out);
    await page.getByTestId('export-done').waitFor();
    expect(existsSync(out)).toBe(true);
    await shot(page, 'models-exported');
    await page.getByTestId('export-dialog-submit').click();

    // The same version as ONNX, preprocessing inside, for other runtimes: a download of its own.
    await page.getByTestId('export-version').click();
    await page.getByTestId('export-format').selectOption('onnx');
    const onnxOut = path.join(dir, 'flowers-v1.onnx');
    const onnxDownload = page.waitForEvent('download');
    await page.getByTestId('export-dialog-submit').click();
    const onnxStarted = await onnxDownload;
    expect(onnxStarted.suggestedFilename()).toBe('flowers-v1.onnx');
    await onnxStarted.saveAs(onnxOut);
    await page.getByTestId('export-done').waitFor();
    expect(statSync(onnxOut).size).toBeGreaterThan(1000);
    await page.getByTestId('export-dialog-submit').click();

    // Deleting version 2 asks, then removes it.
    await page.locator('[data-testid="version-row"][data-version="2"]').click();
    await page.getByTestId('delete-version').click();
    await page.getByTestId('delete-dialog-submit').click();
    await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(1);
    await shot(page, 'models-after-delete');

    // Importing the exported bundle through the page (uploaded: this is the browser host) adds a
    // version whose origin names what it was exported from; a file that is not a bundle is refused.
    const notBundle = path.join(dir, 'notes.zip');
    writeFileSync(notBundle, 'not a zip');
    await page.getByTestId('import-bundle-file-input').setInputFiles(notBundle);
    await page.getByTestId('import-bundle').getByTestId('error-panel').waitFor();
    await shot(page, 'models-import-refused');
    await page.getByTestId('import-bundle-file-input').setInputFiles(out);
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    expect(await page.getByTestId('import-bundle').getByTestId('error-panel').count()).toBe(0);
    expect(await page.locator('[data-testid="version-row"]').first().textContent()).toMatch(/import of flowers v1/);
    await shot(page, 'models-imported');
  });
});
