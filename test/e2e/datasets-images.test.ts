// Image datasets in the browser UI: a folder of class folders imported by the CLI opens as its
// picture page (class chart, sizes, duplicates across classes, unreadable files, a gallery whose
// thumbnails load from the token-guarded host and that scrolls to its last picture); Train opens
// the CNN's dialog; a .zip of pictures uploads and imports from the page.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makePictureFolder, square } from '../unit/electron/core/datasets/images/picture-folders.js';
import { seriousViolations } from './support/axe.js';
import { canRun, cliOk, shot, type CairnUi, useAppPerTest, zipFolder } from './support/cairn-ui.js';

/** Extra distinct red squares, so the red class needs many gallery rows. */
const EXTRA_RED = 400;

/** Whether the thumbnail in a gallery tile has loaded and decoded (not merely been asked for). */
function thumbnailLoaded(page: Page, selector: string): Promise<unknown> {
  return page.waitForFunction((sel) => {
    const img = document.querySelector<HTMLImageElement>(`${sel} img`);
    return img !== null && img.complete && img.naturalWidth > 0;
  }, selector);
}

describe.skipIf(!canRun)('image datasets in the browser UI', () => {
  let ui: CairnUi;
  let page: Page;
  useAppPerTest((app) => ({ ui, page } = app));

  it('shows an imported folder of pictures: classes, checks and a gallery that scrolls', async () => {
    const folder = path.join(ui.home, 'shapes');
    await makePictureFolder(folder);
    for (let i = 0; i < EXTRA_RED; i++)
      await writeFile(
        path.join(folder, 'red', `extra${i}.png`),
        await square([i % 256, Math.floor(i / 256), 90], 'png'),
      );
    await cliOk(ui, 'import', folder);
    await page.reload();

    const view = page.getByTestId('image-dataset-view');
    await view.waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toBe('shapes');
    // 12 readable pictures of the shared folder and the extra red ones; broken.png is left out.
    expect(await page.getByTestId('row-count').textContent()).toBe(String(12 + EXTRA_RED));
    expect(await page.getByTestId('column-count').textContent()).toBe('3');
    await page.getByTestId('image-class-chart').locator('canvas').waitFor();
    await page.getByTestId('aspect-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('cross-class-duplicates').textContent()).toContain('label error');
    expect(await page.getByTestId('image-unreadable').textContent()).toContain('broken.png');
    expect(await page.getByTestId('image-formats').textContent()).toContain('tiff');

    // The largest class is shown first; its thumbnails come from /media/thumbnails behind the token cookie.
    const status = page.getByTestId('gallery-status');
    await expect.poll(() => status.getAttribute('data-total')).toBe(String(4 + EXTRA_RED));
    await thumbnailLoaded(page, '[data-testid="image-tile"][data-position="0"]');
    const src = await page.locator('[data-testid="image-tile"] img').first().getAttribute('src');
    expect(src).toMatch(/^\/media\/thumbnails\/[^/]+\/[0-9a-f]{64}\.webp$/);
    // Only the rows on screen are drawn.
    expect(await page.getByTestId('image-tile').count()).toBeLessThan(4 + EXTRA_RED);
    await shot(page, '40-image-dataset');

    // Scrolled to its end, the class's last picture loads.
    await page.getByTestId('gallery-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await thumbnailLoaded(page, `[data-testid="image-tile"][data-position="${4 + EXTRA_RED - 1}"]`);

    // Another class starts at its own top.
    await page.getByTestId('gallery-class').selectOption('blue');
    await expect.poll(() => status.getAttribute('data-total')).toBe('3');
    await thumbnailLoaded(page, '[data-testid="image-tile"][data-position="2"]');

    // Pictures train a CNN: Train opens its dialog, not the table form.
    await page.getByTestId('train-open').click();
    const dialog = page.getByTestId('image-train-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('train-dialog').count()).toBe(0);
    expect(await page.getByTestId('train-model').inputValue()).toBe('cnn');
    expect(await page.getByTestId('train-image-size').getAttribute('placeholder')).toBe('automatic');
    await dialog.locator('summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
      await shot(page, `42-image-train-dialog-${width}`);
    }
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(await seriousViolations(page)).toEqual([]);
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
      await page.getByTestId('gallery-class').selectOption('red');
      await thumbnailLoaded(page, '[data-testid="image-tile"][data-position="0"]');
      await shot(page, `41-image-dataset-${width}`);
    }
  });

  it('uploads a .zip of pictures and opens it', async () => {
    const folder = path.join(ui.home, 'zipped-src');
    await makePictureFolder(folder);
    const file = path.join(ui.home, 'pets.zip');
    await zipFolder(folder, 'pets', file);

    await page.getByTestId('empty-import-file-input').setInputFiles(file);
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('12 pictures in 3 classes, 1 unreadable file left out');
    await page.getByTestId('image-dataset-view').waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toBe('pets');
    await page.getByTestId('image-class-chart').locator('canvas').waitFor();
    await thumbnailLoaded(page, '[data-testid="image-tile"][data-position="0"]');
  });
});
