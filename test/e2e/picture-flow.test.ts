// The whole picture flow as a user walks it in the browser UI, with a real CNN: upload a .zip of a
// generated folder of pictures (three classes told apart at a glance), see its gallery and class
// counts, train a small CNN from the Train dialog, open a confusion matrix cell's pictures on the
// finished run, start an endpoint for the model, and predict a new picture chosen in the test
// console's file picker. Every wait is on the element or attribute that carries what is read next.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeColourShapeFolder, type ColourShapeClass } from '../unit/electron/core/datasets/images/picture-folders.js';
import { seriousViolations } from './support/axe.js';
import { atBothWidths, canRun, shot, type CairnUi, useAppPerTest, zipFolder } from './support/cairn-ui.js';

const CLASSES: readonly ColourShapeClass[] = [
  { name: 'blue-circle', shape: 'circle', rgb: [40, 60, 210] },
  { name: 'green-triangle', shape: 'triangle', rgb: [40, 170, 60] },
  { name: 'red-square', shape: 'square', rgb: [210, 40, 40] },
];
const PER_CLASS = 16;
const SIZE = 24;
/** Generous for a small CNN on wasm with the machine under load, but bounded (about 15 s on an idle machine). */
const TRAINING_TIMEOUT = 180_000;
/** The whole walk: training's bound and the rest's (imports, endpoint start, each up to a minute). */
const TEST_TIMEOUT = TRAINING_TIMEOUT + 120_000;

