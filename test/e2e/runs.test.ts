// The Runs page in the browser UI: real runs from the CLI appear in the table, open to their page
// and compare side by side; with 10,000 more runs (scripts/seed-runs.ts) the table still renders
// only the rows in view, sorts, filters and scrolls to the end.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';
import { seedRuns } from './support/seed-runs.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

async function cli(...args: string[]): Promise<string> {
  const res = await ui.cli(...args);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout;
}

async function openRuns(): Promise<void> {
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByTestId('runs-page').waitFor();
}

describe.skipIf(!canRun)('runs page', () => {
  it('lists runs, opens one, and compares two with their differences, curves and metrics', async () => {
    await cli('import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    const a = JSON.parse(await cli('train', 'iris', '--target', 'species', '--epochs', '8', '--json')) as {
      run: string;
    };
    const b = JSON.parse(
      await cli(
        'train',
        'iris',
        '--target',
        'species',
        '--epochs',
        '12',
        '--learning-rate',
        '0.01',
        '--model',
        'logistic',
        '--json',
      ),
    ) as { run: string };
    await openRuns();
    await page.locator(`[data-run-id="${a.run}"]`).waitFor();
    expect(await page.getByTestId('run-row').count()).toBe(2);
    await shot(page, 'runs-table');

    // Open a run's page from its row, and come back to the table.
    await page.locator(`[data-run-id="${a.run}"]`).click();
    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor();
    await page.getByTestId('run-back').click();

    for (const id of [a.run, b.run]) await page.locator(`[data-run-id="${id}"] input[type="checkbox"]`).check();
    await page.getByTestId('compare-runs').click();
    await page.getByTestId('run-compare').waitFor();
    // The model kind, epochs and learning rate differ: those rows are marked.
    // The section shows at once; its rows once both runs have loaded.
    await page.getByTestId('compare-params').waitFor();
    const differing = page.locator('[data-testid="param-row"][data-differs="true"]');
    expect(await differing.count()).toBeGreaterThanOrEqual(3);
    await page.getByTestId('compare-curves').locator('canvas').first().waitFor();
    expect(await page.getByTestId('compare-metrics').getByTestId('metric-row').count()).toBeGreaterThanOrEqual(6);
    await page.waitForTimeout(300);
    await shot(page, 'runs-compare');
  });

  it('stays fluid with 10,000 runs: only rows in view are drawn, and sort, filter and scroll work', async () => {
    await cli('import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    await seedRuns(ui.home, 10_000);
    await openRuns();
    const count = page.getByTestId('runs-count');
    await page.locator('[data-testid="runs-count"][data-total="10000"]').waitFor({ timeout: 30_000 });
    // Virtualised: a screenful of rows in the DOM, not 10,000.
    expect(await page.getByTestId('run-row').count()).toBeLessThan(120);

    // Sort by accuracy, best first: the first row holds the largest accuracy.
    const accuracyHeader = page.locator('[role="columnheader"][data-column="metric:accuracy"] button');
    await accuracyHeader.click();
    await accuracyHeader.click();
    await page.locator('[role="columnheader"][data-column="metric:accuracy"][aria-sort="descending"]').waitFor();

    // Filter to failed runs by text: the count follows.
    await page.getByTestId('runs-filter').fill('failed');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="runs-count"]');
      const shown = Number(el?.getAttribute('data-shown'));
      return shown > 0 && shown < 10_000;
    });
    const shown = Number(await count.getAttribute('data-shown'));
    for (const status of await page.getByTestId('run-row').getByTestId('run-status').allTextContents())
      expect(status.toLowerCase()).toContain('failed');
    await page.getByTestId('runs-filter').fill('');
    await page.locator('[data-testid="runs-count"][data-shown="10000"]').waitFor();
    expect(shown).toBeLessThan(10_000);

    // Scroll to the very end: the last rows are drawn, still without drawing them all.
    await page.getByTestId('runs-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('[data-testid="run-row"][aria-rowindex="10001"]').waitFor();
    expect(await page.getByTestId('run-row').count()).toBeLessThan(120);
    await shot(page, 'runs-10k');
  });
});
