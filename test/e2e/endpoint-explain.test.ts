// The endpoint test console explains a prediction: a GBDT trained from the CLI is served, Explain
// is ticked, and the answer (asked with ?explain=true) comes back with each column's contribution,
// drawn as a waterfall under the prediction; the curl snippet asks the same.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const IRIS = path.join(ROOT, 'resources', 'samples', 'iris.csv');

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

describe.skipIf(!canRun)('endpoint test console explanations', () => {
  it('ticks Explain, sends, and draws the answer as a waterfall of column contributions', async () => {
    for (const args of [
      ['import', IRIS],
      ['train', 'iris', '--target', 'species', '--model', 'gbdt', '--trees', '20'],
    ]) {
      const r = await ui.cli(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    await page.getByRole('button', { name: 'Endpoints' }).click();
    const form = page.getByTestId('start-form');
    await form.waitFor();
    await form.locator('[data-testid="start-model"][data-name="iris"] [data-testid="start-model-check"]').check();
    await page.getByTestId('start-submit').click();
    await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('console-form').waitFor();

    await page.getByTestId('console-explain').check();
    expect(await page.getByTestId('curl-snippet').textContent()).toContain('/v1/models/iris/predict?explain=true');
    await page.getByTestId('console-send').click();
    await page.locator('[data-testid="console-result"][data-answers="1"]').waitFor();
    expect(await page.getByTestId('console-status').textContent()).toBe('200');
    const explanation = page.getByTestId('console-explanation');
    await explanation.waitFor();
    const label = (await page.getByTestId('console-label').textContent()) ?? '';
    expect(await explanation.textContent()).toContain(`log-odds of ${label}`);
    expect(await explanation.textContent()).toContain('exact TreeSHAP');
    await page.locator('[data-testid="console-waterfall"] canvas').waitFor();
    const body = JSON.parse((await page.getByTestId('console-json').textContent()) ?? '{}') as {
      predictions: { base: number; contributions: Record<string, number> }[];
    };
    expect(Object.keys(body.predictions[0]?.contributions ?? {}).sort()).toEqual([
      'petal_length',
      'petal_width',
      'sepal_length',
      'sepal_width',
    ]);

    for (const [width, height] of [
      [1280, 900],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await explanation.scrollIntoViewIfNeeded();
      await shot(page, `endpoint-console-explain-${width}`);
    }
  });
});
