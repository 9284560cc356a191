// The Runs page's query box and grouping in the browser UI, over 400 synthetic runs: a query
// the parser refuses shows its error where it points; one that reads filters the table to the runs
// the CLI lists for the same query; grouping by model shows the CLI's groups, each opening to its runs.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunGroups, RunSummary } from '../../shared/api.js';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';
import { seedRuns } from './support/seed-runs.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

async function cliJson<T>(...args: string[]): Promise<T> {
  const res = await ui.cli(...args, '--json');
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
}

const QUERY = 'model = "mlp" AND (test.accuracy > 0.8 OR params.learningRate < 0.005)';

/** Both widths the page is looked at: a laptop's and a desktop monitor's. */
async function shots(name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await shot(page, `${name}-${width}`);
  }
}

describe.skipIf(!canRun)('runs query', () => {
  it('filters the runs as typed, shows errors where they point, and groups with mean and spread', async () => {
    const imported = await ui.cli('import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    expect(imported.code, imported.stderr).toBe(0);
    await seedRuns(ui.home, 400);
    const expected = await cliJson<RunSummary[]>('runs', 'list', '--query', QUERY);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(400);

    await page.getByRole('button', { name: 'Runs', exact: true }).click();
    await page.locator('[data-testid="runs-count"][data-total="400"]').waitFor();
    const box = page.getByTestId('runs-query-input');

    // The field list puts a field into the query.
    await page.getByText('Fields', { exact: true }).click();
    await page.locator('.runs-query-help-panel').getByRole('button', { name: 'params.learningRate' }).click();
    expect(await box.inputValue()).toBe('params.learningRate ');
    await shots('runs-query-fields');
    await page.getByText('Fields', { exact: true }).click();
    await box.fill('');

    // A misspelt field: the error names it and its column.
    await box.pressSequentially('model = "mlp" AND params.foo > 1');
    const error = page.locator('[data-testid="runs-query-error"][data-column="19"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('unknown field params.foo at column 19; known: params.epochs');
    await shots('runs-query-error');

    // A query that reads: the table holds exactly the runs the CLI lists for it.
    await box.fill(QUERY);
    await page.locator(`[data-testid="runs-main"][data-query='${QUERY}']`).waitFor();
    await page.getByTestId('runs-query-error').waitFor({ state: 'detached' });
    const count = page.getByTestId('runs-count');
    expect(await count.getAttribute('data-total')).toBe(String(expected.length));
    const rows = await page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    expect(rows.length).toBeGreaterThan(0);
    const ids = new Set(expected.map((r) => r.id));
    for (const id of rows) expect(ids.has(id ?? '')).toBe(true);
    await shots('runs-query');

    // Grouped by the learning rate: the CLI's groups, counts and means.
    const groups = await cliJson<RunGroups>('runs', 'list', '--query', QUERY, '--group-by', 'params.learningRate');
    await page.getByTestId('runs-group-by').selectOption('params.learningRate');
    await page.locator('[data-testid="runs-main"][data-group-by="params.learningRate"]').waitFor();
    const shown = await page
      .getByTestId('runs-group')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), Number(e.getAttribute('data-count'))]));
    expect(shown).toEqual(groups.groups.map((g) => [String(g.key), g.count]));
    const first = groups.groups[0];
    if (!first) throw new Error('no groups');
    const accuracy = first.stats['test.accuracy'];
    if (accuracy?.mean === null || accuracy?.mean === undefined) throw new Error('no accuracy in the first group');
    const firstRow = page.getByTestId('runs-group').first();
    expect(await firstRow.textContent()).toContain(accuracy.mean.toFixed(4));

    // A group opens to its runs, and a run opens from there.
    await firstRow.getByRole('button').click();
    await page
      .locator('[data-testid="runs-group-run"]')
      .nth(Math.min(first.count, 200) - 1)
      .waitFor();
    expect(await page.getByTestId('runs-group-run').count()).toBe(Math.min(first.count, 200));
    await shots('runs-grouped');
    await page.getByTestId('runs-group-run').first().getByRole('button').click();
    await page.getByTestId('run-detail').waitFor();
  });
});
