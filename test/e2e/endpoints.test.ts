// The Endpoints page in the browser UI: start an endpoint for a model trained from the CLI, send
// a prediction from the test console (a form from the model's inputs), see the traffic chart draw,
// run the curl snippet as shown, see a killed endpoint restart in its event log, stop it; and an
// endpoint on another address with its API key; and a console prefilled for whichever model is picked.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canRun, shot, type CairnUi, useAppPerTest } from './support/cairn-ui.js';

const IRIS = path.join(ROOT, 'resources', 'samples', 'iris.csv');
const DIABETES = path.join(ROOT, 'resources', 'samples', 'diabetes.csv');
const CLASSES = ['setosa', 'versicolor', 'virginica'];

let ui: CairnUi;
let page: Page;
useAppPerTest((app) => ({ ui, page } = app));

const view = () => page.getByTestId('endpoint-view');

/** Presses Send and waits for this answer (the result counts answers); returns its HTTP status. */
async function send(): Promise<string> {
  const result = page.getByTestId('console-result');
  const before = (await result.count()) ? Number(await result.getAttribute('data-answers')) : 0;
  await page.getByTestId('console-send').click();
  await page.locator(`[data-testid="console-result"][data-answers="${before + 1}"]`).waitFor();
  return (await page.getByTestId('console-status').textContent()) ?? '';
}

async function startEndpoint(host?: string): Promise<void> {
  if (await page.getByTestId('endpoint-new').isVisible()) await page.getByTestId('endpoint-new').click();
  const form = page.getByTestId('start-form');
  await form.waitFor();
  await form.locator('[data-testid="start-model"][data-name="iris"] [data-testid="start-model-check"]').check();
  if (host) await page.getByTestId('start-host').fill(host);
  await page.getByTestId('start-submit').click();
  await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
}

