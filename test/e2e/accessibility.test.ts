// Every main page passes an axe-core scan with no serious or critical violation, each with
// something on it (a dataset, a trained run and its model, a pipeline from a template, a served
// endpoint, its monitoring); and the keyboard focus shows on the dark top bar.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const IRIS = path.join(ROOT, 'resources', 'samples', 'iris.csv');

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

const goTo = (name: string) =>
  page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();

/** WCAG's contrast ratio of two `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? [])
      .slice(0, 3)
      .map(Number)
      .map((c) => c / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe.skipIf(!canRun)('accessibility', () => {
  it('finds no serious or critical violation on any main page', { timeout: 240_000 }, async () => {
    for (const args of [
      ['import', IRIS],
      ['train', 'iris', '--target', 'species', '--epochs', '5'],
    ]) {
      const r = await ui.cli(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    await page.reload();
    const found: Record<string, unknown[]> = {};
    const scan = async (name: string) => {
      found[name] = await seriousViolations(page);
      await shot(page, `a11y-${name}`);
    };

    await goTo('Datasets');
    await page.getByTestId('dataset-view').waitFor();
    await page.getByTestId('rows-grid').getByTestId('data-row').first().waitFor();
    await scan('datasets');

    await goTo('Runs');
    await page.getByTestId('run-row').first().waitFor();
    await scan('runs');
    await page.getByTestId('run-row').first().click();
    await page.locator('[data-testid="run-detail"][data-status="succeeded"]').waitFor();
    await scan('run');

    await goTo('Models');
    await page.getByTestId('card-inputs').waitFor();
    await scan('models');

    await goTo('Endpoints');
    await page.getByTestId('endpoints-page').waitFor();
    await page.locator('[data-testid="start-model"][data-name="iris"]').getByTestId('start-model-check').check();
    await page.getByTestId('start-submit').click();
    await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
    await scan('endpoints');

    await goTo('Monitoring');
    await page.locator('[data-testid="monitoring-view"][data-loaded="true"]').waitFor();
    await scan('monitoring');

    await goTo('Pipelines');
    await page.getByTestId('pipelines-empty-new').click();
    await page.getByTestId('new-tabular-classification').check();
    await expect.poll(() => page.getByTestId('new-target').inputValue()).toBe('species');
    await scan('new-pipeline-dialog');
    await page.getByTestId('new-pipeline-submit').click();
    await page.locator('[data-testid="step-node"][data-node-id="register"]').waitFor();
    await scan('pipelines');

    await goTo('About');
    await page.getByTestId('about').waitFor();
    await scan('about');

    expect(found).toEqual({
      datasets: [],
      runs: [],
      run: [],
      models: [],
      endpoints: [],
      monitoring: [],
      'new-pipeline-dialog': [],
      pipelines: [],
      about: [],
    });
  });

  it('shows the keyboard focus plainly on the dark top bar', async () => {
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('button').first().focus();
    // Focus by keyboard: the next tab in the bar, so :focus-visible applies as for a user.
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      const bar = el.closest('.topbar');
      return {
        inBar: bar !== null,
        style: style.outlineStyle,
        width: Number.parseFloat(style.outlineWidth),
        colour: style.outlineColor,
        background: bar ? getComputedStyle(bar).backgroundColor : '',
      };
    });
    expect(ring.inBar).toBe(true);
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    // WCAG 2.2's focus appearance: at least 3:1 against what surrounds it.
    expect(contrast(ring.colour, ring.background)).toBeGreaterThanOrEqual(3);
    await shot(page, 'a11y-topbar-focus');
  });
});
