// Pictures from the camera and what a picture model got wrong, in the browser UI. Chromium's fake
// camera (these flags for this file only) stands in for a webcam: a folder of pictures imported by
// the CLI, three pictures captured into a class and saved make version 2 with that class grown.
// A picture model's run (a fixture: its record and a model folder holding image-predictions.json)
// opens a confusion matrix cell's pictures from the matrix and lists its most confident mistakes.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DatasetDetail, ImagesPage } from '../../shared/api.js';
import { makePictureFolder } from '../unit/electron/core/datasets/images/picture-folders.js';
import { fixturePredictions, seedImageRun } from '../unit/electron/core/registry/image-run-fixture.js';
import { seriousViolations } from './support/axe.js';
import { atBothWidths, canRun, cliOk, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

/** A call of the contract from the page, with its token cookie. */
function call<T>(page: Page, method: string, arg: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, arg }) => {
      const res = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(arg),
      });
      const reply = (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
      if (!reply.ok) throw new Error(reply.error?.message ?? 'call failed');
      return reply.result;
    },
    { method, arg },
  ) as Promise<T>;
}

/** The count the gallery's class menu gives a class: "blue (3)". */
async function classCount(page: Page, label: string): Promise<string | null> {
  return page.getByTestId('gallery-class').locator(`option[value="${label}"]`).textContent();
}

async function importShapes(ui: CairnUi, page: Page): Promise<void> {
  const folder = path.join(ui.home, 'shapes');
  await makePictureFolder(folder);
  await cliOk(ui, 'import', folder);
  await page.reload();
  await page.getByTestId('image-dataset-view').waitFor();
}

describe.skipIf(!canRun)('pictures from the camera, and a picture model’s mistakes', () => {
  let ui: CairnUi;
  let page: Page;
  useAppPerTest((app) => ({ ui, page } = app), {}, FAKE_CAMERA);

  it('captures a burst of three into a class and saves them as the next version', async () => {
    await importShapes(ui, page);
    expect(await classCount(page, 'blue')).toBe('blue (3)');

    await page.getByTestId('camera-open').click();
    const dialog = page.getByTestId('camera-dialog');
    await dialog.locator('[data-testid="camera-video"][data-ready="true"]').waitFor();
    await page.getByTestId('camera-class').fill('blue');
    await page.getByTestId('camera-burst').fill('3');
    await page.getByTestId('camera-interval').fill('100');
    await page.getByTestId('camera-capture-burst').click();
    await dialog.locator('[data-testid="camera-status"][data-count="3"]').waitFor();
    expect(await page.getByTestId('camera-status').textContent()).toBe('3 pictures: blue 3');
    await expect.poll(() => dialog.locator('.camera-shot img').count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await atBothWidths(page, (width) => shot(page, `camera-dialog-${width}`));

    await page.getByTestId('camera-dialog-submit').click();
    await page.locator('[data-testid="image-dataset-view"][data-version="2"]').waitFor();
    await expect.poll(() => classCount(page, 'blue')).toBe('blue (6)');
    expect(await page.getByTestId('row-count').textContent()).toBe('15');
    // The new version's gallery (components/tile-grid.tsx) shows the class with its captures.
    await page.getByTestId('gallery-class').selectOption('blue');
    await expect.poll(() => page.getByTestId('gallery-status').getAttribute('data-total')).toBe('6');
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="image-tile"] img')].some(
        (img) => img.alt.startsWith('blue: camera/') && img.complete && img.naturalWidth > 0,
      ),
    );
    await expect(dialog.count()).resolves.toBe(0);
  });

  it('opens a confusion matrix cell’s pictures and the most confident mistakes of a picture model', async () => {
    await importShapes(ui, page);
    const detail = await call<DatasetDetail>(page, 'datasets.get', { ref: 'shapes' });
    const pictures = await call<ImagesPage>(page, 'datasets.images', { versionId: detail.version.id, limit: 500 });
    const predictions = fixturePredictions(pictures.items);
    const { runId } = await seedImageRun(ui.home, {
      datasetVersionId: detail.version.id,
      datasetHash: detail.version.contentHash,
      modelName: 'shapes-cnn',
      predictions,
    });
    await page.goto(`${ui.url}#/runs/${runId}`);
    const cell = page.getByTestId('cell-pictures');
    const grid = page.getByTestId('cell-grid');
    await grid.locator('[data-testid="prediction-tile"]').first().waitFor();

    // The top-right cell of the matrix: the first class predicted as the last.
    const [first, last] = [predictions.classes[0], predictions.classes.at(-1)] as [string, string];
    const inCell = predictions.items.filter((i) => i.label === first && i.predicted === last);
    expect(inCell.length).toBeGreaterThan(0);
    const matrix = page.getByTestId('confusion-matrix');
    await matrix.locator('canvas').first().waitFor();
    const box = await matrix.boundingBox();
    if (!box) throw new Error('the confusion matrix has no box');
    await page.mouse.click(box.x + box.width - 24, box.y + 24);
    await expect.poll(() => page.getByTestId('cell-label').inputValue()).toBe(first);
    expect(await page.getByTestId('cell-predicted').inputValue()).toBe(last);
    await expect.poll(() => grid.getAttribute('data-total')).toBe(String(inCell.length));
    await expect.poll(() => grid.locator('[data-testid="prediction-tile"]').count()).toBe(inCell.length);
    expect(await cell.getByTestId('cell-count').textContent()).toBe(`(${inCell.length} wrong)`);

    // Pointing at a picture lists its probability per class.
    const tile = grid.locator('[data-testid="prediction-tile"]').first();
    await tile.hover();
    expect(await grid.getByTestId('probabilities').locator('li').count()).toBe(predictions.classes.length);

    const mistakes = page.getByTestId('mistakes-grid');
    const wrong = predictions.items.filter((i) => i.label !== i.predicted);
    await expect.poll(() => mistakes.getAttribute('data-total')).toBe(String(wrong.length));
    const top = Math.max(...wrong.map((i) => i.confidence));
    const firstMistake = mistakes.locator('[data-testid="prediction-tile"][data-position="0"]');
    expect(await firstMistake.getAttribute('title')).toContain(`(${Math.round(top * 100)}%)`);
    expect(await seriousViolations(page)).toEqual([]);

    await atBothWidths(page, async (width) => {
      await cell.scrollIntoViewIfNeeded();
      await shot(page, `run-cell-pictures-${width}`);
      await page.getByTestId('confident-mistakes').scrollIntoViewIfNeeded();
      await shot(page, `run-mistakes-${width}`);
    });
  });
});