describe.skipIf(!canRun)('endpoints page', () => {
  it('starts an endpoint, predicts from the console, charts traffic, restarts a killed one and stops it', async () => {
    for (const args of [
      ['import', IRIS],
      ['train', 'iris', '--target', 'species', '--epochs', '15'],
    ]) {
      const r = await ui.cli(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    await page.getByRole('button', { name: 'Endpoints' }).click();
    await page.getByTestId('endpoints-page').waitFor();
    // No endpoint yet: the start form shows, with the model at its default version.
    await page.getByTestId('start-form').waitFor();
    const pick = page.locator('[data-testid="start-model"][data-name="iris"]');
    await pick.getByTestId('start-model-check').check();
    expect(await pick.getByTestId('start-model-version').locator('option:checked').textContent()).toBe(
      'default: latest → v1',
    );
    expect(await page.getByTestId('start-host-note').textContent()).toMatch(/no API key is needed/);
    await shot(page, 'endpoints-start-form');
    await page.getByTestId('start-submit').click();
    await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
    const url = (await page.getByTestId('endpoint-url').textContent()) ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await page.getByTestId('served-model').textContent()).toMatch(/iris.*v1/);
    expect(await page.getByTestId('api-key').count()).toBe(0);
    expect(await page.getByTestId('endpoint-item').count()).toBe(1);

    // The console's form comes from the model's inputs, prefilled with typical values.
    await page.getByTestId('console-form').waitFor();
    const fields = page.getByTestId('console-field');
    expect(await fields.count()).toBe(4);
    expect(await page.locator('[data-testid="console-field"][data-name="sepal_length"]').inputValue()).toMatch(
      /^\d+\.\d+$/,
    );
    expect(await send()).toBe('200');
    const label = (await page.getByTestId('console-label').textContent()) ?? '';
    expect(CLASSES).toContain(label);
    const probs = page.getByTestId('console-probabilities').locator('tr');
    expect(await probs.count()).toBe(3);
    expect(await page.getByTestId('console-json').textContent()).toContain('"probabilities"');
    await shot(page, 'endpoints-prediction');

    // A field that is not a number is caught before sending; a small flower is a setosa.
    const petal = page.locator('[data-testid="console-field"][data-name="petal_length"]');
    await petal.fill('abc');
    expect(await page.getByTestId('console-send').isDisabled()).toBe(true);
    await petal.fill('1.4');
    await page.locator('[data-testid="console-field"][data-name="petal_width"]').fill('0.2');
    expect(await send()).toBe('200');
    for (let i = 0; i < 4; i++) await send();

    // The curl snippet works as shown.
    const curl = (await page.getByTestId('curl-snippet').textContent()) ?? '';
    expect(curl).toContain(`${url}/v1/models/iris/predict`);
    const out = await promisify(execFile)('sh', ['-c', curl]);
    expect(JSON.parse(out.stdout)).toMatchObject({ model: { name: 'iris', version: 1 } });

    // A refused request counts as an error.
    const bad = await fetch(`${url}/v1/models/iris/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"instances":[{}]}',
    });
    expect(bad.status).toBe(400);

    // The chart draws the requests the endpoint counted (6 from the console, 2 by hand).
    await expect
      .poll(async () => Number(await page.getByTestId('live-traffic').getAttribute('data-requests')), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(8);
    await page.locator('[data-testid="traffic-chart"] canvas').waitFor();
    expect(await page.getByTestId('traffic-totals').textContent()).toMatch(/8 requests\s*1 error(?!s)/);
    await page.getByTestId('live-traffic').scrollIntoViewIfNeeded();
    await shot(page, 'endpoints-traffic');

    // Killed, it comes back on the same URL; the event log says what happened.
    const pid = Number(await view().getAttribute('data-pid'));
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await page
      .locator('[data-testid="endpoint-view"][data-status="running"][data-restarts="1"]')
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('endpoint-url').textContent()).toBe(url);
    expect(await page.locator('[data-testid="endpoint-event"][data-status="restarting"]').textContent()).toMatch(
      /Process died.*SIGKILL/,
    );
    expect(await page.getByTestId('endpoint-item-restarts').textContent()).toMatch(/1 restart/);
    expect(await send()).toBe('200');
    await shot(page, 'endpoints-restarted');

    // Stop asks first, then the endpoint is gone; its story stays until removed.
    await page.getByTestId('endpoint-stop').click();
    await page.getByTestId('stop-dialog').waitFor();
    await shot(page, 'endpoints-stop-confirm');
    await page.getByTestId('stop-dialog-submit').click();
    await page.locator('[data-testid="endpoint-view"][data-status="stopped"]').waitFor();
    expect(await page.locator('[data-testid="endpoint-event"]').first().textContent()).toMatch(/Stopped/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await shot(page, 'endpoints-stopped');
    await page.getByTestId('endpoint-dismiss').click();
    await page.getByTestId('start-form').waitFor();
  });

  it('prefills the console with typical values of whichever model is picked, not only the first', async () => {
    for (const args of [
      ['train', IRIS, '--target', 'species', '--epochs', '5'],
      ['train', DIABETES, '--target', 'progression', '--epochs', '5'],
    ]) {
      const r = await ui.cli(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    await page.getByRole('button', { name: 'Endpoints' }).click();
    const form = page.getByTestId('start-form');
    await form.waitFor();
    for (const model of ['iris', 'diabetes'])
      await form.locator(`[data-testid="start-model"][data-name="${model}"] [data-testid="start-model-check"]`).check();
    await page.getByTestId('start-submit').click();
    await page.locator('[data-testid="endpoint-view"][data-status="running"]').waitFor({ timeout: 60_000 });
    const field = (name: string) => page.locator(`[data-testid="console-field"][data-name="${name}"]`);
    await field('sepal_length').waitFor();
    await page.getByTestId('console-route').selectOption({ label: 'diabetes version 1' });
    // Every input of the picked model holds a number from its own training data.
    await field('bmi').waitFor();
    const names = await page
      .getByTestId('console-field')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toEqual(['age', 'sex', 'bmi', 'bp', 's1_tc', 's2_ldl', 's3_hdl', 's4_tch', 's5_ltg', 's6_glu']);
    for (const name of names) expect(await field(name!).inputValue()).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
    expect(await send()).toBe('200');
    // The predicted value reads rounded, with every digit on hover.
    const value = page.getByTestId('console-value');
    const full = Number(await value.getAttribute('title'));
    expect(Number.isFinite(full)).toBe(true);
    expect(await value.textContent()).toBe(
      Number(full.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 20 }),
    );
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await shot(page, `endpoints-console-second-model-${width}`);
    }
    // And back: the first model's values again.
    await page.getByTestId('console-route').selectOption({ label: 'iris version 1' });
    await field('sepal_length').waitFor();
    expect(await field('sepal_length').inputValue()).toMatch(/^\d+(\.\d+)?$/);
  });

  it('gives an endpoint on another address an API key, used by the console and the curl snippet', async () => {
    const r = await ui.cli('train', IRIS, '--target', 'species', '--epochs', '5');
    expect(r.code, r.stderr).toBe(0);
    await page.getByRole('button', { name: 'Endpoints' }).click();
    await page.getByTestId('start-form').waitFor();
    await page.getByTestId('start-host').fill('0.0.0.0');
    expect(await page.getByTestId('start-host-note').textContent()).toMatch(/will require an API key/);
    await startEndpoint();
    const key = page.getByTestId('api-key-value');
    expect(await key.textContent()).toMatch(/^•+.{4}$/);
    await page.getByTestId('api-key-reveal').click();
    const apiKey = (await key.textContent()) ?? '';
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await page.getByTestId('curl-snippet').textContent()).toContain('Authorization: Bearer $CAIRN_API_KEY');
    expect(await send()).toBe('200');
    // Without the key the endpoint refuses.
    const url = (await page.getByTestId('endpoint-url').textContent()) ?? '';
    expect(
      (
        await fetch(`${url}/v1/models/iris/predict`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    await shot(page, 'endpoints-api-key');
    await page.getByTestId('endpoint-stop').click();
    await page.getByTestId('stop-dialog-submit').click();
    await page.locator('[data-testid="endpoint-view"][data-status="stopped"]').waitFor();
  });
});