describe.skipIf(!canRun)('pictures end to end: import, train a CNN, see its mistakes, serve it', () => {
  let ui: CairnUi;
  let page: Page;
  useAppPerTest((app) => ({ ui, page } = app));

  it(
    'imports a folder of pictures, trains a CNN, opens a confusion cell and predicts an uploaded picture',
    async () => {
      const folder = path.join(ui.home, 'shapes-src');
      await makeColourShapeFolder(folder, { classes: CLASSES, perClass: PER_CLASS, size: SIZE, seed: 3 });
      const zip = path.join(ui.home, 'shapes.zip');
      await zipFolder(folder, 'shapes', zip);

      // Import: the .zip uploads from the empty state and opens as a picture dataset.
      await page.getByTestId('empty-import-file-input').setInputFiles(zip);
      const outcome = page.getByTestId('import-outcome');
      await outcome.waitFor({ timeout: 60_000 });
      expect(await outcome.textContent()).toContain(
        `${CLASSES.length * PER_CLASS} pictures in ${CLASSES.length} classes`,
      );
      await page.getByTestId('image-dataset-view').waitFor();
      expect(await page.getByTestId('dataset-name').textContent()).toBe('shapes');
      expect(await page.getByTestId('row-count').textContent()).toBe(String(CLASSES.length * PER_CLASS));

      // Class counts in the gallery's class menu, and a gallery of the chosen class's thumbnails.
      await page.getByTestId('image-class-chart').locator('canvas').waitFor();
      for (const c of CLASSES)
        await expect
          .poll(() => page.getByTestId('gallery-class').locator(`option[value="${c.name}"]`).textContent())
          .toBe(`${c.name} (${PER_CLASS})`);
      await page.getByTestId('gallery-class').selectOption('green-triangle');
      await expect.poll(() => page.getByTestId('gallery-status').getAttribute('data-total')).toBe(String(PER_CLASS));
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('[data-testid="image-tile"] img')].some(
          (img) => img.alt.startsWith('green-triangle:') && img.complete && img.naturalWidth > 0,
        ),
      );

      // Train: a small CNN at the pictures' own size, a few epochs, no augmentation.
      await page.getByTestId('train-open').click();
      const dialog = page.getByTestId('image-train-dialog');
      await dialog.waitFor();
      expect(await page.getByTestId('train-model').inputValue()).toBe('cnn');
      await page.getByTestId('train-preset').selectOption('small');
      await page.getByTestId('train-image-size').fill(String(SIZE));
      await page.getByTestId('train-augment').selectOption('none');
      const modelName = await page.getByTestId('train-model-name').inputValue();
      expect(modelName).toBe('shapes');
      await page.getByTestId('train-advanced').locator('summary').click();
      await page.getByTestId('train-epochs').fill('12');
      await page.getByTestId('train-start').click();

      // The run page follows the run until it has succeeded.
      await page.getByTestId('run-detail').waitFor();
      await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor({ timeout: TRAINING_TIMEOUT });
      const accuracy = Number(await page.getByTestId('metric-accuracy').locator('.metric-value').textContent());
      expect(accuracy).toBeGreaterThanOrEqual(0.8);
      expect(await page.getByTestId('per-class').locator('tbody tr').count()).toBe(CLASSES.length);
      // What the pictures go through, fitted on the training split, as for a table's columns.
      expect(await page.getByTestId('preprocessing-image').textContent()).toMatch(
        new RegExp(`^pictures ${SIZE} × ${SIZE} px colour normalised per channel: mean [\\d.]+, [\\d.]+, [\\d.]+, std`),
      );

      // A click on the matrix's bottom-right cell (the last class predicted as itself) opens its pictures.
      const matrix = page.getByTestId('confusion-matrix');
      await matrix.locator('canvas').first().waitFor();
      const grid = page.getByTestId('cell-grid');
      await grid.waitFor();
      const box = await matrix.boundingBox();
      if (!box) throw new Error('the confusion matrix has no box');
      // The plot ends 8 px from the right and 44 px plus the class labels from the bottom (confusionOption).
      await page.mouse.click(box.x + box.width - 24, box.y + box.height - 44 - 24 - 12);
      const last = CLASSES.at(-1)!.name;
      await expect.poll(() => page.getByTestId('cell-label').inputValue()).toBe(last);
      expect(await page.getByTestId('cell-predicted').inputValue()).toBe(last);
      const countText = (await page.getByTestId('cell-count').textContent()) ?? '';
      const right = Number(/^\((\d+) right\)$/.exec(countText)?.[1]);
      expect(right).toBeGreaterThan(0);
      await expect.poll(() => grid.getAttribute('data-total')).toBe(String(right));
      await expect.poll(() => grid.locator('[data-testid="prediction-tile"]').count()).toBe(right);
      await page.waitForFunction(
        () =>
          [
            ...document.querySelectorAll<HTMLImageElement>(
              '[data-testid="cell-grid"] [data-testid="prediction-tile"] img',
            ),
          ].filter((img) => img.complete && img.naturalWidth > 0).length > 0,
      );
      // Pointing at a picture lists its probability for every class.
      await grid.locator('[data-testid="prediction-tile"]').first().hover();
      await expect.poll(() => grid.getByTestId('probabilities').locator('li').count()).toBe(CLASSES.length);
      expect(await seriousViolations(page)).toEqual([]);
      await atBothWidths(page, async (width) => {
        await page.getByTestId('cell-pictures').scrollIntoViewIfNeeded();
        await shot(page, `picture-flow-run-${width}`);
      });

      // Serve: start an endpoint for the model from the Endpoints page.
      await page.getByRole('button', { name: 'Endpoints' }).click();
      const form = page.getByTestId('start-form');
      await form.waitFor();
      await form
        .locator(`[data-testid="start-model"][data-name="${modelName}"] [data-testid="start-model-check"]`)
        .check();
      await page.getByTestId('start-submit').click();
      await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });

      // The console takes a picture from its file picker and shows the label and every probability.
      const fresh = path.join(ui.home, 'fresh');
      await makeColourShapeFolder(fresh, { classes: CLASSES.slice(0, 1), perClass: 1, size: SIZE, seed: 99 });
      const picture = path.join(fresh, CLASSES[0]!.name, '0000.png');
      await page.getByTestId('console-form').waitFor();
      await page.getByTestId('console-picture-file-input').setInputFiles(picture);
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('[data-testid="console-picture-preview"]');
        return img !== null && img.complete && img.naturalWidth > 0;
      });
      expect(await page.getByTestId('console-picture-name').textContent()).toBe('0000.png');
      await page.getByTestId('console-send').click();
      await page.locator('[data-testid="console-result"][data-answers="1"]').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('console-status').textContent()).toBe('200');
      expect(await page.getByTestId('console-label').textContent()).toBe(CLASSES[0]!.name);
      const probabilities = page.getByTestId('console-probabilities').locator('tr');
      expect(await probabilities.count()).toBe(CLASSES.length);
      const shares = (await probabilities.locator('td.num').allTextContents()).map(Number);
      expect(shares.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
      expect(await page.getByTestId('curl-snippet').textContent()).toMatch(/--data-binary '?@0000\.png/);
      expect(await seriousViolations(page)).toEqual([]);
      await atBothWidths(page, async (width) => {
        await page.getByTestId('test-console').scrollIntoViewIfNeeded();
        await shot(page, `picture-flow-console-${width}`);
      });
    },
    TEST_TIMEOUT,
  );
});
