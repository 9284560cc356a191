// Training from the browser UI: open a dataset, press Train, keep the defaults (a few epochs for
// time), watch the run page fill with curves, and read the evaluation: metric cards, the
// confusion matrix and ROC curves for classes, predicted-vs-actual and residuals for numbers.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const SAMPLES = path.join(ROOT, 'resources', 'samples');

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

/** Imports a shipped sample through the CLI and opens it in the datasets page. */
async function openSample(file: string, name: string): Promise<void> {
  const res = await ui.cli('import', path.join(SAMPLES, file));
  expect(res.code, res.stderr).toBe(0);
  await page.reload();
  await page.locator(`[data-testid="dataset-item"][data-name="${name}"] button.dataset-item`).click();
  await page.getByTestId('dataset-view').waitFor();
}

/** Opens the train dialog, sets the epochs, and starts; returns once the run page shows. */
async function train(epochs: number, setup?: () => Promise<void>): Promise<void> {
  await page.getByTestId('train-open').click();
  const dialog = page.getByTestId('train-dialog');
  await dialog.waitFor();
  // Automatic is the default; these runs train one MLP, whose epochs they set.
  await page.getByTestId('train-model').selectOption('mlp');
  await setup?.();
  await page.getByTestId('train-advanced').locator('summary').click();
  await page.getByTestId('train-epochs').fill(String(epochs));
  await page.getByTestId('train-start').click();
  await page.getByTestId('run-detail').waitFor();
}

