// Issue 18, item 10: at 1280 px wide (the desktop window's default) the columns a user reads are
// on screen, not cut off: the schema's Shape column, and the runs table's test metrics.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, cliOk, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

/** The right edge of `inner` lies within `outer`'s visible box. */
async function expectInside(outer: string, inner: string): Promise<void> {
  const o = await page.locator(outer).first().boundingBox();
  const i = await page.locator(inner).first().boundingBox();
  expect(o).not.toBeNull();
  expect(i).not.toBeNull();
  expect(i!.x + i!.width).toBeLessThanOrEqual(o!.x + o!.width);
}

describe.skipIf(!canRun)('layout at 1280 px', () => {
  it('shows the schema Shape column and the runs table metrics without scrolling sideways', async () => {
    await cliOk(ui, 'import', path.join(ROOT, 'resources', 'samples', 'diabetes.csv'));
    await cliOk(ui, 'train', 'diabetes', '--target', 'progression', '--model', 'gbdt');
    // A classifier too: the table then shows all seven test metrics, the widest it gets.
    await cliOk(ui, 'import', path.join(ROOT, 'resources', 'samples', 'iris.csv'));
    await cliOk(ui, 'train', 'iris', '--target', 'species', '--model', 'gbdt');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await page.getByTestId('schema-row').first().waitFor();
    await expectInside('.schema', '.schema-head > :last-child');
    await shot(page, 'layout-1280-datasets');

    await page.getByRole('button', { name: 'Runs', exact: true }).click();
    await page.getByTestId('run-row').nth(1).waitFor();
    await expectInside('[data-testid="runs-grid"]', '.grid-head [data-column="metric:r2"]');
    await shot(page, 'layout-1280-runs');
  });
});
