// Sweeps from the browser UI: "Sweep…" on the shipped iris table opens the dialog pre-filled with
// the kind's default space, a bad range is named beside its parameter before anything runs, a
// small random sweep starts and its page plots the trials in parallel coordinates as they
// complete, "Promote best" moves the champion alias to the best trial's model version, and the
// Runs list gathers the trials under one collapsible row for the sweep.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canRun, cliOk, ROOT, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

const TRIALS = 5;

/** Screenshots at the two widths the app is checked at (when CAIRN_SCREENSHOTS is set). */
async function shotAtWidths(name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 900],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await shot(page, `${name}-${width}`);
  }
}

/** The number of trials the parallel-coordinates chart plots (its data attribute). */
const plotted = async () => Number(await page.getByTestId('sweep-parallel').getAttribute('data-plotted'));

describe.skipIf(!canRun)('sweeps in the browser UI', () => {
  it('starts a sweep from a dataset, plots its trials as they arrive, promotes the best and groups its runs', async () => {
    await cliOk(ui, 'import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    await page.reload();
    await page.locator('[data-testid="dataset-item"][data-name="iris"] button.dataset-item').click();
    await page.getByTestId('dataset-view').waitFor();
    await page.getByTestId('sweep-open').click();
    const dialog = page.getByTestId('sweep-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('sweep-target').inputValue()).toBe('species');
    expect(await page.getByTestId('sweep-strategy').inputValue()).toBe('tpe');
    expect(await page.getByTestId('sweep-metric').inputValue()).toBe('accuracy');

    // The logistic model's default space is filled in: a log range for the rate, a choice of batch sizes.
    await page.getByTestId('sweep-model').selectOption('logistic_regression');
    await page.locator('[data-testid="space-learningRate"][data-mode="log"]').waitFor();
    expect(await page.getByTestId('space-learningRate-min').inputValue()).toBe('0.001');
    expect(await page.getByTestId('space-batchSize-values').inputValue()).toBe('32, 128, 512');
    await shotAtWidths('sweep-dialog');

    // A log range that touches 0 is named beside its parameter, and nothing can start.
    await page.getByTestId('space-learningRate-min').fill('0');
    expect(await page.getByTestId('sweep-error-learningRate').textContent()).toMatch(
      /^learningRate: the range 0 to 0\.3 leaves its bounds/,
    );
    expect(await page.getByTestId('sweep-start').isDisabled()).toBe(true);
    await shot(page, 'sweep-dialog-error-1920');
    await page.getByTestId('space-learningRate-min').fill('0.001');
    await page.getByTestId('sweep-error-learningRate').waitFor({ state: 'detached' });

    // A small, quick budget: random search, few epochs.
    await page.getByTestId('space-epochs-value').fill('5');
    await page.getByTestId('sweep-strategy').selectOption('random');
    await page.getByTestId('sweep-trials').fill(String(TRIALS));
    await page.getByTestId('sweep-start').click();

    // The sweep's page opens and the chart gains lines as trials complete, without a reload.
    await page.getByTestId('sweep-view').waitFor();
    expect(page.url()).toMatch(/#\/sweeps\/[0-9a-f-]{36}$/);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="sweep-parallel"]')?.getAttribute('data-plotted')) >= 1,
      undefined,
      { timeout: 120_000 },
    );
    const first = await plotted();
    expect(first).toBeGreaterThanOrEqual(1);
    await shotAtWidths('sweep-page-running');
    await page.locator('[data-testid="sweep-view"][data-status="succeeded"]').waitFor({ timeout: 240_000 });
    await page.locator(`[data-testid="sweep-parallel"][data-plotted="${TRIALS}"]`).waitFor();
    await page.locator(`[data-testid="sweep-trials"][data-count="${TRIALS}"]`).waitFor();
    expect(await page.locator('[data-testid="sweep-trial"][data-status="complete"]').count()).toBe(TRIALS);
    await page.getByTestId('sweep-importance').waitFor();
    await shotAtWidths('sweep-page-finished');

    // Promote best: the alias (champion by default) moves to the best trial's model version.
    const sweepId = (await page.getByTestId('sweep-view').getAttribute('data-sweep-id'))!;
    const shown = JSON.parse(await cliOk(ui, 'sweeps', 'show', sweepId, '--json')) as {
      best: { model: { name: string; version: number } };
    };
    await page.getByTestId('sweep-promote').click();
    await page.getByTestId('sweep-promote-dialog').waitFor();
    expect(await page.getByTestId('sweep-promote-alias').inputValue()).toBe('champion');
    await page.getByTestId('sweep-promote-dialog-submit').click();
    const note = page.locator('[data-testid="sweep-promoted"][data-alias="champion"]');
    await note.waitFor();
    expect(await note.textContent()).toContain(
      `champion now points at ${shown.best.model.name}:${shown.best.model.version}`,
    );
    await shot(page, 'sweep-page-promoted');
    const model = JSON.parse(await cliOk(ui, 'models', 'show', shown.best.model.name, '--json')) as {
      model: { aliases: { alias: string; version: number }[] };
    };
    expect(model.model.aliases).toContainEqual(
      expect.objectContaining({ alias: 'champion', version: shown.best.model.version }),
    );

    // The Runs list: one collapsed row for the sweep with its trial count and best score; open, its trials.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Runs', exact: true }).click();
    const sweepRow = page.locator(`[data-testid="runs-sweep-row"][data-sweep-id="${sweepId}"]`);
    await sweepRow.waitFor();
    expect(await sweepRow.getAttribute('data-count')).toBe(String(TRIALS));
    expect(await sweepRow.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('run-row').count()).toBe(0);
    expect(await sweepRow.getByTestId('runs-sweep-best').textContent()).toMatch(/^best validation accuracy \d\.\d{4}$/);
    await shotAtWidths('runs-sweep-collapsed');
    await sweepRow.click();
    await page.locator(`[data-testid="runs-sweep-row"][aria-expanded="true"]`).waitFor();
    expect(await page.locator('[data-testid="run-row"].runs-row-trial').count()).toBe(TRIALS);
    await shotAtWidths('runs-sweep-open');

    // A trial's page leads back to its sweep, and its "Sweep…" starts from the run's target and kind.
    await page.getByTestId('run-row').first().click();
    await page.getByTestId('run-sweep-link').waitFor();
    await page.getByTestId('run-sweep-open').click();
    await dialog.waitFor();
    expect(await page.getByTestId('sweep-target').inputValue()).toBe('species');
    expect(await page.getByTestId('sweep-model').inputValue()).toBe('logistic_regression');
  });
});