describe.skipIf(!canRun)('training in the browser UI', () => {
  it('trains a classifier from the dataset page and shows its curves, confusion matrix and ROC curves', async () => {
    // A first-time user: the empty state offers the shipped samples; one click imports and opens it.
    await page.getByTestId('samples').waitFor();
    await shot(page, 'empty-state-samples');
    await page.getByTestId('sample-iris').click();
    await page.locator('[data-testid="dataset-view"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('dataset-name').textContent()).toBe('iris');
    await page.getByTestId('train-open').click();
    await page.getByTestId('train-dialog').waitFor();
    // The target is suggested and the task inferred from it.
    expect(await page.getByTestId('train-target').inputValue()).toBe('species');
    expect(await page.getByTestId('train-task').locator('option:checked').textContent()).toMatch(
      /Classification \(inferred\)/,
    );
    await shot(page, 'train-dialog');
    await page.getByTestId('train-model').selectOption('mlp');
    await page.getByTestId('train-advanced').locator('summary').click();
    await shot(page, 'train-dialog-advanced');
    await page.getByTestId('train-epochs').fill('40');
    await page.getByTestId('train-start').click();

    const detail = page.getByTestId('run-detail');
    await detail.waitFor();
    // Curves appear while it trains, then the evaluation once it has succeeded.
    await page.getByTestId('curve-loss').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('confusion-matrix').waitFor();
    await page.getByTestId('roc-curves').waitFor();
    const accuracy = Number(await page.getByTestId('metric-accuracy').locator('.metric-value').textContent());
    expect(accuracy).toBeGreaterThan(0.8);
    // Beside accuracy: what always answering the most common class scores, and balanced accuracy.
    const baseline = (await page.getByTestId('metric-baseline').textContent()) ?? '';
    expect(baseline).toMatch(/^majority class alone: 0\.\d+$/);
    expect(Number(baseline.split(': ')[1])).toBeLessThan(accuracy);
    const balanced = page.getByTestId('metric-balanced_accuracy');
    expect(await balanced.locator('.metric-label').textContent()).toBe('balanced accuracy');
    expect(Number(await balanced.locator('.metric-value').textContent())).toBeGreaterThan(0.8);
    expect(await page.getByTestId('per-class').locator('tbody tr').count()).toBe(3);
    // The heatmap is drawn on a canvas inside the chart box.
    await page.getByTestId('confusion-matrix').locator('canvas').first().waitFor();
    await page.waitForTimeout(300); // let ECharts finish its first frame for the screenshot
    await shot(page, 'run-classification');
    await page.getByTestId('evaluation').scrollIntoViewIfNeeded();
    await shot(page, 'run-classification-evaluation');
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(page, `run-classification-evaluation-${width}`);
    }
    // The runs table shows balanced accuracy as a column and the baseline as accuracy's hover.
    await page.getByTestId('run-back').click();
    const heads = page.getByTestId('runs-table').locator('[role="columnheader"]');
    await heads.filter({ hasText: 'bal. acc.' }).waitFor();
    expect(await heads.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^accuracy/), expect.stringMatching(/^bal\. acc\./)]),
    );
    expect(await page.getByTestId('run-accuracy').first().getAttribute('title')).toMatch(
      /^Majority-class baseline 0\.\d+/,
    );
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(page, `runs-table-baseline-${width}`);
    }
  });

  it('trains a regressor and shows predicted-vs-actual and residual plots', async () => {
    await openSample('diabetes.csv', 'diabetes');
    await train(30);
    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('predicted-vs-actual').waitFor();
    await page.getByTestId('residuals').waitFor();
    expect(await page.getByTestId('metric-r2').locator('.metric-value').textContent()).toMatch(/\d/);
    await page.getByTestId('evaluation').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, 'run-regression');
  });

  it('trains gradient-boosted trees and explains them: importance, a worst error as a waterfall, partial dependence', async () => {
    // Penguins: numbers, categories (island, sex) and missing values, which trees keep missing.
    await openSample('penguins.csv', 'penguins');
    await page.getByTestId('train-open').click();
    await page.getByTestId('train-dialog').waitFor();
    await page.getByTestId('train-model').selectOption('gbdt');
    await page.getByTestId('train-advanced').locator('summary').click();
    await page.getByTestId('train-trees').waitFor();
    expect(await page.getByTestId('train-epochs').count()).toBe(0);
    await page.getByTestId('train-trees-count').fill('40');
    await shot(page, 'train-dialog-trees');
    await page.getByTestId('train-start').click();
    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    const accuracy = Number(await page.getByTestId('metric-accuracy').locator('.metric-value').textContent());
    expect(accuracy).toBeGreaterThan(0.9);
    const explanation = page.getByTestId('explanation');
    await explanation.waitFor();
    await page.getByTestId('importance-chart').locator('canvas').first().waitFor();
    await page.getByTestId('gain-chart').locator('canvas').first().waitFor();
    // The waterfall starts on the worst error; picking the first test row redraws it for that row.
    const caption = page.getByTestId('waterfall-caption');
    expect(await caption.textContent()).toMatch(/exact TreeSHAP/);
    await page.getByTestId('explain-row-select').selectOption('0');
    await page.locator('[data-testid="waterfall-caption"]', { hasText: 'log-odds of' }).waitFor();
    await page.getByTestId('waterfall-chart').locator('canvas').first().waitFor();
    expect(await page.locator('[data-testid^="pd-"]').count()).toBeGreaterThan(0);
    await explanation.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // let ECharts finish its first frame for the screenshot
    await shot(page, 'run-trees-explanation');
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.getByTestId('waterfall-chart').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300); // ECharts redraws on resize; the screenshot waits for the frame
      await shot(page, `run-trees-explanation-${width}`);
    }
  });

  it('cancels a running run from its page', async () => {
    await openSample('iris.csv', 'iris');
    await train(100_000);
    await page.getByTestId('run-progress').waitFor({ timeout: 60_000 });
    await page.getByTestId('curve-loss').waitFor({ timeout: 60_000 });
    await shot(page, 'run-live');
    await page.getByTestId('run-cancel').click();
    await page.locator('[data-testid="run-detail"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
  });

  it('refuses a form with a bad value and says which field', async () => {
    await openSample('iris.csv', 'iris');
    await page.getByTestId('train-open').click();
    await page.getByTestId('train-model').selectOption('mlp');
    await page.getByTestId('train-advanced').locator('summary').click();
    await page.getByTestId('train-epochs').fill('0');
    await page.getByTestId('train-start').click();
    await page.getByTestId('error-epochs').waitFor();
    // Nothing was started: the dialog is still open.
    expect(await page.getByTestId('train-dialog').isVisible()).toBe(true);
  });
});
